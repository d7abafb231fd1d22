"""Use cases ``SnapshotList``, ``SnapshotCreate``, ``SnapshotDelete`` (kube-and-ops.md §13.4).

Restore is not a snapshot operation: it is ``create_disk(source="snapshot:<name>")``
followed by ``assign_disk`` (ADR-002).  Whether a volume type can be
snapshotted is the driver's decision (seed 002: ``files`` raises
``NotSupportedError``); the use cases never decide it from the type.

Beyond the driver contract, delete checks the snapshot exists and names the
volume's snapshots when it does not (a mistyped name must not "succeed"), and
create with an explicit name refuses an existing name before the provider is
called.
"""

from __future__ import annotations

from kompox.domain.model import App, Cluster, VolumeSnapshot
from kompox.domain.ports import VolumePort
from kompox.usecase.volume_common import check_names, declared_volume, find_named, refuse_existing, require


def list_snapshots(volumes: VolumePort, cluster: Cluster, app: App, volume_name: str) -> list[VolumeSnapshot]:
    """The volume's snapshots, newest first (the driver's order)."""
    check_names(volume_name)
    declared_volume(app, volume_name)
    return volumes.volume_snapshot_list(cluster, app, volume_name)


def create_snapshot(
    volumes: VolumePort,
    cluster: Cluster,
    app: App,
    volume_name: str,
    *,
    snapshot_name: str = "",
    source: str = "",
) -> VolumeSnapshot:
    """Snapshot the assigned disk, or ``source`` (``disk:<n>``, a bare disk name, ``snapshot:<n>``, a native id)."""
    check_names(volume_name, snapshot=snapshot_name)
    declared_volume(app, volume_name)
    if snapshot_name:
        refuse_existing(volumes.volume_snapshot_list(cluster, app, volume_name), "snapshot", volume_name, snapshot_name)
    return volumes.volume_snapshot_create(cluster, app, volume_name, snapshot_name, source)


def delete_snapshot(
    volumes: VolumePort, cluster: Cluster, app: App, volume_name: str, snapshot_name: str
) -> VolumeSnapshot:
    """Delete a snapshot; returns it as last listed."""
    check_names(volume_name, snapshot=snapshot_name)
    require(snapshot_name, "snapshot name")
    declared_volume(app, volume_name)
    snap = find_named(volumes.volume_snapshot_list(cluster, app, volume_name), "snapshot", volume_name, snapshot_name)
    volumes.volume_snapshot_delete(cluster, app, volume_name, snapshot_name)
    return snap
