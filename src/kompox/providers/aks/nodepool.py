"""Node pools on AKS agent pools: list, create, update, delete (driver-aks.md §15, seed 003).

Every method is span-logged (``AKS:NodePool<Op>/S|EOK|EFAIL``), validates its
input before any request, resolves the cluster resource group (derived from
the names) and the AKS cluster name (deployment output
``AZURE_AKS_CLUSTER_NAME``), then makes the agent pool calls.  Create, update
and delete block until Azure's long-running operation finishes, reporting
progress lines to ``ctx.progress`` or, by default, to the ``kompox.progress``
logger (the CLI shows that logger on stderr).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from kompox.domain.errors import DriverError, DriverValidationError, ProviderAPIError
from kompox.domain.model import Cluster, NodePool
from kompox.domain.model.nodepool import invalid, require_pool_name
from kompox.domain.options import NodePoolListOptions
from kompox.providers.aks import azure_agentpools as pools
from kompox.providers.aks.arm_template import OUT_AKS_CLUSTER_NAME
from kompox.providers.aks.azure_aks import deployment_outputs
from kompox.providers.aks.context import AKSContext
from kompox.providers.aks.nodepool_mapping import (
    agent_pool_to_node_pool,
    check_aks_pool,
    create_body,
    immutable_changes,
    merge_update,
)
from kompox.providers.aks.span import Deadline, Progress, span

NODE_POOL_LIST_TIMEOUT = 2 * 60.0
NODE_POOL_WRITE_TIMEOUT = 10 * 60.0
"""Wait bound for create/update/delete (upstream CLI: 10 min); a timeout does not cancel the Azure operation."""

progress_log = logging.getLogger("kompox.progress")


def _progress(ctx: AKSContext) -> Progress:
    return ctx.progress or progress_log.info


@dataclass(frozen=True)
class _Target:
    resource_group: str
    cluster_name: str


def _target(ctx: AKSContext, cluster: Cluster) -> _Target:
    try:
        rg = ctx.names.cluster_resource_group(cluster)
    except DriverValidationError as err:
        raise DriverValidationError(
            f"derive cluster resource group: {err.message.removeprefix('validation error: ')}"
        ) from err
    try:
        outputs = deployment_outputs(ctx.clients, ctx.names.deployment_name(cluster))
    except ProviderAPIError as err:
        raise ProviderAPIError(
            f"get AKS cluster name: get deployment outputs: {err}",
            status_code=err.status_code,
            error_code=err.error_code,
        ) from err
    except DriverError as err:
        raise DriverError(f"get AKS cluster name: get deployment outputs: {err}") from err
    name = outputs.get(OUT_AKS_CLUSTER_NAME)
    if not isinstance(name, str) or not name:
        raise DriverError(f"get AKS cluster name: {OUT_AKS_CLUSTER_NAME} not found in deployment outputs")
    return _Target(rg, name)


def _put(
    ctx: AKSContext, target: _Target, name: str, body: Any, *, start: str, verb: str, action: str, done: str
) -> NodePool:
    """PUT the agent pool and wait for Azure; progress ``start`` … ``node pool <name> <done>``; the provider's view."""
    report = _progress(ctx)
    report(start)
    result = pools.put_agent_pool(
        ctx.clients,
        target.resource_group,
        target.cluster_name,
        name,
        body,
        verb=verb,
        deadline=Deadline(NODE_POOL_WRITE_TIMEOUT, f"{action} node pool {name}"),
        progress=report,
    )
    report(f"node pool {name} {done}")
    return agent_pool_to_node_pool(result, ctx.location)


def node_pool_list(ctx: AKSContext, cluster: Cluster, opts: NodePoolListOptions | None = None) -> list[NodePool]:
    """All agent pools (sorted by name), or the one named ``opts.name``; absent AKS cluster → ``[]``."""
    wanted = (opts or NodePoolListOptions()).name
    with span("NodePoolList"):
        target = _target(ctx, cluster)
        found = pools.list_agent_pools(
            ctx.clients.bounded(NODE_POOL_LIST_TIMEOUT), target.resource_group, target.cluster_name
        )
        if found is None:
            logging.getLogger("kompox.providers.aks").info("cluster not found, returning empty pool list")
            return []
        result = [
            agent_pool_to_node_pool(ap, ctx.location)
            for ap in found
            if getattr(ap, "name", None) and (not wanted or ap.name == wanted)
        ]
        return sorted(result, key=lambda p: p.name or "")


def node_pool_create(ctx: AKSContext, cluster: Cluster, pool: NodePool) -> NodePool:
    """Create (AKS: create-or-update) the agent pool and wait; returns the provider's view."""
    with span("NodePoolCreate"):
        name = check_aks_pool(pool, ctx.location)
        body = create_body(pool, ctx.location)
        target = _target(ctx, cluster)
        start = f"creating node pool {name} in AKS cluster {target.cluster_name} (this takes several minutes)"
        return _put(ctx, target, name, body, start=start, verb="creation", action="create", done="created")


def node_pool_update(ctx: AKSContext, cluster: Cluster, pool: NodePool) -> NodePool:
    """Apply the set mutable fields (labels, autoscaling); an immutable change is a validation error."""
    with span("NodePoolUpdate"):
        name = check_aks_pool(pool, ctx.location)
        target = _target(ctx, cluster)
        existing = pools.get_agent_pool(ctx.clients, target.resource_group, target.cluster_name, name)
        changes = immutable_changes(pool, existing, ctx.location)
        if changes:
            raise invalid("cannot modify immutable fields: " + ", ".join(changes))
        before = existing.as_dict()
        merge_update(existing, pool, ctx.location)
        if existing.as_dict() == before:
            _progress(ctx)(f"node pool {name} already up to date")
            return agent_pool_to_node_pool(existing, ctx.location)
        start = f"updating node pool {name} in AKS cluster {target.cluster_name}"
        return _put(ctx, target, name, existing, start=start, verb="update", action="update", done="updated")


def node_pool_delete(ctx: AKSContext, cluster: Cluster, pool_name: str) -> None:
    """Delete the agent pool and wait; a pool that does not exist is success."""
    with span("NodePoolDelete"):
        name = require_pool_name(NodePool(name=pool_name))
        target = _target(ctx, cluster)
        report = _progress(ctx)
        report(f"deleting node pool {name} from AKS cluster {target.cluster_name}")
        deleted = pools.delete_agent_pool(
            ctx.clients,
            target.resource_group,
            target.cluster_name,
            name,
            deadline=Deadline(NODE_POOL_WRITE_TIMEOUT, f"delete node pool {name}"),
            progress=report,
        )
        report(f"node pool {name} deleted" if deleted else f"node pool {name} does not exist")
