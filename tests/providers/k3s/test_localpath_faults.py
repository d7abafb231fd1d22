"""K3s ``localpath``: the data path end to end, and every fault of issue 13 (one line, its exit code, nothing left).

The driver runs against kmock; helper pods are played by the node executor
(their script runs with ``sh`` on a directory per node).  After every failed
operation there is no new record, no new directory or archive on any node,
and no helper pod left.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kompox.domain.errors import (
    DataCorruptError,
    ExitCode,
    HelperFailedError,
    KompoxError,
    NotFoundError,
    UnavailableError,
    ValidationError,
    VolumeConflictError,
)
from kompox.domain.model import AppVolume, VolumeDisk
from kompox.domain.options import VolumeDiskCreateOptions, VolumeDiskDeleteOptions
from kompox.providers.k3s.localpath_records import RecordStore

from .localpath_fixtures import NODES, K3sVolumeCluster, make_app

GIB = 1 << 30


@pytest.fixture
def app(k3s: K3sVolumeCluster) -> Any:
    return make_app(k3s.cluster, [AppVolume("db", 1 * GIB), AppVolume("files", 2 * GIB)])


def create(k3s: K3sVolumeCluster, app: Any, vol: str, name: str = "", source: str = "", zone: str = "") -> VolumeDisk:
    return k3s.driver.volume_disk_create(k3s.cluster, app, vol, name, source, VolumeDiskCreateOptions(zone=zone))


def node_file(k3s: K3sVolumeCluster, disk: VolumeDisk, rel: str) -> Path:
    return k3s.executor.path_on(disk.zone, f"{disk.options['path']}/{rel}")


def state(k3s: K3sVolumeCluster) -> tuple[list[str], list[str], list[str]]:
    """Record names, files/directories on all nodes, helper pods still present."""
    objects = k3s.server.objects()
    records = sorted(name for (plural, ns, name) in objects if plural == "v1/configmaps" and ns == "kompox-volumes")
    pods = sorted(name for (plural, _ns, name) in objects if plural == "v1/pods")
    root = k3s.executor.root
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if "/disks/" in str(p) or "/snapshots/" in str(p))
    return records, files, pods


def fails(err: pytest.ExceptionInfo[KompoxError], code: ExitCode) -> str:
    """The error's exit code is ``code`` and its message is one line."""
    assert err.value.exit_code == code, (err.value.exit_code, str(err.value))
    assert "\n" not in str(err.value)
    return str(err.value)


# --- the data path ------------------------------------------------------------------


def test_snapshot_restore_and_copy_carry_the_data(k3s: K3sVolumeCluster, app: Any) -> None:
    d1 = create(k3s, app, "db", "d1")
    assert (d1.zone, d1.assigned) == ("node-a", True)
    assert d1.handle == f"localpath://node-a{d1.options['path']}"
    node_file(k3s, d1, "pg").mkdir()
    node_file(k3s, d1, "pg/table").write_bytes(b"row1\nrow2\n")

    snap = k3s.driver.volume_snapshot_create(k3s.cluster, app, "db", "s1", "")
    restored = create(k3s, app, "db", "restored", "snapshot:s1")
    clone = create(k3s, app, "db", "clone", "disk:d1")

    assert node_file(k3s, restored, "pg/table").read_bytes() == b"row1\nrow2\n"
    assert node_file(k3s, clone, "pg/table").read_bytes() == b"row1\nrow2\n"
    assert (restored.zone, clone.zone, restored.assigned, clone.assigned) == ("node-a", "node-a", False, False)
    record = RecordStore(k3s.driver._volumes.kube_for(k3s.cluster), "kompox-volumes").list("snapshot")[0]
    archive = k3s.executor.path_on("node-a", record.path)
    import hashlib

    assert record.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert snap.size == archive.stat().st_size
    assert state(k3s)[2] == []  # every helper pod deleted


def test_disk_list_says_which_node(k3s: K3sVolumeCluster, app: Any) -> None:
    create(k3s, app, "db", "d1", zone="node-b")
    (disk,) = k3s.driver.volume_disk_list(k3s.cluster, app, "db")
    assert disk.zone == "node-b"
    assert disk.options == {
        "backend": "localpath",
        "node": "node-b",
        "path": "/var/lib/kompox/volumes/k4x-63jwwu-app1-4z3dmr/db/disks/d1",
        "nodeAffinity": {"kubernetes.io/hostname": "node-b"},
    }


def test_second_volume_follows_the_first_to_its_node(k3s: K3sVolumeCluster, app: Any) -> None:
    """One pod mounts all volumes: a new disk goes where the app's assigned disks already are."""
    create(k3s, app, "db", "d1", zone="node-b")
    assert create(k3s, app, "files", "f1").zone == "node-b"


