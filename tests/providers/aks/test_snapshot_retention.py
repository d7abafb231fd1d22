"""Snapshot retention (issue #18) against the AKS driver and the stateful fake ARM.

``snapshot prune --keep 2`` with and without ``--dry-run``: what the plan says,
which DELETE requests reach ARM, and what is left; ``snapshot create --all``
going on past a volume that cannot be snapshotted or fails.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from kompox.domain.model import App, AppDeployment, AppVolume, Cluster
from kompox.providers.aks import AKSDriver
from kompox.usecase.volume_retention import RetentionPolicy, prune_snapshots, snapshot_all

from . import volume_fixtures
from .fake_arm_volumes import FakeVolumeARM
from .volume_fixtures import COMPUTE, GIB

fake = volume_fixtures.fake
cluster = volume_fixtures.cluster
driver = volume_fixtures.driver


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
