"""Retention rules of ``snapshot prune`` (issue #18): plan_prune, the policy checks, restores in progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kompox.domain.errors import LeaseHeldError, NotSupportedError, ProviderAPIError, ValidationError
from kompox.domain.lease import LeaseState
from kompox.domain.model import App, AppVolume, Cluster, VolumeDisk, VolumeSnapshot
from kompox.domain.timefmt import parse_duration
from kompox.usecase.prune_lease import PruneLease
from kompox.usecase.restore_sources import SourcesInCreation, sources_in_creation
from kompox.usecase.volume_retention import RetentionPolicy, plan_prune, prune_snapshots

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def snap(name: str, days_ago: float | None) -> VolumeSnapshot:
    created = NOW - timedelta(days=days_ago) if days_ago is not None else None
    return VolumeSnapshot(name=name, volume_name="db", created_at=created)


SNAPS = [snap("d40", 40), snap("d1", 1), snap("d10", 10), snap("d20", 20), snap("unknown", None)]


def deleted(policy: RetentionPolicy, snaps: list[VolumeSnapshot] = SNAPS) -> list[str]:
    return [d.snapshot.name for d in plan_prune(snaps, policy, NOW) if d.delete]


def test_keep_n_keeps_the_newest_regardless_of_input_order() -> None:
    assert deleted(RetentionPolicy(keep=2)) == ["d20", "d40", "unknown"]
    assert deleted(RetentionPolicy(keep=10)) == []


def test_older_than_keeps_recent_and_unknown_ages() -> None:
    assert deleted(RetentionPolicy(older_than=timedelta(days=15))) == ["d20", "d40"]


def test_both_given_is_the_intersection() -> None:
    assert deleted(RetentionPolicy(keep=3, older_than=timedelta(days=5))) == ["d40"]


def test_the_newest_is_never_deleted_even_when_old() -> None:
    only_old = [snap("a", 400), snap("b", 300)]
    assert deleted(RetentionPolicy(keep=1, older_than=timedelta(days=1)), only_old) == ["a"]
    assert deleted(RetentionPolicy(older_than=timedelta(seconds=1)), [snap("lonely", 999)]) == []


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (RetentionPolicy(), "needs --keep N and/or --older-than DURATION"),
        (RetentionPolicy(keep=0), "--keep must be at least 1"),
        (RetentionPolicy(older_than=timedelta(0)), "--older-than must be a positive duration"),
    ],
)
def test_policy_refuses_what_would_be_unsafe_or_meaningless(policy: RetentionPolicy, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        plan_prune(SNAPS, policy, NOW)


def test_durations() -> None:
    assert parse_duration("30d") == timedelta(days=30)
    assert parse_duration("1w2d3h4m5s") == timedelta(weeks=1, days=2, hours=3, minutes=4, seconds=5)
    assert parse_duration("1.5d") == timedelta(hours=36)  # decimals, as Go's time.ParseDuration
    assert parse_duration("300", bare_seconds=True) == timedelta(seconds=300)
    for bad in ("", "30", "d", "3x", "-1d", "1..5d", "1d 2h"):
        with pytest.raises(ValidationError, match="invalid duration"):
            parse_duration(bad)
    for bad in ("0", "0s", "0m0s"):
        with pytest.raises(ValidationError, match="duration must be positive"):
            parse_duration(bad, bare_seconds=True, positive=True)


def test_a_snapshot_feeding_a_disk_in_creation_is_kept_and_takes_no_keep_slot() -> None:
    snaps = [
        VolumeSnapshot(name=s.name, volume_name="db", created_at=s.created_at, handle=f"/H/{s.name}") for s in SNAPS
    ]
    busy = SourcesInCreation(
        {"/h/d10": "source of disk r (volume db), still being created"}
    )  # handles compare case-folded
    plan = plan_prune(snaps, RetentionPolicy(keep=2), NOW, busy)
    assert [(d.snapshot.name, d.delete) for d in plan] == [
        ("d1", False),
        ("d10", False),
        ("d20", True),
        ("d40", True),
        ("unknown", True),
    ]
    assert plan[1].reason == "within the 2 newest (10d0h old)"  # inside the keep window anyway
    plan = plan_prune(snaps, RetentionPolicy(keep=1), NOW, busy)
    assert [(d.snapshot.name, d.delete) for d in plan][:3] == [("d1", False), ("d10", False), ("d20", True)]
    assert plan[1].reason == "source of disk r (volume db), still being created (10d0h old)"


class _DisksFail:
    """A volume port whose disk list fails: which snapshots feed a restore cannot be told."""

    def __init__(self) -> None:
        self.deleted: list[str] = []

    def volume_disk_list(self, *_args: object, **_kw: object) -> list[VolumeDisk]:
        raise ProviderAPIError("ARM answered 503")

    def volume_snapshot_list(self, *_args: object, **_kw: object) -> list[VolumeSnapshot]:
        return [snap("new", 1), snap("old", 9)]

    def volume_snapshot_delete(self, _c: object, _a: object, _v: str, name: str, *_rest: object) -> None:
        self.deleted.append(name)


def test_prune_deletes_nothing_when_the_disks_cannot_be_listed() -> None:
    port = _DisksFail()
    app = App(name="app1", volumes=[AppVolume("db", 1 << 30)])
    (db,) = prune_snapshots(port, Cluster(name="c1"), app, RetentionPolicy(keep=1), now=NOW)  # type: ignore[arg-type]
    assert port.deleted == [] and db.failed
    assert db.errors == [
        "delete snapshot old: cannot tell which snapshots feed a disk still being created "
        "(list disks of volume db: ARM answered 503); deleted nothing"
    ]


class _FilesAndDisks:
    """Volume ``share`` has no disks (the driver says not supported); ``db`` has one disk being restored."""

    def volume_disk_list(self, _c: object, _a: object, vol_name: str, *_rest: object) -> list[VolumeDisk]:
        if vol_name == "share":
            raise NotSupportedError("volume share is of type files")
        restoring = VolumeDisk(name="r", volume_name="db", creating=True, source="/H/Snap1")
        return [VolumeDisk(name="ready", volume_name="db", source="/H/Snap0"), restoring]


def test_a_volume_without_disks_does_not_make_the_restore_sources_unknown() -> None:
    app = App(name="app1", volumes=[AppVolume("share", 1 << 30, type="files"), AppVolume("db", 1 << 30)])
    found = sources_in_creation(_FilesAndDisks(), Cluster(name="c1"), app)  # type: ignore[arg-type]
    assert found == SourcesInCreation({"/h/snap1": "source of disk r (volume db), still being created"})
    assert found.feeds(VolumeSnapshot(name="s1", volume_name="db", handle="/h/SNAP1")) != ""
    assert found.feeds(VolumeSnapshot(name="s0", volume_name="db", handle="/H/Snap0")) == ""


class _MemoryLease:
    """A lease store in memory with the API server's conditional writes; ``lost`` makes every update lose."""

    where = "Lease default/kompox-snapshot-prune.test"

    def __init__(self, state: LeaseState | None = None) -> None:
        self.state = state
        self.writes = 0
        self.lost = False

    def read(self) -> LeaseState | None:
        return self.state

    def create(self, state: LeaseState) -> LeaseState | None:
        if self.state is not None:
            return None
        self.writes += 1
        self.state = replace(state, version="1")
        return self.state

    def update(self, state: LeaseState, version: str) -> LeaseState | None:
        if self.lost or self.state is None or self.state.version != version:
            return None
        self.writes += 1
        self.state = replace(state, version=str(int(version) + 1))
        return self.state


