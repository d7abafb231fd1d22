"""Azure Managed Disk backend (``type = "disk"``, driver-aks.md §11).

Only ``volume_class`` is implemented; disk and snapshot operations arrive with
the volumes issue and raise the typed "not implemented" error until then.
"""

from __future__ import annotations

from typing import NoReturn

from kompox.domain.errors import CapabilityNotImplementedError
from kompox.domain.model import App, AppVolume, Cluster, VolumeClass, VolumeDisk, VolumeSnapshot
from kompox.domain.options import VolumeDiskCreateOptions


class DiskBackend:
    def _missing(self, method: str) -> NoReturn:
        raise CapabilityNotImplementedError(method, "aks")

    def disk_list(self, cluster: Cluster, app: App, vol_name: str) -> list[VolumeDisk]:
        self._missing("VolumeDiskList")

    def disk_create(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, source: str, opts: VolumeDiskCreateOptions
    ) -> VolumeDisk:
        self._missing("VolumeDiskCreate")

    def disk_delete(self, cluster: Cluster, app: App, vol_name: str, disk_name: str) -> None:
        self._missing("VolumeDiskDelete")

    def disk_assign(self, cluster: Cluster, app: App, vol_name: str, disk_name: str) -> None:
        self._missing("VolumeDiskAssign")

    def snapshot_list(self, cluster: Cluster, app: App, vol_name: str) -> list[VolumeSnapshot]:
        self._missing("VolumeSnapshotList")

    def snapshot_create(self, cluster: Cluster, app: App, vol_name: str, snap_name: str, source: str) -> VolumeSnapshot:
        self._missing("VolumeSnapshotCreate")

    def snapshot_delete(self, cluster: Cluster, app: App, vol_name: str, snap_name: str) -> None:
        self._missing("VolumeSnapshotDelete")

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
