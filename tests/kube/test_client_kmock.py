"""The kube client against kmock on 127.0.0.1, real ``kubernetes`` client, real HTTP."""

from __future__ import annotations

import copy
import io
from typing import Any

import pytest
from kmock_server import KMockThread, without_server_fields
from manifests import NS, SELECTOR, app_objects, key_of

from kompox.domain.errors import ProviderAPIError, ValidationError
from kompox.domain.naming import short_hash
from kompox.kube import resources as res
from kompox.kube.client import KubeClient


def kube_requests(server: KMockThread) -> list[Any]:
    return server.kube_requests()


# --- apply ----------------------------------------------------------------------------


def test_apply_stores_every_object_with_one_ssa_patch_each(server: KMockThread, client: KubeClient) -> None:
    objects = app_objects()
    result = client.apply(objects)

    assert result.count == len(objects)
    held = server.objects()
    for obj in objects:
        assert without_server_fields(held[key_of(obj)]) == obj
        assert held[key_of(obj)]["metadata"]["generation"] == 1
    assert len(held) == len(objects)
    assert [o["metadata"]["resourceVersion"] for o in result.objects] == [
        held[key_of(o)]["metadata"]["resourceVersion"] for o in objects
    ]

    reqs = kube_requests(server)
    assert len(reqs) == len(objects)  # no discovery, no extra reads
    for req, obj in zip(reqs, objects, strict=True):
        assert req.method == "PATCH"
        assert req.headers["Content-Type"] == "application/apply-patch+yaml"
        assert req.params == {"fieldManager": "kompoxops", "force": "true"}
        assert req.name == obj["metadata"]["name"]
        assert req.data == obj
        assert req.headers["User-Agent"].startswith("kompoxops/")
        assert req.headers["User-Agent"].endswith("/kompoxops")
        assert req.headers["Authorization"] == "Bearer test-token"


def test_apply_twice_changes_nothing(server: KMockThread, client: KubeClient) -> None:
    client.apply(app_objects())
    before = server.objects()
    count = len(kube_requests(server))

    client.apply(app_objects())

    assert server.objects() == before
    assert len(kube_requests(server)) == 2 * count


def test_apply_defaults_namespace_and_drops_it_for_cluster_kinds(server: KMockThread, client: KubeClient) -> None:
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}}
    pv = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "p", "namespace": "x"}, "spec": {}}
    client.apply([cm, pv], default_namespace="team")

    held = server.objects()
    assert held[("v1/configmaps", "team", "c")]["metadata"]["namespace"] == "team"
    assert "namespace" not in held[("v1/persistentvolumes", None, "p")]["metadata"]
    assert cm["metadata"] == {"name": "c"}  # the caller's dict is not modified


def test_apply_rejects_objects_without_name_or_kind(server: KMockThread, client: KubeClient) -> None:
    with pytest.raises(ValidationError, match=r"metadata\.name is required"):
        client.apply([{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}])
    with pytest.raises(ValidationError, match="apiVersion and kind are required"):
        client.apply([{"metadata": {"name": "role"}}])
    assert kube_requests(server) == []


def test_apply_yaml_stream_skips_empty_documents(server: KMockThread, client: KubeClient) -> None:
    text = "---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: traefik\n  namespace: traefik\ndata: {}\n"
    result = client.apply_yaml(text, force=False)
    assert result.count == 1
    (req,) = kube_requests(server)
    assert req.params == {"fieldManager": "kompoxops"}
    assert ("v1/configmaps", "traefik", "traefik") in server.objects()


# --- namespaces and service accounts ------------------------------------------------------


def test_ensure_namespace_creates_once(server: KMockThread, client: KubeClient) -> None:
    assert client.ensure_namespace("traefik") is True
    assert client.ensure_namespace("traefik") is False
    assert ("v1/namespaces", None, "traefik") in server.objects()
    assert client.delete_namespace("traefik") is True
    assert client.delete_namespace("traefik") is False
    assert ("v1/namespaces", None, "traefik") not in server.objects()


def test_ensure_service_account_creates_then_adds_annotations(server: KMockThread, client: KubeClient) -> None:
    client.ensure_namespace("traefik")
    client.ensure_service_account("traefik", "ingress-service-account", {"a": "1"})
    client.ensure_service_account("traefik", "ingress-service-account", {"b": "2"})
    count = len(kube_requests(server))
    client.ensure_service_account("traefik", "ingress-service-account", {"b": "2"})  # no change → no write

    sa = server.objects()[("v1/serviceaccounts", "traefik", "ingress-service-account")]
    assert sa["metadata"]["annotations"] == {"a": "1", "b": "2"}
    assert sa["automountServiceAccountToken"] is False
    assert len(kube_requests(server)) == count + 1
    assert kube_requests(server)[-1].method == "GET"


# --- deletion -------------------------------------------------------------------------------


