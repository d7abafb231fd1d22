"""Disk rules of the volume contract (seed 000 "VolumeDisk*" and checklist; seed 002 for ``files``).

Every test is one rule; ``vol_name`` runs it for the ``disk`` volume and,
where the harness supports it, the ``files`` volume (a share is a "disk").
"""

from __future__ import annotations

import dataclasses

import pytest

from kompox.domain.errors import DriverValidationError, KompoxError, NotFoundError, ValidationError
from kompox.domain.model import AppVolume
from kompox.domain.naming import is_dns1123_label
from kompox.domain.options import (
    VolumeDiskAssignOptions,
    VolumeDiskCreateOptions,
    VolumeDiskDeleteOptions,
    VolumeDiskListOptions,
)

from .harness import DISK_SIZE, DISK_VOLUME, FILES_SIZE, FILES_VOLUME, VolumeHarness
from .ops import create, flags, listed


def test_list_of_volume_without_disks_is_empty(harness: VolumeHarness, vol_name: str) -> None:
    assert listed(harness, vol_name) == []


def test_first_disk_created_is_assigned(harness: VolumeHarness, vol_name: str) -> None:
    disk = create(harness, vol_name, "d1")
    assert disk.assigned is True
    assert flags(harness, vol_name) == {"d1": True}


def test_later_disks_are_created_unassigned(harness: VolumeHarness, vol_name: str) -> None:
    create(harness, vol_name, "d1")
    harness.advance_clock(1)
    second = create(harness, vol_name, "d2")
    harness.advance_clock(1)
    third = create(harness, vol_name, "d3")
    assert (second.assigned, third.assigned) == (False, False)
    assert flags(harness, vol_name) == {"d1": True, "d2": False, "d3": False}


def test_create_does_not_change_other_disks(harness: VolumeHarness, vol_name: str) -> None:
    create(harness, vol_name, "d1")
    create(harness, vol_name, "d2")
    before = {d.name: (d.assigned, d.handle, d.size) for d in listed(harness, vol_name)}
    harness.advance_clock(5)
    create(harness, vol_name, "d3")
    after = {d.name: (d.assigned, d.handle, d.size) for d in listed(harness, vol_name) if d.name != "d3"}
    assert after == before


def test_user_given_disk_name_is_used(harness: VolumeHarness, vol_name: str) -> None:
    disk = create(harness, vol_name, "my-disk-01")
    assert disk.name == "my-disk-01"
    assert disk.volume_name == vol_name
    assert [d.name for d in listed(harness, vol_name)] == ["my-disk-01"]


def test_empty_name_gets_default_naming(harness: VolumeHarness, vol_name: str) -> None:
    first = create(harness, vol_name)
    second = create(harness, vol_name)
    for disk in (first, second):
        assert disk.name and len(disk.name) <= 24 and is_dns1123_label(disk.name), disk.name
    assert first.name != second.name
    assert sorted(d.name for d in listed(harness, vol_name)) == sorted([first.name, second.name])


def test_duplicate_name_is_error(harness: VolumeHarness, vol_name: str) -> None:
    original = create(harness, vol_name, "d1")
    with pytest.raises(ValidationError, match="d1"):
        create(harness, vol_name, "d1")
    assert [(d.name, d.handle) for d in listed(harness, vol_name)] == [("d1", original.handle)]


def test_names_over_limit_rejected(harness: VolumeHarness) -> None:
    """Disk names are 1..24 and volume names 1..16 characters (Kompox baseline; drivers may be stricter)."""
    with pytest.raises(ValidationError):
        create(harness, DISK_VOLUME, "d" * 25)
    long_vol = "v" * 17
    app = dataclasses.replace(harness.app, volumes=[*harness.app.volumes, AppVolume(long_vol, DISK_SIZE)])
    with pytest.raises(ValidationError):
        harness.driver.volume_disk_create(harness.cluster, app, long_vol, "d1", "")
    assert listed(harness, DISK_VOLUME) == []
    assert create(harness, DISK_VOLUME, "d" * 24).name == "d" * 24


def test_handles_are_unique_and_non_empty(harness: VolumeHarness, vol_name: str) -> None:
    disks = [create(harness, vol_name, f"d{i}") for i in range(3)]
    handles = [d.handle for d in disks]
    assert all(h.strip() for h in handles)
    assert len(set(handles)) == 3
    assert sorted(d.handle for d in listed(harness, vol_name)) == sorted(handles)


