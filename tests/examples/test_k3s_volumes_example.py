"""The bundled stateful examples on an existing cluster (K3s driver, ``localpath`` disks) served by kmock.

The examples are copied unchanged; ``$KUBECONFIG`` points the K3s driver at the
emulator.  The cluster has a user node ``node-a`` (``kompox.dev/node-pool=user``,
``kompox.dev/node-zone=1``) and a system node; helper pods are played by the
node executor, which runs their script with ``sh`` on a directory per node.
This is the README walk-through: deploy with bootstrapped disks → snapshot →
restore into a new disk → assign → redeploy.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from example_walk import ROOT, copy_example
from example_walk import Walk as ExampleWalk
from kmock_server import KMockThread  # on sys.path through example_walk

from kompox.kube.convert.object_check import check_objects

sys.path.insert(0, str(ROOT / "tests"))  # for providers.k3s

from providers.k3s.localpath_fixtures import node_object
from providers.k3s.node_executor import NodeExecutor

K8S_VERSION = "1.33.0"


@dataclass
class Walk(ExampleWalk):
    executor: NodeExecutor


def start(example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Walk:
    server = KMockThread(rollout="ready").start()
    executor = NodeExecutor(tmp_path / "nodes")
    server.pod_runner = executor
    server.put("v1/nodes", node_object("node-a", {"kompox.dev/node-pool": "user", "kompox.dev/node-zone": "1"}))
    server.put("v1/nodes", node_object("node-s", {"kompox.dev/node-pool": "system"}))
    root = copy_example(example, tmp_path, monkeypatch, server)
    return Walk(root, server, capsys, executor)


@pytest.fixture
def gitea(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Walk]:
    walk = start("gitea", tmp_path, monkeypatch, capsys)
    try:
        yield walk
    finally:
        walk.server.stop()


def affinity_nodes(pv: dict[str, Any]) -> list[str]:
    terms = pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"]
    return [v for t in terms for e in t["matchExpressions"] for v in e["values"]]


def test_gitea_deploy_snapshot_restore_assign_redeploy(gitea: Walk) -> None:
    walk = gitea
    code, _, err = walk.run("app", "validate")
    assert code == 0 and "volume assignment missing (count=0) volume=db" in err  # no disks yet

    _, err = walk.ok("app", "deploy", "--bootstrap-disks")
    assert err.splitlines()[-1] == 'app deploy: deployment "gitea-app" successfully rolled out'
    pvs = walk.of("v1/persistentvolumes")
    assert len(pvs) == 2 and all(affinity_nodes(pv) == ["node-a"] for pv in pvs.values())
    assert all(pv["spec"]["local"]["path"].startswith("/var/lib/kompox/volumes/") for pv in pvs.values())

    out, err = walk.ok("app", "validate", "--out-manifest", "-")
    assert "unbound" not in err  # the one warning left: the ssh port no ingress rule can route
    assert [line for line in err.splitlines() if line.startswith("Warning")] == [
        "Warning: service gitea: published port 2222:22 is not on the app Service (no ingress rule uses port 2222); "
        "inside the cluster it is reachable as gitea:22"
    ]
    docs = [d for d in yaml.safe_load_all(out) if d]
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    assert [v.text() for v in check_objects(docs)] == []

    (db,) = [d for d in json.loads(walk.ok("disk", "list", "-V", "db")[0]) if d["assigned"]]
    assert db["zone"] == "node-a"
    data = walk.executor.path_on("node-a", db["options"]["path"])
    (data / "PG_VERSION").write_text("16\n")  # what the database wrote

    snap = json.loads(walk.ok("snapshot", "create", "-V", "db", "-N", "before-upgrade")[0])
    assert snap["name"] == "before-upgrade" and snap["size"] > 0
    restored = json.loads(
        walk.ok("disk", "create", "-V", "db", "-N", "restored", "--source", "snapshot:before-upgrade")[0]
    )
    assert (restored["zone"], restored["assigned"]) == ("node-a", False)
    assert (walk.executor.path_on("node-a", restored["options"]["path"]) / "PG_VERSION").read_text() == "16\n"

    old_claims = claims(walk)
    walk.ok("disk", "assign", "-V", "db", "-N", "restored")
    _, err = walk.ok("app", "deploy")
    new_claims = claims(walk)
    assert new_claims["data"] == old_claims["data"]  # untouched volume keeps its PV/PVC
    assert new_claims["db"] != old_claims["db"]  # the switched volume gets a new PV/PVC
    pv = walk.of("v1/persistentvolumes")[new_claims["db"]]
    assert pv["spec"]["local"]["path"] == restored["options"]["path"]
    listed = json.loads(walk.ok("disk", "list", "-V", "db")[0])
    assert {d["name"]: d["assigned"] for d in listed} == {db["name"]: False, "restored": True}
    assert not [p for (p, ns, _n) in walk.server.objects() if p == "v1/pods" and ns == "kompox-volumes"]

    # the records live outside the app's namespace: destroying it keeps every disk and snapshot
    walk.ok("app", "destroy", "--delete-namespace")
    assert json.loads(walk.ok("disk", "list", "-V", "db")[0]) == listed
    assert [s["name"] for s in json.loads(walk.ok("snapshot", "list", "-V", "db")[0])] == ["before-upgrade"]
    assert (walk.executor.path_on("node-a", restored["options"]["path"]) / "PG_VERSION").read_text() == "16\n"


def claims(walk: Walk) -> dict[str, str]:
    (dep,) = walk.of("apps/v1/deployments").values()
    volumes = dep["spec"]["template"]["spec"]["volumes"]
    return {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in volumes if "persistentVolumeClaim" in v}


@pytest.mark.parametrize("example", ["gitea", "wordpress", "showcase"])
def test_stateful_examples_deploy_on_k3s_after_bootstrap(
    example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    walk = start(example, tmp_path, monkeypatch, capsys)
    try:
        out, _ = walk.ok("disk", "create", "--bootstrap")
        created = json.loads(out)
        assert created and all(d["assigned"] and d["zone"] == "node-a" for d in created)
        _, err = walk.ok("app", "deploy")
        assert "successfully rolled out" in err.splitlines()[-1]
        pvcs = walk.of("v1/persistentvolumeclaims")
        assert sorted(claims(walk).values()) == sorted(pvcs)
        for name in pvcs:
            pv = walk.of("v1/persistentvolumes")[name]
            assert affinity_nodes(pv) == ["node-a"] and pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
            assert walk.executor.path_on("node-a", pv["spec"]["local"]["path"]).is_dir()
    finally:
        walk.server.stop()


def one_error(walk: Walk, code: int, *args: str) -> str:
    got, out, err = walk.run(*args)
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert got == code and len(errors) == 1 and "Traceback" not in err and out == "", (got, err)
    return errors[0]


def test_faults_are_one_line_with_their_exit_code(gitea: Walk) -> None:
    walk = gitea
    walk.ok("disk", "create", "--bootstrap")
    assert "unknown node 'node-x'" in one_error(walk, 3, "disk", "create", "-V", "db", "--zone", "node-x")
    walk.ok("snapshot", "create", "-V", "db", "-N", "s1")
    (snap,) = list(walk.executor.root.rglob("s1.tar"))
    snap.write_bytes(snap.read_bytes()[:-512] + b"\x01" * 512)
    assert "checksum mismatch" in one_error(walk, 11, "disk", "create", "-V", "db", "-N", "r1", "--source", "s1")
    walk.server.put("v1/nodes", node_object("node-a", {"kompox.dev/node-pool": "user"}, cordoned=True))
    assert "node-a is cordoned" in one_error(walk, 8, "snapshot", "create", "-V", "db", "-N", "s2")
    assert [d["name"] for d in json.loads(walk.ok("disk", "list", "-V", "db")[0])] != []
    assert not list(walk.executor.root.rglob("r1*")) and not list(walk.executor.root.rglob("s2*"))


def test_box_mounts_a_k3s_localpath_disk(gitea: Walk) -> None:
    """``box deploy -V`` on K3s: the disk becomes a ``local`` PV pinned to the disk's node."""
    walk = gitea
    key = walk.root.parent / "home" / ".ssh" / "id_ed25519.pub"
    key.parent.mkdir(parents=True)
    key.write_bytes(b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBoxTestKeyOnly box@test\n")
    disk = json.loads(walk.ok("disk", "create", "-V", "db", "-N", "boxdisk")[0])
    assert disk["zone"] == "node-a"
    _, err = walk.ok("box", "deploy", "-V", "db:boxdisk:/mnt/db")
    assert "deployment gitea-box" in err
    (pv,) = walk.of("v1/persistentvolumes").values()
    (pvc,) = walk.of("v1/persistentvolumeclaims").values()
    assert pv["spec"]["local"] == {"path": disk["options"]["path"]}
    assert affinity_nodes(pv) == ["node-a"] and pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pvc["spec"]["volumeName"] == pv["metadata"]["name"] == pvc["metadata"]["name"]
    assert walk.executor.path_on("node-a", pv["spec"]["local"]["path"]).is_dir()
    for obj in (pv, pvc):
        obj = {k: v for k, v in obj.items() if k != "status"}
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
    (dep,) = walk.of("apps/v1/deployments").values()
    pod = dep["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert {"name": pvc["metadata"]["name"], "mountPath": "/mnt/db"} in container["volumeMounts"]
    assert {"name": pvc["metadata"]["name"], "persistentVolumeClaim": {"claimName": pvc["metadata"]["name"]}} in (
        pod["volumes"]
    )
    # the same disk mounted again is the same PV/PVC (idempotent), an unknown disk is refused up front
    walk.ok("box", "deploy", "-V", "db:boxdisk:/mnt/db")
    assert list(walk.of("v1/persistentvolumes")) == [pv["metadata"]["name"]]
    assert "disk nope not found under volume db (disks: boxdisk)" in one_error(
        walk, 4, "box", "deploy", "-V", "db:nope:/mnt/db"
    )