def test_delete_removes_directory_record_and_archive(k3s: K3sVolumeCluster, app: Any) -> None:
    d1 = create(k3s, app, "db", "d1")
    k3s.driver.volume_snapshot_create(k3s.cluster, app, "db", "s1", "")
    create(k3s, app, "db", "d2")
    k3s.driver.volume_snapshot_delete(k3s.cluster, app, "db", "s1")
    k3s.driver.volume_disk_delete(k3s.cluster, app, "db", "d2")
    records, files, pods = state(k3s)
    assert records == ["disk-4z3dmr-db-d1"]
    assert files == ["node-a/" + d1.options["path"].lstrip("/")]
    assert pods == []


# --- faults: one line, a distinct exit code, nothing half-created ----------------------


def test_no_node_with_the_pool_label(k3s: K3sVolumeCluster) -> None:
    app = make_app(k3s.cluster, [AppVolume("db", GIB)], pool="gpu")
    with pytest.raises(NotFoundError) as err:
        create(k3s, app, "db", "d1")
    text = fails(err, ExitCode.NOT_FOUND)
    assert "no node carries kompox.dev/node-pool=gpu" in text and "node-a (pool=user, zone=zone-a)" in text
    assert state(k3s) == ([], [], [])


def test_unknown_node_names_the_nodes(k3s: K3sVolumeCluster, app: Any) -> None:
    with pytest.raises(ValidationError) as err:
        create(k3s, app, "db", "d1", zone="node-x")
    text = fails(err, ExitCode.CONFIG)
    assert "unknown node 'node-x'" in text and all(n in text for n in NODES)
    assert state(k3s) == ([], [], [])


@pytest.mark.parametrize(("ready", "cordoned", "word"), [(False, False, "NotReady"), (True, True, "cordoned")])
def test_chosen_node_not_ready_or_cordoned(
    k3s: K3sVolumeCluster, app: Any, ready: bool, cordoned: bool, word: str
) -> None:
    k3s.put_node("node-b", NODES["node-b"], ready=ready, cordoned=cordoned)
    with pytest.raises(UnavailableError) as err:
        create(k3s, app, "db", "d1", zone="node-b")
    assert word in fails(err, ExitCode.UNAVAILABLE)
    assert state(k3s) == ([], [], [])
    assert create(k3s, app, "db", "d1").zone == "node-a"  # without --zone the usable node is chosen


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("unschedulable", "cannot be scheduled"),
        ("evicted", "reason Evicted"),
        ("deadline", "reason DeadlineExceeded"),
        ("pending", "did not finish within 600s"),
        ("image", "ImagePullBackOff"),
    ],
)
def test_helper_pod_faults(k3s: K3sVolumeCluster, app: Any, fault: str, words: str) -> None:
    k3s.executor.faults["create"] = fault
    with pytest.raises(HelperFailedError) as err:
        create(k3s, app, "db", "d1")
    text = fails(err, ExitCode.HELPER_FAILED)
    assert words in text and "create on node node-a" in text
    assert state(k3s) == ([], [], [])  # record removed, the cleanup pod ran, every pod deleted
    assert [r.op for r in k3s.executor.runs] == ["create", "delete"]


def test_base_path_not_writable(k3s: K3sVolumeCluster, app: Any) -> None:
    blocker = k3s.executor.path_on("node-a", "/var/lib/kompox/volumes/k4x-63jwwu-app1-4z3dmr")
    blocker.parent.mkdir(parents=True)
    blocker.write_text("a file where the app's directory belongs")
    with pytest.raises(HelperFailedError) as err:
        create(k3s, app, "db", "d1")
    text = fails(err, ExitCode.HELPER_FAILED)
    assert "exit code 11" in text and "cannot create" in text and "last log lines" in text
    assert state(k3s) == ([], [], [])


def test_snapshot_of_a_volume_without_disks(k3s: K3sVolumeCluster, app: Any) -> None:
    with pytest.raises(NotFoundError) as err:
        k3s.driver.volume_snapshot_create(k3s.cluster, app, "db", "s1", "")
    assert 'no assigned disk found for volume "db" (disks: none)' in fails(err, ExitCode.NOT_FOUND)
    assert state(k3s) == ([], [], [])


def test_restore_onto_another_node_is_refused(k3s: K3sVolumeCluster, app: Any) -> None:
    create(k3s, app, "db", "d1")
    k3s.driver.volume_snapshot_create(k3s.cluster, app, "db", "s1", "")
    before = state(k3s)
    with pytest.raises(ValidationError) as err:
        create(k3s, app, "db", "r1", "snapshot:s1", zone="node-b")
    assert "snapshot 's1' lives on node node-a" in fails(err, ExitCode.CONFIG)
    assert state(k3s) == before


