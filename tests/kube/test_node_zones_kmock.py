"""The node-zone labeler (issue #18, per-node zone labels of multi-zone pools) against kmock.

Nodes carry ``topology.kubernetes.io/zone`` as AKS sets it (``japaneast-<n>``
for zonal nodes, the fault domain ``0`` for non-zonal ones).  Only Kompox
nodes (``kompox.dev/node-pool``) without ``kompox.dev/node-zone`` are
patched; each merge patch carries the listed ``resourceVersion``, which the
harness enforces as a precondition (409 when stale).
"""

from __future__ import annotations

from typing import Any

import pytest
from kmock_server import KMockThread

from kompox.kube.client import KubeClient
from kompox.kube.node_zones import NODE_SELECTOR

TOPOLOGY = "topology.kubernetes.io/zone"


def node(name: str, rv: str, **labels: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "resourceVersion": rv, "labels": {"kubernetes.io/hostname": name, **labels}},
    }


def labels_of(server: KMockThread, name: str) -> dict[str, str]:
    return dict(server.objects()[("v1/nodes", None, name)]["metadata"]["labels"])


def node_patches(server: KMockThread) -> list[tuple[str, Any, str]]:
    return [
        (r.name, r.data, (r.headers.get("Content-Type") or "").split(";")[0])
        for r in server.kube_requests()
        if r.resource.plural == "nodes" and r.method.upper() == "PATCH"
    ]


@pytest.fixture()
def nodes(server: KMockThread) -> KMockThread:
    pool = "kompox.dev/node-pool"
    zone = "kompox.dev/node-zone"
    for obj in (
        # a multi-zone pool "web": no pool-level zone label, one node per zone
        node("aks-npweb-0", "11", **{pool: "web", TOPOLOGY: "japaneast-1"}),
        node("aks-npweb-1", "12", **{pool: "web", TOPOLOGY: "japaneast-2"}),
        node("aks-npweb-2", "13", **{pool: "web", TOPOLOGY: "japaneast-3"}),
        # the template's npuser2 keeps its pool-level label "2"
        node("aks-npuser2-0", "21", **{pool: "user", zone: "2", TOPOLOGY: "japaneast-2"}),
        # a non-zonal pool: AKS puts the fault domain in the topology label
        node("aks-npflat-0", "31", **{pool: "flat", TOPOLOGY: "0"}),
        # not a Kompox node
        node("aks-other-0", "41", **{TOPOLOGY: "japaneast-1"}),
    ):
        server.put("v1/nodes", obj)
    return server


def test_each_node_of_a_multi_zone_pool_gets_its_own_zone_and_nothing_else_is_touched(
    client: KubeClient, nodes: KMockThread
) -> None:
    outcome = client.label_node_zones()

    assert outcome.labelled == [
        ("aks-npweb-0", "japaneast-1"),
        ("aks-npweb-1", "japaneast-2"),
        ("aks-npweb-2", "japaneast-3"),
    ]
    assert outcome.failed == []
    for name, zone in outcome.labelled:
        assert labels_of(nodes, name)["kompox.dev/node-zone"] == zone
    assert labels_of(nodes, "aks-npuser2-0")["kompox.dev/node-zone"] == "2"  # existing label never rewritten
    assert "kompox.dev/node-zone" not in labels_of(nodes, "aks-npflat-0")  # "0" is no zone
    assert "kompox.dev/node-zone" not in labels_of(nodes, "aks-other-0")  # no kompox.dev/node-pool
    # one merge patch per labelled node, each conditional on the listed resourceVersion
    assert node_patches(nodes) == [
        (
            f"aks-npweb-{i}",
            {"metadata": {"resourceVersion": f"1{i + 1}", "labels": {"kompox.dev/node-zone": f"japaneast-{i + 1}"}}},
            "application/merge-patch+json",
        )
        for i in range(3)
    ]
    lists = [r for r in nodes.kube_requests() if r.resource.plural == "nodes" and r.method.upper() == "GET"]
    assert [r.params.get("labelSelector") for r in lists] == [NODE_SELECTOR]
    assert NODE_SELECTOR == "kompox.dev/node-pool,!kompox.dev/node-zone"


def test_a_second_run_changes_nothing(client: KubeClient, nodes: KMockThread) -> None:
    client.label_node_zones()
    before = len(node_patches(nodes))
    again = client.label_node_zones()
    assert (again.labelled, again.failed) == ([], [])
    assert len(node_patches(nodes)) == before == 3


def test_a_node_changed_between_list_and_patch_is_reported_and_left_for_the_next_run(
    client: KubeClient, nodes: KMockThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_list = client.list_objects

    def list_then_someone_writes(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        listed = real_list(*args, **kwargs)
        changed = node("aks-npweb-1", "99", **{"kompox.dev/node-pool": "web", TOPOLOGY: "japaneast-2", "x": "y"})
        nodes.put("v1/nodes", changed)  # another writer, after our list
        return listed

    monkeypatch.setattr(client, "list_objects", list_then_someone_writes)
    outcome = client.label_node_zones()
    assert outcome.labelled == [("aks-npweb-0", "japaneast-1"), ("aks-npweb-2", "japaneast-3")]
    assert outcome.failed == [
        "node aks-npweb-1: kompox.dev/node-zone=japaneast-2 not set: it changed meanwhile; the next run labels it"
    ]
    assert "kompox.dev/node-zone" not in labels_of(nodes, "aks-npweb-1")
    monkeypatch.undo()
    assert client.label_node_zones().labelled == [("aks-npweb-1", "japaneast-2")]


def test_a_forbidden_patch_is_a_failure_line_and_a_vanished_node_is_skipped(
    client: KubeClient, nodes: KMockThread
) -> None:
    nodes.inject("PATCH", 404, plural="nodes", reason="NotFound")
    nodes.inject("PATCH", 403, plural="nodes", reason="Forbidden")
    outcome = client.label_node_zones()
    assert outcome.labelled == [("aks-npweb-2", "japaneast-3")]
    assert outcome.failed == [
        f"node aks-npweb-1: kompox.dev/node-zone=japaneast-2 not set: Kubernetes API server {nodes.url} "
        'refused to patch nodes "aks-npweb-1": 403 forbidden: injected'
    ]
