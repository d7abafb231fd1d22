"""``app destroy`` and ``app status`` of the Gitea example against kmock."""

from __future__ import annotations

import io

import pytest
from kmock_server import KMockThread

from kompox.domain.errors import ExitCode, NotFoundError
from kompox.kube.client import KubeClient
from kompox.usecase.app_deploy import deploy_app
from kompox.usecase.app_destroy import destroy_app
from kompox.usecase.app_ops import app_logs
from kompox.usecase.app_status import app_status
from kompox.usecase.app_target import AppOperationError

from .conftest import Gitea


def kinds_left(server: KMockThread, namespace: str) -> dict[str, set[str]]:
    left: dict[str, set[str]] = {}
    for plural, ns, name in server.objects():
        if ns in (namespace, None):
            left.setdefault(plural, set()).add(name)
    return left


def test_destroy_removes_the_workload_and_keeps_volumes_rbac_and_namespace(
    server: KMockThread, kube: KubeClient, gitea: Gitea
) -> None:
    deploy_app(kube, gitea.plan, wait=True, timeout=30)
    ns = gitea.namespace
    pvs = {o["metadata"]["name"] for o in gitea.plan.objects if o["kind"] == "PersistentVolume"}

    result = destroy_app(kube, gitea.target.names())

    assert sorted(result.deleted) == sorted(
        [
            ("Ingress", ns, "gitea-app-default"),
            ("Ingress", ns, "gitea-app-custom"),
            ("Service", ns, "gitea-app"),
            ("Service", ns, "gitea"),
            ("Service", ns, "postgres"),
            ("Deployment", ns, "gitea-app"),
        ]
    )
    assert [k for k, _, _ in result.deleted][:2] == ["Ingress", "Ingress"]  # upstream target order
    assert result.label_selector == "app=gitea-app" and result.namespace == ns
    assert kinds_left(server, ns) == {
        "v1/namespaces": {ns},
        "v1/serviceaccounts": {"gitea"},
        "rbac.authorization.k8s.io/v1/roles": {"gitea-access"},
        "rbac.authorization.k8s.io/v1/rolebindings": {"gitea-access"},
        "networking.k8s.io/v1/networkpolicies": {"gitea"},
        "v1/persistentvolumes": pvs,
        "v1/persistentvolumeclaims": pvs,
    }
    deletes = [r for r in server.kube_requests() if r.method == "DELETE"]
    assert {r.data["propagationPolicy"] for r in deletes} == {"Background"}

    again = destroy_app(kube, gitea.target.names())  # idempotent: nothing left to delete
    assert again.deleted == []


def test_destroy_with_namespace_keeps_only_the_volumes(server: KMockThread, kube: KubeClient, gitea: Gitea) -> None:
    deploy_app(kube, gitea.plan, wait=False)

    result = destroy_app(kube, gitea.target.names(), delete_namespace=True)

    assert result.namespace_deleted
    left = server.objects()
    assert {k[0] for k in left} == {"v1/persistentvolumes"}
    assert destroy_app(kube, gitea.target.names(), delete_namespace=True).namespace_deleted is False


def test_destroy_reports_refused_deletions_after_trying_everything(
    server: KMockThread, kube: KubeClient, gitea: Gitea
) -> None:
    deploy_app(kube, gitea.plan, wait=False)
    server.inject("delete", 403, times=100, reason="Forbidden", plural="services")

    with pytest.raises(AppOperationError) as info:
        destroy_app(kube, gitea.target.names())

    message = str(info.value)
    assert message.startswith("destroy app gitea: 3 deletions failed (3 objects deleted): Kubernetes API server")
    assert 'refused to delete services "gitea" in namespace' in message and "(+2 more)" in message
    assert info.value.exit_code == ExitCode.PROVIDER
    assert ("apps/v1/deployments", gitea.namespace, "gitea-app") not in server.objects()


def test_status_before_and_after_deploy(server: KMockThread, kube: KubeClient, gitea: Gitea) -> None:
    names = gitea.target.names()
    before = app_status(kube, gitea.target, names).to_json()
    assert before == {
        "app_id": "/ws/demo/prv/k3s1/cls/home/app/gitea",
        "app_name": "gitea",
        "cluster_id": "/ws/demo/prv/k3s1/cls/home",
        "cluster_name": "home",
        "ready": False,
        "image": "",
        "namespace": "",
        "node": "",
        "deployment": "",
        "pod": "",
        "container": "",
        "command": None,
        "args": None,
        "ingress_hosts": None,
        "waiting_for": None,
    }

    deploy_app(kube, gitea.plan, wait=True, timeout=30)
    after = app_status(kube, gitea.target, names).to_json()

    pod = next(k[2] for k in server.objects() if k[0] == "v1/pods")
    assert list(after) == list(before)
    assert after | {"pod": ""} == before | {
        "ready": True,
        "image": "docker.gitea.com/gitea:1.24",
        "namespace": gitea.namespace,
        "node": "node-1",
        "deployment": "gitea-app",
        "container": "gitea",
        "ingress_hosts": sorted(["git.example.org", f"gitea-{names.hashes.app_id}-3000.home.example.com"]),
    }
    assert after["pod"] == pod and pod.startswith("gitea-app-")


def test_status_ignores_a_namespace_that_is_not_the_apps(server: KMockThread, kube: KubeClient, gitea: Gitea) -> None:
    deploy_app(kube, gitea.plan, wait=True, timeout=30)
    namespace = server.objects()[("v1/namespaces", None, gitea.namespace)]
    namespace["metadata"]["labels"]["kompox.dev/app-id-hash"] = "other1"
    server.put("v1/namespaces", namespace)

    status = app_status(kube, gitea.target, gitea.target.names())

    assert status.namespace == "" and status.deployment == "" and not status.ready


def test_logs_of_the_chosen_pod(server: KMockThread, kube: KubeClient, gitea: Gitea) -> None:
    deploy_app(kube, gitea.plan, wait=True, timeout=30)
    pod = next(k[2] for k in server.objects() if k[0] == "v1/pods")
    path = f"/api/v1/namespaces/{gitea.namespace}/pods/{pod}/log"
    server.call(lambda: server.emulator["get", path] << (b"gitea started\n",))
    out = io.BytesIO()

    copied = app_logs(kube, gitea.target.names(), out, container="gitea", follow=True, tail_lines=50)

    assert out.getvalue() == b"gitea started\n" and copied == 14
    log_request = server.kube_requests()[-1]
    assert log_request.params == {"container": "gitea", "follow": "true", "tailLines": "50"}


def test_logs_without_a_pod_is_not_found(server: KMockThread, kube: KubeClient, gitea: Gitea) -> None:
    with pytest.raises(NotFoundError, match="app pod not found"):
        app_logs(kube, gitea.target.names(), io.BytesIO())
