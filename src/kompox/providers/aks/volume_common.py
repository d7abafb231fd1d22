"""Helpers shared by the AKS volume backends (driver-aks.md §7, §10–12, §17).

Deadlines, name checks, the cluster identity read from the deployment
outputs, the app resource group with its Contributor grant, and the error
texts for unknown disks and snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from kompox.domain.errors import DriverError, NotFoundError, ValidationError
from kompox.domain.model import App, Cluster
from kompox.domain.naming import validate_optional_resource_name, validate_resource_name
from kompox.providers.aks import azure_aks, azure_resources
from kompox.providers.aks.azure_roles import ROLE_CONTRIBUTOR, ensure_role
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.context import AKSContext
from kompox.providers.aks.span import log, rewrap

# Upstream deadlines of the disk backend (§17); the files backend has none upstream,
# the same values bound its calls here so that a hung ARM call cannot hang the CLI.
LIST_TIMEOUT = 60.0
WRITE_TIMEOUT = 120.0
SOURCE_TIMEOUT = 30.0

GIB = 1 << 30
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def check_names(vol_name: str, kind: str = "", name: str = "", *, optional: bool = False) -> None:
    """Contract name rules (DNS-1123 label; volume 1..16, disk/snapshot 1..24) before any cloud call."""
    validate_resource_name("volume", vol_name)
    if kind:
        if optional:
            validate_optional_resource_name(kind, name)
        else:
            validate_resource_name(kind, name)


def text(value: Any) -> str:
    """An SDK string or enum value as plain text (``""`` for ``None``)."""
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def as_utc(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def sort_newest_first(items: list[Any]) -> list[Any]:
    """``created_at`` descending, ties (and missing times) by ``name`` ascending."""
    by_name = sorted(items, key=lambda item: item.name)
    return sorted(by_name, key=lambda item: item.created_at or EPOCH, reverse=True)


def not_found(kind: str, name: str, vol_name: str, existing: Iterable[str]) -> NotFoundError:
    names = sorted(existing)
    listing = ", ".join(names) if names else "none"
    return NotFoundError(f'{kind} not found: {name} (volume "{vol_name}" has {kind}s: {listing})')


def principal_id(ctx: AKSContext, clients: AzureClients, cluster: Cluster, output: str) -> str:
    """A principal id from the cluster's deployment outputs, ``""`` when unavailable (upstream ignores errors)."""
    try:
        outputs = azure_aks.deployment_outputs(clients, ctx.names.deployment_name(cluster))
    except (DriverError, ValidationError) as err:
        log.warning("cluster %s: deployment outputs unavailable, skipping role assignment: %s", cluster.name, err)
        return ""
    value = outputs.get(output)
    if not isinstance(value, str) or not value:
        log.warning("cluster %s: %s not in deployment outputs, skipping role assignment", cluster.name, output)
        return ""
    return value


def ensure_app_group(ctx: AKSContext, clients: AzureClients, app: App, principal: str) -> str:
    """Create/retag the app resource group and grant ``principal`` Contributor on it (§7.2); returns the name."""
    rg = ctx.names.app_resource_group(app)
    try:
        group_id = azure_resources.ensure_resource_group(clients, rg, ctx.location, ctx.names.app_tags(app))
        if principal:
            ensure_role(clients, group_id, principal, ROLE_CONTRIBUTOR)
    except DriverError as err:
        raise rewrap("ensure resource group", err) from err
    return rg
