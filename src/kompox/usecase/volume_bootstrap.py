"""Use case ``DiskCreateBootstrap``: one assigned disk per app volume, once (cli.md §10.9.2).

Shared by ``kompoxops disk create --bootstrap`` and ``app deploy --bootstrap-disks``.
The rules (kube-and-ops.md §13.4):

1. The app has no volumes → skipped, reason ``no volumes defined``.
2. Every volume has exactly one assigned disk → skipped, reason ``already initialized``.
3. No volume has an assigned disk → for each volume in spec order: list again
   (abort if an assigned disk appeared meanwhile), create a disk with a
   driver-generated name and no source, then assign it.  Volumes holding only
   unassigned leftovers count as "no assigned disk" (upstream code behaviour).
4. Any other mix → error ``bootstrap invalid state: <vol>(assigned=N,total=M) …``
   listing every volume sorted by name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kompox.domain.errors import KompoxError
from kompox.domain.model import App, Cluster, VolumeDisk
from kompox.domain.options import VolumeDiskCreateOptions
from kompox.domain.ports import VolumePort

REASON_NO_VOLUMES = "no volumes defined"
REASON_ALREADY_INITIALIZED = "already initialized"


class BootstrapError(KompoxError):
    """The volumes are in a state bootstrap must not touch, or a step failed.

    When a driver error caused it, the cause's exit-code category is kept
    (e.g. "not supported" from a driver without disk support).
    """

    def __init__(self, message: str, *, cause: KompoxError | None = None) -> None:
        super().__init__(message)
        if cause is not None:
            self.exit_code = cause.exit_code


@dataclass
class BootstrapResult:
    """``created``: the new disks (assigned), in app volume order; ``skipped`` with its ``reason`` otherwise."""

    created: list[VolumeDisk] = field(default_factory=list)
    skipped: bool = False
    reason: str = ""


@dataclass(frozen=True)
class _VolumeState:
    name: str
    assigned: int
    total: int


def _state(volumes: VolumePort, cluster: Cluster, app: App, vol_name: str) -> _VolumeState:
    try:
        disks = volumes.volume_disk_list(cluster, app, vol_name)
    except KompoxError as err:
        raise BootstrapError(f"volume disk lookup failed for {vol_name}: {err}", cause=err) from err
    return _VolumeState(vol_name, sum(1 for d in disks if d.assigned), len(disks))


def bootstrap_disks(
    volumes: VolumePort,
    cluster: Cluster,
    app: App,
    *,
    zone: str = "",
    options: Mapping[str, Any] | None = None,
) -> BootstrapResult:
    """Create and assign the first disk of every volume when none is assigned yet.

    ``zone`` overrides ``app.deployment.zone`` and ``options`` merge over each
    ``AppVolume.options`` for the disks created here (driver permitting).
    Raises :class:`BootstrapError` for an inconsistent state or a failed step.
    """
    if not app.volumes:
        return BootstrapResult(skipped=True, reason=REASON_NO_VOLUMES)
    states = [_state(volumes, cluster, app, vol.name) for vol in app.volumes]
    if all(s.assigned == 1 for s in states):
        return BootstrapResult(skipped=True, reason=REASON_ALREADY_INITIALIZED)
    if any(s.assigned != 0 for s in states):
        detail = " ".join(
            f"{s.name}(assigned={s.assigned},total={s.total})" for s in sorted(states, key=lambda s: s.name)
        )
        raise BootstrapError(f"bootstrap invalid state: {detail}")

    create_opts = VolumeDiskCreateOptions(zone=zone, options=dict(options) if options is not None else None)
    created: list[VolumeDisk] = []
    for vol in app.volumes:
        if _state(volumes, cluster, app, vol.name).assigned != 0:
            raise BootstrapError(f"bootstrap aborted: concurrent assignment detected for volume {vol.name}")
        try:
            disk = volumes.volume_disk_create(cluster, app, vol.name, "", "", create_opts)
        except KompoxError as err:
            raise BootstrapError(f"disk create failed for volume {vol.name}: {err}", cause=err) from err
        try:
            volumes.volume_disk_assign(cluster, app, vol.name, disk.name)
        except KompoxError as err:
            raise BootstrapError(f"disk assign failed for volume {vol.name}: {err}", cause=err) from err
        created.append(dataclasses.replace(disk, assigned=True))
    return BootstrapResult(created=created)
