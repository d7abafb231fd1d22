"""Use cases ``DiskList``, ``DiskCreate``, ``DiskAssign``, ``DiskDelete`` (kube-and-ops.md §13.4).

Each takes the :class:`~kompox.domain.ports.VolumePort` and the resolved
cluster and app.  Names are validated and the volume must be declared by the
app before the provider is called.  ``source`` is passed to the driver
verbatim (ADR-003: only drivers parse it; restore = create with
``snapshot:<name>``).

Beyond the driver contract:

* assign and delete check that the disk exists, naming the disks the volume
  has when it does not;
* create with an explicit name refuses an existing name before the provider
  is called (a cloud "create" with an existing name may otherwise update it);
* delete refuses the assigned disk unless ``force`` (it is what the app mounts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kompox.domain.errors import ValidationError
from kompox.domain.model import App, Cluster, VolumeDisk
from kompox.domain.options import VolumeDiskCreateOptions, VolumeDiskDeleteOptions
from kompox.domain.ports import VolumePort
from kompox.usecase.volume_common import check_names, declared_volume, find_named, refuse_existing, require


class AssignedDiskError(ValidationError):
    """Refusal to delete the disk the volume is bound to."""


def list_disks(volumes: VolumePort, cluster: Cluster, app: App, volume_name: str) -> list[VolumeDisk]:
    """The volume's disks, newest first (the driver's order)."""
    check_names(volume_name)
    declared_volume(app, volume_name)
    return volumes.volume_disk_list(cluster, app, volume_name)


def create_disk(
    volumes: VolumePort,
    cluster: Cluster,
    app: App,
    volume_name: str,
    *,
    disk_name: str = "",
    source: str = "",
    zone: str = "",
    options: Mapping[str, Any] | None = None,
) -> VolumeDisk:
    """Create a disk: empty, or from ``source`` (``snapshot:<n>``, ``disk:<n>``, a bare snapshot name, a native id).

    ``disk_name`` empty → the driver generates one.  ``zone`` overrides the
    app's deployment zone; ``options`` merge over the volume's options.
    """
    check_names(volume_name, disk=disk_name)
    declared_volume(app, volume_name)
    if disk_name:
        refuse_existing(volumes.volume_disk_list(cluster, app, volume_name), "disk", volume_name, disk_name)
    opts = VolumeDiskCreateOptions(zone=zone, options=dict(options) if options is not None else None)
    return volumes.volume_disk_create(cluster, app, volume_name, disk_name, source, opts)


def assign_disk(volumes: VolumePort, cluster: Cluster, app: App, volume_name: str, disk_name: str) -> VolumeDisk:
    """Make ``disk_name`` the volume's assigned disk (all others unassigned); returns it, assigned."""
    check_names(volume_name, disk=disk_name)
    require(disk_name, "disk name")
    declared_volume(app, volume_name)
    disk = find_named(volumes.volume_disk_list(cluster, app, volume_name), "disk", volume_name, disk_name)
    volumes.volume_disk_assign(cluster, app, volume_name, disk_name)
    disk.assigned = True
    return disk


def delete_disk(
    volumes: VolumePort, cluster: Cluster, app: App, volume_name: str, disk_name: str, *, force: bool = False
) -> VolumeDisk:
    """Delete a disk; the assigned one only with ``force``.  Returns the deleted disk as last listed."""
    check_names(volume_name, disk=disk_name)
    require(disk_name, "disk name")
    declared_volume(app, volume_name)
    disk = find_named(volumes.volume_disk_list(cluster, app, volume_name), "disk", volume_name, disk_name)
    if disk.assigned and not force:
        raise AssignedDiskError(
            f"disk {disk_name} is assigned; assign another disk first before deletion (or force the deletion)"
        )
    volumes.volume_disk_delete(cluster, app, volume_name, disk_name, VolumeDiskDeleteOptions(force=force))
    return disk
