"""Node-pool use cases: list, create, update, delete (kube-and-ops.md §12.2, seed 003).

Each use case checks its input, fetches the cluster from the repository and
makes one :class:`NodePoolPort` call.  Typed errors from the port pass through
unchanged (their category decides the exit code, and a driver's
``validation error: …`` text stays at the start of the message); anything
else is wrapped as ``failed to <op> node pool: <cause>``.

:func:`scheduling_gaps` compares an app's requested pools/zones with the
cluster's pools for ``app validate``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from kompox.domain.errors import DriverError, KompoxError, NotFoundError, ValidationError
from kompox.domain.model import LABEL_NODE_POOL, LABEL_NODE_ZONE, AppDeployment, Cluster, NodePool
from kompox.domain.options import (
    NodePoolCreateOptions,
    NodePoolDeleteOptions,
    NodePoolListOptions,
    NodePoolUpdateOptions,
)
from kompox.domain.ports import ClusterRepository, NodePoolPort
from kompox.domain.scheduling import requested_pools, requested_zones

T = TypeVar("T")


@dataclass(frozen=True)
class NodePoolUseCases:
    clusters: ClusterRepository
    pools: NodePoolPort

    def _cluster(self, cluster_id: str) -> Cluster:
        if not cluster_id:
            raise ValidationError("cluster ID is required")
        try:
            return self.clusters.get(cluster_id)
        except NotFoundError as err:
            raise NotFoundError(f"cluster not found: {cluster_id}") from err

    def list(self, cluster_id: str, name: str = "") -> list[NodePool]:
        """All pools of the cluster, or the one named ``name`` (exact match; ``[]`` when absent)."""
        cluster = self._cluster(cluster_id)
        return _call("list", lambda: self.pools.node_pool_list(cluster, NodePoolListOptions(name=name)))

    def create(self, cluster_id: str, pool: NodePool, *, force: bool = False) -> NodePool:
        cluster = self._cluster(cluster_id)
        _require_name(pool.name)
        return _call("create", lambda: self.pools.node_pool_create(cluster, pool, NodePoolCreateOptions(force=force)))

    def update(self, cluster_id: str, pool: NodePool, *, force: bool = False) -> NodePool:
        cluster = self._cluster(cluster_id)
        _require_name(pool.name)
        return _call("update", lambda: self.pools.node_pool_update(cluster, pool, NodePoolUpdateOptions(force=force)))

    def delete(self, cluster_id: str, name: str, *, force: bool = False) -> None:
        cluster = self._cluster(cluster_id)
        _require_name(name)
        _call("delete", lambda: self.pools.node_pool_delete(cluster, name, NodePoolDeleteOptions(force=force)))


def _require_name(name: str | None) -> None:
    if name is None or not name.strip():
        raise ValidationError("node pool name is required")


def _call(op: str, fn: Callable[[], T]) -> T:
    try:
        return fn()
    except KompoxError:
        raise
    except Exception as err:
        raise DriverError(f"failed to {op} node pool: {err}") from err


# --- app validation ---------------------------------------------------------


def _label_index(pools: Sequence[NodePool], key: str) -> dict[str, list[str]]:
    """Label value → names of the pools carrying it."""
    index: dict[str, list[str]] = {}
    for pool in pools:
        value = (pool.labels or {}).get(key)
        if value is not None:
            index.setdefault(value, []).append(pool.name or "?")
    return index


def _describe(index: dict[str, list[str]]) -> str:
    if not index:
        return "none"
    return ", ".join(f"{value} ({', '.join(sorted(names))})" for value, names in sorted(index.items()))


def scheduling_gaps(deployment: AppDeployment, pools: Sequence[NodePool]) -> list[tuple[str, str]]:
    """``(code, message)`` for each requested pool or zone that no node pool of the cluster offers.

    Pods select nodes by the labels ``kompox.dev/node-pool`` and
    ``kompox.dev/node-zone`` (converter.md §9), compared verbatim, so the check
    compares the requested values with the pools' label values: ``zone: "1"``
    does not match a pool labelled ``japaneast-1``.  Zones are looked up among
    the requested pools when those exist, else among all pools.
    """
    gaps: list[tuple[str, str]] = []
    by_pool = _label_index(pools, LABEL_NODE_POOL)
    wanted_pools, pool_field = requested_pools(deployment)
    for value in wanted_pools:
        if value not in by_pool:
            gaps.append(
                (
                    "node_pool_not_found",
                    f"node pool {value!r} ({pool_field}) does not exist in the cluster: no node pool is labelled "
                    f"{LABEL_NODE_POOL}={value} (labelled pools: {_describe(by_pool)})",
                )
            )
    wanted_zones, zone_field = requested_zones(deployment)
    if not wanted_zones:
        return gaps
    present = [v for v in wanted_pools if v in by_pool]
    selected = [p for p in pools if (p.labels or {}).get(LABEL_NODE_POOL) in present]
    scope = f"node pool {', '.join(present)}" if selected else "the cluster"
    by_zone = _label_index(selected or pools, LABEL_NODE_ZONE)
    for value in wanted_zones:
        if value not in by_zone:
            gaps.append(
                (
                    "node_zone_not_found",
                    f"zone {value!r} ({zone_field}) does not exist in {scope}: no node pool is labelled "
                    f"{LABEL_NODE_ZONE}={value} (zone labels: {_describe(by_zone)})",
                )
            )
    return gaps