def test_delete_by_selector_keeps_volumes_and_other_components(server: KMockThread, client: KubeClient) -> None:
    objects = app_objects()
    other = copy.deepcopy(objects[6])
    other["metadata"]["name"] = "demo-box"
    other["metadata"]["labels"]["app"] = "demo-box"
    client.apply([*objects, other])

    result = client.delete_by_selector(NS, SELECTOR)

    assert result.errors == []
    assert result.deleted == [
        ("Ingress", NS, "demo-app-custom"),
        ("Service", NS, "demo-app"),
        ("Service", NS, "web"),
        ("Deployment", NS, "demo-app"),
    ]
    remaining = {key[2] for key in server.objects()}
    assert remaining == {NS, "demo", "k4x-abc123-data-xyz789-vol001", "demo-app-web-base", "demo-box"}
    deletes = [r for r in kube_requests(server) if r.method == "DELETE"]
    assert [r.data for r in deletes] == [
        {"apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Background"}
    ] * 4


def test_delete_by_selector_stops_or_continues_on_errors(server: KMockThread, client: KubeClient) -> None:
    client.apply(app_objects())
    server.inject("delete", 403, times=100, reason="Forbidden", plural="ingresses")
    with pytest.raises(ProviderAPIError, match="refused to delete ingresses"):
        client.delete_by_selector(NS, SELECTOR, ignore_errors=False)
    assert ("apps/v1/deployments", NS, "demo-app") in server.objects()
    assert ("networking.k8s.io/v1/ingresses", NS, "demo-app-custom") in server.objects()

    result = client.delete_by_selector(NS, SELECTOR)
    assert len(result.errors) == 1 and "delete ingresses" in result.errors[0]
    assert ("Deployment", NS, "demo-app") in result.deleted


def test_prune_headless_services(server: KMockThread, client: KubeClient) -> None:
    objects = app_objects()
    stale = copy.deepcopy(objects[7])
    stale["metadata"]["name"] = "db"
    client.apply([*objects, stale])

    result = client.prune_headless_services(NS, SELECTOR, keep=["web"])

    assert result.deleted == [("Service", NS, "db")]
    names = {key[2] for key in server.objects() if key[0] == "v1/services"}
    assert names == {"demo-app", "web"}


# --- deployment patch -----------------------------------------------------------------------


def test_sync_pod_content_hash_with_pull_secret(server: KMockThread, client: KubeClient) -> None:
    applied = client.apply(app_objects()).objects
    pull = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": "demo-app--pull",
            "namespace": NS,
            "annotations": {"kompox.dev/compose-content-hash": "aaaaaa"},
        },
        "type": "kubernetes.io/dockerconfigjson",
    }
    client.create(res.SECRET, pull, NS)
    before = len(kube_requests(server))

    plan = client.sync_pod_content_hash(NS, "demo-app", known=applied)

    assert plan is not None
    assert plan.content_hash == "2mls9j"  # converter.md §14.2 vector: aaaaaa + bbbbbb + missing override
    template = server.objects()[("apps/v1/deployments", NS, "demo-app")]["spec"]["template"]
    assert template["metadata"]["annotations"] == {"kompox.dev/compose-content-hash": "2mls9j"}
    assert template["spec"]["imagePullSecrets"] == [{"name": "demo-app--pull"}]
    new = kube_requests(server)[before:]
    assert [(r.method, r.resource.plural) for r in new] == [("GET", "secrets"), ("PATCH", "deployments")]
    assert new[1].headers["Content-Type"] == "application/json-patch+json"

    assert client.sync_pod_content_hash(NS, "demo-app") is None  # in sync: read only
    assert all(r.method == "GET" for r in kube_requests(server)[before + 2 :])


def test_sync_pod_content_hash_removes_a_deleted_pull_secret(server: KMockThread, client: KubeClient) -> None:
    objects = app_objects()
    objects[5]["spec"]["template"]["spec"]["imagePullSecrets"] = [{"name": "demo-app--pull"}]
    client.apply(objects)

    plan = client.sync_pod_content_hash(NS, "demo-app")

    assert plan is not None
    template = server.objects()[("apps/v1/deployments", NS, "demo-app")]["spec"]["template"]
    assert template["spec"]["imagePullSecrets"] == []
    assert template["metadata"]["annotations"]["kompox.dev/compose-content-hash"] == short_hash("bbbbbb")


# --- rollout ------------------------------------------------------------------------------------


def _set_status(server: KMockThread, status: dict[str, Any]) -> None:
    server.set_status("apps/v1/deployments", NS, "demo-app", {"observedGeneration": 1, **status})


def test_wait_for_rollout_reports_progress_until_done(server: KMockThread, client: KubeClient) -> None:
    client.apply(app_objects())
    _set_status(server, {"replicas": 1, "updatedReplicas": 0})
    steps = iter(
        [
            {"replicas": 2, "updatedReplicas": 1, "availableReplicas": 1},
            {"replicas": 1, "updatedReplicas": 1, "availableReplicas": 0},
            {"replicas": 1, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1},
        ]
    )
    seen: list[str] = []
    status = client.wait_for_rollout(
        NS,
        "demo-app",
        timeout=60,
        progress=lambda s: seen.append(s.message),
        sleep=lambda _s: _set_status(server, next(steps)),
    )
    assert status.done and status.available == 1
    assert seen == [
        'waiting for deployment "demo-app" rollout: 0 of 1 new replicas updated',
        'waiting for deployment "demo-app" rollout: 1 old replicas pending termination',
        'waiting for deployment "demo-app" rollout: 0 of 1 updated replicas available',
        'deployment "demo-app" successfully rolled out',
    ]


