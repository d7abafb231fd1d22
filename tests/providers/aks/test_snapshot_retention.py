"""Snapshot retention (issue #18) against the AKS driver and the stateful fake ARM.

``snapshot prune --keep 2`` with and without ``--dry-run``: what the plan says,
which DELETE requests reach ARM, and what is left; two interleaved prunes
with the lease on a kmock API server (one deletes, the other exits 10 having
deleted nothing) and the takeover of an expired lease; ``snapshot create
--all`` going on past a volume that cannot be snapshotted or fails.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kompox.domain.errors import LeaseHeldError
from kompox.domain.model import App, AppDeployment, AppVolume, Cluster, VolumeDisk
from kompox.kube.client import KubeClient
from kompox.kube.lease import KubeLease
from kompox.kube.transport import RetryPolicy
from kompox.providers.aks import AKSDriver
from kompox.usecase.prune_lease import LEASE_NAMESPACE, PruneLease, prune_lease_name
from kompox.usecase.volume_retention import RetentionPolicy, prune_snapshots, snapshot_all

from . import volume_fixtures
from .fake_arm_volumes import FakeVolumeARM
from .volume_fixtures import COMPUTE, GIB

sys.path.insert(0, str(Path(__file__).parents[2] / "kube"))
from kmock_server import KMockThread

fake = volume_fixtures.fake
cluster = volume_fixtures.cluster
driver = volume_fixtures.driver


@pytest.fixture
def kmock() -> Iterator[KubeClient]:
    """The app cluster's API server (kmock, real kubernetes client) where the prune lease lives."""
    srv = KMockThread().start()
    kube = KubeClient(srv.kubeconfig, timeout=5, retry=RetryPolicy(sleep=lambda _s: None))
    try:
        yield kube
    finally:
        kube.close()
        srv.stop()


@pytest.fixture
def app() -> App:
    return App(
        name="app1",
        volumes=[AppVolume("db", 10 * GIB), AppVolume("files", GIB, type="files")],
        deployment=AppDeployment(zone="1"),
    )


def snapshot_days(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App, names: list[str]) -> None:
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    for name in names:  # one a day, oldest first
        fake.advance(86400)
        driver.volume_snapshot_create(cluster, app, "db", name, "")


def test_prune_keep_2_dry_run_then_real_run(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App) -> None:
    snapshot_days(driver, fake, cluster, app, ["mon", "tue", "wed", "thu", "fri"])
    now = fake.now + timedelta(hours=1)
    fake.requests.clear()

    (dry,) = prune_snapshots(driver, cluster, app, RetentionPolicy(keep=2), now=now, volume_name="db", dry_run=True)
    assert [(d.snapshot.name, d.delete) for d in dry.decisions] == [
        ("fri", False),
        ("thu", False),
        ("wed", True),
        ("tue", True),
        ("mon", True),
    ]
    assert dry.decisions[0].reason == "newest snapshot of the volume (1h0m old)"
    assert dry.decisions[2].reason == "beyond the 2 newest (2d1h old)"
    assert fake.seen("DELETE") == [] and dry.deleted == []  # a dry run deletes nothing

    (real,) = prune_snapshots(driver, cluster, app, RetentionPolicy(keep=2), now=now, volume_name="db")
    assert real.deleted == ["wed", "tue", "mon"] and not real.failed
    assert [r.path for r in fake.seen("DELETE")] == [
        f"{COMPUTE}/snapshots/k4x-b3wold_snap_db_{name}_5z5nb0" for name in ("wed", "tue", "mon")
    ]
    assert [s.name for s in driver.volume_snapshot_list(cluster, app, "db")] == ["fri", "thu"]

    fake.requests.clear()  # idempotent: a re-run finds nothing to delete
    (again,) = prune_snapshots(driver, cluster, app, RetentionPolicy(keep=2), now=now, volume_name="db")
    assert again.deleted == [] and fake.seen("DELETE") == []


