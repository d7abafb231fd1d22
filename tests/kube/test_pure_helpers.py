"""Pure helpers: pod selection, label selectors, pod content hash, kubeconfig handling."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path
from typing import Any

import pytest

from kompox.domain.errors import ValidationError
from kompox.domain.naming import short_hash
from kompox.kube import pods
from kompox.kube.kubeconfig import build_configuration, inline_to_memory, parse_kubeconfig, select_context
from kompox.kube.podhash import hash_index, plan_pod_template_patch, pod_content_hash
from kompox.kube.transport import describe_request


def pod(name: str, *, ready: bool = False, deleting: bool = False, phase: str = "Running") -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if deleting:
        meta["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    statuses = [{"name": "box", "ready": ready}, {"name": "side", "ready": False}]
    return {"metadata": meta, "status": {"phase": phase, "containerStatuses": statuses}}


def names(p: dict[str, Any] | None) -> str | None:
    return None if p is None else p["metadata"]["name"]


def test_exec_rule_prefers_the_last_ready_pod_then_the_first_alive() -> None:
    assert names(pods.select_exec_pod([pod("a", ready=True), pod("b", ready=True)])) == "b"
    assert names(pods.select_exec_pod([pod("a", deleting=True), pod("b"), pod("c")])) == "b"
    assert names(pods.select_exec_pod([pod("a", deleting=True)])) == "a"
    assert pods.select_exec_pod([]) is None
    # box exec: readiness of the named container counts
    assert names(pods.select_exec_pod([pod("a", ready=True), pod("b")], container="side")) == "a"
    assert names(pods.select_exec_pod([pod("a"), pod("b", ready=True)], container="box")) == "b"


def test_logs_rule_falls_back_to_the_first_listed_pod() -> None:
    assert names(pods.select_logs_pod([pod("a", deleting=True), pod("b")])) == "a"
    assert names(pods.select_logs_pod([pod("a"), pod("b", ready=True)])) == "b"


def test_tunnel_rule_prefers_the_first_ready_then_not_finished() -> None:
    assert names(pods.select_tunnel_pod([pod("a"), pod("b", ready=True), pod("c", ready=True)])) == "b"
    assert names(pods.select_tunnel_pod([pod("a", phase="Succeeded"), pod("b", phase="Pending")])) == "b"
    assert names(pods.select_tunnel_pod([pod("a", phase="Failed", deleting=True)])) == "a"


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("app=demo-app", True),
        ("app==demo-app,tier=web", True),
        ("app=demo-app,tier=db", False),
        ("app!=demo-app", False),
        ("missing!=x", True),
        ("tier", True),
        ("!tier", False),
        ("tier in (db, web)", True),
        ("tier notin (db,web)", False),
        ("app=demo-app,kompox.dev/compose-service-headless=true", False),
    ],
)
def test_label_selector_matching(selector: str, expected: bool) -> None:
    assert pods.matches_selector({"app": "demo-app", "tier": "web"}, selector) is expected


def test_format_selector_sorts_keys() -> None:
    assert pods.format_selector({"b": "2", "a": "1"}) == "a=1,b=2"


def test_pod_content_hash_volume_vector() -> None:
    spec = {
        "containers": [{"name": "c"}],
        "volumes": [
            {"name": "v1", "configMap": {"name": "cfg"}},
            {"name": "v2", "secret": {"secretName": "sec"}},
            {"name": "v3", "emptyDir": {}},
        ],
    }
    index = hash_index(
        [{"metadata": {"name": "sec", "annotations": {"kompox.dev/compose-content-hash": "secret1"}}}],
        [{"metadata": {"name": "cfg", "annotations": {"kompox.dev/compose-content-hash": "config1"}}}],
    )
    assert pod_content_hash(spec, index) == "4id0cl"  # converter.md §14.2 volumes-only vector
    assert pod_content_hash({"containers": [{"name": "c"}]}, index) == ""


def test_pod_content_hash_orders_containers_by_name_and_configmap_wins() -> None:
    spec = {
        "containers": [
            {"name": "z", "envFrom": [{"secretRef": {"name": "s2"}}]},
            {"name": "a", "envFrom": [{"configMapRef": {"name": "s1"}}]},
        ]
    }
    index = hash_index(
        [{"metadata": {"name": "s1", "annotations": {"kompox.dev/compose-content-hash": "xx"}}}],
        [{"metadata": {"name": "s1", "annotations": {"kompox.dev/compose-content-hash": "cm"}}}],
    )
    assert pod_content_hash(spec, index) == short_hash("cm")  # s2 missing → ""


def test_plan_is_none_when_in_sync() -> None:
    deployment = {
        "metadata": {"name": "d"},
        "spec": {
            "template": {
                "metadata": {"annotations": {"kompox.dev/compose-content-hash": short_hash("h1")}},
                "spec": {"containers": [{"name": "c", "envFrom": [{"secretRef": {"name": "s"}}]}]},
            }
        },
    }
    secret = {"metadata": {"name": "s", "annotations": {"kompox.dev/compose-content-hash": "h1"}}}
    assert plan_pod_template_patch(deployment, [secret], []) is None
    changed = plan_pod_template_patch(
        deployment, [{**secret, "metadata": {**secret["metadata"], "annotations": {}}}], []
    )
    assert changed is not None and changed.content_hash == short_hash("")


def test_describe_request() -> None:
    d = describe_request("GET", "/apis/apps/v1/namespaces/ns/deployments")
    assert (d.verb, d.resource, d.namespace, d.name) == ("list", "deployments", "ns", "")
    d = describe_request("PATCH", "/api/v1/namespaces/ns")
    assert (d.verb, d.resource, d.name) == ("patch", "namespaces", "ns")
    d = describe_request("POST", "/api/v1/namespaces/ns/pods/p/exec")
    assert d.describe() == 'create pods/exec "p" in namespace "ns"'


PEM = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def kubeconfig(server: str = "https://203.0.113.1:6443") -> bytes:
    b64 = base64.standard_b64encode(PEM).decode()
    return f"""
apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: {{server: "{server}", certificate-authority-data: {b64}}}
- name: other
  cluster: {{server: "https://198.51.100.1"}}
contexts:
- {{name: ctx1, context: {{cluster: c1, user: u1}}}}
- {{name: ctx2, context: {{cluster: other, user: u1}}}}
current-context: ctx1
users:
- name: u1
  user: {{client-certificate-data: {b64}, client-key-data: {b64}}}
""".encode()


def test_inline_credentials_live_in_memory_only() -> None:
    doc = parse_kubeconfig(kubeconfig())
    before = set(Path(tempfile.gettempdir()).iterdir())
    prepared, material = inline_to_memory(doc, "ctx1")
    try:
        assert len(material.paths) == 3
        for path in material.paths:
            assert path.startswith("/proc/self/fd/")
            assert Path(path).read_bytes() == PEM
        user = prepared["users"][0]["user"]
        assert "client-key-data" not in user and user["client-key"] in material.paths
        assert "client-key-data" in doc["users"][0]["user"]  # the input is not modified
    finally:
        material.close()
    assert material.paths == []
    assert set(Path(tempfile.gettempdir()).iterdir()) == before


def test_build_configuration_uses_the_current_context_without_temp_files() -> None:
    before = set(Path(tempfile.gettempdir()).iterdir())
    configuration, material, server = build_configuration(kubeconfig())
    try:
        assert server == "https://203.0.113.1:6443"
        assert configuration.host == "https://203.0.113.1:6443"
        assert configuration.ssl_ca_cert in material.paths
        assert configuration.cert_file in material.paths
    finally:
        material.close()
    assert set(Path(tempfile.gettempdir()).iterdir()) == before


def test_kubeconfig_errors() -> None:
    with pytest.raises(ValidationError, match="kubeconfig is empty"):
        parse_kubeconfig(b"  \n")
    with pytest.raises(ValidationError, match="not a mapping"):
        parse_kubeconfig(b"- a\n")
    doc = parse_kubeconfig(kubeconfig())
    assert select_context(doc) == "ctx1"
    assert select_context(doc, "ctx2") == "ctx2"
    with pytest.raises(ValidationError, match="no context 'nope'"):
        select_context(doc, "nope")
    del doc["current-context"]
    with pytest.raises(ValidationError, match="no current context"):
        select_context(doc)