def test_wait_for_rollout_times_out_with_the_last_state(server: KMockThread, client: KubeClient) -> None:
    client.apply(app_objects())
    _set_status(server, {"replicas": 1, "updatedReplicas": 1, "availableReplicas": 0})
    now = {"t": 0.0}

    def sleep(seconds: float) -> None:
        now["t"] += seconds

    with pytest.raises(ProviderAPIError, match=r"timed out after 10s waiting .* 0 of 1 updated replicas available"):
        client.wait_for_rollout(NS, "demo-app", timeout=10, poll_interval=2, clock=lambda: now["t"], sleep=sleep)


def test_wait_for_rollout_fails_on_progress_deadline(server: KMockThread, client: KubeClient) -> None:
    client.apply(app_objects())
    _set_status(
        server,
        {"conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]},
    )
    with pytest.raises(ProviderAPIError, match="exceeded its progress deadline"):
        client.wait_for_rollout(NS, "demo-app", timeout=10, sleep=lambda _s: None)


# --- pods, logs, ingress -------------------------------------------------------------------------


def _pod(name: str, *, ready: bool, deleting: bool = False, labels: dict[str, str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": NS, "labels": labels or {"app": "demo-app"}}
    if deleting:
        meta["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "status": {"phase": "Running", "containerStatuses": [{"name": "web", "ready": ready}]},
    }


def test_find_pod_rules_over_the_api(server: KMockThread, client: KubeClient) -> None:
    pods = [
        _pod("p1", ready=False),
        _pod("p2", ready=True),
        _pod("p3", ready=True),
        _pod("p4", ready=True, deleting=True),
        _pod("x1", ready=True, labels={"app": "other"}),
    ]

    def store() -> None:
        for p in pods:
            server.emulator.objects["v1/pods", NS, p["metadata"]["name"]] = p

    server.call(store)
    assert client.find_pod(NS, SELECTOR, rule="exec")["metadata"]["name"] == "p3"
    assert client.find_pod(NS, SELECTOR, rule="tunnel")["metadata"]["name"] == "p2"
    assert client.find_pod(NS, SELECTOR, rule="status")["metadata"]["name"] == "p1"
    assert [p["metadata"]["name"] for p in client.list_pods(NS, SELECTOR)] == ["p1", "p2", "p3", "p4"]
    assert client.find_pod(NS, "app=none") is None


def test_stream_logs_copies_bytes_and_passes_options(server: KMockThread, client: KubeClient) -> None:
    path = f"/api/v1/namespaces/{NS}/pods/p1/log"
    server.call(lambda: server.emulator["get", path] << (b"line 1\n", b"line 2\n"))
    out = io.BytesIO()

    copied = client.stream_logs(NS, "p1", out, container="web", follow=True, tail_lines=200)

    assert out.getvalue() == b"line 1\nline 2\n"
    assert copied == len(out.getvalue())
    (req,) = kube_requests(server)
    assert req.params == {"container": "web", "follow": "true", "tailLines": "200"}


def test_ingress_host_ips_and_endpoint(server: KMockThread, client: KubeClient) -> None:
    objects = app_objects()
    client.apply(objects)
    default = copy.deepcopy(objects[8])
    default["metadata"]["name"] = "demo-app-default"
    default["spec"]["rules"][0]["host"] = "demo-xyz789-8080.example.org"
    client.apply([default])

    def publish() -> None:
        lb = {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}
        server.emulator.objects["networking.k8s.io/v1/ingresses", NS, "demo-app-custom"]["status"] = lb
        server.emulator.objects["v1/services", NS, "demo-app"]["status"] = {
            "loadBalancer": {"ingress": [{"ip": "203.0.113.10", "hostname": "x.example.net"}]}
        }

    server.call(publish)
    assert client.ingress_host_ips(NS, SELECTOR) == [
        ("demo-xyz789-8080.example.org", ""),
        ("www.example.com", "203.0.113.10"),
    ]
    assert client.ingress_endpoint(NS, "demo-app") == ("203.0.113.10", "x.example.net")
    with pytest.raises(ProviderAPIError, match='service "traefik" not found'):
        client.ingress_endpoint(NS)


def test_deploy_request_budget_one_apply_per_object_plus_two(server: KMockThread, client: KubeClient) -> None:
    """apply + headless prune + pod hash sync of an in-sync deploy: N applies and 2 reads."""
    objects = app_objects()
    template = objects[5]["spec"]["template"]
    template["metadata"]["annotations"] = {"kompox.dev/compose-content-hash": short_hash("bbbbbb")}

    applied = client.apply(objects).objects
    client.prune_headless_services(NS, SELECTOR, keep=["web"])
    assert client.sync_pod_content_hash(NS, "demo-app", known=applied) is None

    reqs = kube_requests(server)
    assert len(reqs) == len(objects) + 2
    assert [r.method for r in reqs[len(objects) :]] == ["GET", "GET"]
