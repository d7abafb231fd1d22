"""Volume method dispatch by ``AppVolume.type`` (upstream ``volume.go``, driver-aks.md §10)."""

from __future__ import annotations

from kompox.domain.errors import DriverValidationError
from kompox.domain.model import VOLUME_TYPE_DISK, VOLUME_TYPE_FILES, App, VolumeDisk
from kompox.providers.aks.context import AKSContext
from kompox.providers.aks.volume_backend import VolumeBackend
from kompox.providers.aks.volume_backend_disk import DiskBackend
from kompox.providers.aks.volume_backend_files import FilesBackend
from kompox.providers.aks.volume_common import sort_newest_first


def new_backends(ctx: AKSContext | None = None) -> dict[str, VolumeBackend]:
    """The backend per volume type, bound to the driver's context.

    Without a context only ``volume_class`` (and the files backend's
    ``NotSupportedError`` for snapshots) work; the cloud operations raise the
    typed not-implemented error.
    """
    return {VOLUME_TYPE_DISK: DiskBackend(ctx), VOLUME_TYPE_FILES: FilesBackend(ctx)}


def backend_for_type(backends: dict[str, VolumeBackend], vol_type: str) -> VolumeBackend:
    backend = backends.get(vol_type or VOLUME_TYPE_DISK)
    if backend is None:
        raise DriverValidationError(f"unsupported volume type: {vol_type}")
    return backend


def backend_for_volume(backends: dict[str, VolumeBackend], app: App, vol_name: str) -> VolumeBackend:
    """The backend of the app's volume ``vol_name`` (raises ``NotFoundError`` for unknown volumes)."""
    return backend_for_type(backends, app.find_volume(vol_name).type)


def sort_disks(disks: list[VolumeDisk]) -> list[VolumeDisk]:
    """``created_at`` descending, ties by ``name`` ascending (seed 000 ordering)."""
    return sort_newest_first(disks)
