"""Snapshot and ``source`` rules of the volume contract (seed 000 "VolumeSnapshot*", "Source", seed 002)."""

from __future__ import annotations

import dataclasses

import pytest

from kompox.domain.errors import DriverValidationError, KompoxError, NotSupportedError, ValidationError
from kompox.domain.model import AppVolume, VolumeSnapshot
from kompox.domain.naming import is_dns1123_label
from kompox.domain.options import (
    VolumeSnapshotCreateOptions,
    VolumeSnapshotDeleteOptions,
    VolumeSnapshotListOptions,
)

from .harness import DISK_SIZE, DISK_VOLUME, FILES_VOLUME, VolumeHarness
from .ops import create, flags, listed

V = DISK_VOLUME


def snap(h: VolumeHarness, name: str = "", source: str = "", vol: str = V) -> VolumeSnapshot:
    return h.driver.volume_snapshot_create(h.cluster, h.app, vol, name, source)


def snaps(h: VolumeHarness, vol: str = V) -> list[VolumeSnapshot]:
    return h.driver.volume_snapshot_list(h.cluster, h.app, vol)


def source_of(h: VolumeHarness, handle: str) -> str:
    if h.source_of is None:
        pytest.skip(f"harness {h.name} does not expose copy sources (VolumeHarness.source_of)")
    return h.source_of(handle)


# --- snapshots --------------------------------------------------------------


def test_snapshot_create_list_delete_roundtrip(harness: VolumeHarness) -> None:
    create(harness, V, "d1")
    s1 = snap(harness, "s1")
    assert (s1.name, s1.volume_name) == ("s1", V)
    assert s1.handle.strip()
    assert [(s.name, s.handle) for s in snaps(harness)] == [("s1", s1.handle)]
    harness.driver.volume_snapshot_delete(harness.cluster, harness.app, V, "s1")
    assert snaps(harness) == []


def test_snapshot_list_of_volume_without_snapshots_is_empty(harness: VolumeHarness) -> None:
    assert snaps(harness) == []


def test_snapshot_list_ordered_by_created_desc_then_name(harness: VolumeHarness) -> None:
    create(harness, V, "d1")
    for name in ("s-b", "s-a"):
        snap(harness, name)
    harness.advance_clock(60)
    snap(harness, "s-0")
    listed_snaps = snaps(harness)
    assert [s.name for s in listed_snaps] == ["s-0", "s-a", "s-b"]
    assert listed_snaps[0].created_at > listed_snaps[1].created_at == listed_snaps[2].created_at  # type: ignore[operator]


def test_empty_snapshot_name_gets_default_naming(harness: VolumeHarness) -> None:
    create(harness, V, "d1")
    first, second = snap(harness), snap(harness)
    for s in (first, second):
        assert s.name and len(s.name) <= 24 and is_dns1123_label(s.name), s.name
    assert first.name != second.name
    assert sorted(s.name for s in snaps(harness)) == sorted([first.name, second.name])


def test_duplicate_snapshot_name_is_error(harness: VolumeHarness) -> None:
    create(harness, V, "d1")
    original = snap(harness, "s1")
    with pytest.raises(ValidationError, match="s1"):
        snap(harness, "s1")
    assert [(s.name, s.handle) for s in snaps(harness)] == [("s1", original.handle)]


def test_snapshot_names_over_limit_rejected(harness: VolumeHarness) -> None:
    create(harness, V, "d1")
    with pytest.raises(ValidationError):
        snap(harness, "s" * 25)
    assert snaps(harness) == []
    assert snap(harness, "s" * 24).name == "s" * 24


def test_delete_missing_snapshot_is_success(harness: VolumeHarness) -> None:
    create(harness, V, "d1")
    snap(harness, "s1")
    harness.driver.volume_snapshot_delete(harness.cluster, harness.app, V, "never-created")
    harness.driver.volume_snapshot_delete(harness.cluster, harness.app, V, "s1")
    harness.driver.volume_snapshot_delete(harness.cluster, harness.app, V, "s1")
    assert snaps(harness) == []


