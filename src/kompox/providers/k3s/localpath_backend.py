"""The K3s ``localpath`` volume backend: ``disk`` volumes as directories on one node (RWO).

A disk is ``<base>/<app dir>/<volume>/disks/<name>`` on its node, a snapshot
``<base>/<app dir>/<volume>/snapshots/<name>.tar`` on the node of the disk it
was taken from, with its SHA-256 in the record.  Helper pods
(:mod:`~kompox.providers.k3s.helper_pod`) do all the file work; records
(:mod:`~kompox.providers.k3s.localpath_records`) live in the cluster.

``source`` (seed 000 grammar): ``snapshot:<name>`` (or a bare name) restores
an archive on its node after checking its SHA-256; ``disk:<name>`` copies a
disk on its node; a ``localpath://`` handle names either directly.  Creation
never leaves a half-made disk: a failure removes the directory (helper pod)
and the record.

:meth:`LocalPathBackend.snapshot_transfer` copies a snapshot's archive to a
node of another cluster (``app move`` between K3s clusters) with a held
helper pod on each node and :func:`~kompox.providers.k3s.localpath_transfer.pipe_archive`;
only after the target checked the SHA-256 is its snapshot record written.
Both pods are deleted at the end.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kompox.domain.errors import (
    DataCorruptError,
    DriverValidationError,
    KompoxError,
    NotFoundError,
    NotSupportedError,
    VolumeConflictError,
)
from kompox.domain.model import (
    VOLUME_TYPE_DISK,
    VOLUME_TYPE_FILES,
    App,
    AppVolume,
    Cluster,
    VolumeClass,
    VolumeDisk,
    VolumeSnapshot,
)
from kompox.domain.naming import new_compact_id, new_hashes, validate_optional_resource_name, validate_resource_name
from kompox.domain.source import Source, SourceKind, parse_source
from kompox.providers.k3s.localpath_nodes import NodeInfo, check_usable, choose_node, node_info
from kompox.providers.k3s.localpath_records import (
    HANDLE_SCHEME,
    KIND_DISK,
    KIND_SNAPSHOT,
    STATE_READY,
    Record,
    RecordStore,
    with_state,
)
from kompox.providers.k3s.localpath_settings import LocalPathSettings, localpath_settings
from kompox.providers.k3s.localpath_transfer import pipe_archive

if TYPE_CHECKING:
    from kompox.domain.options import VolumeDiskCreateOptions
    from kompox.kube.client import KubeClient
    from kompox.providers.k3s.helper_pod import HelperPods

log = logging.getLogger("kompox.providers.k3s")

STORAGE_CLASS = "kompox-localpath"


def _native(value: str) -> str | None:
    return value if value.startswith(HANDLE_SCHEME) else None


def _not_found(kind: str, name: str, vol_name: str, records: list[Record]) -> NotFoundError:
    names = sorted(r.name for r in records)
    return NotFoundError(f'{kind} not found: {name} (volume "{vol_name}" has {kind}s: {", ".join(names) or "none"})')


class _Session:
    """Everything one volume operation needs: the client, settings, records and helper pods."""

    def __init__(self, backend: LocalPathBackend, cluster: Cluster) -> None:
        self.settings: LocalPathSettings = localpath_settings(cluster)
        self.kube: KubeClient = backend.kube_for(cluster)
        from kompox.providers.k3s.helper_pod import HelperPods, HelperSettings  # only once a cluster is reached

        self.records = RecordStore(self.kube, self.settings.namespace)
        self.helpers: HelperPods = HelperPods(
            self.kube,
            HelperSettings(self.settings.namespace, self.settings.image, self.settings.timeout),
            sleep=backend.sleep,
            clock=backend.monotonic,
            progress=backend.progress,
        )

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kube.close()

    def node(self, name: str) -> NodeInfo | None:
        from kompox.kube import resources as res

        obj = self.kube.get(res.BUILTIN[("v1", "Node")], name)
        return None if obj is None else node_info(obj)

    def nodes(self) -> list[NodeInfo]:
        from kompox.kube import resources as res

        return [node_info(o) for o in self.kube.list_objects(res.BUILTIN[("v1", "Node")])]


class LocalPathBackend:
    """The seven volume methods plus ``volume_class`` for ``disk`` volumes on K3s."""

    def __init__(
        self,
        kube_for: Callable[[Cluster], KubeClient],
        names: Callable[[App], tuple[str, str]],
        *,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], None] | None = None,
        monotonic: Callable[[], float] | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.kube_for = kube_for
        self._names = names  # app → (app id hash, app directory)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.sleep = sleep or time.sleep
        self.monotonic = monotonic or time.monotonic
        self.progress = progress

    # --- helpers -----------------------------------------------------------------

    def _volume(self, app: App, vol_name: str, kind: str = "", name: str = "", *, optional: bool = False) -> AppVolume:
        validate_resource_name("volume", vol_name)
        if kind:
            (validate_optional_resource_name if optional else validate_resource_name)(kind, name)
        vol = app.find_volume(vol_name)
        check_type(vol)
        return vol

    def _new_record(
        self, kind: str, app: App, vol_name: str, name: str, node: str, hostname: str, base: str, **rest: Any
    ) -> Record:
        """The record of a new disk or snapshot ``name``: its path under ``base`` follows from app, volume and kind."""
        app_id, app_dir = self._names(app)
        rel = f"{vol_name}/disks/{name}" if kind == KIND_DISK else f"{vol_name}/snapshots/{name}.tar"
        return Record(
            kind=kind,
            app_id=app_id,
            volume=vol_name,
            name=name,
            node=node,
            hostname=hostname,
            base=base,
            rel=f"{app_dir}/{rel}",
            created_at=self.clock(),
            **rest,
        )

    def _source(self, ws: _Session, app: App, vol_name: str, source: Source, existing_disks: list[Record]) -> Record:
        """The ready record ``source`` names (snapshot or disk of this volume, or any record by handle)."""
        app_id, _ = self._names(app)
        if source.native:
            wanted = KIND_DISK if source.kind == SourceKind.DISK else KIND_SNAPSHOT
            kinds = [wanted] if source.kind in (SourceKind.DISK, SourceKind.SNAPSHOT) else [KIND_SNAPSHOT, KIND_DISK]
            for kind in kinds:
                for record in ws.records.list(kind):
                    if record.handle == source.name:
                        return _ready(record)
            raise NotFoundError(f"source not found: no localpath disk or snapshot has handle {source.name}")
        if source.kind == SourceKind.DISK:
            records = existing_disks
            kind = KIND_DISK
        else:
            records = ws.records.list(KIND_SNAPSHOT, app_id, vol_name)
            kind = KIND_SNAPSHOT
        for record in records:
            if record.name == source.name:
                return _ready(record)
        raise _not_found(kind, source.name, vol_name, records)

    # --- disks ---------------------------------------------------------------------

    def disk_list(self, cluster: Cluster, app: App, vol_name: str) -> list[VolumeDisk]:
        self._volume(app, vol_name)
        with _Session(self, cluster) as ws:
            return [r.disk() for r in ws.records.list(KIND_DISK, self._names(app)[0], vol_name)]

    def disk_create(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, source: str, opts: VolumeDiskCreateOptions
    ) -> VolumeDisk:
        disk_name = disk_name.strip()
        vol = self._volume(app, vol_name, "disk", disk_name, optional=True)
        parsed = parse_source(source, default_kind=SourceKind.SNAPSHOT, native=_native)
        if parsed.kind in (SourceKind.DISK, SourceKind.SNAPSHOT) and not parsed.native:
            validate_resource_name(parsed.kind.value, parsed.name)
        with _Session(self, cluster) as ws:
            app_id, _ = self._names(app)
            existing = ws.records.list(KIND_DISK, app_id, vol_name)
            name = disk_name or new_compact_id()
            if any(r.name == name for r in existing):
                raise DriverValidationError(f'disk "{name}" already exists in volume "{vol_name}"')
            origin = None if parsed.kind == SourceKind.EMPTY else self._source(ws, app, vol_name, parsed, existing)
            node = self._node_for(ws, app, opts.zone.strip(), origin)
            record = self._new_record(
                KIND_DISK,
                app,
                vol_name,
                name,
                node.name,
                node.hostname,
                ws.settings.base_path,
                size=vol.size,
                assigned=not existing,
                source=origin.handle if origin is not None else "",
            )
            ws.records.create(record, f'disk "{name}" of volume "{vol_name}"')
            try:
                if origin is None:
                    ws.helpers.run(node.name, record.base, "create", record.rel)
                elif origin.kind == KIND_DISK:
                    _same_base(origin, record)
                    ws.helpers.run(node.name, record.base, "copy", origin.rel, record.rel)
                else:
                    _same_base(origin, record)
                    ws.helpers.run(node.name, record.base, "restore", origin.rel, origin.sha256, record.rel)
                ready = ws.records.update(with_state(record, state=STATE_READY))
            except BaseException as err:
                self._undo(ws, record, err)
                raise
            return ready.disk()

    def _node_for(self, ws: _Session, app: App, zone: str, origin: Record | None) -> NodeInfo:
        if origin is not None:
            if zone and zone != origin.node:
                raise DriverValidationError(
                    f"{origin.kind} {origin.name!r} lives on node {origin.node}; a disk made from it can only be "
                    f"created there (use --zone {origin.node} or omit --zone)",
                    field="zone",
                )
            found = ws.node(origin.node)
            if found is None:
                raise NotFoundError(f"node {origin.node} holding {origin.kind} {origin.name!r} is gone")
            check_usable(found)
            return found
        app_id, _ = self._names(app)
        siblings = {r.node for r in ws.records.list(KIND_DISK, app_id) if r.assigned}
        return choose_node(ws.nodes(), app, zone, siblings)

    def _undo(self, ws: _Session, record: Record, err: BaseException) -> None:
        """Remove what a failed creation made: the directory/archive (unless someone else's) and the record."""
        if not isinstance(err, VolumeConflictError):
            try:
                ws.helpers.run(record.node, record.base, "delete", record.rel)
            except KompoxError as cleanup:
                log.warning("cleanup of %s on node %s failed: %s", record.path, record.node, cleanup)
        problem = ws.records.delete_quietly(record)
        if problem is not None:
            log.warning("record %s/%s not removed: %s", ws.records.namespace, record.object_name, problem)

    def disk_assign(self, cluster: Cluster, app: App, vol_name: str, disk_name: str) -> None:
        """Target first, then the others whose flag changes (an interrupted run leaves the target assigned)."""
        self._volume(app, vol_name, "disk", disk_name)
        with _Session(self, cluster) as ws:
            records = ws.records.list(KIND_DISK, self._names(app)[0], vol_name)
            target = next((r for r in records if r.name == disk_name), None)
            if target is None:
                raise _not_found("disk", disk_name, vol_name, records)
            ordered = [target] + [r for r in records if r is not target]
            for record in ordered:
                wanted = record is target
                if record.assigned != wanted:
                    ws.records.update(with_state(record, assigned=wanted))

    def disk_delete(self, cluster: Cluster, app: App, vol_name: str, disk_name: str, force: bool) -> None:
        """Delete directory and record; missing = success; a disk a running pod mounts needs ``force``."""
        self._volume(app, vol_name, "disk", disk_name)
        with _Session(self, cluster) as ws:
            record = next(
                (r for r in ws.records.list(KIND_DISK, self._names(app)[0], vol_name) if r.name == disk_name), None
            )
            if record is None:
                return
            if not force:
                users = pods_using(ws.kube, record.path)
                if users:
                    raise VolumeConflictError(
                        f"disk {disk_name} is in use by running pods ({', '.join(users)}); stop the app "
                        "(app destroy) or force the deletion"
                    )
            self._delete(ws, record)

    def _delete(self, ws: _Session, record: Record) -> None:
        node = ws.node(record.node)
        if node is None:
            log.warning("node %s is gone from the cluster; removing the record of %s only", record.node, record.path)
        else:
            check_usable(node)
            ws.helpers.run(record.node, record.base, "delete", record.rel)
        ws.records.delete(record)

    # --- snapshots -------------------------------------------------------------------

    def snapshot_list(self, cluster: Cluster, app: App, vol_name: str) -> list[VolumeSnapshot]:
        self._volume(app, vol_name)
        with _Session(self, cluster) as ws:
            return [r.snapshot() for r in ws.records.list(KIND_SNAPSHOT, self._names(app)[0], vol_name)]

    def snapshot_create(self, cluster: Cluster, app: App, vol_name: str, snap_name: str, source: str) -> VolumeSnapshot:
        snap_name = snap_name.strip()
        self._volume(app, vol_name, "snapshot", snap_name, optional=True)
        parsed = parse_source(source, default_kind=SourceKind.DISK, native=_native)
        if parsed.kind == SourceKind.SNAPSHOT:
            raise NotSupportedError(
                "a localpath snapshot is archived from a disk (disk:<name>); snapshot sources are not supported"
            )
        if parsed.kind == SourceKind.DISK and not parsed.native:
            validate_resource_name("disk", parsed.name)
        with _Session(self, cluster) as ws:
            app_id, _ = self._names(app)
            existing = ws.records.list(KIND_SNAPSHOT, app_id, vol_name)
            name = snap_name or new_compact_id()
            if any(r.name == name for r in existing):
                raise DriverValidationError(f'snapshot "{name}" already exists in volume "{vol_name}"')
            disks = ws.records.list(KIND_DISK, app_id, vol_name)
            if parsed.kind == SourceKind.EMPTY:
                origin = _assigned(disks, vol_name)
            else:
                origin = self._source(ws, app, vol_name, parsed, disks)
                if origin.kind != KIND_DISK:
                    raise NotSupportedError(f"{parsed.name} is a snapshot; a localpath snapshot is taken from a disk")
            node = ws.node(origin.node)
            if node is None:
                raise NotFoundError(f"node {origin.node} holding disk {origin.name!r} is gone from the cluster")
            check_usable(node)
            record = self._new_record(
                KIND_SNAPSHOT, app, vol_name, name, origin.node, origin.hostname, origin.base, source=origin.handle
            )
            ws.records.create(record, f'snapshot "{name}" of volume "{vol_name}"')
            try:
                result = ws.helpers.run(origin.node, origin.base, "archive", origin.rel, record.rel)
                sha, size = result.values.get("sha256", ""), result.values.get("size", "")
                if len(sha) != 64 or not size.isdigit():
                    raise KompoxError(f"helper pod archived {record.path} but reported no checksum ({result.values})")
                ready = ws.records.update(with_state(record, state=STATE_READY, sha256=sha, size=int(size)))
            except BaseException as err:
                self._undo(ws, record, err)
                raise
            return ready.snapshot()

    def snapshot_delete(self, cluster: Cluster, app: App, vol_name: str, snap_name: str) -> None:
        self._volume(app, vol_name, "snapshot", snap_name)
        with _Session(self, cluster) as ws:
            records = ws.records.list(KIND_SNAPSHOT, self._names(app)[0], vol_name)
            record = next((r for r in records if r.name == snap_name), None)
            if record is not None:
                self._delete(ws, record)

    def snapshot_transfer(
        self, cluster: Cluster, app: App, vol_name: str, snap_name: str, dest: Cluster, dest_app: App, zone: str
    ) -> VolumeSnapshot:
        """Copy snapshot ``snap_name`` to a node of cluster ``dest`` (``zone``: that node; else the app's pool).

        Idempotent: a ready snapshot of that name on ``dest`` is returned as
        it is.  An interrupted copy leaves at most ``<archive>.partial`` on the
        target node (overwritten by the next run) and no record.
        """
        self._volume(app, vol_name, "snapshot", snap_name)
        self._volume(dest_app, vol_name)
        with _Session(self, cluster) as src, _Session(self, dest) as dst:
            app_id, _ = self._names(app)
            dest_id, _ = self._names(dest_app)
            done = next((r for r in dst.records.list(KIND_SNAPSHOT, dest_id, vol_name) if r.name == snap_name), None)
            if done is not None:
                return _ready(done).snapshot()
            records = src.records.list(KIND_SNAPSHOT, app_id, vol_name)
            origin = next((r for r in records if r.name == snap_name), None)
            if origin is None:
                raise _not_found("snapshot", snap_name, vol_name, records)
            _ready(origin)
            if len(origin.sha256) != 64 or origin.size <= 0:
                raise DataCorruptError(f"snapshot {snap_name!r} has no recorded checksum and size; it cannot be copied")
            node = src.node(origin.node)
            if node is None:
                raise NotFoundError(f"node {origin.node} holding snapshot {snap_name!r} is gone from the cluster")
            check_usable(node)
            siblings = {r.node for r in dst.records.list(KIND_DISK, dest_id) if r.assigned}
            target = choose_node(dst.nodes(), dest_app, zone, siblings)
            record = self._new_record(
                KIND_SNAPSHOT,
                dest_app,
                vol_name,
                snap_name,
                target.name,
                target.hostname,
                dst.settings.base_path,
                size=origin.size,
                state=STATE_READY,
                source=origin.handle,
                sha256=origin.sha256,
            )
            with (
                src.helpers.hold(origin.node, origin.base, "send") as sender,
                dst.helpers.hold(target.name, record.base, "receive") as receiver,
            ):
                pipe_archive(src.helpers, sender, origin, dst.helpers, receiver, record)
            dst.records.create(record, f'snapshot "{snap_name}" of volume "{vol_name}"')
            return record.snapshot()

    # --- class ----------------------------------------------------------------------

    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass:
        """A ``local`` PV (path and node affinity from the disk), RWO, Retain, Filesystem."""
        check_type(vol)
        return VolumeClass(
            storage_class_name=STORAGE_CLASS,
            local=True,
            access_modes=["ReadWriteOnce"],
            reclaim_policy="Retain",
            volume_mode="Filesystem",
        )


def check_type(vol: AppVolume) -> None:
    kind = vol.type or VOLUME_TYPE_DISK
    if kind == VOLUME_TYPE_FILES:
        raise NotSupportedError(
            f"volume {vol.name}: type files is not supported by the k3s provider (localpath disks are RWO only)"
        )
    if kind != VOLUME_TYPE_DISK:
        raise DriverValidationError(f"unsupported volume type: {vol.type}")


def _ready(record: Record) -> Record:
    if record.state != STATE_READY:
        raise VolumeConflictError(f"{record.kind} {record.name!r} is still being created (state {record.state})")
    return record


def _same_base(origin: Record, record: Record) -> None:
    if origin.base != record.base:
        raise DriverValidationError(
            f"{origin.kind} {origin.name!r} lives under {origin.base}, new disks go under {record.base} "
            "(LOCALPATH_BASE_PATH changed); copy across base paths is not supported"
        )


def _assigned(disks: list[Record], vol_name: str) -> Record:
    assigned = [r for r in disks if r.assigned]
    if not assigned:
        listing = ", ".join(sorted(r.name for r in disks)) or "none"
        raise NotFoundError(
            f'no assigned disk found for volume "{vol_name}" (disks: {listing}); assign one or name the source disk'
        )
    if len(assigned) > 1:
        raise VolumeConflictError(
            f'volume "{vol_name}" has {len(assigned)} assigned disks ({", ".join(r.name for r in assigned)}); '
            "run disk assign to choose one"
        )
    return _ready(assigned[0])


def pods_using(kube: KubeClient, path: str) -> list[str]:
    """``<namespace>/<pod>`` of live pods mounting a PV whose ``local.path`` is ``path``."""
    from kompox.kube import resources as res

    claims: set[tuple[str, str]] = set()
    for pv in kube.list_objects(res.PERSISTENT_VOLUME):
        spec = pv.get("spec") or {}
        local = spec.get("local") or spec.get("hostPath") or {}
        ref = spec.get("claimRef") or {}
        if local.get("path") == path and ref.get("name"):
            claims.add((str(ref.get("namespace", "")), str(ref["name"])))
    users: list[str] = []
    for namespace in sorted({ns for ns, _ in claims}):
        for pod in kube.list_objects(res.POD, namespace):
            phase = (pod.get("status") or {}).get("phase")
            if phase not in ("Pending", "Running"):
                continue
            volumes: list[dict[str, Any]] = (pod.get("spec") or {}).get("volumes") or []
            for volume in volumes:
                claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
                if (namespace, claim) in claims:
                    users.append(f"{namespace}/{(pod.get('metadata') or {}).get('name')}")
                    break
    return users


def app_names(workspace: str, provider: str, app: App) -> tuple[str, str]:
    """``(app id hash, app directory)``: the directory is named like the app's namespace."""
    hashes = new_hashes(workspace, provider, "", app.name)
    return hashes.app_id, hashes.namespace
