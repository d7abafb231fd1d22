"""The volume backend interface: one implementation per ``AppVolume.type`` (upstream ``volume_backend.go``)."""

from __future__ import annotations

from typing import Protocol

from kompox.domain.model import App, AppVolume, Cluster, VolumeClass, VolumeDisk, VolumeSnapshot
from kompox.domain.options import VolumeDiskCreateOptions


class VolumeBackend(Protocol):
    def disk_list(self, cluster: Cluster, app: App, vol_name: str) -> list[VolumeDisk]: ...

    def disk_create(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, source: str, opts: VolumeDiskCreateOptions
    ) -> VolumeDisk: ...

    def disk_delete(self, cluster: Cluster, app: App, vol_name: str, disk_name: str) -> None: ...

    def disk_assign(self, cluster: Cluster, app: App, vol_name: str, disk_name: str) -> None: ...

    def snapshot_list(self, cluster: Cluster, app: App, vol_name: str) -> list[VolumeSnapshot]: ...

    def snapshot_create(
        self, cluster: Cluster, app: App, vol_name: str, snap_name: str, source: str
    ) -> VolumeSnapshot: ...

    def snapshot_delete(self, cluster: Cluster, app: App, vol_name: str, snap_name: str) -> None: ...

    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass: ...
