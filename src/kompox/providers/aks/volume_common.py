"""Helpers shared by the AKS volume backends (driver-aks.md §7, §10–12, §17).

Deadlines, name checks, the context binding of a backend, the newest-first
order, the assignment plan, the cluster identity read from the deployment
outputs, the app resource group with its Contributor grant, and the error
texts for unknown disks and snapshots.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

from kompox.domain.errors import CapabilityNotImplementedError, DriverError, NotFoundError
from kompox.domain.model import App, Cluster, VolumeDisk
from kompox.domain.naming import validate_optional_resource_name, validate_resource_name
from kompox.providers.aks import azure_aks, azure_resources
from kompox.providers.aks.azure_roles import ROLE_CONTRIBUTOR, ensure_role
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.context import AKSContext
from kompox.providers.aks.span import rewrap

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


T = TypeVar("T")


def newest_first_key(item: Any) -> tuple[float, str]:
    """Sort key: ``created_at`` descending (missing = the epoch), ties by ``name`` ascending."""
    created = item.created_at
    return (-(created.timestamp() if created is not None else 0.0), item.name)


def sort_newest_first(items: Iterable[T]) -> list[T]:
    """Disks or snapshots, ``created_at`` descending, ties (and missing times) by ``name`` ascending."""
    return sorted(items, key=newest_first_key)


def mapped_newest_first(items: Iterable[Any], convert: Callable[[Any], T | None]) -> list[tuple[T, Any]]:
    """``(converted, raw)`` for each raw SDK item ``convert`` recognises (not ``None``), newest first."""
    pairs = [(c, item) for item in items if (c := convert(item)) is not None]
    return sorted(pairs, key=lambda pair: newest_first_key(pair[0]))


def assignment_writes(
    pairs: list[tuple[VolumeDisk, Any]], kind: str, disk_name: str, vol_name: str
) -> list[tuple[Any, bool]]:
    """The ``(raw item, wanted flag)`` writes that make ``disk_name`` the only assigned one.

    Target first (an interrupted run leaves the wanted disk assigned), then the
    others; disks whose flag is already right are left out.  An unknown
    ``disk_name`` is ``NotFoundError`` naming the volume's items of ``kind``.
    """
    if not any(d.name == disk_name for d, _ in pairs):
        raise not_found(kind, disk_name, vol_name, [d.name for d, _ in pairs])
    ordered = [p for p in pairs if p[0].name == disk_name] + [p for p in pairs if p[0].name != disk_name]
    return [(item, disk.name == disk_name) for disk, item in ordered if disk.assigned != (disk.name == disk_name)]


class BoundBackend:
    """A volume backend bound to the driver's :class:`AKSContext`; unbound, cloud methods are not implemented."""

    def __init__(self, ctx: AKSContext | None = None) -> None:
        self._ctx = ctx

    def _bound(self, method: str) -> AKSContext:
        if self._ctx is None:
            raise CapabilityNotImplementedError(method, "aks")
        return self._ctx


def not_found(kind: str, name: str, vol_name: str, existing: Iterable[str]) -> NotFoundError:
    names = sorted(existing)
    listing = ", ".join(names) if names else "none"
    return NotFoundError(f'{kind} not found: {name} (volume "{vol_name}" has {kind}s: {listing})')


def principal_id(ctx: AKSContext, clients: AzureClients, cluster: Cluster, output: str) -> str:
    """A principal id from the cluster's deployment outputs; required (never a disk without its role).

    A running or failed provisioning (no outputs), an absent deployment or a
    missing output is an error, raised before anything is created.
    """
    try:
        outputs = azure_aks.deployment_outputs(clients, ctx.names.deployment_name(cluster))
    except DriverError as err:
        raise rewrap(f"cluster {cluster.name}: read deployment outputs", err) from err
    value = outputs.get(output)
    if not isinstance(value, str) or not value:
        raise DriverError(
            f"cluster {cluster.name}: {output} is missing from the deployment outputs "
            "(run cluster provision to complete the cluster)"
        )
    return value


def ensure_app_group(ctx: AKSContext, clients: AzureClients, app: App, principal: str) -> str:
    """Create/retag the app resource group and grant ``principal`` Contributor on it (§7.2); returns the name."""
    rg = ctx.names.app_resource_group(app)
    try:
        group_id = azure_resources.ensure_resource_group(clients, rg, ctx.location, ctx.names.app_tags(app))
        ensure_role(clients, group_id, principal, ROLE_CONTRIBUTOR)
    except DriverError as err:
        raise rewrap("ensure resource group", err) from err
    return rg
