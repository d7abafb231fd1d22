"""``snapshot create --all`` and ``snapshot prune`` through the CLI (reference driver, issue #18)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from cli_project import one_error
from volume_cli_project import VolumeProject, volume_project_fixture  # noqa: F401

from kompox.domain.naming import new_hashes

APP_NAMESPACE = new_hashes("ws1", "ref1", "c1", "app1").namespace
LEASE_NAME = f"kompox-snapshot-prune.{APP_NAMESPACE}"
LEASE_KEY = ("coordination.k8s.io/v1/leases", "default", LEASE_NAME)


def lease_held_by(p: VolumeProject, holder: str, renewed: datetime) -> None:
    """Another machine's prune holds the app's lease (renewed at ``renewed``, 300 s)."""
    stamp = renewed.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    p.server.put(
        "coordination.k8s.io/v1/leases",
        {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": LEASE_NAME, "namespace": "default", "resourceVersion": "7"},
            "spec": {
                "holderIdentity": holder,
                "leaseDurationSeconds": 300,
                "acquireTime": stamp,
                "renewTime": stamp,
                "leaseTransitions": 0,
            },
        },
    )


def five_daily_snapshots(p: VolumeProject) -> None:
    p.ok("disk", "create", "-V", "db", "-N", "main")
    for name in ("mon", "tue", "wed", "thu", "fri"):
        p.cloud.advance(86400)
        p.ok("snapshot", "create", "-V", "db", "-N", name)


def test_prune_keep_2_dry_run_then_real_run(volume_project: VolumeProject) -> None:
    p = volume_project
    five_daily_snapshots(p)
    dry = p.ok("snapshot", "prune", "-V", "db", "--keep", "2", "--dry-run", "--format", "table")
    rows = [line.split()[:4] for line in dry.out.splitlines()]
    assert rows[0] == ["VOLUME", "SNAPSHOT", "CREATED", "ACTION"]
    assert [(r[1], r[3]) for r in rows[1:]] == [
        ("fri", "keep"),
        ("thu", "keep"),
        ("wed", "would-delete"),
        ("tue", "would-delete"),
        ("mon", "would-delete"),
    ]
    assert "dry run: would delete 3 snapshot(s), keep 2; nothing was deleted" in dry.err
    assert len(p.ok("snapshot", "list", "-V", "db").json()) == 5

    real = p.ok("snapshot", "prune", "-V", "db", "--keep", "2")
    assert [(r["snapshot"], r["action"]) for r in real.json()] == [
        ("fri", "keep"),
        ("thu", "keep"),
        ("wed", "deleted"),
        ("tue", "deleted"),
        ("mon", "deleted"),
    ]
    assert "deleted 3 snapshot(s), kept 2" in real.err
    assert [s["name"] for s in p.ok("snapshot", "list", "-V", "db").json()] == ["fri", "thu"]
    again = p.ok("snapshot", "prune", "-V", "db", "--keep", "2")  # cron-safe re-run
    assert [r["action"] for r in again.json()] == ["keep", "keep"]


def test_prune_without_volume_covers_every_volume_and_skips_files(volume_project: VolumeProject) -> None:
    p = volume_project
    five_daily_snapshots(p)
    # the reference cloud's clock is in 2025, so every snapshot is older than 2d12h by the wall clock:
    # all go but the newest (the age arithmetic itself is tested in tests/usecase/volume/test_volume_retention.py)
    rows = p.ok("snapshot", "prune", "--older-than", "2d12h").json()
    assert [(r["volume"], r["snapshot"], r["action"]) for r in rows] == [
        ("db", "fri", "keep"),
        ("db", "thu", "deleted"),
        ("db", "wed", "deleted"),
        ("db", "tue", "deleted"),
        ("db", "mon", "deleted"),
        ("share", "", "skipped"),
    ]


def test_prune_bad_flags_fail_before_any_driver_call(volume_project: VolumeProject) -> None:
    p = volume_project
    one_error(p.run("snapshot", "prune", "--dry-run"), 3, "needs --keep N and/or --older-than DURATION")
    one_error(p.run("snapshot", "prune", "--older-than", "3x"), 3, 'invalid duration "3x"')
    assert p.run("snapshot", "prune", "--keep", "0").code == 2  # click: 0 is not in the range x>=1
    assert p.cloud.calls == []


def test_create_all_one_row_per_volume_and_exit_1_when_one_failed(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "main")
    p.cloud.advance(60)
    done = p.ok("snapshot", "create", "--all", "-N", "nightly", "--format", "table")
    assert [line.split()[:2] for line in done.out.splitlines()] == [
        ["VOLUME", "RESULT"],
        ["db", "created"],
        ["share", "skipped"],
    ]
    assert "snapshots created for 1 of 2 volumes of app app1" in done.err
    p.ok("disk", "delete", "-V", "db", "-N", "main", "--force")  # no assigned disk left: db now fails
    failed = p.run("snapshot", "create", "--all", "-N", "second")
    assert failed.code == 1, failed.err
    rows = json.loads(failed.out)
    assert [r["volume"] for r in rows] == ["db", "share"] and rows[0]["error"] and rows[1]["skipped"]
    assert "snapshot create --all: 1 volume(s) failed: db" in failed.err
    one_error(p.run("snapshot", "create", "--all", "-V", "db"), 2, "do not combine it with -V or -S")


def test_prune_while_another_run_holds_the_lease_exits_10_and_deletes_nothing(volume_project: VolumeProject) -> None:
    p = volume_project
    five_daily_snapshots(p)
    lease_held_by(p, "cron-host/4242/0a1b2c3d", datetime.now(UTC))
    p.cloud.calls.clear()
    r = p.run("snapshot", "prune", "-V", "db", "--keep", "2")
    held = f"snapshot prune: another run holds Lease default/{LEASE_NAME} (held by cron-host/4242/0a1b2c3d"
    line = one_error(r, 10, held)
    assert line.endswith("; nothing was deleted")
    assert "volume_snapshot_delete" not in p.cloud.calls and "volume_snapshot_list" not in p.cloud.calls
    assert len(p.ok("snapshot", "list", "-V", "db").json()) == 5
    # a dry run takes no lease: it still plans while the other run holds it
    assert [r["action"] for r in p.ok("snapshot", "prune", "-V", "db", "--keep", "2", "--dry-run").json()].count(
        "would-delete"
    ) == 3


def test_prune_takes_over_an_expired_lease_and_releases_it(volume_project: VolumeProject) -> None:
    p = volume_project
    five_daily_snapshots(p)
    lease_held_by(p, "crashed-host/1/deadbeef", datetime.now(UTC) - timedelta(minutes=6))
    real = p.ok("snapshot", "prune", "-V", "db", "--keep", "2")
    assert "taking over the expired lease" in real.err and "held by crashed-host/1/deadbeef" in real.err
    assert [s["name"] for s in p.ok("snapshot", "list", "-V", "db").json()] == ["fri", "thu"]
    spec = p.server.objects()[LEASE_KEY]["spec"]
    assert "holderIdentity" not in spec and spec["leaseTransitions"] == 1  # released after the run


def test_prune_help_describes_the_lease(volume_project: VolumeProject) -> None:
    text = " ".join(volume_project.ok("snapshot", "prune", "--help").out.split())
    assert "serialised by a lease on the app's cluster" in text and "a second run exits 10 and deletes nothing" in text
    assert "not serialised" not in text


def test_prune_of_an_unknown_volume_fails_before_the_lease_is_touched(volume_project: VolumeProject) -> None:
    p = volume_project
    one_error(p.run("snapshot", "prune", "-V", "nosuch", "--keep", "1"), 4, "nosuch")
    assert p.server.kube_requests() == [] and p.cloud.calls == []