def test_snapshot_default_source_is_assigned_disk(harness: VolumeHarness) -> None:
    d1 = create(harness, V, "d1")
    d2 = create(harness, V, "d2")
    harness.driver.volume_disk_assign(harness.cluster, harness.app, V, "d2")
    s = snap(harness, "s1")
    assert source_of(harness, s.handle) == d2.handle != d1.handle


def test_snapshot_default_source_requires_assigned_disk(harness: VolumeHarness) -> None:
    create(harness, V, "d1")
    create(harness, V, "d2")
    harness.driver.volume_disk_delete(harness.cluster, harness.app, V, "d1")  # d1 was the assigned one
    assert flags(harness, V) == {"d2": False}
    with pytest.raises(KompoxError):
        snap(harness, "s1")
    assert snaps(harness) == []
    harness.driver.volume_disk_assign(harness.cluster, harness.app, V, "d2")
    assert snap(harness, "s1").name == "s1"


def test_snapshot_source_names_a_disk(harness: VolumeHarness) -> None:
    """``disk:<name>`` and a bare name both mean a disk of this volume for snapshot create."""
    create(harness, V, "d1")
    d2 = create(harness, V, "d2")
    typed, bare = snap(harness, "s1", "disk:d2"), snap(harness, "s2", "d2")
    assert source_of(harness, typed.handle) == d2.handle
    assert source_of(harness, bare.handle) == d2.handle


def test_snapshot_from_unknown_disk_fails_and_creates_nothing(harness: VolumeHarness) -> None:
    create(harness, V, "d1")
    for source in ("disk:nosuch", "nosuch"):
        with pytest.raises(KompoxError, match="nosuch"):
            snap(harness, "s1", source)
    assert snaps(harness) == []


def test_snapshots_are_per_volume(harness: VolumeHarness) -> None:
    app = dataclasses.replace(harness.app, volumes=[*harness.app.volumes, AppVolume("logs", DISK_SIZE)])
    for vol in (V, "logs"):
        harness.driver.volume_disk_create(harness.cluster, app, vol, "d1", "")
    harness.driver.volume_snapshot_create(harness.cluster, app, V, "s1", "")
    harness.driver.volume_snapshot_create(harness.cluster, app, "logs", "l1", "")
    assert [s.name for s in harness.driver.volume_snapshot_list(harness.cluster, app, V)] == ["s1"]
    assert [s.name for s in harness.driver.volume_snapshot_list(harness.cluster, app, "logs")] == ["l1"]


def test_every_snapshot_method_accepts_options_and_refuses_force(harness: VolumeHarness) -> None:
    """Snapshot options are accepted; ``force`` has no meaning for snapshots and is refused (issue #18)."""
    h = harness
    create(h, V, "d1")
    refused = [
        lambda: h.driver.volume_snapshot_create(h.cluster, h.app, V, "s1", "", VolumeSnapshotCreateOptions(force=True)),
        lambda: h.driver.volume_snapshot_list(h.cluster, h.app, V, VolumeSnapshotListOptions(force=True)),
        lambda: h.driver.volume_snapshot_delete(h.cluster, h.app, V, "s1", VolumeSnapshotDeleteOptions(force=True)),
    ]
    for call in refused:
        with pytest.raises(DriverValidationError, match="force is not supported") as caught:
            call()
        assert caught.value.field == "--force"
    assert snaps(h) == []
    s = h.driver.volume_snapshot_create(h.cluster, h.app, V, "s1", "", VolumeSnapshotCreateOptions())
    assert [x.name for x in h.driver.volume_snapshot_list(h.cluster, h.app, V, VolumeSnapshotListOptions())] == [s.name]
    h.driver.volume_snapshot_delete(h.cluster, h.app, V, "s1", VolumeSnapshotDeleteOptions())
    assert snaps(h) == []


