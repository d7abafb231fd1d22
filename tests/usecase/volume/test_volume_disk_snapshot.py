"""Disk and snapshot use cases: validation before the provider, messages that list what exists."""

from __future__ import annotations

import pytest

from kompox.domain.errors import ExitCode, NotFoundError, NotSupportedError, ValidationError
from kompox.usecase.volume_disk import AssignedDiskError, assign_disk, create_disk, delete_disk, list_disks
from kompox.usecase.volume_snapshot import create_snapshot, delete_snapshot, list_snapshots

from .conftest import World


def names(w: World, vol: str = "db") -> dict[str, bool]:
    return {d.name: d.assigned for d in list_disks(w.port, w.cluster, w.app, vol)}


def test_unknown_volume_lists_declared_volumes_and_touches_nothing(world: World) -> None:
    for call in (
        lambda: list_disks(world.port, world.cluster, world.app, "nosuch"),
        lambda: create_disk(world.port, world.cluster, world.app, "nosuch"),
        lambda: assign_disk(world.port, world.cluster, world.app, "nosuch", "d1"),
        lambda: delete_disk(world.port, world.cluster, world.app, "nosuch", "d1"),
        lambda: list_snapshots(world.port, world.cluster, world.app, "nosuch"),
        lambda: create_snapshot(world.port, world.cluster, world.app, "nosuch"),
        lambda: delete_snapshot(world.port, world.cluster, world.app, "nosuch", "s1"),
    ):
        with pytest.raises(NotFoundError) as info:
            call()
        assert str(info.value) == "volume not defined: volume not found: nosuch (volumes of app app1: db, share)"
    assert world.cloud.calls == []


