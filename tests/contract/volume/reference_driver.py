"""An in-memory provider driver implementing the whole volume contract (seed 000, seed 002).

It is written from the seed rules, not from the contract tests:

* A :class:`ReferenceCloud` holds "cloud resources" (disks, file shares,
  snapshots) in one flat list per kind, each with tags.  Membership of a
  volume is the seed's tag value ``kompox-<volName>-<idHASH>`` (``idHASH`` is
  the cluster-independent app id hash), so a driver built for another cluster
  of the same provider sees the same disks (failover).
* Every operation builds its answer from the tags, like a real cloud driver
  would: names (``kompox-disk-name``), the assigned flag
  (``kompox-disk-assigned``), the owning volume.
* Names: empty → compact id; given → used verbatim, checked against the
  contract limits; duplicates (names or handles) are errors.
* ``source`` follows :func:`kompox.domain.source.parse_source`; the handles of
  this cloud (``/reference/...``) are its provider-native ids.
* ``files`` volumes: shares, regional (empty zone), no sources, no snapshots
  (``NotSupportedError``), RWX VolumeClass without ``fsType``.

The cloud has a manual clock (:meth:`ReferenceCloud.advance`) so ordering by
creation time is testable; two creations without an ``advance`` in between
have the same timestamp.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from kompox.domain.errors import (
    CapabilityNotImplementedError,
    DriverValidationError,
    KompoxError,
    NotFoundError,
    NotSupportedError,
    ValidationError,
)
from kompox.domain.model import (
    VOLUME_TYPE_DISK,
    VOLUME_TYPE_FILES,
    App,
    AppVolume,
    Cluster,
    ClusterStatus,
    DNSRecordSet,
    NodePool,
    Provider,
    VolumeClass,
    VolumeDisk,
    VolumeSnapshot,
    Workspace,
)
from kompox.domain.naming import (
    NIL_WORKSPACE,
    new_compact_id,
    new_hashes,
    validate_optional_resource_name,
    validate_resource_name,
)
from kompox.domain.options import (
    ClusterDeprovisionOptions,
    ClusterDNSApplyOptions,
    ClusterInstallOptions,
    ClusterProvisionOptions,
    ClusterUninstallOptions,
    NodePoolCreateOptions,
    NodePoolDeleteOptions,
    NodePoolListOptions,
    NodePoolUpdateOptions,
    VolumeDiskAssignOptions,
    VolumeDiskCreateOptions,
    VolumeDiskDeleteOptions,
    VolumeDiskListOptions,
    VolumeSnapshotCreateOptions,
    VolumeSnapshotDeleteOptions,
    VolumeSnapshotListOptions,
    refuse_force,
)
from kompox.domain.ports import DriverFactory
from kompox.domain.source import Source, SourceKind, parse_source

from .reference_cloud import TAG_ASSIGNED, TAG_DISK_NAME, TAG_MEMBER, TAG_SNAPSHOT_NAME, ReferenceCloud, Resource

DRIVER_ID = "reference"
NATIVE_PREFIX = "/reference/"
DISK_CSI_DRIVER = "disk.reference.csi.kompox.dev"
FILES_CSI_DRIVER = "files.reference.csi.kompox.dev"


def _newest_first(items: list[Any]) -> list[Any]:
    """``created_at`` descending, ties by ``name`` ascending (seed 000)."""
    return sorted(items, key=lambda i: (-i.created_at.timestamp(), i.name))


class ReferenceDriver:
    """The reference implementation of the volume half of the Driver contract."""

    def __init__(self, cloud: ReferenceCloud, workspace: Workspace | None, provider: Provider) -> None:
        self.cloud = cloud
        self._workspace = workspace.name if workspace is not None else NIL_WORKSPACE
        self._provider = provider.name

    # --- identity -----------------------------------------------------------

    def id(self) -> str:
        return DRIVER_ID

    def workspace_name(self) -> str:
        return self._workspace

    def provider_name(self) -> str:
        return self._provider

    # --- cluster (outside the volume contract) --------------------------------

    def _missing(self, method: str) -> NoReturn:
        raise CapabilityNotImplementedError(method, DRIVER_ID)

    def cluster_provision(self, cluster: Cluster, opts: ClusterProvisionOptions | None = None) -> None:
        self._missing("ClusterProvision")

    def cluster_deprovision(self, cluster: Cluster, opts: ClusterDeprovisionOptions | None = None) -> None:
        self._missing("ClusterDeprovision")

    def cluster_status(self, cluster: Cluster) -> ClusterStatus:
        return ClusterStatus(existing=cluster.existing)

    def cluster_install(self, cluster: Cluster, opts: ClusterInstallOptions | None = None) -> None:
        self._missing("ClusterInstall")

    def cluster_uninstall(self, cluster: Cluster, opts: ClusterUninstallOptions | None = None) -> None:
        self._missing("ClusterUninstall")

    def cluster_kubeconfig(self, cluster: Cluster) -> bytes:
        self.cloud.calls.append("cluster_kubeconfig")
        if self.cloud.kubeconfig is None:
            self._missing("ClusterKubeconfig")
        return self.cloud.kubeconfig

    def cluster_dns_apply(
        self, cluster: Cluster, rset: DNSRecordSet, opts: ClusterDNSApplyOptions | None = None
    ) -> None:
        return None

    # --- helpers ----------------------------------------------------------------

    def _volume(self, app: App, vol_name: str) -> AppVolume:
        vol = app.find_volume(vol_name)
        if (vol.type or VOLUME_TYPE_DISK) not in (VOLUME_TYPE_DISK, VOLUME_TYPE_FILES):
            raise DriverValidationError(f"unsupported volume type: {vol.type}")
        return vol

    def _app_id(self, app: App) -> str:
        return new_hashes(self._workspace, self._provider, "", app.name).app_id

    def _member(self, app: App, vol_name: str) -> str:
        return f"kompox-{vol_name}-{self._app_id(app)}"

    @staticmethod
    def _is_files(vol: AppVolume) -> bool:
        return vol.type == VOLUME_TYPE_FILES

    def _disk_kind(self, vol: AppVolume) -> str:
        return "share" if self._is_files(vol) else "disk"

    def _disk_resources(self, app: App, vol: AppVolume) -> list[Resource]:
        return self.cloud.members([self._disk_kind(vol)], self._member(app, vol.name))

    def _snapshot_resources(self, app: App, vol: AppVolume) -> list[Resource]:
        return self.cloud.members(["snapshot"], self._member(app, vol.name))

    @staticmethod
    def _to_disk(vol_name: str, r: Resource) -> VolumeDisk:
        return VolumeDisk(
            name=r.tags[TAG_DISK_NAME],
            volume_name=vol_name,
            assigned=r.tags.get(TAG_ASSIGNED, "").lower() == "true",
            size=r.size,
            zone=r.zone,
            options=dict(r.options),
            handle=r.id,
            created_at=r.created_at,
            updated_at=r.updated_at,
            source=r.source_id,
            attached=bool(r.attached_node) if r.kind == "disk" else None,  # shares: no attachment to tell
            node=r.attached_node,
        )

    @staticmethod
    def _to_snapshot(vol_name: str, r: Resource) -> VolumeSnapshot:
        return VolumeSnapshot(
            name=r.tags[TAG_SNAPSHOT_NAME],
            volume_name=vol_name,
            size=r.size,
            handle=r.id,
            created_at=r.created_at,
            updated_at=r.updated_at,
        )

    def _new_name(self, kind: str, given: str, taken: set[str]) -> str:
        name = given.strip()
        if name:
            validate_optional_resource_name(kind, name)
            if name in taken:
                raise ValidationError(f'{kind} "{name}" already exists', field=f"{kind} name")
            return name
        while True:
            name = new_compact_id(self.cloud.now().timestamp())
            if name not in taken:
                return name

    def _handle(self, app: App, kind: str, vol_name: str, name: str) -> str:
        hashes = new_hashes(self._workspace, self._provider, "", app.name)
        return f"{NATIVE_PREFIX}{hashes.provider}/{hashes.app_id}/{kind}s/{vol_name}/{name}"

    def _add(self, resource: Resource) -> Resource:
        if self.cloud.by_id(resource.id) is not None:
            raise ValidationError(f"handle {resource.id} already exists")
        self.cloud.resources.append(resource)
        return resource

    @staticmethod
    def _native(text: str) -> str | None:
        return text if text.startswith(NATIVE_PREFIX) else None

    def _listing(self, word: str, names: Iterable[str]) -> str:
        known = ", ".join(sorted(names)) or "none"
        return f"({word}: {known})"

    def _resolve(self, app: App, vol: AppVolume, source: Source) -> Resource:
        """The resource a typed/native source points at (disk or snapshot of this volume, or any native id)."""
        if source.native:
            found = self.cloud.by_id(source.name)
            wanted = {"disk"} if source.kind is SourceKind.DISK else {"snapshot"}
            if source.kind is SourceKind.NATIVE:
                wanted = {"disk", "snapshot"}
            if found is None or found.kind not in wanted:
                raise NotFoundError(f"source resource not found: {source.name}")
            return found
        if source.kind is SourceKind.DISK:
            disks = self._disk_resources(app, vol)
            match = [r for r in disks if r.tags[TAG_DISK_NAME] == source.name]
            if not match:
                names = (r.tags[TAG_DISK_NAME] for r in disks)
                raise NotFoundError(
                    f"disk not found: {source.name} {self._listing(f'disks of volume {vol.name}', names)}"
                )
            return match[0]
        snaps = self._snapshot_resources(app, vol)
        match = [r for r in snaps if r.tags[TAG_SNAPSHOT_NAME] == source.name]
        if not match:
            names = (r.tags[TAG_SNAPSHOT_NAME] for r in snaps)
            raise NotFoundError(
                f"snapshot not found: {source.name} {self._listing(f'snapshots of volume {vol.name}', names)}"
            )
        return match[0]

    # --- disks --------------------------------------------------------------------

    def volume_disk_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeDiskListOptions | None = None
    ) -> list[VolumeDisk]:
        refuse_force(opts, "VolumeDiskList", "reference", "nothing in this operation can be forced")
        with self.cloud.lock:
            self.cloud.calls.append("volume_disk_list")
            vol = self._volume(app, vol_name)
            return _newest_first([self._to_disk(vol.name, r) for r in self._disk_resources(app, vol)])

    def volume_disk_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        disk_name: str,
        source: str,
        opts: VolumeDiskCreateOptions | None = None,
    ) -> VolumeDisk:
        refuse_force(opts, "VolumeDiskCreate", "reference", "nothing in this operation can be forced")
        with self.cloud.lock:
            self.cloud.calls.append("volume_disk_create")
            o = opts or VolumeDiskCreateOptions()
            vol = self._volume(app, vol_name)
            validate_resource_name("volume", vol.name)
            existing = self._disk_resources(app, vol)
            origin: Resource | None = None
            if self._is_files(vol):
                if source.strip():
                    raise NotSupportedError("source is not supported for files volumes")
            else:
                parsed = parse_source(source, default_kind=SourceKind.SNAPSHOT, native=self._native)
                if parsed.kind is not SourceKind.EMPTY:
                    origin = self._resolve(app, vol, parsed)
            name = self._new_name("disk", disk_name, {r.tags[TAG_DISK_NAME] for r in existing})
            options = {**(vol.options or {}), **(o.options or {})}
            if self._is_files(vol):
                options.setdefault("protocol", "smb")
                zone = ""
            else:
                zone = (o.zone or app.deployment.zone).strip()
            now = self.cloud.now()
            resource = self._add(
                Resource(
                    kind=self._disk_kind(vol),
                    id=self._handle(app, self._disk_kind(vol), vol.name, name),
                    tags={
                        TAG_MEMBER: self._member(app, vol.name),
                        TAG_DISK_NAME: name,
                        TAG_ASSIGNED: "true" if not existing else "false",
                    },
                    size=vol.size,
                    zone=zone,
                    options=options,
                    source_id=origin.id if origin is not None else "",
                    created_at=now,
                    updated_at=now,
                )
            )
            return self._to_disk(vol.name, resource)

    def volume_disk_delete(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskDeleteOptions | None = None
    ) -> None:
        with self.cloud.lock:
            self.cloud.calls.append("volume_disk_delete")
            vol = self._volume(app, vol_name)
            for r in self._disk_resources(app, vol):
                if r.tags[TAG_DISK_NAME] == disk_name:
                    self.cloud.resources.remove(r)

    def volume_disk_assign(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskAssignOptions | None = None
    ) -> None:
        refuse_force(opts, "VolumeDiskAssign", "reference", "nothing in this operation can be forced")
        with self.cloud.lock:
            self.cloud.calls.append("volume_disk_assign")
            vol = self._volume(app, vol_name)
            disks = self._disk_resources(app, vol)
            if not any(r.tags[TAG_DISK_NAME] == disk_name for r in disks):
                names = (r.tags[TAG_DISK_NAME] for r in disks)
                raise NotFoundError(
                    f"disk not found: {disk_name} {self._listing(f'disks of volume {vol.name}', names)}"
                )
            for r in disks:
                flag = "true" if r.tags[TAG_DISK_NAME] == disk_name else "false"
                if r.tags.get(TAG_ASSIGNED) != flag:
                    r.tags[TAG_ASSIGNED] = flag
                    r.updated_at = self.cloud.now()

    # --- snapshots ----------------------------------------------------------------

    def _snapshot_volume(self, app: App, vol_name: str) -> AppVolume:
        vol = self._volume(app, vol_name)
        if self._is_files(vol):
            raise NotSupportedError()
        return vol

    def volume_snapshot_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeSnapshotListOptions | None = None
    ) -> list[VolumeSnapshot]:
        refuse_force(opts, "VolumeSnapshotList", "reference", "nothing in this operation can be forced")
        with self.cloud.lock:
            self.cloud.calls.append("volume_snapshot_list")
            vol = self._snapshot_volume(app, vol_name)
            return _newest_first([self._to_snapshot(vol.name, r) for r in self._snapshot_resources(app, vol)])

    def volume_snapshot_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        source: str,
        opts: VolumeSnapshotCreateOptions | None = None,
    ) -> VolumeSnapshot:
        refuse_force(opts, "VolumeSnapshotCreate", "reference", "nothing in this operation can be forced")
        with self.cloud.lock:
            self.cloud.calls.append("volume_snapshot_create")
            vol = self._snapshot_volume(app, vol_name)
            validate_resource_name("volume", vol.name)
            parsed = parse_source(source, default_kind=SourceKind.DISK, native=self._native)
            if parsed.kind is SourceKind.EMPTY:
                disks = self._disk_resources(app, vol)
                assigned = [r for r in disks if r.tags.get(TAG_ASSIGNED, "").lower() == "true"]
                if not assigned:
                    raise NotFoundError(f'no assigned disk found for volume "{vol.name}"')
                if len(assigned) > 1:
                    raise KompoxError(
                        f'volume "{vol.name}" has {len(assigned)} assigned disks; name the source disk (disk:<name>)'
                    )
                origin = assigned[0]
            else:
                origin = self._resolve(app, vol, parsed)
            existing = self._snapshot_resources(app, vol)
            name = self._new_name("snapshot", snap_name, {r.tags[TAG_SNAPSHOT_NAME] for r in existing})
            now = self.cloud.now()
            resource = self._add(
                Resource(
                    kind="snapshot",
                    id=self._handle(app, "snapshot", vol.name, name),
                    tags={TAG_MEMBER: self._member(app, vol.name), TAG_SNAPSHOT_NAME: name},
                    size=origin.size,
                    source_id=origin.id,
                    created_at=now,
                    updated_at=now,
                )
            )
            return self._to_snapshot(vol.name, resource)

    def volume_snapshot_delete(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        opts: VolumeSnapshotDeleteOptions | None = None,
    ) -> None:
        refuse_force(opts, "VolumeSnapshotDelete", "reference", "nothing in this operation can be forced")
        with self.cloud.lock:
            self.cloud.calls.append("volume_snapshot_delete")
            vol = self._snapshot_volume(app, vol_name)
            for r in self._snapshot_resources(app, vol):
                if r.tags[TAG_SNAPSHOT_NAME] == snap_name:
                    self.cloud.resources.remove(r)

    # --- class ----------------------------------------------------------------------

    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass:
        vol_type = vol.type or VOLUME_TYPE_DISK
        if vol_type == VOLUME_TYPE_DISK:
            return VolumeClass(csi_driver=DISK_CSI_DRIVER, fs_type="ext4", access_modes=["ReadWriteOnce"])
        if vol_type == VOLUME_TYPE_FILES:
            protocol = (vol.options or {}).get("protocol")
            return VolumeClass(
                csi_driver=FILES_CSI_DRIVER,
                attributes={"protocol": protocol if isinstance(protocol, str) and protocol else "smb"},
                access_modes=["ReadWriteMany"],
            )
        raise DriverValidationError(f"unsupported volume type: {vol.type}")

    # --- node pools (outside the volume contract) ----------------------------------

    def node_pool_list(self, cluster: Cluster, opts: NodePoolListOptions | None = None) -> list[NodePool]:
        self._missing("NodePoolList")

    def node_pool_create(self, cluster: Cluster, pool: NodePool, opts: NodePoolCreateOptions | None = None) -> NodePool:
        self._missing("NodePoolCreate")

    def node_pool_update(self, cluster: Cluster, pool: NodePool, opts: NodePoolUpdateOptions | None = None) -> NodePool:
        self._missing("NodePoolUpdate")

    def node_pool_delete(self, cluster: Cluster, pool_name: str, opts: NodePoolDeleteOptions | None = None) -> None:
        self._missing("NodePoolDelete")


def reference_factory(cloud: ReferenceCloud) -> DriverFactory:
    """A registry factory whose drivers all share ``cloud``."""

    def factory(workspace: Workspace | None, provider: Provider) -> ReferenceDriver:
        return ReferenceDriver(cloud, workspace, provider)

    return factory
