"""``app move --to-cluster``: copy an app's disks to another cluster and deploy it there (issue #18).

Plan, then apply, one volume after the other and then the app:

0. only with ``stop_source``: destroy the app on the source and wait until
   no node has its disks attached, so that nothing is written after the
   snapshot (downtime, but the copy is complete; without it the copy is as
   of the snapshot, crash-consistent, and later writes stay on the source);
1. snapshot the source's assigned disk (on the source cluster);
1b. only where each cluster keeps its own disks (K3s, ``transfer``): copy the
   snapshot to a node of the target cluster (``--zone`` names the node, else
   one carrying the app's pool), checked against its recorded SHA-256;
2. create a disk from that snapshot, reachable from the target cluster (zone:
   ``--zone``, else one the app may land in on the target, else the source
   disk's zone; with a transfer: the node the snapshot was copied to);
3. assign it (on the target);
4. deploy the app on the target (:func:`~kompox.usecase.app_flows.deploy_flow`);
5. only with ``cleanup_source``: destroy the app on the source
   (:func:`~kompox.usecase.app_flows.destroy_flow`).  The source's disks and
   snapshots are never deleted.

Resumable: the snapshot and the disk of a volume get one deterministic name,
``mv-<target cluster hash>-<key>`` (:mod:`kompox.usecase.app_move_names`), the
key hashing the source app instance, the volume, the source disk (name and
creation time) and the target cluster.
A re-run plans again from what exists: a snapshot or disk of that name is a
step already done, so nothing is created twice.  When both clusters share the
provider, disks belong to the app on both (one Azure resource group), so an
assigned disk already named for this target means the volume was moved.

Nothing is touched before every check passed: the source and target
resolve, differ, and the provider pair is supported (``refusal``, answered
from the KOM alone, e.g. across providers → not supported); volumes are
disks; a given zone is one the app may land in on the target.  The KOM is
never edited: the App still names the source cluster until the user changes
its id (the command says how).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar, runtime_checkable

from kompox.domain.errors import KompoxError, NotFoundError, NotSupportedError, ValidationError
from kompox.domain.model import (
    VOLUME_TYPE_DISK,
    App,
    Cluster,
    NodePool,
    Provider,
    VolumeDisk,
    VolumeSnapshot,
    Workspace,
)
from kompox.logging import span
from kompox.usecase.app_flows import AppPorts, DeployOptions, DestroyOptions, deploy_flow, destroy_flow
from kompox.usecase.app_move_names import move_name, move_prefix
from kompox.usecase.app_target import AppOperationError, AppTarget
from kompox.usecase.app_validate import AppValidation
from kompox.usecase.volume_disk import assign_disk, create_disk
from kompox.usecase.volume_snapshot import create_snapshot
from kompox.usecase.zone_preflight import Landing, app_landing, normal_zone

DETACH_POLL = 5.0

_Item = TypeVar("_Item", VolumeDisk, VolumeSnapshot)


@runtime_checkable
class SnapshotTransfer(Protocol):
    """A driver that can copy a snapshot to another cluster of its provider (the K3s driver)."""

    def volume_snapshot_transfer(
        self, cluster: Cluster, app: App, vol_name: str, snap_name: str, dest: Cluster, dest_app: App, zone: str
    ) -> VolumeSnapshot: ...


@dataclass
class MovePorts:
    """Both sides of the move (each with its driver and kube client) and what only the CLI can build."""

    source: AppPorts
    dest: AppPorts
    validate_dest: Callable[[], AppValidation]  # ``app validate`` of the app as placed on the target
    dest_pools: Callable[[], list[NodePool] | None]  # the target's node pools; None = unknown
    refusal: Callable[[Provider, Provider], str]  # why the provider pair cannot move data ("" = it can)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    transfer: bool = False  # each cluster keeps its own disks: copy the snapshot to the target first


@dataclass(frozen=True)
class MoveOptions:
    zone: str = ""
    stop_source: bool = False
    cleanup_source: bool = False
    update_dns: bool = False
    wait: bool = True
    timeout: float = 300.0


@dataclass
class VolumeMove:
    """One volume: the source disk, the name of its snapshot and new disk, and what already exists."""

    volume: str
    source_disk: VolumeDisk
    name: str
    zone: str
    zone_from: str
    snapshot: VolumeSnapshot | None = None  # the move's snapshot, when an earlier run made it
    disk: VolumeDisk | None = None  # the move's disk on the target, when an earlier run made it
    moved: bool = False  # the shared case: the assigned disk already is this move's disk
    copied: VolumeSnapshot | None = None  # transfer: the snapshot's copy on the target, when made

    @property
    def snapshot_done(self) -> bool:
        """Made, or no longer needed (the disk made from it exists, even if the snapshot was pruned since)."""
        return self.moved or self.snapshot is not None or self.copied is not None or self.disk is not None

    @property
    def transfer_done(self) -> bool:
        return self.moved or self.copied is not None or self.disk is not None

    @property
    def disk_done(self) -> bool:
        return self.moved or self.disk is not None

    @property
    def assign_done(self) -> bool:
        return self.moved or (self.disk is not None and self.disk.assigned)


@dataclass(frozen=True)
class MoveStep:
    step: str  # snapshot, disk, assign, deploy, destroy-source
    volume: str  # "" for the app's steps
    what: str
    done: bool


@dataclass
class MovePlan:
    app: str
    source_cluster: str
    dest_cluster: str
    source_namespace: str
    dest_namespace: str
    dest_app_id: str
    shared_disks: bool  # same provider: the app's disks are one set for both clusters
    cleanup_source: bool
    stop_source: bool = False
    transfer: bool = False  # a transfer step per volume (each cluster keeps its own disks)
    volumes: list[VolumeMove] = field(default_factory=list)
    source_stopped: bool = False
    deployed: bool = False
    source_destroyed: bool = False

    @property
    def needs_stop(self) -> bool:
        """``--stop-source`` and a snapshot still to take (once all are taken, stopping changes nothing)."""
        return self.stop_source and any(not v.snapshot_done for v in self.volumes)

    def running_disks(self) -> list[VolumeDisk]:
        """Source disks a node still has attached (the source app may be writing to them)."""
        return [v.source_disk for v in self.volumes if not v.snapshot_done and v.source_disk.attached]

    def steps(self) -> list[MoveStep]:
        """Every step in order (``done`` of deploy/destroy: done by this run)."""
        out: list[MoveStep] = []
        if self.stop_source:
            what = f"destroy app {self.app} on cluster {self.source_cluster} and wait until its disks are detached"
            if not self.needs_stop:
                what = "not needed: every snapshot is already taken"
            out.append(MoveStep("stop-source", "", what, self.source_stopped or not self.needs_stop))
        for v in self.volumes:
            if v.moved:
                what = f"done by an earlier run (disk {v.name}, made for cluster {self.dest_cluster}, is assigned)"
                out.extend(MoveStep(step, v.volume, what, True) for step in ("snapshot", "disk", "assign"))
                continue
            zone = v.zone or "(none: regional / driver default)"
            out += [
                MoveStep(
                    "snapshot",
                    v.volume,
                    f"snapshot {v.name} of disk {v.source_disk.name} on cluster {self.source_cluster}",
                    v.snapshot_done,
                ),
            ]
            if self.transfer:
                node = v.zone or "a node carrying the app's pool"
                what = (
                    f"copy snapshot {v.name} to {node} of cluster {self.dest_cluster} ({v.zone_from}), "
                    "checked against its SHA-256"
                )
                out.append(MoveStep("transfer", v.volume, what, v.transfer_done))
                zone = "the node the snapshot was copied to"
            out += [
                MoveStep(
                    "disk",
                    v.volume,
                    f"disk {v.name} on cluster {self.dest_cluster} from snapshot {v.name}, zone {zone} ({v.zone_from})",
                    v.disk_done,
                ),
                MoveStep("assign", v.volume, f"assign disk {v.name} on cluster {self.dest_cluster}", v.assign_done),
            ]
        where = f"app {self.app} on cluster"
        out.append(MoveStep("deploy", "", f"deploy {where} {self.dest_cluster} ({self.dest_namespace})", self.deployed))
        if self.cleanup_source:
            what = f"destroy {where} {self.source_cluster} (disks and snapshots are kept)"
            out.append(MoveStep("destroy-source", "", what, self.source_destroyed))
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "app": self.app,
            "sourceCluster": self.source_cluster,
            "targetCluster": self.dest_cluster,
            "sourceNamespace": self.source_namespace,
            "targetNamespace": self.dest_namespace,
            "targetAppId": self.dest_app_id,
            "sharedDisks": self.shared_disks,
            "transfer": self.transfer,
            "stopSource": self.stop_source,
            "cleanupSource": self.cleanup_source,
            "volumes": [
                {
                    "volume": v.volume,
                    "sourceDisk": v.source_disk.name,
                    "name": v.name,
                    "zone": v.zone,
                    "zoneFrom": v.zone_from,
                    "snapshotDone": v.snapshot_done,
                    "transferDone": v.transfer_done if self.transfer else None,
                    "diskDone": v.disk_done,
                    "assignDone": v.assign_done,
                }
                for v in self.volumes
            ],
            "steps": [{"step": s.step, "volume": s.volume, "what": s.what, "done": s.done} for s in self.steps()],
        }


# --- checks (no I/O) ------------------------------------------------------------------


def retarget(source: AppTarget, cluster: Cluster, provider: Provider | None, workspace: Workspace | None) -> AppTarget:
    """The app as placed on ``cluster`` (for this command only; the KOM is not edited)."""
    app = replace(source.app, cluster_id=cluster.id)
    return AppTarget(app=app, cluster=cluster, provider=provider, workspace=workspace)


def check_move(source: AppTarget, dest: AppTarget, refusal: Callable[[Provider, Provider], str]) -> None:
    """Everything decidable from the KOM alone; raises before any request."""
    source.names()  # a missing parent is NotFound here
    dest.names()
    assert source.cluster is not None and dest.cluster is not None
    assert source.provider is not None and dest.provider is not None
    if source.cluster.id == dest.cluster.id:
        raise ValidationError(
            f"app {source.app.name} is already on cluster {dest.cluster.name} ({dest.cluster.id}); nothing to move",
            field="--to-cluster",
        )
    why = refusal(source.provider, dest.provider)
    if why:
        raise NotSupportedError(f"app move from cluster {source.cluster.name} to cluster {dest.cluster.name}: {why}")
    for vol in source.app.volumes:
        if (vol.type or VOLUME_TYPE_DISK) != VOLUME_TYPE_DISK:
            raise NotSupportedError(
                f"app move: volume {vol.name} is of type {vol.type}; only disk volumes can be moved "
                "(a files share is not copied)"
            )


# --- plan (reads only) ------------------------------------------------------------------


def plan_move(ports: MovePorts, opts: MoveOptions) -> MovePlan:
    """Check, then read both sides: which steps an earlier run already did.  Writes nothing."""
    src, dst = ports.source.target, ports.dest.target
    check_move(src, dst, ports.refusal)
    assert src.cluster is not None and dst.cluster is not None and src.provider is not None
    assert dst.provider is not None
    src_names, dst_names = src.names(), dst.names()
    plan = MovePlan(
        app=src.app.name,
        source_cluster=src.cluster.name,
        dest_cluster=dst.cluster.name,
        source_namespace=src_names.namespace,
        dest_namespace=dst_names.namespace,
        dest_app_id=f"{dst.cluster.id}/app/{src.app.name}",
        shared_disks=src.provider.id == dst.provider.id and not ports.transfer,
        cleanup_source=opts.cleanup_source,
        stop_source=opts.stop_source,
        transfer=ports.transfer,
    )
    if not src.app.volumes:
        return plan
    src_driver, dst_driver = ports.source.driver(), ports.dest.driver()
    if ports.transfer:
        if not isinstance(src_driver, SnapshotTransfer):
            raise NotSupportedError(f"app move: the driver of cluster {src.cluster.name} cannot copy snapshots")
        return _plan_transfer(ports, plan, opts, src_driver, dst_driver)
    pools = ports.dest_pools()
    landing = app_landing(dst.app.deployment, pools)
    if landing is not None and not landing.zones:
        raise ValidationError(
            f"the app may land in no zone on cluster {dst.cluster.name} ({landing.described}); pin a zone the "
            "target's node pools offer (deployment.zone) or select a pool there (deployment.pool)",
            field="deployment",
        )
    if opts.zone and landing is not None and normal_zone(opts.zone) not in landing.zones:
        raise ValidationError(
            f"zone {opts.zone} cannot be reached by the app on cluster {dst.cluster.name} "
            f"(it may land in zones: {', '.join(sorted(landing.zones))}; from {landing.described})",
            field="--zone",
        )
    prefix = move_prefix(dst_names.hashes.cluster)
    for vol in src.app.volumes:
        disk = _assigned(src_driver.volume_disk_list(src.cluster, src.app, vol.name), vol.name, src.cluster.name)
        moved = plan.shared_disks and disk.name.startswith(prefix)
        name = (
            disk.name if moved else move_name(src_names.hashes.app_instance, vol.name, disk, dst_names.hashes.cluster)
        )
        zone, zone_from = _zone(opts.zone, landing, disk)
        item = VolumeMove(vol.name, disk, name, zone, zone_from, moved=moved)
        if not moved:
            item.snapshot = _named(src_driver.volume_snapshot_list(src.cluster, src.app, vol.name), name)
            item.disk = _named(dst_driver.volume_disk_list(dst.cluster, dst.app, vol.name), name)
        plan.volumes.append(item)
    return plan


def _plan_transfer(ports: MovePorts, plan: MovePlan, opts: MoveOptions, src_driver: Any, dst_driver: Any) -> MovePlan:
    """Each cluster keeps its own disks: a name per volume, and which of snapshot, copy and disk exist."""
    src, dst = ports.source.target, ports.dest.target
    assert src.cluster is not None and dst.cluster is not None
    src_names, dst_names = src.names(), dst.names()
    zone_from = "--zone" if opts.zone else "the target's first ready node carrying the app's pool and zone"
    for vol in src.app.volumes:
        disk = _assigned(src_driver.volume_disk_list(src.cluster, src.app, vol.name), vol.name, src.cluster.name)
        name = move_name(src_names.hashes.app_instance, vol.name, disk, dst_names.hashes.cluster)
        item = VolumeMove(vol.name, disk, name, opts.zone, zone_from)
        item.snapshot = _named(src_driver.volume_snapshot_list(src.cluster, src.app, vol.name), name)
        item.copied = _named(dst_driver.volume_snapshot_list(dst.cluster, dst.app, vol.name), name)
        item.disk = _named(dst_driver.volume_disk_list(dst.cluster, dst.app, vol.name), name)
        plan.volumes.append(item)
    return plan


def _named(items: list[_Item], name: str) -> _Item | None:
    """The item called ``name`` (a step an earlier run already did), or None."""
    return next((item for item in items if item.name == name), None)


def _assigned(disks: list[VolumeDisk], volume: str, cluster: str) -> VolumeDisk:
    assigned = [d for d in disks if d.assigned]
    if len(assigned) != 1:
        listing = ", ".join(d.name for d in disks) or "none"
        raise NotFoundError(
            f"volume {volume} has {len(assigned)} assigned disks on cluster {cluster} "
            f"(disks: {listing}); app move needs exactly one (disk assign)"
        )
    return assigned[0]


def _stop_source(ports: MovePorts, plan: MovePlan, opts: MoveOptions) -> None:
    """Destroy the source app, then wait until no node has its disks attached: no write after the snapshot."""
    src = ports.source.target
    assert src.cluster is not None
    try:
        destroy_flow(ports.source, DestroyOptions())
    except KompoxError as err:
        raise AppOperationError(f"app move: stopping the source failed, nothing was copied: {err}", cause=err) from err
    driver = ports.source.driver()
    deadline = ports.clock() + opts.timeout
    wanted = {v.volume: v.source_disk.name for v in plan.volumes if not v.snapshot_done}
    while True:
        attached = [
            d
            for volume, name in wanted.items()
            for d in driver.volume_disk_list(src.cluster, src.app, volume)
            if d.name == name and d.attached
        ]
        if not attached:
            return
        where = ", ".join(f"{d.name} (node {d.node or '?'})" for d in attached)
        if ports.clock() >= deadline:
            raise AppOperationError(
                f"app move: the source app is destroyed but disks are still attached after {opts.timeout:g}s: "
                f"{where}; nothing was copied (run again once they are detached)"
            )
        ports.source.progress(f"waiting for disks to detach: {where}")
        ports.sleep(min(DETACH_POLL, max(deadline - ports.clock(), 0.0)))


def _zone(given: str, landing: Landing | None, disk: VolumeDisk) -> tuple[str, str]:
    if given:
        return given, "--zone"
    if landing is not None and landing.zones:
        if disk.zone and normal_zone(disk.zone) in landing.zones:
            return disk.zone, f"the source disk's zone, reachable on the target ({landing.described})"
        return sorted(landing.zones)[0], f"from {landing.described}"
    return disk.zone, "the source disk's zone; the target's node pools do not tell"


# --- apply ---------------------------------------------------------------------------------


def apply_move(ports: MovePorts, plan: MovePlan, opts: MoveOptions) -> MovePlan:
    """Do the steps the plan has not done, in order; say one line per step."""
    src, dst = ports.source.target, ports.dest.target
    assert src.cluster is not None and dst.cluster is not None
    say = ports.dest.say
    total = len(plan.steps())
    number = 0

    def step(text: str) -> None:
        nonlocal number
        number += 1
        say(f"app move: [{number}/{total}] {text}")

    with span("CMD:app.move", src.app.id):
        if plan.stop_source:
            if plan.needs_stop:
                _stop_source(ports, plan, opts)
                plan.source_stopped = True
                step(f"stop-source: app {plan.app} destroyed on {plan.source_cluster}; its disks are detached")
            else:
                step("stop-source: not needed, every snapshot is already taken")
        for v in plan.volumes:
            if v.moved:
                for what in ("snapshot", "disk", "assign"):
                    step(f"{what} {v.volume}: done by an earlier run ({v.name} is assigned)")
                continue
            if v.snapshot_done:
                step(f"snapshot {v.volume}: {v.name} already made by an earlier run")
            else:
                v.snapshot = create_snapshot(
                    ports.source.driver(),
                    src.cluster,
                    src.app,
                    v.volume,
                    snapshot_name=v.name,
                    source=f"disk:{v.source_disk.name}",
                )
                step(f"snapshot {v.volume}: created {v.name} of disk {v.source_disk.name} on {plan.source_cluster}")
            if plan.transfer:
                if v.transfer_done:
                    step(f"transfer {v.volume}: {v.name} already copied to {plan.dest_cluster} by an earlier run")
                else:
                    driver = ports.source.driver()
                    assert isinstance(driver, SnapshotTransfer)
                    v.copied = driver.volume_snapshot_transfer(
                        src.cluster, src.app, v.volume, v.name, dst.cluster, dst.app, v.zone
                    )
                    step(f"transfer {v.volume}: copied {v.name} to {plan.dest_cluster} (checksum verified)")
            if v.disk_done:
                step(f"disk {v.volume}: {v.name} already made by an earlier run")
            else:
                snapshot = v.copied if plan.transfer else v.snapshot
                assert snapshot is not None
                origin = f"snapshot:{v.name}" if plan.shared_disks or plan.transfer else snapshot.handle
                v.disk = create_disk(
                    ports.dest.driver(), dst.cluster, dst.app, v.volume, disk_name=v.name, source=origin, zone=v.zone
                )
                step(f"disk {v.volume}: created {v.name} on {plan.dest_cluster} (zone {v.disk.zone or 'none'})")
            if v.assign_done:
                step(f"assign {v.volume}: {v.name} already assigned")
            else:
                assert v.disk is not None
                v.disk = assign_disk(ports.dest.driver(), dst.cluster, dst.app, v.volume, v.name)
                step(f"assign {v.volume}: {v.name} assigned on {plan.dest_cluster}")
        deploy_flow(
            ports.dest,
            ports.validate_dest,
            DeployOptions(update_dns=opts.update_dns, wait=opts.wait, timeout=opts.timeout),
        )
        plan.deployed = True
        step(f"deploy: app {plan.app} deployed on {plan.dest_cluster} (namespace {plan.dest_namespace})")
        if plan.cleanup_source:
            try:
                destroy_flow(ports.source, DestroyOptions())
            except KompoxError as err:
                message = f"app move: deployed on {plan.dest_cluster}, but destroying the source failed: {err}"
                raise AppOperationError(message, cause=err) from err
            plan.source_destroyed = True
            step(f"destroy-source: app {plan.app} destroyed on {plan.source_cluster} (disks and snapshots kept)")
    return plan
