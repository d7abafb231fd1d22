"""VolumeClass and identity rules of the contract (seed 000 checklist, seed 002 VolumeClass table)."""

from __future__ import annotations

from kompox.domain.model import AppVolume
from kompox.domain.model.volume import ACCESS_MODES, RECLAIM_POLICIES, VOLUME_MODES

from .harness import DISK_SIZE, DISK_VOLUME, FILES_VOLUME, VolumeHarness


def test_identity_methods_return_names(harness: VolumeHarness) -> None:
    d = harness.driver
    assert d.id() and d.id() == d.id().strip().lower()
    assert d.workspace_name()
    assert d.provider_name()


def test_volume_class_fields_valid_or_empty(harness: VolumeHarness) -> None:
    """Every field is either empty ("no opinion") or a value Kubernetes accepts."""
    for vol in harness.app.volumes:
        vc = harness.driver.volume_class(harness.cluster, harness.app, vol)
        assert vc.bindable, f"volume {vol.name}: a bindable class names its CSI driver or is a local volume"
        assert set(vc.access_modes) <= set(ACCESS_MODES)
        assert vc.reclaim_policy in ("", *RECLAIM_POLICIES)
        assert vc.volume_mode in ("", *VOLUME_MODES)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in vc.attributes.items())


def test_volume_class_disk_is_read_write_once(harness: VolumeHarness) -> None:
    vol = harness.app.find_volume(DISK_VOLUME)
    vc = harness.driver.volume_class(harness.cluster, harness.app, vol)
    assert vc.access_modes in ([], ["ReadWriteOnce"])  # empty = converter default RWO


def test_volume_class_empty_type_means_disk(harness: VolumeHarness) -> None:
    typed = harness.driver.volume_class(harness.cluster, harness.app, AppVolume("x", DISK_SIZE, type="disk"))
    untyped = harness.driver.volume_class(harness.cluster, harness.app, AppVolume("x", DISK_SIZE, type=""))
    assert untyped == typed


def test_volume_class_files_is_rwx_without_fstype(files_harness: VolumeHarness) -> None:
    """Seed 002: ``files`` → accessModes [ReadWriteMany]; no fsType (it breaks SMB mounts)."""
    h = files_harness
    vc = h.driver.volume_class(h.cluster, h.app, h.app.find_volume(FILES_VOLUME))
    assert vc.access_modes == ["ReadWriteMany"]
    assert vc.fs_type == ""
    assert "fsType" not in vc.attributes
    disk_vc = h.driver.volume_class(h.cluster, h.app, h.app.find_volume(DISK_VOLUME))
    assert vc.csi_driver != disk_vc.csi_driver
