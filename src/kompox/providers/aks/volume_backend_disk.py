"""Azure Managed Disk backend (``type = "disk"``, driver-aks.md §11, §14).

Disks and snapshots live in the app resource group and belong to a volume
through the tag ``kompox-volume`` (plain volume name, upstream encoding), so
any cluster of the same provider sees the same items.  The assigned disk is
the one tagged ``kompox-disk-assigned=true``.
"""

from __future__ import annotations

import time
from typing import Any

from kompox.domain.errors import DriverError, DriverValidationError, NotFoundError, ProviderAPIError
from kompox.domain.model import App, AppVolume, Cluster, VolumeClass, VolumeDisk, VolumeSnapshot
from kompox.domain.naming import new_compact_id
from kompox.domain.options import VolumeDiskCreateOptions
from kompox.domain.source import SourceKind
from kompox.providers.aks import azure_compute, volume_source
from kompox.providers.aks.arm_template import OUT_AKS_CLUSTER_PRINCIPAL_ID
from kompox.providers.aks.azure_compute import Kind
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.context import AKSContext
from kompox.providers.aks.naming import (
    TAG_DISK_ASSIGNED,
    TAG_DISK_NAME,
    TAG_SNAPSHOT_NAME,
    TAG_VOLUME_NAME,
    bool_text,
)
from kompox.providers.aks.resource_id import resource_group_of
from kompox.providers.aks.span import Deadline, log
from kompox.providers.aks.volume_common import (
    GIB,
    LIST_TIMEOUT,
    SOURCE_TIMEOUT,
    WRITE_TIMEOUT,
    BoundBackend,
    as_utc,
    assignment_writes,
    check_names,
    ensure_app_group,
    mapped_newest_first,
    not_found,
    principal_id,
    sort_newest_first,
    text,
)

DISK_SKUS: tuple[str, ...] = (
    "Standard_LRS",
    "Premium_LRS",
    "StandardSSD_LRS",
    "UltraSSD_LRS",
    "Premium_ZRS",
    "StandardSSD_ZRS",
    "PremiumV2_LRS",
)
DEFAULT_DISK_SKU = "Premium_LRS"
PERFORMANCE_SKUS: tuple[str, ...] = ("PremiumV2_LRS", "UltraSSD_LRS")
"""SKUs whose IOPS/MBps are set per disk, and whose snapshots must be incremental (copied in the background)."""
SNAPSHOT_COPY_TIMEOUT = 15 * 60.0
"""How long a restore waits for the background copy of an incremental snapshot (it continues in Azure)."""
SNAPSHOT_POLL_INTERVAL = 10.0


