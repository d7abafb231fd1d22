"""The ``source`` of disk and snapshot creation on AKS (seed 000, drivers.md §9, driver-aks.md §14).

Parsing happens before any cloud call (:func:`parse`); resolution to an
Azure resource id happens afterwards (:func:`resolve`).  Provider-native ids
are ``/subscriptions/…`` or the prefixes ``arm:`` / ``resourceId:``; when
such an id names a managed disk or snapshot, its region is checked against
the driver's location (seed 000: "snapshot must be in the same region as the
disk").
"""

from __future__ import annotations

from typing import Any

from kompox.domain.errors import DriverValidationError, NotFoundError
from kompox.domain.model import App
from kompox.domain.naming import validate_resource_name
from kompox.domain.source import Source, SourceKind, parse_source
from kompox.providers.aks import azure_compute
from kompox.providers.aks.azure_compute import COMPUTE_NAMESPACE, RESOURCE_TYPES, Kind
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.context import AKSContext
from kompox.providers.aks.naming import TAG_DISK_NAME, TAG_SNAPSHOT_NAME, TAG_VOLUME_NAME
from kompox.providers.aks.resource_id import parse_resource_id
from kompox.providers.aks.volume_common import not_found, text

NATIVE_PREFIXES: tuple[str, ...] = ("arm", "resourceId")
_NATIVE_MATCH: tuple[tuple[str, int], ...] = (("arm:", 4), ("resourceid:", 11))


def native_id(value: str) -> str | None:
    """The Azure resource id inside ``value`` when it is provider-native, else ``None`` (case-insensitive)."""
    lowered = value.lower()
    if lowered.startswith("/subscriptions/"):
        return value
    for prefix, cut in _NATIVE_MATCH:
        if lowered.startswith(prefix):
            return value[cut:]
    return None


def parse(source: str, default_kind: SourceKind) -> Source:
    """Syntax and name checks only; raises ``ValidationError`` for unknown prefixes or bad names."""
    parsed = parse_source(source, default_kind=default_kind, native=native_id, native_prefixes=NATIVE_PREFIXES)
    if parsed.kind in (SourceKind.DISK, SourceKind.SNAPSHOT) and not parsed.native:
        validate_resource_name(parsed.kind.value, parsed.name)
    return parsed


def resolve(ctx: AKSContext, clients: AzureClients, app: App, vol_name: str, source: Source, target: Kind) -> str:
    """The Azure resource id to copy from (``createOption: Copy``)."""
    return resolve_item(ctx, clients, app, vol_name, source, target)[0]


def resolve_item(
    ctx: AKSContext, clients: AzureClients, app: App, vol_name: str, source: Source, target: Kind
) -> tuple[str, Any | None]:
    """``(resource id, source disk/snapshot as Azure returned it)``; the item is ``None`` for non-Compute ids."""
    if source.native:
        return source.name, check_native(ctx, clients, source.name, target)
    kind: Kind = "disk" if source.kind == SourceKind.DISK else "snapshot"
    rg = ctx.names.app_resource_group(app)
    resource = (
        ctx.names.disk_name(app, vol_name, source.name)
        if kind == "disk"
        else ctx.names.snapshot_name(app, vol_name, source.name)
    )
    item = azure_compute.get_item(clients, kind, rg, resource)
    if item is None:
        raise _unknown(ctx, clients, app, vol_name, kind, source.name)
    item_id = text(getattr(item, "id", None))
    if not item_id:
        raise NotFoundError(f'{kind} "{source.name}" has no resource ID')
    return item_id, item


def check_native(ctx: AKSContext, clients: AzureClients, resource_id: str, target: Kind) -> Any | None:
    """A native managed disk or snapshot must exist and live in the driver's region; other ids pass through.

    Returns the disk or snapshot (``None`` for ids of other resource types).
    """
    rid = parse_resource_id(resource_id)
    kind = RESOURCE_TYPES.get(rid.type.lower())
    if rid.namespace.lower() != COMPUTE_NAMESPACE.lower() or kind is None:
        return None
    item = azure_compute.get_by_id(clients, kind, rid.subscription_id, rid.resource_group, rid.name)
    if item is None:
        raise NotFoundError(f"source {kind} not found: {resource_id}")
    location = text(getattr(item, "location", None)).replace(" ", "").lower()
    if location and location != ctx.location:
        raise DriverValidationError(
            f"{kind} must be in the same region as the {target}: {resource_id} is in {location}, "
            f"the {target} is created in {ctx.location}"
        )
    return item


def _unknown(ctx: AKSContext, clients: AzureClients, app: App, vol_name: str, kind: Kind, name: str) -> NotFoundError:
    """``<kind> not found`` listing the Kompox names of this volume's items."""
    name_tag = TAG_DISK_NAME if kind == "disk" else TAG_SNAPSHOT_NAME
    names = []
    for item in azure_compute.list_items(clients, kind, ctx.names.app_resource_group(app)):
        tags = getattr(item, "tags", None) or {}
        if tags.get(TAG_VOLUME_NAME) == vol_name and tags.get(name_tag):
            names.append(tags[name_tag])
    return not_found(kind, name, vol_name, names)