def test_list_ordered_by_created_desc_then_name(harness: VolumeHarness, vol_name: str) -> None:
    for name in ("b", "c", "a"):  # same creation time: ordered by name
        create(harness, vol_name, name)
    harness.advance_clock(60)
    create(harness, vol_name, "z")
    harness.advance_clock(60)
    create(harness, vol_name, "m")
    disks = listed(harness, vol_name)
    assert [d.name for d in disks] == ["m", "z", "a", "b", "c"]
    times = [d.created_at for d in disks]
    assert all(t is not None for t in times)
    assert times[0] > times[1] > times[2] == times[3] == times[4]  # type: ignore[operator]


def test_disk_size_is_volume_size(harness: VolumeHarness) -> None:
    assert create(harness, DISK_VOLUME, "d1").size == DISK_SIZE
    assert [d.size for d in listed(harness, DISK_VOLUME)] == [DISK_SIZE]


def test_disk_zone_follows_app_zone_or_override(harness: VolumeHarness) -> None:
    """Without an override the disk lands in the app's zone (K3s: a node of the app's pool); an override wins."""
    default = harness.app.deployment.zone if harness.default_zone is None else harness.default_zone
    override = harness.zone_override
    assert create(harness, DISK_VOLUME, "d1").zone == default
    assert create(harness, DISK_VOLUME, "d2", zone=override).zone == override
    assert {d.name: d.zone for d in listed(harness, DISK_VOLUME)} == {"d1": default, "d2": override}


def test_assign_marks_exactly_one(harness: VolumeHarness, vol_name: str) -> None:
    for name in ("d1", "d2", "d3"):
        create(harness, vol_name, name)
    harness.driver.volume_disk_assign(harness.cluster, harness.app, vol_name, "d3")
    assert flags(harness, vol_name) == {"d1": False, "d2": False, "d3": True}
    harness.driver.volume_disk_assign(harness.cluster, harness.app, vol_name, "d2")
    assert flags(harness, vol_name) == {"d1": False, "d2": True, "d3": False}


def test_assign_is_idempotent(harness: VolumeHarness, vol_name: str) -> None:
    create(harness, vol_name, "d1")
    create(harness, vol_name, "d2")
    for _ in range(2):
        harness.driver.volume_disk_assign(harness.cluster, harness.app, vol_name, "d2")
        assert flags(harness, vol_name) == {"d1": False, "d2": True}


def test_assign_unknown_disk_fails_and_changes_nothing(harness: VolumeHarness, vol_name: str) -> None:
    create(harness, vol_name, "d1")
    create(harness, vol_name, "d2")
    with pytest.raises(KompoxError, match="nosuch"):
        harness.driver.volume_disk_assign(harness.cluster, harness.app, vol_name, "nosuch")
    assert flags(harness, vol_name) == {"d1": True, "d2": False}


def test_delete_removes_only_that_disk(harness: VolumeHarness, vol_name: str) -> None:
    create(harness, vol_name, "d1")
    create(harness, vol_name, "d2")
    harness.driver.volume_disk_delete(harness.cluster, harness.app, vol_name, "d2")
    assert flags(harness, vol_name) == {"d1": True}


def test_delete_missing_disk_is_success(harness: VolumeHarness, vol_name: str) -> None:
    create(harness, vol_name, "d1")
    harness.driver.volume_disk_delete(harness.cluster, harness.app, vol_name, "never-created")
    harness.driver.volume_disk_delete(harness.cluster, harness.app, vol_name, "d1")
    harness.driver.volume_disk_delete(harness.cluster, harness.app, vol_name, "d1")
    assert listed(harness, vol_name) == []


def test_other_cluster_sees_same_disks(harness: VolumeHarness, vol_name: str) -> None:
    """Membership is by the volume's tag, not the cluster: a failover cluster sees the same disks."""
    if harness.other_cluster is None:
        pytest.skip(f"harness {harness.name} provides no second cluster")
    create(harness, vol_name, "d1")
    create(harness, vol_name, "d2")
    here = [(d.name, d.handle, d.assigned) for d in listed(harness, vol_name)]
    there = harness.driver.volume_disk_list(harness.other_cluster, harness.app, vol_name)
    assert [(d.name, d.handle, d.assigned) for d in there] == here
    harness.driver.volume_disk_assign(harness.other_cluster, harness.app, vol_name, "d2")
    assert flags(harness, vol_name) == {"d1": False, "d2": True}


