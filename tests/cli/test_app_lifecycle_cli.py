"""``kompoxops app deploy|status|logs|destroy`` in-process against kmock.

A K3s project whose cluster setting ``KUBECONFIG`` (relative to the project
root) points at the emulator on 127.0.0.1: the real driver, the real
``kubernetes`` client, real HTTP.  The app has no volumes; the Gitea
example, which has two without disks, must be refused before any write
(the K3s disk walk-through is tests/examples/test_k3s_volumes_example.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from app_cli_project import NAMES, NS
from cli_project import ROOT, KubeProject, one_error, writes
from output_matrix import cells, check_read_outputs

# What ``app destroy`` prints for the app's objects, in its deletion order.
DESTROYED = [
    "app destroy: deleted Ingress web-app-custom",
    "app destroy: deleted Ingress web-app-default",
    "app destroy: deleted Service cache",
    "app destroy: deleted Service web",
    "app destroy: deleted Service web-app",
    "app destroy: deleted Deployment web-app",
    f"app destroy: 6 objects deleted from namespace {NS}",
]


def test_deploy_status_redeploy_destroy(project: KubeProject) -> None:
    deployed = project.ok("app", "deploy")

    assert deployed.out == ""
    lines = deployed.err.splitlines()
    assert lines[0] == f"app deploy: applying 11 objects to namespace {NS}"
    assert lines[-1] == 'app deploy: deployment "web-app" successfully rolled out'
    held = project.server.objects()
    kinds = sorted({plural.rsplit("/", 1)[1] for plural, _, _ in held})
    assert kinds == [
        "deployments",
        "ingresses",
        "namespaces",
        "networkpolicies",
        "pods",
        "rolebindings",
        "roles",
        "serviceaccounts",
        "services",
    ]
    assert ("rbac.authorization.k8s.io/v1/roles", NS, "web-access") in held

    status = project.ok("app", "status")
    pod = next(name for plural, _, name in held if plural == "v1/pods")
    assert status.out == (
        "{\n"
        '  "app_id": "/ws/demo/prv/k3s1/cls/home/app/web",\n'
        '  "app_name": "web",\n'
        '  "cluster_id": "/ws/demo/prv/k3s1/cls/home",\n'
        '  "cluster_name": "home",\n'
        '  "ready": true,\n'
        '  "image": "redis:7",\n'
        f'  "namespace": "{NS}",\n'
        '  "node": "node-1",\n'
        '  "deployment": "web-app",\n'
        f'  "pod": "{pod}",\n'
        '  "container": "cache",\n'
        '  "command": null,\n'
        '  "args": null,\n'
        '  "ingress_hosts": [\n'
        f'    "web-{NAMES.hashes.app_id}-8080.home.example.com",\n'
        '    "www.example.org"\n'
        "  ],\n"
        '  "waiting_for": null\n'
        "}\n"
    )

    before = project.server.objects()
    seen = len(writes(project.server))
    project.ok("app", "deploy", "-q")
    assert project.server.objects() == before
    assert all(r.method == "PATCH" for r in writes(project.server)[seen:])  # applies only, all no-ops

    destroyed = project.ok("app", "destroy")
    assert destroyed.out == ""
    assert destroyed.err.splitlines() == DESTROYED
    left = {plural.rsplit("/", 1)[1] for plural, _, _ in project.server.objects()}
    assert left == {"namespaces", "serviceaccounts", "roles", "rolebindings", "networkpolicies"}

    again = project.ok("app", "destroy", "--delete-namespace")
    assert project.server.objects() == {}
    assert again.err.splitlines() == [
        f"app destroy: nothing to delete in namespace {NS} (no objects labelled app=web-app)",
        f"app destroy: waiting for namespace {NS} to be deleted",
        f"app destroy: namespace {NS} deleted",
    ]


def test_gitea_without_disks_on_k3s_is_refused_before_any_write(
    project: KubeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gitea = tmp_path / "gitea"
    shutil.copytree(ROOT / "examples" / "gitea", gitea, ignore=shutil.ignore_patterns("logs"))
    (gitea / "kube").mkdir()
    (gitea / "kube" / "config.yaml").write_bytes(project.server.kubeconfig)
    cluster = gitea / ".kompox" / "kom" / "cluster.yml"
    cluster.write_text(cluster.read_text() + "  settings:\n    KUBECONFIG: kube/config.yaml\n")
    monkeypatch.chdir(gitea)

    result = project.run("app", "deploy")

    one_error(result, 3, "validation blocked (3 warnings, 0 errors)")
    assert "volume assignment missing (count=0) volume=data" in result.err  # the warnings say why
    assert {r.method.upper() for r in project.server.kube_requests()} == {"GET"}  # disk records read, nothing written


def test_unreachable_api_server_is_one_line(project: KubeProject) -> None:
    dead = project.server.kubeconfig.replace(project.server.url.encode(), b"http://127.0.0.1:1")
    (project.root / "kube" / "dead.yaml").write_bytes(dead)
    project.configure("kube/dead.yaml")

    line = one_error(project.run("app", "status"), 6, "cannot reach Kubernetes API server http://127.0.0.1:1")
    assert "(gave up after " in line and 'get namespaces "' in line and "timeout 30s" not in line


def test_forbidden_is_named(project: KubeProject) -> None:
    project.server.inject("patch", 403, times=100, reason="Forbidden", plural="namespaces")
    line = one_error(project.run("app", "deploy"), 6, "refused to patch namespaces")
    assert line.startswith(f"Error: apply objects failed: apply Namespace {NS}: Kubernetes API server")
    assert "403 forbidden" in line


def test_logs_of_a_container(project: KubeProject) -> None:
    project.ok("app", "deploy", "--no-wait", "-q")
    pod = next(name for plural, _, name in project.server.objects() if plural == "v1/pods")
    path = f"/api/v1/namespaces/{NS}/pods/{pod}/log"
    project.server.call(lambda: project.server.emulator["get", path] << (b"ready to accept connections\n",))

    result = project.ok("app", "logs", "-c", "cache", "--tail", "0")

    assert result.out == "ready to accept connections\n"
    assert project.server.kube_requests()[-1].params == {"container": "cache"}


def test_status_and_logs_before_any_deploy(project: KubeProject) -> None:
    status = project.ok("app", "status")
    assert '"namespace": ""' in status.out and '"ready": false' in status.out
    one_error(project.run("app", "logs"), 4, "app pod not found")


def test_deploy_flags_are_checked_before_the_cluster(project: KubeProject) -> None:
    one_error(project.run("app", "deploy", "--timeout", "soon"), 3, 'invalid duration "soon"')
    assert project.server.kube_requests() == []


def test_update_dns_after_deploy_and_before_destroy(project: KubeProject) -> None:
    project.ok("app", "deploy", "-q")
    lb = {"loadBalancer": {"ingress": [{"ip": "203.0.113.5"}]}}
    project.server.set_status("networking.k8s.io/v1/ingresses", NS, "web-app-custom", lb)
    default_host = f"web-{NAMES.hashes.app_id}-8080.home.example.com"

    deployed = project.ok("app", "deploy", "-q", "--update-dns")

    assert deployed.err.splitlines() == [
        f"app deploy: DNS A {default_host}: skipped (no IP address available yet)",
        "app deploy: DNS A www.example.org: updated (A -> 203.0.113.5)",
    ]

    destroyed = project.ok("app", "destroy", "--update-dns")

    assert destroyed.err.splitlines()[:6] == [
        f"app destroy: DNS {rtype} {host}: deleted ({rtype} record deleted)"
        for host in (default_host, "www.example.org")
        for rtype in ("A", "AAAA", "CNAME")
    ]
    assert destroyed.err.splitlines()[6:] == DESTROYED
    assert not any(plural.endswith("ingresses") for plural, _, _ in project.server.objects())


def test_bootstrap_disks(project: KubeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    skipped = project.ok("app", "deploy", "--bootstrap-disks", "-q")
    assert skipped.err.splitlines()[0] == "bootstrap disks: skipped (no volumes defined)"

    gitea = tmp_path / "gitea"
    shutil.copytree(ROOT / "examples" / "gitea", gitea, ignore=shutil.ignore_patterns("logs"))
    (gitea / "kube").mkdir()
    (gitea / "kube" / "config.yaml").write_bytes(project.server.kubeconfig)
    cluster = gitea / ".kompox" / "kom" / "cluster.yml"
    cluster.write_text(cluster.read_text() + "  settings:\n    KUBECONFIG: kube/config.yaml\n")
    monkeypatch.chdir(gitea)
    before = len(writes(project.server))
    one_error(  # the fake cluster has no node labelled for the app's pool: nothing is created
        project.run("app", "deploy", "--bootstrap-disks"),
        4,
        "no node carries kompox.dev/node-pool=user",
    )
    assert len(writes(project.server)) == before


def test_status_outputs(project: KubeProject) -> None:
    project.ok("app", "deploy")
    outs = check_read_outputs(
        project.ok,
        ["app", "status"],
        kind="app",
        names=["web"],
        headers=("NAME", "READY", "POD", "NODE", "HOSTS"),
        wide_headers=("NAMESPACE", "DEPLOYMENT", "CONTAINER", "IMAGE", "CLUSTER"),
    )
    status = json.loads(outs["json"])
    row = cells(outs["wide"].splitlines()[1])
    hosts = f"web-{NAMES.hashes.app_id}-8080.home.example.com,www.example.org"
    assert row == ["web", "yes", status["pod"], "node-1", hosts, NS, "web-app", "cache", "redis:7", "home"]
    one_error(project.run("app", "status", "--format", "json"), 2, "No such option")  # app status never had it
