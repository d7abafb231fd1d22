"""The dry-run gate of ``app deploy`` against a strict kmock: refused objects stop the deploy before any write.

The server here refuses what a real API server refuses: a chosen object at
any write, dry run included (422 Invalid, as a schema or admission rule), and
(``strict``) any apply into a namespace that does not exist, dry run included.
"""

from __future__ import annotations

from typing import Any

import pytest
from kmock_server import KMockThread

from kompox.kube.client import KubeClient
from kompox.usecase.app_deploy import DeployPlan, DeployRefusedError, deploy_app

from .conftest import Gitea

NS = "k4x-test-five-abc123"
APPLY = "application/apply-patch+yaml"


def five_objects() -> list[dict[str, Any]]:
    labels = {"app": "five-app"}
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS, "labels": labels}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "five", "namespace": NS}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "five-config", "namespace": NS}, "data": {}},
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "five-app", "namespace": NS, "labels": labels},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "five-app", "namespace": NS, "labels": labels},
            "spec": {"selector": labels, "ports": [{"name": "web", "port": 80}]},
        },
    ]


def five_plan() -> DeployPlan:
    return DeployPlan(
        app="five",
        namespace=NS,
        deployment="five-app",
        component_selector="app=five-app",
        headless_services=(),
        objects=five_objects(),
    )


def test_third_of_five_refused_at_dry_run_nothing_is_applied(server: KMockThread, kube: KubeClient) -> None:
    server.strict(namespaces=True)
    server.put("v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
    server.refuse("configmaps", "five-config", "data[bad key]: Invalid value")
    before = server.objects()

    with pytest.raises(DeployRefusedError) as info:
        deploy_app(kube, five_plan(), wait=False)

    assert info.value.refusals == [
        'ConfigMap/five-config: configmaps "five-config" is invalid: data[bad key]: Invalid value'
    ]
    assert str(info.value) == "the API server refused 1 of 5 objects at dry run; nothing was applied"
    assert info.value.exit_code == 3
    assert server.objects() == before  # nothing stored, nothing changed
    writes = [r for r in server.kube_requests() if r.method != "GET"]
    assert [(r.resource.plural, r.name) for r in writes] == [
        (k, o["metadata"]["name"])
        for k, o in zip(
            ["namespaces", "serviceaccounts", "configmaps", "deployments", "services"], five_objects(), strict=True
        )
    ]  # every object was sent, once, the refused one included (all refusals are found at once)
    for r in writes:
        assert r.method == "PATCH" and r.headers["Content-Type"] == APPLY
        assert r.params == {"fieldManager": "kompoxops", "force": "true", "dryRun": "All"}


def test_every_refusal_is_reported_one_line_each(server: KMockThread, kube: KubeClient) -> None:
    server.refuse("serviceaccounts", "five", "metadata.name: Invalid value")
    server.refuse("services", "five-app", "spec.ports[0].port: Invalid value: 70000")

    with pytest.raises(DeployRefusedError) as info:
        deploy_app(kube, five_plan(), wait=False)

    assert [line.split(":")[0] for line in info.value.refusals] == ["ServiceAccount/five", "Service/five-app"]
    assert "refused 2 of 5 objects" in str(info.value)
    stored = {k for k in server.objects() if k[0] != "v1/namespaces"}
    assert stored == set()
    assert all(r.params.get("dryRun") == "All" for r in server.kube_requests() if r.method == "PATCH")


def test_new_namespace_is_created_then_the_rest_is_checked_in_it(server: KMockThread, kube: KubeClient) -> None:
    """A real server refuses a dry run into a missing namespace: the namespace comes first, empty."""
    server.strict(namespaces=True)
    server.refuse("deployments", "five-app", "spec.template.spec.containers[0].image: Required value")

    with pytest.raises(DeployRefusedError) as info:
        deploy_app(kube, five_plan(), wait=False)

    assert info.value.refusals[0].startswith("Deployment/five-app: ")
    assert len(info.value.refusals) == 1  # the others were accepted: the namespace existed when they were checked
    assert f"namespace {NS} was created, empty, to check them" in str(info.value)
    assert set(server.objects()) == {("v1/namespaces", None, NS)}
    writes = [(r.method, r.resource.plural, bool(r.params.get("dryRun"))) for r in server.kube_requests()]
    assert writes[:2] == [("PATCH", "namespaces", True), ("POST", "namespaces", False)]
    assert all(dry for method, _, dry in writes[2:] if method == "PATCH")


def test_first_deploy_applies_each_object_once_and_rolls_out_once(server: KMockThread, kube: KubeClient) -> None:
    server.strict(namespaces=True)
    server.rollout = "ready"

    result = deploy_app(kube, five_plan(), wait=True, timeout=30)

    applies = [r for r in server.kube_requests() if r.method == "PATCH" and not r.params.get("dryRun")]
    assert [(r.resource.plural, r.name) for r in applies] == [
        ("namespaces", NS),
        ("serviceaccounts", "five"),
        ("configmaps", "five-config"),
        ("deployments", "five-app"),
        ("services", "five-app"),
    ]
    dry_runs = [r for r in server.kube_requests() if r.params.get("dryRun") == "All"]
    assert len(dry_runs) == 5
    assert all(r.params["fieldManager"] == "kompoxops" for r in dry_runs)
    deployment = server.objects()[("apps/v1/deployments", NS, "five-app")]
    assert deployment["metadata"]["generation"] == 1
    assert result.rollout == 'deployment "five-app" successfully rolled out'


def test_gitea_first_deploy_is_one_rollout_and_a_redeploy_writes_nothing(
    server: KMockThread, kube: KubeClient, gitea: Gitea
) -> None:
    server.strict(namespaces=True)

    deploy_app(kube, gitea.plan, wait=True, timeout=30)

    key = ("apps/v1/deployments", gitea.namespace, "gitea-app")
    assert server.objects()[key]["metadata"]["generation"] == 1
    template = server.objects()[key]["spec"]["template"]
    assert "kompox.dev/compose-content-hash" in template["metadata"]["annotations"]
    before = server.objects()
    seen = len(server.kube_requests())

    again = deploy_app(kube, gitea.plan, wait=True, timeout=30)

    assert server.objects() == before  # resourceVersions and generations unchanged
    assert not again.patched
    assert all(r.method in ("GET", "PATCH") for r in server.kube_requests()[seen:])
