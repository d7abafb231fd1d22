"""The per-app storage account and its file shares through ``azure-mgmt-storage`` (driver-aks.md §12).

Throttling (429) and transient 5xx are retried by the SDK pipeline; these
wrappers only name what failed and apply the contract's 404 rules.
"""

from __future__ import annotations

from typing import Any

from kompox.domain.errors import ProviderAPIError
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.span import (
    Deadline,
    Progress,
    api_error,
    error_code,
    is_not_found,
    log,
    status_code,
    wait_poller,
)

DEFAULT_SKU = "Standard_LRS"
ACCOUNT_SKUS: tuple[str, ...] = (
    "Standard_LRS",
    "Standard_GRS",
    "Standard_RAGRS",
    "Standard_ZRS",
    "Premium_LRS",
    "Premium_ZRS",
)
KIND_GENERAL = "StorageV2"
KIND_PREMIUM_FILES = "FileStorage"


def account_sku(requested: str) -> str:
    """The SKU sent on creation: one of :data:`ACCOUNT_SKUS`, anything else ``Standard_LRS`` (upstream)."""
    return requested if requested in ACCOUNT_SKUS else DEFAULT_SKU


def account_kind(sku: str) -> str:
    """Premium file shares need a ``FileStorage`` account; a premium ``StorageV2`` account cannot hold them."""
    return KIND_PREMIUM_FILES if sku.startswith("Premium_") else KIND_GENERAL


def account_body(sku: str, location: str, tags: dict[str, str]) -> dict[str, Any]:
    return {
        "sku": {"name": sku},
        "kind": account_kind(sku),
        "location": location,
        "tags": tags,
        "properties": {
            "allowBlobPublicAccess": False,
            "allowSharedKeyAccess": True,
            "minimumTlsVersion": "TLS1_2",
            "publicNetworkAccess": "Enabled",
            "supportsHttpsTrafficOnly": True,
            "defaultToOAuthAuthentication": False,
        },
    }


def ensure_account(
    clients: AzureClients,
    resource_group: str,
    account: str,
    *,
    sku: str,
    location: str,
    tags: dict[str, str],
    deadline: Deadline,
    progress: Progress | None,
) -> None:
    """Create the account when absent; an existing account is used as it is (SKU not changed)."""
    from azure.core.exceptions import AzureError

    ops = clients.storage().storage_accounts
    try:
        existing = ops.get_properties(resource_group, account)
    except AzureError as err:
        if not is_not_found(err):
            raise api_error(f"get storage account {account}", err) from err
    else:
        have = str(getattr(getattr(getattr(existing, "sku", None), "name", None), "value", "") or "")
        if have and have != sku:
            log.info("storage account %s keeps its SKU %s (requested %s)", account, have, sku)
        return
    try:
        poller = ops.begin_create(resource_group, account, account_body(sku, location, tags))
    except AzureError as err:
        raise api_error("begin create storage account", err) from err
    try:
        wait_poller(poller, deadline, f"create storage account {account}", progress)
    except AzureError as err:
        raise api_error("create storage account", err) from err


def list_shares(clients: AzureClients, resource_group: str, account: str) -> list[Any]:
    """Every share of the account (all pages), **without** metadata; ``[]`` when the group or account is absent.

    FileShares_List documents no ``metadata`` expansion (only ``deleted, snapshots``)
    and Azure returns list items without metadata, so callers read a share's
    metadata with :func:`get_share`.
    """
    from azure.core.exceptions import AzureError

    try:
        return list(clients.storage().file_shares.list(resource_group, account))
    except AzureError as err:
        if is_not_found(err):
            return []
        raise api_error("list shares page", err) from err


def get_share(clients: AzureClients, resource_group: str, account: str, share: str) -> Any:
    """The share with its metadata (FileShares_Get returns ``properties.metadata``)."""
    from azure.core.exceptions import AzureError

    try:
        return clients.storage().file_shares.get(resource_group, account, share)
    except AzureError as err:
        raise api_error(f"get share {share}", err) from err


def find_share(clients: AzureClients, resource_group: str, account: str, share: str) -> Any | None:
    """:func:`get_share`, or ``None`` when the share vanished since it was listed."""
    from azure.core.exceptions import AzureError

    try:
        return clients.storage().file_shares.get(resource_group, account, share)
    except AzureError as err:
        if is_not_found(err):
            return None
        raise api_error(f"get share {share}", err) from err


def create_share(
    clients: AzureClients, resource_group: str, account: str, share: str, quota_gib: int, metadata: dict[str, str]
) -> None:
    from azure.core.exceptions import AzureError

    body = {"properties": {"shareQuota": quota_gib, "metadata": metadata}}
    try:
        clients.storage().file_shares.create(resource_group, account, share, body)
    except AzureError as err:
        if error_code(err) == "ShareBeingDeleted":
            raise ProviderAPIError(
                f"create share: share {share} is still being deleted by Azure; retry in a minute",
                status_code=status_code(err),
                error_code="ShareBeingDeleted",
            ) from err
        raise api_error("create share", err) from err


def update_share_metadata(
    clients: AzureClients, resource_group: str, account: str, share: str, metadata: dict[str, str]
) -> None:
    """PATCH the full metadata map (the service replaces it as a whole)."""
    from azure.core.exceptions import AzureError

    try:
        clients.storage().file_shares.update(resource_group, account, share, {"properties": {"metadata": metadata}})
    except AzureError as err:
        raise api_error(f"update share {share}", err) from err


def delete_share(clients: AzureClients, resource_group: str, account: str, share: str) -> None:
    """Delete the share; an absent share, account or group is success."""
    from azure.core.exceptions import AzureError

    try:
        clients.storage().file_shares.delete(resource_group, account, share)
    except AzureError as err:
        if is_not_found(err):
            return
        raise api_error("delete share", err) from err