def test_volumes_are_isolated(harness: VolumeHarness) -> None:
    """Disks of one volume never show up under another volume of the same app."""
    app = dataclasses.replace(harness.app, volumes=[*harness.app.volumes, AppVolume("logs", DISK_SIZE)])
    harness.driver.volume_disk_create(harness.cluster, app, DISK_VOLUME, "d1", "")
    harness.driver.volume_disk_create(harness.cluster, app, "logs", "d1", "")
    harness.driver.volume_disk_create(harness.cluster, app, "logs", "l2", "")
    assert [d.name for d in listed(harness, DISK_VOLUME, app)] == ["d1"]
    assert sorted(d.name for d in listed(harness, "logs", app)) == ["d1", "l2"]
    assert {d.volume_name for d in listed(harness, "logs", app)} == {"logs"}
    harness.driver.volume_disk_delete(harness.cluster, app, "logs", "d1")
    assert [d.name for d in listed(harness, DISK_VOLUME, app)] == ["d1"]


def test_unknown_volume_rejected(harness: VolumeHarness) -> None:
    with pytest.raises(NotFoundError, match="nosuch"):
        harness.driver.volume_disk_list(harness.cluster, harness.app, "nosuch")
    with pytest.raises(NotFoundError, match="nosuch"):
        harness.driver.volume_disk_create(harness.cluster, harness.app, "nosuch", "d1", "")


def test_unknown_volume_type_rejected(harness: VolumeHarness) -> None:
    app = dataclasses.replace(harness.app, volumes=[AppVolume("odd", DISK_SIZE, type="blob")])
    with pytest.raises(ValidationError, match="blob"):
        harness.driver.volume_disk_create(harness.cluster, app, "odd", "d1", "")
    with pytest.raises(ValidationError, match="blob"):
        harness.driver.volume_class(harness.cluster, app, app.volumes[0])


def test_every_volume_method_accepts_options_and_refuses_a_force_it_cannot_honour(
    harness: VolumeHarness, vol_name: str
) -> None:
    """Options objects (zone, options) are accepted by every disk method; ``force`` is honoured by
    ``volume_disk_delete`` and refused (validation error, field ``--force``, nothing done) by the others
    (issue #18: never accepted and ignored)."""
    h = harness
    refused = [
        lambda: h.driver.volume_disk_create(h.cluster, h.app, vol_name, "d9", "", VolumeDiskCreateOptions(force=True)),
        lambda: h.driver.volume_disk_list(h.cluster, h.app, vol_name, VolumeDiskListOptions(force=True)),
        lambda: h.driver.volume_disk_assign(h.cluster, h.app, vol_name, "d1", VolumeDiskAssignOptions(force=True)),
    ]
    for call in refused:
        with pytest.raises(DriverValidationError, match="force is not supported") as caught:
            call()
        assert caught.value.field == "--force"
    disk = h.driver.volume_disk_create(
        h.cluster, h.app, vol_name, "d1", "", VolumeDiskCreateOptions(force=False, zone="", options={})
    )
    assert [d.name for d in h.driver.volume_disk_list(h.cluster, h.app, vol_name, VolumeDiskListOptions())] == [
        disk.name
    ]
    h.driver.volume_disk_assign(h.cluster, h.app, vol_name, "d1", VolumeDiskAssignOptions())
    h.driver.volume_disk_delete(h.cluster, h.app, vol_name, "d1", VolumeDiskDeleteOptions(force=True))
    assert listed(h, vol_name) == []


def test_files_share_is_regional_with_volume_quota(files_harness: VolumeHarness) -> None:
    """Seed 002: for ``files`` the disk is a share; zone empty, size = the volume's quota."""
    h = files_harness
    share = create(h, FILES_VOLUME, "s1", zone="2")
    assert share.zone == ""
    assert share.size == FILES_SIZE
    assert [(d.name, d.zone, d.size) for d in listed(h, FILES_VOLUME)] == [("s1", "", FILES_SIZE)]