@pytest.mark.parametrize(
    ("volume", "disk", "fragment"),
    [
        ("v" * 17, "", "volume name exceeds 16 characters"),
        ("db", "d" * 25, "disk name exceeds 24 characters"),
        ("db", "Bad_Name", 'invalid disk name "Bad_Name"'),
        ("", "", "missing parameters: volume name is required"),
    ],
)
def test_bad_names_rejected_before_the_provider(world: World, volume: str, disk: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        create_disk(world.port, world.cluster, world.app, volume, disk_name=disk)
    assert world.cloud.calls == []


def test_snapshot_name_over_limit_rejected(world: World) -> None:
    with pytest.raises(ValidationError, match="snapshot name exceeds 24 characters"):
        create_snapshot(world.port, world.cluster, world.app, "db", snapshot_name="s" * 25)
    assert world.cloud.calls == []


def test_create_with_existing_name_fails_and_lists_disks(world: World) -> None:
    create_disk(world.port, world.cluster, world.app, "db", disk_name="d1")
    create_disk(world.port, world.cluster, world.app, "db", disk_name="d2")
    with pytest.raises(ValidationError) as info:
        create_disk(world.port, world.cluster, world.app, "db", disk_name="d1")
    assert str(info.value) == 'disk name: disk "d1" already exists in volume db (disks: d1, d2)'
    assert world.calls("volume_disk_create") == 2


def test_create_forwards_zone_options_and_source(world: World) -> None:
    first = create_disk(world.port, world.cluster, world.app, "db")
    assert (first.assigned, first.zone, first.options) == (True, "1", {"sku": "Premium_LRS"})
    second = create_disk(world.port, world.cluster, world.app, "db", zone="3", options={"sku": "StandardSSD_LRS"})
    assert (second.assigned, second.zone, second.options) == (False, "3", {"sku": "StandardSSD_LRS"})
    with pytest.raises(ValidationError, match='unknown source type "tape"'):
        create_disk(world.port, world.cluster, world.app, "db", disk_name="d9", source="tape:x")
    assert len(names(world)) == 2


def test_restore_is_disk_create_from_snapshot_then_assign(world: World) -> None:
    create_disk(world.port, world.cluster, world.app, "db", disk_name="d1")
    snap = create_snapshot(world.port, world.cluster, world.app, "db", snapshot_name="daily")
    restored = create_disk(world.port, world.cluster, world.app, "db", disk_name="restored", source="snapshot:daily")
    assert world.cloud.by_id(restored.handle).source_id == snap.handle  # type: ignore[union-attr]
    assigned = assign_disk(world.port, world.cluster, world.app, "db", "restored")
    assert assigned.name == "restored" and assigned.assigned
    assert names(world) == {"d1": False, "restored": True}
    delete_disk(world.port, world.cluster, world.app, "db", "d1")
    assert names(world) == {"restored": True}


def test_assign_unknown_disk_lists_disks_and_assigns_nothing(world: World) -> None:
    create_disk(world.port, world.cluster, world.app, "db", disk_name="d1")
    with pytest.raises(NotFoundError) as info:
        assign_disk(world.port, world.cluster, world.app, "db", "d9")
    assert str(info.value) == "disk not found: d9 (disks of volume db: d1)"
    assert world.calls("volume_disk_assign") == 0


def test_assign_requires_a_name(world: World) -> None:
    with pytest.raises(ValidationError, match="disk name is required"):
        assign_disk(world.port, world.cluster, world.app, "db", "")


def test_delete_assigned_disk_refused_unless_forced(world: World) -> None:
    create_disk(world.port, world.cluster, world.app, "db", disk_name="d1")
    with pytest.raises(AssignedDiskError) as info:
        delete_disk(world.port, world.cluster, world.app, "db", "d1")
    assert "disk d1 is assigned; assign another disk first before deletion" in str(info.value)
    assert info.value.exit_code is ExitCode.CONFIG
    assert names(world) == {"d1": True}
    deleted = delete_disk(world.port, world.cluster, world.app, "db", "d1", force=True)
    assert deleted.name == "d1"
    assert names(world) == {}


def test_delete_unknown_disk_lists_disks(world: World) -> None:
    with pytest.raises(NotFoundError, match=r"^disk not found: d1 \(disks of volume db: none\)$"):
        delete_disk(world.port, world.cluster, world.app, "db", "d1")
    assert world.calls("volume_disk_delete") == 0


def test_snapshot_lifecycle_and_unknown_snapshot(world: World) -> None:
    create_disk(world.port, world.cluster, world.app, "db", disk_name="d1")
    s1 = create_snapshot(world.port, world.cluster, world.app, "db", snapshot_name="s1")
    s2 = create_snapshot(world.port, world.cluster, world.app, "db", source="disk:d1")
    assert world.cloud.by_id(s1.handle).source_id == world.cloud.resources[0].id  # type: ignore[union-attr]
    assert sorted(s.name for s in list_snapshots(world.port, world.cluster, world.app, "db")) == sorted(["s1", s2.name])
    with pytest.raises(ValidationError, match=r'snapshot "s1" already exists in volume db'):
        create_snapshot(world.port, world.cluster, world.app, "db", snapshot_name="s1")
    with pytest.raises(NotFoundError) as info:
        delete_snapshot(world.port, world.cluster, world.app, "db", "nosuch")
    assert (
        str(info.value) == f"snapshot not found: nosuch (snapshots of volume db: {', '.join(sorted(['s1', s2.name]))})"
    )
    assert delete_snapshot(world.port, world.cluster, world.app, "db", "s1").name == "s1"
    assert [s.name for s in list_snapshots(world.port, world.cluster, world.app, "db")] == [s2.name]


def test_restore_from_unknown_snapshot_lists_snapshots(world: World) -> None:
    create_disk(world.port, world.cluster, world.app, "db", disk_name="d1")
    create_snapshot(world.port, world.cluster, world.app, "db", snapshot_name="s1")
    with pytest.raises(NotFoundError, match=r"snapshot not found: nope \(snapshots of volume db: s1\)"):
        create_disk(world.port, world.cluster, world.app, "db", source="nope")
    assert names(world) == {"d1": True}


def test_files_snapshots_are_the_drivers_decision(world: World) -> None:
    create_disk(world.port, world.cluster, world.app, "share", disk_name="s1")
    with pytest.raises(NotSupportedError):
        list_snapshots(world.port, world.cluster, world.app, "share")
    with pytest.raises(NotSupportedError):
        create_snapshot(world.port, world.cluster, world.app, "share")
    with pytest.raises(NotSupportedError):
        delete_snapshot(world.port, world.cluster, world.app, "share", "x")
