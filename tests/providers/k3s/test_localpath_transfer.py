"""K3s ``localpath``: a snapshot copied to another cluster (the transfer step of ``app move``).

Two kmock clusters, each with its node executor; helper pods' scripts run with
``sh`` on a directory per node, and ``exec`` into the held pods is played by
:func:`fake_exec` (the same script, stdin/stdout streamed; only the websocket
transport is not exercised here).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from kompox.domain.errors import DataCorruptError, HelperFailedError
from kompox.domain.model import App, AppVolume
from kompox.kube.pod_access import PodAccess

from .localpath_fixtures import K3sVolumeCluster, make_app, make_cluster
from .node_executor import fake_exec

GIB = 1 << 30


@pytest.fixture
def two(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[K3sVolumeCluster, K3sVolumeCluster]]:
    home, away = make_cluster(), make_cluster()
    away.cluster = type(away.cluster)(**{**away.cluster.__dict__, "id": away.cluster.id + "-away", "name": "away"})
    monkeypatch.setattr(PodAccess, "exec", fake_exec({home.server.url: home.executor, away.server.url: away.executor}))
    try:
        yield home, away
    finally:
        away.close()  # kmock servers stop in the reverse order of their start (kmock's DNS interceptor chain)
        home.close()


def _apps(home: K3sVolumeCluster, away: K3sVolumeCluster) -> tuple[App, App]:
    return make_app(home.cluster, [AppVolume("db", GIB)]), make_app(away.cluster, [AppVolume("db", GIB)])


def _snapshot(home: K3sVolumeCluster, app: App) -> tuple[Path, bytes]:
    disk = home.driver.volume_disk_create(home.cluster, app, "db", "main", "")
    data_dir = home.executor.path_on(disk.node, disk.options["path"])
    (data_dir / "data.bin").write_bytes(bytes(range(256)) * 1000)
    snap = home.driver.volume_snapshot_create(home.cluster, app, "db", "mv-1", "")
    archive = home.executor.path_on(disk.node, snap.handle.split(disk.node, 1)[1])
    return archive, archive.read_bytes()


def _files(k3s: K3sVolumeCluster) -> list[str]:
    root = k3s.executor.root
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _pods(k3s: K3sVolumeCluster) -> list[str]:
    return sorted(k3s.objects("v1/pods"))


def _records(k3s: K3sVolumeCluster) -> list[str]:
    return sorted(k3s.objects("v1/configmaps"))


def test_transfer_copies_checks_and_is_idempotent(two: tuple[K3sVolumeCluster, K3sVolumeCluster]) -> None:
    home, away = two
    app, dest_app = _apps(home, away)
    archive, data = _snapshot(home, app)
    home_files = _files(home)

    copied = home.driver.volume_snapshot_transfer(home.cluster, app, "db", "mv-1", away.cluster, dest_app, "node-b")
    assert copied.name == "mv-1" and copied.handle.startswith("localpath://node-b/var/lib/kompox/volumes/")
    target = away.executor.path_on("node-b", copied.handle.split("node-b", 1)[1])
    assert target.read_bytes() == data
    assert _files(away) == [str(target.relative_to(away.executor.root))]  # no .partial left
    assert _files(home) == home_files  # the source is untouched
    assert len(home.executor.held) == 1 and len(away.executor.held) == 1
    assert _pods(home) == [] and _pods(away) == []  # both helper pods deleted
    (record,) = [r for r in away.objects("v1/configmaps").values() if r["data"]["name"] == "mv-1"]
    assert record["data"]["sha256"] == hashlib.sha256(data).hexdigest() and record["data"]["state"] == "ready"
    assert record["data"]["node"] == "node-b" and record["data"]["source"].startswith("localpath://node-a/")

    again = home.driver.volume_snapshot_transfer(home.cluster, app, "db", "mv-1", away.cluster, dest_app, "node-b")
    assert again == copied and len(away.executor.held) == 1  # found, not copied again

    disk = away.driver.volume_disk_create(away.cluster, dest_app, "db", "mv-1", "snapshot:mv-1")
    assert disk.node == "node-b"
    restored = away.executor.path_on("node-b", disk.options["path"]) / "data.bin"
    assert restored.read_bytes() == bytes(range(256)) * 1000
    assert archive.read_bytes() == data


def test_a_corrupted_stream_is_refused_and_leaves_nothing(two: tuple[K3sVolumeCluster, K3sVolumeCluster]) -> None:
    home, away = two
    app, dest_app = _apps(home, away)
    _snapshot(home, app)
    records = _records(away)
    away.executor.exec_filters["receive"] = lambda b: b[:50] + bytes([b[50] ^ 1]) + b[51:]
    with pytest.raises(DataCorruptError, match="checksum mismatch") as err:
        home.driver.volume_snapshot_transfer(home.cluster, app, "db", "mv-1", away.cluster, dest_app, "")
    assert err.value.exit_code == 11
    assert _files(away) == [] and _records(away) == records
    assert _pods(home) == [] and _pods(away) == []

    del away.executor.exec_filters["receive"]  # the next run copies it
    copied = home.driver.volume_snapshot_transfer(home.cluster, app, "db", "mv-1", away.cluster, dest_app, "")
    assert copied.handle.startswith("localpath://node-a/")  # the app's pool, first node by name


def test_a_partial_file_of_an_interrupted_run_is_overwritten(two: tuple[K3sVolumeCluster, K3sVolumeCluster]) -> None:
    home, away = two
    app, dest_app = _apps(home, away)
    _, data = _snapshot(home, app)
    with pytest.raises(DataCorruptError):  # cut short: as a connection lost mid-stream
        away.executor.exec_filters["receive"] = lambda b: b[: len(b) // 2]
        home.driver.volume_snapshot_transfer(home.cluster, app, "db", "mv-1", away.cluster, dest_app, "")
    del away.executor.exec_filters["receive"]
    rel = "var/lib/kompox/volumes/" + home.driver._volumes._names(app)[1] + "/db/snapshots/mv-1.tar"
    partial = away.executor.root / "node-a" / (rel + ".partial")
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"left by a killed run")
    home.driver.volume_snapshot_transfer(home.cluster, app, "db", "mv-1", away.cluster, dest_app, "")
    assert (away.executor.root / "node-a" / rel).read_bytes() == data and not partial.exists()


def test_a_failing_sender_is_the_reported_cause(two: tuple[K3sVolumeCluster, K3sVolumeCluster]) -> None:
    home, away = two
    app, dest_app = _apps(home, away)
    archive, _ = _snapshot(home, app)
    archive.unlink()  # the archive is gone from the source node
    with pytest.raises(HelperFailedError, match=r"send in helper pod .* failed \(exit code 13\): .* does not exist"):
        home.driver.volume_snapshot_transfer(home.cluster, app, "db", "mv-1", away.cluster, dest_app, "")
    assert _files(away) == [] and _pods(home) == [] and _pods(away) == []
