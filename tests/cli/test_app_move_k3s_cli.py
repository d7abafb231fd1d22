"""``app move`` between two K3s clusters of one provider: snapshot, transfer, disk, assign, deploy.

Two kmock API servers; helper pods are played by a node executor per cluster
(the production script runs with ``sh`` on a directory per node), and
``exec`` into the held transfer pods by ``fake_exec`` (the same script,
stdin/stdout streamed through the production OS pipe and thread; only the
websocket transport of exec, covered by tests/kube/test_streams.py, is not
part of this test).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_project import ROOT, CliProject, isolate_env, kom_text, one_error, write_project
from kmock_server import KMockThread

if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from kompox.kube.pod_access import PodAccess
from providers.k3s.localpath_fixtures import node_object
from providers.k3s.node_executor import NodeExecutor, fake_exec

KOM = kom_text(
    ("Workspace", "/ws/demo", None),
    ("Provider", "/ws/demo/prv/k3s1", "{driver: k3s}"),
    ("Provider", "/ws/demo/prv/k3s2", "{driver: k3s}"),
    ("Cluster", "/ws/demo/prv/k3s1/cls/home", "{existing: true, settings: {KUBECONFIG: kube/home.yaml}}"),
    ("Cluster", "/ws/demo/prv/k3s1/cls/away", "{existing: true, settings: {KUBECONFIG: kube/away.yaml}}"),
    ("Cluster", "/ws/demo/prv/k3s2/cls/other", "{existing: true, settings: {KUBECONFIG: kube/away.yaml}}"),
)

APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata: {name: web, annotations: {ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/home/app/web}}
spec:
  compose: file:compose.yml
  volumes:
    - {name: data, size: 1Gi}
"""
COMPOSE = "services:\n  web:\n    image: nginx\n    volumes: ['data:/data']\n"
USER = {"kompox.dev/node-pool": "user"}
PAYLOAD = bytes(range(256)) * 2000


@dataclass
class Clusters:
    home: KMockThread
    away: KMockThread
    home_nodes: NodeExecutor
    away_nodes: NodeExecutor
    p: CliProject

    def records(self, server: KMockThread, kind: str) -> dict[str, dict[str, str]]:
        return {
            o["data"]["name"]: o["data"]
            for (plural, ns, _n), o in server.objects().items()
            if plural == "v1/configmaps"
            and ns == "kompox-volumes"
            and o["metadata"]["labels"].get("kompox.dev/localpath") == kind
        }

    def helper_pods(self, server: KMockThread) -> list[str]:
        return [
            name
            for (plural, _ns, name), o in server.objects().items()
            if plural == "v1/pods" and "kompox.dev/localpath-helper" in (o["metadata"].get("labels") or {})
        ]

    def deployments(self, server: KMockThread) -> list[str]:
        return sorted(name for (plural, _ns, name) in server.objects() if plural == "apps/v1/deployments")


@pytest.fixture
def clusters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Clusters]:
    home, away = KMockThread(rollout="ready").start(), KMockThread(rollout="ready").start()
    try:
        home_nodes, away_nodes = NodeExecutor(tmp_path / "home-nodes"), NodeExecutor(tmp_path / "away-nodes")
        home.pod_runner, away.pod_runner = home_nodes, away_nodes
        home.put("v1/nodes", node_object("h1", USER))
        away.put("v1/nodes", node_object("a1", USER))
        away.put("v1/nodes", node_object("a2", USER))
        monkeypatch.setattr(PodAccess, "exec", fake_exec({home.url: home_nodes, away.url: away_nodes}))
        root = tmp_path / "proj"
        write_project(root, kom=KOM, app=APP, compose=COMPOSE, config="version: 1\nstore:\n  type: local\n")
        (root / "kube").mkdir()
        (root / "kube" / "home.yaml").write_bytes(home.kubeconfig)
        (root / "kube" / "away.yaml").write_bytes(away.kubeconfig)
        isolate_env(monkeypatch, home=tmp_path / "home")
        monkeypatch.chdir(root)
        yield Clusters(home, away, home_nodes, away_nodes, CliProject(root, capsys))
    finally:
        away.stop()  # reverse order of start (kmock's DNS interceptor chain)
        home.stop()


def _steps(err: str) -> list[str]:
    return [line.split("] ", 1)[1] for line in err.splitlines() if line.startswith("app move: [")]


