"""Managed disks and snapshots through ``azure-mgmt-compute`` (driver-aks.md §11, §14).

Thin wrappers: each call names what failed, 404 handling follows the
contract (an absent group lists as empty, deleting an absent item succeeds),
and long-running operations are waited on within the caller's deadline.
Throttling (429) and transient 5xx are retried by the SDK pipeline.
"""

from __future__ import annotations

from typing import Any, Literal

from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.span import Deadline, Progress, api_error, is_not_found, wait_poller

Kind = Literal["disk", "snapshot"]
COMPUTE_NAMESPACE = "Microsoft.Compute"
RESOURCE_TYPES: dict[str, Kind] = {"disks": "disk", "snapshots": "snapshot"}


def _ops(clients: AzureClients, kind: Kind, subscription_id: str | None = None) -> Any:
    client = clients.compute(subscription_id)
    return client.disks if kind == "disk" else client.snapshots


def list_items(clients: AzureClients, kind: Kind, resource_group: str) -> list[Any]:
    """Every disk (or snapshot) of the group, all pages; ``[]`` when the group does not exist."""
    from azure.core.exceptions import AzureError

    try:
        return list(_ops(clients, kind).list_by_resource_group(resource_group))
    except AzureError as err:
        if is_not_found(err):
            return []
        raise api_error(f"list {kind}s", err) from err


def get_item(clients: AzureClients, kind: Kind, resource_group: str, name: str) -> Any | None:
    """The disk (or snapshot), or ``None`` when it or its group is absent."""
    from azure.core.exceptions import AzureError

    try:
        return _ops(clients, kind).get(resource_group, name)
    except AzureError as err:
        if is_not_found(err):
            return None
        raise api_error(f"get {kind} {name}", err) from err


def get_by_id(clients: AzureClients, kind: Kind, subscription_id: str, resource_group: str, name: str) -> Any | None:
    """A disk or snapshot in any subscription (native sources); ``None`` when absent."""
    from azure.core.exceptions import AzureError

    try:
        return _ops(clients, kind, subscription_id).get(resource_group, name)
    except AzureError as err:
        if is_not_found(err):
            return None
        raise api_error(f"get source {kind} {name}", err) from err


def create_item(
    clients: AzureClients,
    kind: Kind,
    resource_group: str,
    name: str,
    body: dict[str, Any],
    deadline: Deadline,
    progress: Progress | None,
) -> Any:
    """PUT the disk (or snapshot) and wait for the operation; returns the resource ARM reports."""
    from azure.core.exceptions import AzureError

    try:
        poller = _ops(clients, kind).begin_create_or_update(resource_group, name, body)
    except AzureError as err:
        raise api_error(f"create {kind}", err) from err
    try:
        return wait_poller(poller, deadline, f"create {kind} {name}", progress)
    except AzureError as err:
        raise api_error(f"poll {kind}", err) from err


def update_tags(
    clients: AzureClients,
    kind: Kind,
    resource_group: str,
    name: str,
    tags: dict[str, str],
    deadline: Deadline,
    progress: Progress | None,
) -> None:
    """PATCH the full tag map (ARM replaces tags as a whole) and wait."""
    from azure.core.exceptions import AzureError

    try:
        poller = _ops(clients, kind).begin_update(resource_group, name, {"tags": tags})
    except AzureError as err:
        raise api_error(f"update {kind} {name}", err) from err
    try:
        wait_poller(poller, deadline, f"update {kind} {name}", progress)
    except AzureError as err:
        raise api_error(f"poll update {kind} {name}", err) from err


def delete_item(
    clients: AzureClients,
    kind: Kind,
    resource_group: str,
    name: str,
    deadline: Deadline,
    progress: Progress | None,
) -> None:
    """DELETE and wait; an absent item or group is success (idempotent delete)."""
    from azure.core.exceptions import AzureError

    try:
        poller = _ops(clients, kind).begin_delete(resource_group, name)
    except AzureError as err:
        if is_not_found(err):
            return
        raise api_error(f"delete {kind}", err) from err
    try:
        wait_poller(poller, deadline, f"delete {kind} {name}", progress)
    except AzureError as err:
        if is_not_found(err):
            return
        raise api_error(f"poll delete {kind} {name}", err) from err
