"""Which snapshots feed a disk still being created (issue #18): ``snapshot prune`` must keep those.

A disk restored from a snapshot (``disk create -S snapshot:…``) reads its
source while the provider makes it (AKS: ``provisioningState``
Creating/Updating or a background copy below 100 %; K3s localpath: a record
in state ``creating`` while the helper pod copies).  Drivers report this on
every listed disk (:attr:`VolumeDisk.creating`, :attr:`VolumeDisk.source`);
this module collects it over every volume of the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kompox.domain.errors import KompoxError, NotSupportedError
from kompox.domain.model import App, Cluster, VolumeSnapshot
from kompox.domain.ports import VolumePort


@dataclass(frozen=True)
class SourcesInCreation:
    """Snapshot handle (case-folded: ARM ids are case-insensitive) → why it must stay; ``error`` when unknown."""

    by_handle: dict[str, str] = field(default_factory=dict)
    error: str = ""

    def feeds(self, snap: VolumeSnapshot) -> str:
        """Why ``snap`` must stay (``""``: no disk being created reads it)."""
        return self.by_handle.get(snap.handle.casefold(), "") if snap.handle else ""


def sources_in_creation(volumes: VolumePort, cluster: Cluster, app: App) -> SourcesInCreation:
    """List the disks of every volume of the app once; a failed list makes the answer unknown (``error``)."""
    found: dict[str, str] = {}
    for vol in app.volumes:
        try:
            disks = volumes.volume_disk_list(cluster, app, vol.name)
        except NotSupportedError:
            continue
        except KompoxError as err:
            return SourcesInCreation(
                error=f"cannot tell which snapshots feed a disk still being created (list disks of volume "
                f"{vol.name}: {err}); deleted nothing"
            )
        for disk in disks:
            if disk.creating and disk.source:
                found.setdefault(
                    disk.source.casefold(), f"source of disk {disk.name} (volume {vol.name}), still being created"
                )
    return SourcesInCreation(found)