def test_k3s_move_interrupted_twice_then_completes_without_duplicates(clusters: Clusters) -> None:
    c = clusters
    disk = json.loads(c.p.ok("disk", "create", "-V", "data").out)
    (c.home_nodes.path_on("h1", disk["options"]["path"]) / "db.bin").write_bytes(PAYLOAD)
    c.p.ok("app", "deploy")
    home_before = {k: v for k, v in c.home.objects().items() if k[0] != "v1/pods"}
    home_files = sorted(str(p) for p in c.home_nodes.root.rglob("*") if p.is_file())

    plan = json.loads(c.p.ok("app", "move", "--to-cluster", "away", "--dry-run").out)
    assert plan["transfer"] is True and plan["sharedDisks"] is False
    assert [s["step"] for s in plan["steps"]] == ["snapshot", "transfer", "disk", "assign", "deploy"]
    assert c.records(c.home, "snapshot") == {} and c.away.kube_requests() != []  # the plan reads the target
    name = plan["volumes"][0]["name"]
    assert name.startswith("mv-")

    # 1st run: the stream arrives corrupted → checksum mismatch (exit 11) after the snapshot step
    c.away_nodes.exec_filters["receive"] = lambda b: b[:100] + bytes([b[100] ^ 0xFF]) + b[101:]
    r = c.p.run("app", "move", "--to-cluster", "away")
    assert r.code == 11, r.err
    assert "checksum mismatch" in r.err and "Traceback" not in r.err
    assert _steps(r.err) == [f"snapshot data: created {name} of disk {disk['name']} on home"]
    assert list(c.records(c.home, "snapshot")) == [name]
    assert c.records(c.away, "snapshot") == {} and c.records(c.away, "disk") == {}
    assert [p for p in c.away_nodes.root.rglob("*") if p.is_file()] == []  # no archive, no .partial
    assert c.helper_pods(c.home) == [] and c.helper_pods(c.away) == []
    del c.away_nodes.exec_filters["receive"]

    # 2nd run: the snapshot is reused, the copy succeeds, the disk's helper pod is evicted
    c.away_nodes.faults["restore"] = "evicted"
    r = c.p.run("app", "move", "--to-cluster", "away", "--zone", "a2")
    assert r.code != 0 and "Evicted" in r.err
    assert _steps(r.err) == [
        f"snapshot data: {name} already made by an earlier run",
        "transfer data: copied " + name + " to away (checksum verified)",
    ]
    assert list(c.records(c.away, "snapshot")) == [name] and c.records(c.away, "disk") == {}
    assert c.records(c.away, "snapshot")[name]["node"] == "a2"
    del c.away_nodes.faults["restore"]
    held = (len(c.home_nodes.held), len(c.away_nodes.held))

    # 3rd run: nothing is made twice; the disk, the assignment and the deploy follow
    r = c.p.run("app", "move", "--to-cluster", "away", "--zone", "a2")
    assert r.code == 0, r.err
    assert _steps(r.err) == [
        f"snapshot data: {name} already made by an earlier run",
        f"transfer data: {name} already copied to away by an earlier run",
        f"disk data: created {name} on away (zone a2)",
        f"assign data: {name} already assigned",  # the first disk of a volume on a cluster is assigned at creation
        "deploy: app web deployed on away (namespace " + plan["targetNamespace"] + ")",
    ]
    assert (len(c.home_nodes.held), len(c.away_nodes.held)) == held  # no second copy
    assert list(c.records(c.home, "snapshot")) == [name]
    assert list(c.records(c.away, "snapshot")) == [name]
    (moved,) = c.records(c.away, "disk").values()
    assert moved["name"] == name and moved["assigned"] == "true" and moved["node"] == "a2"
    assert (c.away_nodes.path_on("a2", moved["base"] + "/" + moved["rel"]) / "db.bin").read_bytes() == PAYLOAD
    assert c.deployments(c.away) == c.deployments(c.home) != []
    pv: Any = next(o for (p, _ns, _n), o in c.away.objects().items() if p == "v1/persistentvolumes")
    assert pv["spec"]["local"]["path"] == moved["base"] + "/" + moved["rel"]
    assert c.helper_pods(c.home) == [] and c.helper_pods(c.away) == []

    # the source is untouched (no --cleanup-source): same objects apart from the snapshot record, same files
    home_after = {k: v for k, v in c.home.objects().items() if k[0] != "v1/pods"}
    (snapshot_key,) = set(home_after) - set(home_before)
    assert snapshot_key[2].startswith("snapshot-") and set(home_before) <= set(home_after)
    assert all(home_after[k] == v for k, v in home_before.items())
    assert sorted(str(p) for p in c.home_nodes.root.rglob("*") if p.is_file() and p.suffix != ".tar") == home_files

    again = json.loads(c.p.ok("app", "move", "--to-cluster", "away", "--dry-run").out)
    assert [s["done"] for s in again["steps"] if s["step"] != "deploy"] == [True, True, True, True]


def test_k3s_move_across_providers_is_refused_with_zero_requests(clusters: Clusters) -> None:
    c = clusters
    for extra in ((), ("--dry-run",)):
        one_error(
            c.p.run("app", "move", "--to-cluster", "other", *extra),
            5,
            "moving data across K3s providers is not supported (provider k3s1 and provider k3s2",
        )
    assert c.home.requests() == [] and c.away.requests() == []
