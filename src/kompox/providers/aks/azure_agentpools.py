"""AKS agent pool calls through ``ContainerServiceClient.agent_pools`` (driver-aks.md §2.1, §15).

Retries (429 with Retry-After, transient 5xx) are the SDK pipeline's job;
this module starts the long-running operations, waits for them with progress
and turns SDK errors into one-line :class:`ProviderAPIError` messages.  A 404
is reported to the caller as ``None`` / ``False`` where the contract treats
"absent" as a normal outcome.
"""

from __future__ import annotations

from typing import Any

from kompox.domain.errors import NotFoundError
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.span import Deadline, Progress, api_error, is_not_found, log, wait_poller


def list_agent_pools(clients: AzureClients, resource_group: str, cluster_name: str) -> list[Any] | None:
    """Every agent pool of the cluster (all pages), or ``None`` when the cluster is absent (404)."""
    from azure.core.exceptions import HttpResponseError

    try:
        return list(clients.container_service().agent_pools.list(resource_group, cluster_name))
    except HttpResponseError as err:
        if is_not_found(err):
            return None
        raise api_error("list agent pools", err) from err


def get_agent_pool(clients: AzureClients, resource_group: str, cluster_name: str, name: str) -> Any:
    """The agent pool; a missing pool (or cluster) is a :class:`NotFoundError`."""
    from azure.core.exceptions import HttpResponseError

    try:
        return clients.container_service().agent_pools.get(resource_group, cluster_name, name)
    except HttpResponseError as err:
        if is_not_found(err):
            raise NotFoundError(
                f"get existing agent pool: node pool {name} not found in AKS cluster {cluster_name}"
            ) from err
        raise api_error("get existing agent pool", err) from err


def find_agent_pool(clients: AzureClients, resource_group: str, cluster_name: str, name: str) -> Any | None:
    """The agent pool, or ``None`` when it (or the cluster) does not exist."""
    from azure.core.exceptions import HttpResponseError

    try:
        return clients.container_service().agent_pools.get(resource_group, cluster_name, name)
    except HttpResponseError as err:
        if is_not_found(err):
            return None
        raise api_error("get agent pool", err) from err


def put_agent_pool(
    clients: AzureClients,
    resource_group: str,
    cluster_name: str,
    name: str,
    body: Any,
    *,
    verb: str,
    deadline: Deadline,
    progress: Progress | None,
) -> Any:
    """``begin_create_or_update`` and wait; ``verb`` is ``creation`` or ``update`` (error wording)."""
    from azure.core.exceptions import HttpResponseError

    action = "create" if verb == "creation" else verb
    try:
        poller = clients.container_service().agent_pools.begin_create_or_update(
            resource_group, cluster_name, name, body
        )
    except HttpResponseError as err:
        raise api_error(f"begin {action} agent pool", err) from err
    try:
        return wait_poller(poller, deadline, f"agent pool {name} {verb}", progress)
    except HttpResponseError as err:
        raise api_error(f"wait for agent pool {verb}", err) from err


def delete_agent_pool(
    clients: AzureClients,
    resource_group: str,
    cluster_name: str,
    name: str,
    *,
    deadline: Deadline,
    progress: Progress | None,
) -> bool:
    """``begin_delete`` and wait; ``False`` when the pool (or cluster) was already absent.

    AgentPools_Delete answers 204 (not 404) for an absent pool, which the SDK
    reports as a finished deletion; the pool is therefore read first.
    """
    from azure.core.exceptions import HttpResponseError

    if find_agent_pool(clients, resource_group, cluster_name, name) is None:
        log.info("agent pool not found, nothing to delete", extra={"attrs": {"pool": name}})
        return False
    try:
        poller = clients.container_service().agent_pools.begin_delete(resource_group, cluster_name, name)
    except HttpResponseError as err:
        if is_not_found(err):
            log.info("agent pool not found, nothing to delete", extra={"attrs": {"pool": name}})
            return False
        raise api_error("begin delete agent pool", err) from err
    try:
        wait_poller(poller, deadline, f"agent pool {name} deletion", progress)
    except HttpResponseError as err:
        if is_not_found(err):
            log.info("agent pool disappeared while deleting", extra={"attrs": {"pool": name}})
            return True
        raise api_error("wait for agent pool deletion", err) from err
    return True