def test_prune_older_than_never_deletes_the_newest(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    snapshot_days(driver, fake, cluster, app, ["old1", "old2"])
    now = fake.now + timedelta(days=90)  # everything is older than 30 days
    outcomes = prune_snapshots(driver, cluster, app, RetentionPolicy(older_than=timedelta(days=30)), now=now)
    db, files = outcomes
    assert db.deleted == ["old1"]  # old2 is the newest: kept although it is 90 days old
    assert [(d.snapshot.name, d.delete) for d in db.decisions] == [("old2", False), ("old1", True)]
    assert files.skipped and not files.failed  # Azure Files has no snapshots: skipped, not failed


def test_create_all_goes_on_past_a_failure(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster) -> None:
    app = App(
        name="app1",
        volumes=[AppVolume("db", 10 * GIB), AppVolume("logs", GIB), AppVolume("files", GIB, type="files")],
        deployment=AppDeployment(zone="1"),
    )
    driver.volume_disk_create(cluster, app, "db", "d1", "")  # "logs" has no disk: its snapshot fails
    db, logs, files = snapshot_all(driver, cluster, app, snapshot_name="nightly")
    assert db.snapshot is not None and db.snapshot.name == "nightly" and not db.failed
    assert logs.failed and logs.snapshot is None and "logs" in logs.error
    assert files.skipped and not files.failed
    assert fake.snapshot("k4x-b3wold_snap_db_nightly_5z5nb0") is not None


# --- two concurrent runs: the lease (a Kubernetes Lease on kmock) lets only one delete -------------------


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _run_lease(kube: KubeClient, holder: str, clock: _Clock) -> PruneLease:
    return PruneLease(KubeLease(kube, LEASE_NAMESPACE, prune_lease_name("k4x-b3wold-app1-5z5nb0")), holder, clock=clock)


class _InterleavingDriver:
    """The AKS driver, except that run B starts while run A is deleting its first snapshot."""

    def __init__(self, driver: AKSDriver, second_run: Callable[[], None]) -> None:
        self.driver = driver
        self.second_run: Callable[[], None] | None = second_run

    def __getattr__(self, name: str) -> Any:
        return getattr(self.driver, name)

    def volume_snapshot_delete(self, *args: Any, **kwargs: Any) -> None:
        if self.second_run is not None:
            run, self.second_run = self.second_run, None
            run()
        self.driver.volume_snapshot_delete(*args, **kwargs)


def test_two_concurrent_prunes_only_one_deletes(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App, kmock: KubeClient
) -> None:
    snapshot_days(driver, fake, cluster, app, ["mon", "tue", "wed", "thu", "fri"])
    now = fake.now + timedelta(hours=1)
    clock = _Clock(now)
    fake.requests.clear()
    second: dict[str, object] = {}

    def run_b() -> None:
        try:
            second["outcome"] = prune_snapshots(
                driver, cluster, app, RetentionPolicy(keep=2), now=now, lease=_run_lease(kmock, "run-b", clock)
            )
        except LeaseHeldError as err:
            second["error"] = err
            second["deletes_when_refused"] = len(fake.seen("DELETE"))

    run_a = _InterleavingDriver(driver, run_b)
    db, files = prune_snapshots(
        run_a, cluster, app, RetentionPolicy(keep=2), now=now, lease=_run_lease(kmock, "run-a", clock)
    )
    err = second["error"]
    print(f"run A deleted {db.deleted}; run B (started during A's first DELETE): exit {err.exit_code}: {err}")
    assert isinstance(err, LeaseHeldError) and err.exit_code == 10 and "outcome" not in second
    assert "another run holds Lease default/kompox-snapshot-prune.k4x-b3wold-app1-5z5nb0 (held by run-a" in str(err)
    assert second["deletes_when_refused"] == 0  # B was refused before any DELETE reached ARM, and sent none
    assert db.deleted == ["wed", "tue", "mon"] and files.skipped
    assert [r.path.rsplit("/", 1)[1] for r in fake.seen("DELETE")] == [
        f"k4x-b3wold_snap_db_{name}_5z5nb0" for name in ("wed", "tue", "mon")
    ]  # each snapshot deleted once, all by A
    # A released the lease: the next cron run takes it at once and finds nothing to delete
    fake.requests.clear()
    (again, _) = prune_snapshots(
        driver, cluster, app, RetentionPolicy(keep=2), now=now, lease=_run_lease(kmock, "run-c", clock)
    )
    assert again.deleted == [] and fake.seen("DELETE") == []


def test_a_prune_takes_over_an_expired_lease(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App, kmock: KubeClient
) -> None:
    snapshot_days(driver, fake, cluster, app, ["mon", "tue", "wed"])
    now = fake.now + timedelta(hours=1)
    crashed = _run_lease(kmock, "crashed-run", _Clock(now - timedelta(minutes=6)))
    crashed.acquire()  # took the lease six minutes ago and never renewed or released it
    fake.requests.clear()
    (db, _) = prune_snapshots(
        driver, cluster, app, RetentionPolicy(keep=1), now=now, lease=_run_lease(kmock, "cron", _Clock(now))
    )
    assert db.deleted == ["tue", "mon"] and len(fake.seen("DELETE")) == 2


# --- a snapshot feeding a disk still being created is kept ------------------------------------------------


def test_prune_keeps_the_snapshot_a_creating_disk_is_restored_from(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    snapshot_days(driver, fake, cluster, app, ["mon", "tue", "wed", "thu", "fri"])
    driver.volume_disk_create(cluster, app, "db", "restored", "snapshot:tue")
    fake.still_creating("k4x-b3wold_disk_db_restored_5z5nb0")  # ARM: provisioningState Creating
    (listed,) = [d for d in driver.volume_disk_list(cluster, app, "db") if d.name == "restored"]
    assert listed.creating and listed.source.endswith("/snapshots/k4x-b3wold_snap_db_tue_5z5nb0")
    now = fake.now + timedelta(hours=1)
    fake.requests.clear()

    (db, _) = prune_snapshots(driver, cluster, app, RetentionPolicy(keep=2), now=now)
    assert [(d.snapshot.name, d.delete, d.reason) for d in db.decisions] == [
        ("fri", False, "newest snapshot of the volume (1h0m old)"),
        ("thu", False, "within the 2 newest (1d1h old)"),
        ("wed", True, "beyond the 2 newest (2d1h old)"),
        ("tue", False, "source of disk restored (volume db), still being created (3d1h old)"),
        ("mon", True, "beyond the 2 newest (4d1h old)"),
    ]
    assert db.deleted == ["wed", "mon"]
    assert [r.path.rsplit("/", 1)[1] for r in fake.seen("DELETE")] == [
        "k4x-b3wold_snap_db_wed_5z5nb0",
        "k4x-b3wold_snap_db_mon_5z5nb0",
    ]
    assert fake.snapshot("k4x-b3wold_snap_db_tue_5z5nb0") is not None

    # once ARM reports the disk Succeeded, the next run may delete tue
    fake.disk("k4x-b3wold_disk_db_restored_5z5nb0")["properties"]["provisioningState"] = "Succeeded"  # type: ignore[index]
    (db, _) = prune_snapshots(driver, cluster, app, RetentionPolicy(keep=2), now=now)
    assert db.deleted == ["tue"]


def test_a_disk_still_hydrating_from_its_snapshot_is_in_creation_until_its_copy_completes(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    """ARM says Succeeded at once, but a disk made from a snapshot copies in the background
    (``completionPercent`` below 100): its source must be kept until the copy is done."""
    snapshot_days(driver, fake, cluster, app, ["mon"])
    driver.volume_disk_create(cluster, app, "db", "hydrating", "snapshot:mon")
    item = fake.disk("k4x-b3wold_disk_db_hydrating_5z5nb0")
    assert item is not None and item["properties"]["provisioningState"] == "Succeeded"

    def listed() -> VolumeDisk:
        (disk,) = [d for d in driver.volume_disk_list(cluster, app, "db") if d.name == "hydrating"]
        return disk

    item["properties"]["completionPercent"] = 40.0
    assert listed().creating and listed().source.endswith("/snapshots/k4x-b3wold_snap_db_mon_5z5nb0")
    item["properties"]["completionPercent"] = 100.0
    assert not listed().creating


def test_a_restore_started_after_the_plan_still_protects_its_snapshot(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    """The disks are listed again right before each delete: a restore from mon that starts while tue is
    being deleted keeps mon, although the plan (made before) said delete."""
    snapshot_days(driver, fake, cluster, app, ["mon", "tue", "wed", "thu"])

    def restore_from_mon() -> None:
        driver.volume_disk_create(cluster, app, "db", "late", "snapshot:mon")
        fake.still_creating("k4x-b3wold_disk_db_late_5z5nb0")

    now = fake.now + timedelta(hours=1)
    fake.requests.clear()
    racing = _InterleavingDriver(driver, restore_from_mon)
    (db, _) = prune_snapshots(racing, cluster, app, RetentionPolicy(keep=2), now=now)
    assert db.deleted == ["tue"]
    assert [(d.snapshot.name, d.delete) for d in db.decisions] == [
        ("thu", False),
        ("wed", False),
        ("tue", True),
        ("mon", False),
    ]
    assert db.decisions[-1].reason == "source of disk late (volume db), still being created"
    assert fake.snapshot("k4x-b3wold_snap_db_mon_5z5nb0") is not None
    assert len(fake.seen("DELETE")) == 1
