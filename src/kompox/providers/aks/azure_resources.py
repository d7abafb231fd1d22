"""Cluster resource group deletion and Key Vault purge (upstream ``azure_resources.go``, ``azure_kv.go``)."""

from __future__ import annotations

from typing import Any

from kompox.domain.errors import DriverError
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.span import (
    Deadline,
    Progress,
    api_error,
    describe_azure_error,
    error_code,
    is_not_found,
    log,
    wait_poller,
)

KEY_VAULT_FILTER = "resourceType eq 'Microsoft.KeyVault/vaults'"


def resource_group_exists(clients: AzureClients, name: str) -> bool:
    """Whether the group exists; only a not-found error code means "absent".

    Any other failure (``SubscriptionNotFound``, authorisation, a service
    error left after the pipeline's retries) is raised: deprovision must not
    report success for a group it could not even read.
    """
    from azure.core.exceptions import AzureError

    try:
        clients.resources().resource_groups.get(name)
    except AzureError as err:
        if is_not_found(err):
            log.debug("resource group %s is absent: %s", name, describe_azure_error(err))
            return False
        raise api_error(f"get resource group {name}", err) from err
    return True


def key_vault_names(clients: AzureClients, resource_group: str) -> list[str]:
    """Names of the Key Vaults in the group (all pages); errors give ``[]``."""
    from azure.core.exceptions import AzureError

    try:
        items = clients.resources().resources.list_by_resource_group(resource_group, filter=KEY_VAULT_FILTER)
        return [str(item.name) for item in items if getattr(item, "name", None)]
    except AzureError as err:
        log.debug("list key vaults in %s failed: %s", resource_group, describe_azure_error(err))
        return []


def delete_resource_group(clients: AzureClients, name: str, deadline: Deadline, progress: Progress | None) -> None:
    from azure.core.exceptions import HttpResponseError

    try:
        poller = clients.resources().resource_groups.begin_delete(name)
    except HttpResponseError as err:
        raise api_error("failed to start resource group deletion", err) from err
    try:
        wait_poller(poller, deadline, f"delete resource group {name}", progress)
    except HttpResponseError as err:
        raise api_error(f"failed to delete resource group {name}", err) from err


def purge_deleted_vaults(clients: AzureClients, names: list[str], location: str) -> None:
    """Start purging soft-deleted vaults without waiting (fire-and-forget, as upstream)."""
    from azure.core.exceptions import AzureError

    if not names:
        return
    client = clients.keyvault()
    for name in names:
        try:
            client.vaults.begin_purge_deleted(name, location, polling=False)
        except AzureError as err:
            log.warning("failed to start purge of key vault %s: %s", name, describe_azure_error(err))


def ensure_resource_group(clients: AzureClients, name: str, location: str, tags: dict[str, str]) -> str:
    """Create the group, or add ``tags`` to an existing one keeping its other (user) tags; returns its id.

    A group's location never changes: an existing group elsewhere is an error
    naming both locations (ARM would answer 409 InvalidResourceGroupLocation).
    The group is written only when a tag is missing or different (PUT replaces
    the whole tag map, so the existing tags are sent along).
    """
    from azure.core.exceptions import HttpResponseError

    ops = clients.resources().resource_groups
    existing: Any = None
    try:
        existing = ops.get(name)
    except HttpResponseError as err:
        if not is_not_found(err):
            raise api_error(f"get resource group {name}", err) from err
    if existing is not None:
        have = str(getattr(existing, "location", "") or "")
        if have and have.replace(" ", "").lower() != location.replace(" ", "").lower():
            raise location_conflict(name, have, location)
        current = dict(getattr(existing, "tags", None) or {})
        merged = {**current, **tags}
        if merged == current:
            return _group_id(clients, existing, name)
        body = {"location": have or location, "tags": merged}
    else:
        body = {"location": location, "tags": dict(tags)}
    try:
        group = ops.create_or_update(name, body)
    except HttpResponseError as err:
        if error_code(err) == "InvalidResourceGroupLocation":
            raise location_conflict(name, "another location", location) from err
        raise api_error(f"create resource group {name}", err) from err
    return _group_id(clients, group, name)


def location_conflict(name: str, have: str, wanted: str) -> DriverError:
    return DriverError(
        f"resource group {name} already exists in {have}, but the provider's AZURE_LOCATION is {wanted} "
        "(a resource group cannot move: use the original location or another resource group name)"
    )


def _group_id(clients: AzureClients, group: Any, name: str) -> str:
    group_id = getattr(group, "id", None)
    return str(group_id) if group_id else f"/subscriptions/{clients.subscription_id}/resourceGroups/{name}"