def test_files_snapshot_not_supported(files_harness: VolumeHarness) -> None:
    """Seed 002: snapshots of ``files`` volumes raise the typed "not supported" error, all three methods."""
    h = files_harness
    create(h, FILES_VOLUME, "s1")
    with pytest.raises(NotSupportedError):
        h.driver.volume_snapshot_list(h.cluster, h.app, FILES_VOLUME)
    with pytest.raises(NotSupportedError):
        h.driver.volume_snapshot_create(h.cluster, h.app, FILES_VOLUME, "snap1", "")
    with pytest.raises(NotSupportedError):
        h.driver.volume_snapshot_delete(h.cluster, h.app, FILES_VOLUME, "snap1")


# --- disk sources -------------------------------------------------------------


def test_disk_restore_from_snapshot(harness: VolumeHarness) -> None:
    """``snapshot:<name>`` restores; the new disk has the volume's size and is not assigned (not the first)."""
    create(harness, V, "d1")
    s1 = snap(harness, "s1")
    restored = create(harness, V, "restored", "snapshot:s1")
    assert (restored.size, restored.assigned) == (DISK_SIZE, False)
    assert source_of(harness, restored.handle) == s1.handle
    assert flags(harness, V) == {"d1": True, "restored": False}


def test_listed_disks_report_their_source_and_are_no_longer_creating(harness: VolumeHarness) -> None:
    """Issue #18 extension: ``VolumeDisk.source`` is the handle the disk was made from (``""`` for an empty
    disk) and a disk whose creation returned is not ``creating`` (``snapshot prune`` keeps the sources of
    disks that still are)."""
    d1 = create(harness, V, "d1")
    s1 = snap(harness, "s1")
    create(harness, V, "restored", "snapshot:s1")
    create(harness, V, "clone", "disk:d1")
    by_name = {d.name: d for d in listed(harness, V)}
    assert {n: (d.source, d.creating) for n, d in by_name.items()} == {
        "d1": ("", False),
        "restored": (s1.handle, False),
        "clone": (d1.handle, False),
    }


def test_disk_bare_source_means_snapshot(harness: VolumeHarness) -> None:
    create(harness, V, "d1")
    s1 = snap(harness, "s1")
    restored = create(harness, V, "restored", "s1")
    assert source_of(harness, restored.handle) == s1.handle


def test_disk_from_disk_source(harness: VolumeHarness) -> None:
    d1 = create(harness, V, "d1")
    clone = create(harness, V, "clone", "disk:d1")
    assert clone.name == "clone" and not clone.assigned
    assert source_of(harness, clone.handle) == d1.handle


def test_disk_without_source_is_empty(harness: VolumeHarness) -> None:
    disk = create(harness, V, "d1")
    assert source_of(harness, disk.handle) == ""


def test_disk_from_unknown_snapshot_fails_and_creates_nothing(harness: VolumeHarness) -> None:
    create(harness, V, "d1")
    for source in ("snapshot:nosuch", "nosuch"):
        with pytest.raises(KompoxError, match="nosuch"):
            create(harness, V, "d2", source)
    assert [d.name for d in listed(harness, V)] == ["d1"]


def test_source_unknown_prefix_rejected(harness: VolumeHarness) -> None:
    create(harness, V, "d1")
    snap(harness, "s1")
    with pytest.raises(ValidationError, match="volume"):
        create(harness, V, "d2", "volume:d1")
    with pytest.raises(ValidationError, match="image"):
        snap(harness, "s2", "image:d1")
    assert [d.name for d in listed(harness, V)] == ["d1"]
    assert [s.name for s in snaps(harness)] == ["s1"]


def test_source_provider_native_id_accepted(harness: VolumeHarness) -> None:
    """A provider-native id (here: the handle of a snapshot) is a valid source."""
    create(harness, V, "d1")
    s1 = snap(harness, "s1")
    restored = create(harness, V, "native", s1.handle)
    assert restored.name == "native"
    assert source_of(harness, restored.handle) == s1.handle


def test_files_source_not_supported(files_harness: VolumeHarness) -> None:
    h = files_harness
    create(h, FILES_VOLUME, "s1")
    with pytest.raises((NotSupportedError, ValidationError)):
        create(h, FILES_VOLUME, "s2", "disk:s1")
    assert [d.name for d in listed(h, FILES_VOLUME)] == ["s1"]
