"""Azure Files backend (``type = "files"``, SMB shares, driver-aks.md §12).

``volume_class`` is implemented and snapshots raise ``NotSupportedError`` as
upstream; share operations arrive with the volumes issue and raise the typed
"not implemented" error until then.
"""

from __future__ import annotations

from typing import NoReturn

from kompox.domain.errors import CapabilityNotImplementedError, NotSupportedError
from kompox.domain.model import App, AppVolume, Cluster, VolumeClass, VolumeDisk, VolumeSnapshot
from kompox.domain.options import VolumeDiskCreateOptions

DEFAULT_PROTOCOL = "smb"


class FilesBackend:
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
        raise NotSupportedError()

    def snapshot_create(self, cluster: Cluster, app: App, vol_name: str, snap_name: str, source: str) -> VolumeSnapshot:
        raise NotSupportedError()

    def snapshot_delete(self, cluster: Cluster, app: App, vol_name: str, snap_name: str) -> None:
        raise NotSupportedError()

    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass:
        """Azure Files CSI opinion (§12.8): ``fs_type`` must stay empty."""
        protocol = (vol.options or {}).get("protocol")
        return VolumeClass(
            storage_class_name="azurefile-csi",
            csi_driver="file.csi.azure.com",
            fs_type="",
            attributes={"protocol": protocol if isinstance(protocol, str) and protocol else DEFAULT_PROTOCOL},
            access_modes=["ReadWriteMany"],
            reclaim_policy="Retain",
            volume_mode="Filesystem",
        )