class _Snapshots:
    """Three snapshots of ``db``, no disks; each delete lets ``after_delete`` run (the clock, a takeover)."""

    def __init__(self, after_delete: Callable[[], None] = lambda: None) -> None:
        self.deleted: list[str] = []
        self.after_delete = after_delete

    def volume_disk_list(self, *_args: object, **_kw: object) -> list[VolumeDisk]:
        return []

    def volume_snapshot_list(self, *_args: object, **_kw: object) -> list[VolumeSnapshot]:
        return [snap("new", 1), snap("old", 9), snap("older", 20)]

    def volume_snapshot_delete(self, _c: object, _a: object, _v: str, name: str, *_rest: object) -> None:
        self.deleted.append(name)
        self.after_delete()


def test_a_dry_run_takes_no_lease_and_says_when_the_real_run_would_delete_nothing() -> None:
    held = LeaseState("other-run", acquired_at=NOW, renewed_at=NOW, version="7")
    store = _MemoryLease(held)
    lease = PruneLease(store, "this-run", clock=lambda: NOW)
    app = App(name="app1", volumes=[AppVolume("db", 1 << 30)])
    port = _Snapshots()
    (db,) = prune_snapshots(port, Cluster(name="c1"), app, RetentionPolicy(keep=1), now=NOW, dry_run=True, lease=lease)  # type: ignore[arg-type]
    assert [d.snapshot.name for d in db.decisions if d.delete] == ["old", "older"] and port.deleted == []
    assert store.state == held and store.writes == 0  # another run's lease: neither refused nor touched
    failing = _DisksFail()
    (db,) = prune_snapshots(failing, Cluster(name="c1"), app, RetentionPolicy(keep=1), now=NOW, dry_run=True)  # type: ignore[arg-type]
    assert db.errors == [
        "cannot tell which snapshots feed a disk still being created (list disks of volume db: ARM answered 503); "
        "deleted nothing"
    ]


def test_a_run_that_loses_its_lease_stops_and_says_how_many_it_deleted() -> None:
    clock = {"now": NOW}
    store = _MemoryLease()

    def taken_over() -> None:  # this run stalls past a third of the lease; another run takes the lease over
        clock["now"] += timedelta(minutes=2)
        store.lost = True

    lease = PruneLease(store, "this-run", clock=lambda: clock["now"])
    port = _Snapshots(after_delete=taken_over)
    app = App(name="app1", volumes=[AppVolume("db", 1 << 30)])
    with pytest.raises(LeaseHeldError) as err:
        prune_snapshots(port, Cluster(name="c1"), app, RetentionPolicy(keep=1), now=NOW, lease=lease)  # type: ignore[arg-type]
    assert port.deleted == ["old"]
    assert str(err.value) == (
        "snapshot prune: lost the lease Lease default/kompox-snapshot-prune.test (it expired and another run took "
        "it over); stopped before the next delete (1 snapshot(s) were deleted before that)"
    )