def _number(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def disk_settings(options: dict[str, Any]) -> dict[str, Any]:
    """``sku`` (unknown values fall back to ``Premium_LRS`` as upstream), ``iops`` and ``mbps`` (§11.4)."""
    sku = options.get("sku")
    if not (isinstance(sku, str) and sku in DISK_SKUS):
        if sku not in (None, ""):
            log.warning("disk sku %r is not one of %s; using %s", sku, ", ".join(DISK_SKUS), DEFAULT_DISK_SKU)
        sku = DEFAULT_DISK_SKU
    result: dict[str, Any] = {"sku": sku}
    for key in ("iops", "mbps"):
        number = _number(options.get(key))
        if number is not None:
            if sku not in PERFORMANCE_SKUS:
                raise DriverValidationError(
                    f"options.{key} is only valid with sku {' or '.join(PERFORMANCE_SKUS)}, "
                    f"the disk sku is {sku} (remove {key} or change the sku)",
                    field=f"options.{key}",
                )
            result[key] = number
    return result


def needs_incremental(source: Any) -> bool:
    """A snapshot of a Premium SSD v2 / Ultra disk (or of such a snapshot) must be incremental."""
    sku = text(getattr(getattr(source, "sku", None), "name", None))
    if text(getattr(source, "type", None)).lower().endswith("/snapshots"):
        return bool(getattr(source, "incremental", None))
    return sku in PERFORMANCE_SKUS


def wait_for_copy(ctx: AKSContext, clients: AzureClients, rg: str, source: Any, name: str) -> Any:
    """Wait (bounded, with progress) until a snapshot's background copy is complete; returns the snapshot.

    Incremental snapshots of Premium SSD v2 / Ultra disks cannot be used as a
    source before ``completionPercent`` reaches 100.  Snapshots in another
    resource group (native ids) are waited on the same way.
    """
    percent = getattr(source, "completion_percent", None)
    if percent is None or percent >= 100:
        return source
    report = ctx.progress or log.info
    resource = text(getattr(source, "name", None))
    group = resource_group_of(text(getattr(source, "id", None))) or rg
    deadline = Deadline(SNAPSHOT_COPY_TIMEOUT, f"wait for snapshot {resource}")
    started = time.monotonic()
    while percent is not None and percent < 100:
        if deadline.remaining() <= 0:
            raise ProviderAPIError(
                f"disk {name}: snapshot {resource} is still being copied in the background ({percent:g}%) after "
                f"{SNAPSHOT_COPY_TIMEOUT:.0f}s; the copy continues in Azure, run the command again later"
            )
        report(f"snapshot {resource}: background copy {percent:g}% ({time.monotonic() - started:.0f}s)")
        time.sleep(min(SNAPSHOT_POLL_INTERVAL, deadline.remaining()))
        fresh = azure_compute.get_item(clients, "snapshot", group, resource)
        if fresh is None:
            raise NotFoundError(f"disk {name}: snapshot {resource} disappeared while its copy was awaited")
        source, percent = fresh, getattr(fresh, "completion_percent", None)
    report(f"snapshot {resource}: background copy complete")
    return source


def node_of_vm(vm_id: str) -> str:
    """The Kubernetes node name of an AKS VM id.

    A scale-set instance ``…/virtualMachineScaleSets/<vmss>/virtualMachines/<n>``
    is node ``<vmss>`` + ``<n>`` in base 36, six digits (AKS computer names);
    any other VM id gives its last segment.
    """
    parts = vm_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    if "virtualmachinescalesets" in lowered and len(parts) >= 2 and lowered[-2] == "virtualmachines":
        vmss = parts[lowered.index("virtualmachinescalesets") + 1]
        if parts[-1].isdigit():
            return f"{vmss}{_base36(int(parts[-1])).rjust(6, '0')}"
    return parts[-1] if parts else vm_id


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def azure_zone(zone: str) -> str:
    """Kompox zone (``japaneast-1``) → Azure zone (``1``); bare values unchanged (§15.1 rule)."""
    zone = zone.strip()
    return zone.rsplit("-", 1)[-1] if "-" in zone else zone


def to_disk(item: Any, vol_name: str) -> VolumeDisk | None:
    """Map an Azure disk (§11.1); ``None`` when it is not a Kompox disk of ``vol_name``."""
    tags = getattr(item, "tags", None) or {}
    name = tags.get(TAG_DISK_NAME)
    if not name or tags.get(TAG_VOLUME_NAME) != vol_name:
        return None
    options: dict[str, Any] = {}
    sku = text(getattr(getattr(item, "sku", None), "name", None))
    if sku:
        options["sku"] = sku
    for key, attr in (("iops", "disk_iops_read_write"), ("mbps", "disk_m_bps_read_write")):
        value = getattr(item, attr, None)
        if value is not None:
            options[key] = value
    created = as_utc(getattr(item, "time_created", None))
    zones = getattr(item, "zones", None) or []
    holder = text(getattr(item, "managed_by", None))
    return VolumeDisk(
        name=name,
        volume_name=vol_name,
        assigned=str(tags.get(TAG_DISK_ASSIGNED, "")).lower() == "true",
        size=int(getattr(item, "disk_size_gb", None) or 0) * GIB,
        zone=str(zones[0]) if zones else "",
        options=options,
        handle=text(getattr(item, "id", None)),
        created_at=created,
        updated_at=created,
        source=text(getattr(getattr(item, "creation_data", None), "source_resource_id", None)),
        creating=disk_in_creation(item),
        attached=bool(holder) or text(getattr(item, "disk_state", None)) in ATTACHED_STATES,
        node=node_of_vm(holder) if holder else "",
    )


ATTACHED_STATES = frozenset({"Attached", "Reserved"})
"""``diskState`` values of a disk held by a VM (Reserved: its VM is stopped-deallocated)."""

CREATING_STATES = frozenset({"creating", "updating"})


def disk_in_creation(item: Any) -> bool:
    """Still being made: ``provisioningState`` Creating/Updating, or a background copy below 100 %."""
    state = text(getattr(item, "provisioning_state", None)).lower()
    percent = getattr(item, "completion_percent", None)
    return state in CREATING_STATES or (isinstance(percent, (int, float)) and percent < 100)


def to_snapshot(item: Any, vol_name: str) -> VolumeSnapshot | None:
    """Map an Azure snapshot (§11.7), filtered by ``kompox-volume`` (divergence #3)."""
    tags = getattr(item, "tags", None) or {}
    name = tags.get(TAG_SNAPSHOT_NAME)
    if not name or tags.get(TAG_VOLUME_NAME) != vol_name:
        return None
    created = as_utc(getattr(item, "time_created", None))
    return VolumeSnapshot(
        name=name,
        volume_name=vol_name,
        size=int(getattr(item, "disk_size_gb", None) or 0) * GIB,
        handle=text(getattr(item, "id", None)),
        created_at=created,
        updated_at=created,
    )


class DiskBackend(BoundBackend):
    # listing
    def _disks(self, ctx: AKSContext, clients: AzureClients, app: App, vol_name: str) -> list[tuple[VolumeDisk, Any]]:
        items = azure_compute.list_items(clients, "disk", ctx.names.app_resource_group(app))
        return mapped_newest_first(items, lambda item: to_disk(item, vol_name))

    def disk_list(self, cluster: Cluster, app: App, vol_name: str) -> list[VolumeDisk]:
        ctx = self._bound("VolumeDiskList")
        check_names(vol_name)
        app.find_volume(vol_name)
        return [d for d, _ in self._disks(ctx, ctx.clients.bounded(LIST_TIMEOUT), app, vol_name)]

    def snapshot_list(self, cluster: Cluster, app: App, vol_name: str) -> list[VolumeSnapshot]:
        ctx = self._bound("VolumeSnapshotList")
        check_names(vol_name)
        app.find_volume(vol_name)
        clients = ctx.clients.bounded(LIST_TIMEOUT)
        items = azure_compute.list_items(clients, "snapshot", ctx.names.app_resource_group(app))
        return sort_newest_first([s for s in (to_snapshot(i, vol_name) for i in items) if s is not None])

    # creation
    def disk_create(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, source: str, opts: VolumeDiskCreateOptions
    ) -> VolumeDisk:
        ctx = self._bound("VolumeDiskCreate")
        disk_name = disk_name.strip()
        check_names(vol_name, "disk", disk_name, optional=True)
        vol = app.find_volume(vol_name)
        parsed = volume_source.parse(source, SourceKind.SNAPSHOT)
        settings = disk_settings({**(vol.options or {}), **(opts.options or {})})
        zone = azure_zone(opts.zone or app.deployment.zone)
        clients = ctx.clients.bounded(WRITE_TIMEOUT)
        deadline = Deadline(WRITE_TIMEOUT, "disk create")

        rg = ctx.names.app_resource_group(app)
        name, resource, first = _new_item(ctx, clients, app, vol_name, "disk", disk_name)
        source_id, source_item = "", None
        if parsed.kind != SourceKind.EMPTY:
            source_id, source_item = volume_source.resolve_item(
                ctx, clients.bounded(SOURCE_TIMEOUT), app, vol_name, parsed, "disk"
            )
        size_gb = restore_size_gb(ctx, name, requested_size_gb(ctx, vol.name, vol.size), source_item)
        if source_item is not None:
            wait_for_copy(ctx, clients, rg, source_item, name)

        principal = principal_id(ctx, clients, cluster, OUT_AKS_CLUSTER_PRINCIPAL_ID)
        ensure_app_group(ctx, clients, app, principal)
        creation = {"createOption": "Copy", "sourceResourceId": source_id} if source_id else {"createOption": "Empty"}
        properties: dict[str, Any] = {"creationData": creation, "diskSizeGB": size_gb}
        if "iops" in settings:
            properties["diskIOPSReadWrite"] = settings["iops"]
        if "mbps" in settings:
            properties["diskMBpsReadWrite"] = settings["mbps"]
        body: dict[str, Any] = {
            "location": ctx.location,
            "tags": ctx.names.disk_tags(app, vol_name, name, assigned=first),
            "sku": {"name": settings["sku"]},
            "properties": properties,
        }
        if zone:
            body["zones"] = [zone]
        result = azure_compute.create_item(clients, "disk", rg, resource, body, deadline, ctx.progress)
        disk = to_disk(result, vol_name)
        if disk is None:
            raise DriverError(f"create VolumeDisk from disk: disk {resource} came back without Kompox tags")
        return disk

    def snapshot_create(self, cluster: Cluster, app: App, vol_name: str, snap_name: str, source: str) -> VolumeSnapshot:
        ctx = self._bound("VolumeSnapshotCreate")
        snap_name = snap_name.strip()
        check_names(vol_name, "snapshot", snap_name, optional=True)
        app.find_volume(vol_name)
        parsed = volume_source.parse(source, SourceKind.DISK)
        clients = ctx.clients.bounded(WRITE_TIMEOUT)
        deadline = Deadline(WRITE_TIMEOUT, "snapshot create")

        rg = ctx.names.app_resource_group(app)
        name, resource, _first = _new_item(ctx, clients, app, vol_name, "snapshot", snap_name)
        source_item: Any | None
        if parsed.kind == SourceKind.EMPTY:
            disk, source_item = self._assigned_disk(ctx, clients, app, vol_name)
            source_id = disk.handle
        else:
            source_id, source_item = volume_source.resolve_item(
                ctx, clients.bounded(SOURCE_TIMEOUT), app, vol_name, parsed, "snapshot"
            )

        principal = principal_id(ctx, clients, cluster, OUT_AKS_CLUSTER_PRINCIPAL_ID)
        ensure_app_group(ctx, clients, app, principal)
        properties: dict[str, Any] = {"creationData": {"createOption": "Copy", "sourceResourceId": source_id}}
        if source_item is not None and needs_incremental(source_item):
            properties["incremental"] = True  # Premium SSD v2 / Ultra disks support only incremental snapshots
        body = {
            "location": ctx.location,
            "tags": ctx.names.snapshot_tags(app, vol_name, name),
            "properties": properties,
        }
        result = azure_compute.create_item(clients, "snapshot", rg, resource, body, deadline, ctx.progress)
        snapshot = to_snapshot(result, vol_name)
        if snapshot is None:
            raise DriverError(f"create VolumeSnapshot from snapshot: snapshot {resource} came back without Kompox tags")
        return snapshot

    def _assigned_disk(self, ctx: AKSContext, clients: AzureClients, app: App, vol_name: str) -> tuple[VolumeDisk, Any]:
        assigned = [(d, raw) for d, raw in self._disks(ctx, clients, app, vol_name) if d.assigned]
        if not assigned:
            raise NotFoundError(f'no assigned disk found for volume "{vol_name}"')
        if len(assigned) > 1:
            names = ", ".join(sorted(d.name for d, _ in assigned))
            raise DriverError(
                f'volume "{vol_name}" has {len(assigned)} assigned disks ({names}); '
                "run disk assign to choose one, or name the source disk"
            )
        return assigned[0]

    # assignment and deletion
    def disk_assign(self, cluster: Cluster, app: App, vol_name: str, disk_name: str) -> None:
        """Mark ``disk_name`` assigned and every other disk unassigned; only changed disks are written.

        The target is written first, so an interrupted run leaves the wanted
        disk assigned (possibly beside the old one); re-running repairs it.
        """
        ctx = self._bound("VolumeDiskAssign")
        check_names(vol_name, "disk", disk_name)
        app.find_volume(vol_name)
        clients = ctx.clients.bounded(WRITE_TIMEOUT)
        deadline = Deadline(WRITE_TIMEOUT, "disk assign")
        rg = ctx.names.app_resource_group(app)
        pairs = self._disks(ctx, clients, app, vol_name)
        for item, wanted in assignment_writes(pairs, "disk", disk_name, vol_name):
            resource = text(getattr(item, "name", None))
            fresh = azure_compute.get_item(clients, "disk", rg, resource)
            if fresh is None:
                if wanted:
                    raise not_found("disk", disk_name, vol_name, [d.name for d, _ in pairs if d.name != disk_name])
                continue
            tags = dict(getattr(fresh, "tags", None) or {})
            tags[TAG_DISK_ASSIGNED] = bool_text(wanted)
            azure_compute.update_tags(clients, "disk", rg, resource, tags, deadline, ctx.progress)

    def disk_delete(self, cluster: Cluster, app: App, vol_name: str, disk_name: str) -> None:
        self._delete("VolumeDiskDelete", "disk", app, vol_name, disk_name)

    def snapshot_delete(self, cluster: Cluster, app: App, vol_name: str, snap_name: str) -> None:
        self._delete("VolumeSnapshotDelete", "snapshot", app, vol_name, snap_name)

    def _delete(self, method: str, kind: Kind, app: App, vol_name: str, name: str) -> None:
        """Delete by the derived resource name; absent items (or group) are success."""
        ctx = self._bound(method)
        check_names(vol_name, kind, name)
        app.find_volume(vol_name)
        resource = _resource_name(ctx, app, vol_name, kind, name)
        clients = ctx.clients.bounded(WRITE_TIMEOUT)
        rg = ctx.names.app_resource_group(app)
        if kind == "disk":
            current = azure_compute.get_item(clients, kind, rg, resource)
            if current is None:
                return  # absent disk (or group): nothing to delete
            holder = text(getattr(current, "managed_by", None))
            if holder:
                raise DriverError(
                    f"disk {name} is attached to node {node_of_vm(holder)} (VM {holder}); Azure refuses to delete "
                    f"an attached disk: stop the app using volume {vol_name} first (kompoxops app destroy)"
                )
        azure_compute.delete_item(clients, kind, rg, resource, Deadline(WRITE_TIMEOUT, f"{kind} delete"), ctx.progress)

    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass:
        """Azure Disk CSI opinion (§11.11)."""
        return VolumeClass(
            storage_class_name="managed-csi",
            csi_driver="disk.csi.azure.com",
            fs_type="ext4",
            attributes={"fsType": "ext4"},
            access_modes=["ReadWriteOnce"],
            reclaim_policy="Retain",
            volume_mode="Filesystem",
        )


def requested_size_gb(ctx: AKSContext, vol_name: str, size: int) -> int:
    """The volume size in whole GiB (Azure's unit), rounded UP and at least 1, never down.

    A 1.5 GiB volume gets a 2 GiB disk (seed 000: the volume size is a minimum); when the size
    is not a whole GiB the rounding is reported on the progress channel (else logged).
    """
    size_gb = max(1, -(-size // GIB))
    if size > 0 and size % GIB:
        say(ctx, f'volume "{vol_name}": size {size} bytes is not a whole GiB; the disk is rounded up to {size_gb} GiB')
    return size_gb


def say(ctx: AKSContext, message: str) -> None:
    if ctx.progress is not None:
        ctx.progress(message)
    else:
        log.warning(message)


def restore_size_gb(ctx: AKSContext, name: str, requested_gb: int, source: Any | None) -> int:
    """``max(requested, source size)``: Azure never creates a disk smaller than its source (a size on a
    Copy is a resize, and resizes only grow).  A larger source is reported on the progress channel."""
    source_gb = int(getattr(source, "disk_size_gb", None) or 0) if source is not None else 0
    if source_gb <= requested_gb:
        return requested_gb
    message = (
        f"disk {name}: the source ({text(getattr(source, 'name', None))}) is {source_gb} GiB, larger than the "
        f"volume size {requested_gb} GiB; creating the disk with {source_gb} GiB"
    )
    if ctx.progress is not None:
        ctx.progress(message)
    else:
        log.warning(message)
    return source_gb


def _resource_name(ctx: AKSContext, app: App, vol_name: str, kind: Kind, name: str) -> str:
    return ctx.names.disk_name(app, vol_name, name) if kind == "disk" else ctx.names.snapshot_name(app, vol_name, name)


def _new_item(
    ctx: AKSContext, clients: AzureClients, app: App, vol_name: str, kind: Kind, wanted: str
) -> tuple[str, str, bool]:
    """``(name, Azure resource name, first of the volume)`` for a new disk/snapshot (``wanted`` empty = generate).

    Refuses a name the volume already has, and an Azure resource of that name
    that is not this volume's item (it would be overwritten).
    """
    convert = to_disk if kind == "disk" else to_snapshot
    raw = azure_compute.list_items(clients, kind, ctx.names.app_resource_group(app))
    existing = [item for item in (convert(i, vol_name) for i in raw) if item is not None]
    name = wanted or new_compact_id()
    if any(item.name == name for item in existing):
        raise DriverValidationError(f'{kind} "{name}" already exists in volume "{vol_name}"')
    resource = _resource_name(ctx, app, vol_name, kind, name)
    for item in raw:
        if text(getattr(item, "name", None)).lower() == resource.lower():
            raise DriverValidationError(
                f'{kind} "{name}": Azure resource {resource} already exists and belongs to another '
                f"volume or to no Kompox {kind} (choose another name)"
            )
    return name, resource, not existing