def test_corrupt_archive_is_an_error_never_an_empty_disk(k3s: K3sVolumeCluster, app: Any) -> None:
    d1 = create(k3s, app, "db", "d1")
    node_file(k3s, d1, "data").write_bytes(b"x" * 4000)
    k3s.driver.volume_snapshot_create(k3s.cluster, app, "db", "s1", "")
    archive = k3s.executor.path_on("node-a", d1.options["path"].replace("/disks/d1", "/snapshots/s1.tar"))
    data = bytearray(archive.read_bytes())
    data[1000] ^= 0x01
    archive.write_bytes(bytes(data))
    before = state(k3s)
    with pytest.raises(DataCorruptError) as err:
        create(k3s, app, "db", "r1", "snapshot:s1")
    assert "checksum mismatch" in fails(err, ExitCode.DATA_CORRUPT)
    assert state(k3s) == before


def test_full_disk_while_archiving(k3s: K3sVolumeCluster, app: Any) -> None:
    d1 = create(k3s, app, "db", "d1")
    node_file(k3s, d1, "data").write_bytes(b"y" * 20000)
    before = state(k3s)
    k3s.executor.faults["archive"] = "full:8192"
    with pytest.raises(HelperFailedError) as err:
        k3s.driver.volume_snapshot_create(k3s.cluster, app, "db", "s1", "")
    assert "writing archive" in fails(err, ExitCode.HELPER_FAILED)
    assert state(k3s) == before


def test_deleting_a_disk_a_running_pod_uses(k3s: K3sVolumeCluster, app: Any) -> None:
    create(k3s, app, "db", "d1")
    d2 = create(k3s, app, "db", "d2")
    k3s.server.put(
        "v1/persistentvolumes",
        {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": "pv-d2"},
            "spec": {"local": {"path": d2.options["path"]}, "claimRef": {"namespace": "ns1", "name": "claim-d2"}},
        },
    )
    k3s.server.put(
        "v1/pods",
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "app-0", "namespace": "ns1"},
            "spec": {"volumes": [{"name": "db", "persistentVolumeClaim": {"claimName": "claim-d2"}}]},
            "status": {"phase": "Running"},
        },
    )
    with pytest.raises(VolumeConflictError) as err:
        k3s.driver.volume_disk_delete(k3s.cluster, app, "db", "d2")
    assert "in use by running pods (ns1/app-0)" in fails(err, ExitCode.CONFLICT)
    assert [d.name for d in k3s.driver.volume_disk_list(k3s.cluster, app, "db")] == ["d1", "d2"]
    k3s.driver.volume_disk_delete(k3s.cluster, app, "db", "d2", VolumeDiskDeleteOptions(force=True))
    assert [d.name for d in k3s.driver.volume_disk_list(k3s.cluster, app, "db")] == ["d1"]


def test_racing_creates_exactly_one_wins(k3s: K3sVolumeCluster, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loser listed before the winner wrote its record: its POST gets 409 and it touches nothing."""
    winner = create(k3s, app, "db", "d1")
    before = state(k3s)
    monkeypatch.setattr(RecordStore, "list", lambda self, kind, app_id="", volume="": [])
    with pytest.raises(VolumeConflictError) as err:
        create(k3s, app, "db", "d1", zone="node-b")
    assert "already exists or is being created by another run" in fails(err, ExitCode.CONFLICT)
    monkeypatch.undo()
    assert state(k3s) == before
    assert [(d.name, d.zone, d.handle) for d in k3s.driver.volume_disk_list(k3s.cluster, app, "db")] == [
        ("d1", "node-a", winner.handle)
    ]


def test_settings_are_validated_before_any_request(k3s: K3sVolumeCluster, app: Any) -> None:
    import dataclasses

    for key, value, words in [
        ("LOCALPATH_BASE_PATH", "relative/dir", "must be an absolute"),
        ("LOCALPATH_BASE_PATH", "/var/lib/rancher/k3s/storage/x", "local-path provisioner root"),
        ("LOCALPATH_HELPER_TIMEOUT", "soon", "whole number of seconds"),
        ("LOCALPATH_NAMESPACE", "Kompox_Volumes", "DNS-1123"),
    ]:
        cluster = dataclasses.replace(k3s.cluster, settings={**(k3s.cluster.settings or {}), key: value})
        seen = len(k3s.server.kube_requests())
        with pytest.raises(ValidationError) as err:
            k3s.driver.volume_disk_list(cluster, app, "db")
        assert f"spec.settings.{key}" in str(err.value) and words in str(err.value)
        assert len(k3s.server.kube_requests()) == seen
