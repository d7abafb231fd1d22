"""K3s driver status/install/adopt/uninstall against kmock (real ``kubernetes`` client, real HTTP)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kmock_server import KMockThread, without_server_fields

from kompox.domain.errors import DriverError, ProviderAPIError
from kompox.domain.model import Cluster, ClusterIngress, Provider
from kompox.kube.client import KubeClient
from kompox.kube.traefik import base_values, traefik_manifests
from kompox.kube.transport import RetryPolicy
from kompox.providers.k3s import K3sDriver
from kompox.providers.k3s.kubeconfig_source import KubeconfigEnv

TRAEFIK_OBJECTS = {
    ("v1/namespaces", None, "traefik"),
    ("v1/serviceaccounts", "traefik", "ingress-service-account"),
    ("v1/configmaps", "traefik", "traefik"),
    ("v1/persistentvolumeclaims", "traefik", "traefik"),
    ("rbac.authorization.k8s.io/v1/clusterroles", None, "traefik-traefik"),
    ("rbac.authorization.k8s.io/v1/clusterrolebindings", None, "traefik-traefik"),
    ("networking.k8s.io/v1/ingressclasses", None, "traefik"),
    ("apps/v1/deployments", "traefik", "traefik"),
    ("v1/services", "traefik", "traefik"),
}
PLURALS = {
    "Namespace": "v1/namespaces",
    "ServiceAccount": "v1/serviceaccounts",
    "ConfigMap": "v1/configmaps",
    "PersistentVolumeClaim": "v1/persistentvolumeclaims",
    "ClusterRole": "rbac.authorization.k8s.io/v1/clusterroles",
    "ClusterRoleBinding": "rbac.authorization.k8s.io/v1/clusterrolebindings",
    "IngressClass": "networking.k8s.io/v1/ingressclasses",
    "Deployment": "apps/v1/deployments",
    "Service": "v1/services",
}


def k3s_ingress_class() -> dict[str, Any]:
    """IngressClass ``traefik`` as the Traefik bundled with K3s (Helm release in kube-system) leaves it."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {
            "name": "traefik",
            "labels": {
                "app.kubernetes.io/instance": "traefik-kube-system",
                "app.kubernetes.io/managed-by": "Helm",
                "app.kubernetes.io/name": "traefik",
                "helm.sh/chart": "traefik-34.2.1_up34.2.0",
            },
            "annotations": {
                "ingressclass.kubernetes.io/is-default-class": "true",
                "meta.helm.sh/release-name": "traefik",
                "meta.helm.sh/release-namespace": "kube-system",
            },
        },
        "spec": {"controller": "traefik.io/ingress-controller"},
    }


def k3s_service() -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "traefik", "namespace": "kube-system", "labels": {"app.kubernetes.io/name": "traefik"}},
        "spec": {"type": "LoadBalancer", "ports": [{"name": "websecure", "port": 443}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "192.168.1.50"}]}},
    }


def seed_k3s_traefik(server: KMockThread) -> None:
    server.put("v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-system"}})
    server.put("networking.k8s.io/v1/ingressclasses", k3s_ingress_class())
    server.put("v1/services", k3s_service())


def cluster(kubeconfig: Path, **ingress: str) -> Cluster:
    return Cluster(
        id="/ws/w/prv/k3s/cls/home",
        name="home",
        provider_id="/ws/w/prv/k3s",
        existing=True,
        ingress=ClusterIngress(**ingress) if ingress else None,
        settings={"KUBECONFIG": str(kubeconfig)},
    )


class Driver:
    """A K3s driver recording its progress lines."""

    def __init__(self, **kw: Any) -> None:
        self.progress: list[str] = []
        self.driver = K3sDriver(
            None, Provider(name="k3s", driver="k3s"), env=KubeconfigEnv(cwd="/"), progress=self.progress.append, **kw
        )


def writes(server: KMockThread) -> list[Any]:
    return [r for r in server.kube_requests() if r.method.upper() in ("POST", "PATCH", "PUT", "DELETE")]


def held_traefik(server: KMockThread) -> dict[tuple[str, str | None, str], dict[str, Any]]:
    return {k: v for k, v in server.objects().items() if k in TRAEFIK_OBJECTS}


# --- fresh install --------------------------------------------------------------------------------


def test_fresh_install_creates_every_traefik_object(server: KMockThread, kubeconfig_file: Path) -> None:
    d = Driver()
    cls = cluster(kubeconfig_file, cert_email="ops@example.com")
    d.driver.cluster_install(cls)

    held = held_traefik(server)
    assert set(held) == TRAEFIK_OBJECTS
    expected = traefik_manifests(base_values("traefik", "ingress-service-account", "ops@example.com"))
    for obj in expected:
        meta = obj["metadata"]
        stored = without_server_fields(held[(PLURALS[obj["kind"]], meta.get("namespace"), meta["name"])])
        if obj["kind"] == "Namespace":
            # created first with the ownership label; the applied manifest adds nothing else
            assert stored["metadata"] == {"name": "traefik", "labels": {"app.kubernetes.io/managed-by": "kompox"}}
        else:
            assert stored == obj, obj["kind"]
    deployment = held[("apps/v1/deployments", "traefik", "traefik")]
    assert (
        "--certificatesresolvers.production.acme.email=ops@example.com"
        in (deployment["spec"]["template"]["spec"]["containers"][0]["args"])
    )
    applies = [r for r in writes(server) if r.method.upper() == "PATCH"]
    assert len(applies) == len(expected)
    assert all(r.headers["Content-Type"] == "application/apply-patch+yaml" for r in applies)
    assert d.progress[0] == "applying 9 Traefik objects in namespace traefik"
    assert d.progress[-2] == 'deployment "traefik" successfully rolled out'
    assert d.progress[-1] == "Traefik installed in namespace traefik"


def test_install_is_idempotent(server: KMockThread, kubeconfig_file: Path) -> None:
    d = Driver()
    d.driver.cluster_install(cluster(kubeconfig_file))
    before = server.objects()
    d.driver.cluster_install(cluster(kubeconfig_file))
    assert server.objects() == before  # nothing changed: same resourceVersions


def test_install_honours_a_custom_ingress_namespace(server: KMockThread, kubeconfig_file: Path) -> None:
    Driver().driver.cluster_install(cluster(kubeconfig_file, namespace="ingress", service_account="edge"))
    held = server.objects()
    assert ("apps/v1/deployments", "ingress", "traefik") in held
    assert ("v1/serviceaccounts", "ingress", "edge") in held
    assert (
        held[("networking.k8s.io/v1/ingressclasses", None, "traefik")]["metadata"]["labels"][
            "app.kubernetes.io/instance"
        ]
        == "traefik-ingress"
    )


def test_install_waits_for_the_rollout_and_fails_when_stuck(server: KMockThread, kubeconfig_file: Path) -> None:
    server.rollout = "stuck"
    d = Driver(rollout_timeout=0.5)
    with pytest.raises(ProviderAPIError, match=r"timed out after 0\.5s .*0 of 1 updated replicas available"):
        d.driver.cluster_install(cluster(kubeconfig_file))


def test_install_over_a_previous_helm_release_in_the_ingress_namespace(
    server: KMockThread, kubeconfig_file: Path
) -> None:
    """A Go Kompox install (Helm release traefik in namespace traefik) is managed, not adopted."""
    ic = k3s_ingress_class()
    ic["metadata"]["labels"]["app.kubernetes.io/instance"] = "traefik-traefik"
    ic["metadata"]["annotations"]["meta.helm.sh/release-namespace"] = "traefik"
    server.put("networking.k8s.io/v1/ingressclasses", ic)
    d = Driver()
    d.driver.cluster_install(cluster(kubeconfig_file))
    assert set(held_traefik(server)) == TRAEFIK_OBJECTS
    assert not any("adopted" in line for line in d.progress)


def test_a_foreign_controller_on_the_traefik_class_is_an_error(server: KMockThread, kubeconfig_file: Path) -> None:
    ic = k3s_ingress_class()
    ic["spec"]["controller"] = "k8s.io/ingress-nginx"
    server.put("networking.k8s.io/v1/ingressclasses", ic)
    with pytest.raises(DriverError, match=r'IngressClass "traefik" belongs to controller "k8s\.io/ingress-nginx"'):
        Driver().driver.cluster_install(cluster(kubeconfig_file))
    assert writes(server) == []


# --- adoption -------------------------------------------------------------------------------------


def test_install_adopts_the_k3s_traefik_and_writes_nothing(server: KMockThread, kubeconfig_file: Path) -> None:
    seed_k3s_traefik(server)
    before = server.objects()
    d = Driver()
    d.driver.cluster_install(cluster(kubeconfig_file))
    assert writes(server) == []
    assert server.objects() == before
    assert d.progress == [
        'adopted the existing Traefik in namespace "kube-system" (it owns IngressClass traefik); '
        "not installing a second ingress controller"
    ]


def test_adoption_names_kube_system_when_the_ingress_class_carries_no_helm_marks(
    server: KMockThread, kubeconfig_file: Path
) -> None:
    """A K3s IngressClass without Helm's annotation/label: the Traefik Service tells the namespace."""
    seed_k3s_traefik(server)
    bare = k3s_ingress_class()
    bare["metadata"] = {"name": "traefik"}
    server.put("networking.k8s.io/v1/ingressclasses", bare)
    d = Driver()
    d.driver.cluster_install(cluster(kubeconfig_file))
    assert writes(server) == []
    assert d.progress == [
        'adopted the existing Traefik in namespace "kube-system" (it owns IngressClass traefik); '
        "not installing a second ingress controller"
    ]
    d.progress.clear()
    d.driver.cluster_uninstall(cluster(kubeconfig_file))
    assert d.progress == ['left the adopted Traefik in namespace "kube-system" in place (Kompox did not install it)']


def test_status_reports_the_adopted_traefik(server: KMockThread, kubeconfig_file: Path) -> None:
    seed_k3s_traefik(server)
    status = Driver().driver.cluster_status(cluster(kubeconfig_file))
    assert status.to_json() == {
        "existing": True,
        "provisioned": True,
        "installed": True,
        "ingressGlobalIP": "192.168.1.50",
    }


def test_uninstall_never_deletes_an_adopted_traefik(server: KMockThread, kubeconfig_file: Path) -> None:
    seed_k3s_traefik(server)
    before = server.objects()
    d = Driver()
    d.driver.cluster_uninstall(cluster(kubeconfig_file))
    assert server.objects() == before
    assert {r.method.upper() for r in writes(server)} == {"DELETE"}  # deletes of absent objects only (404)
    assert all(r.name in ("traefik", "ingress-service-account", "traefik-traefik") for r in writes(server))
    assert all(r.namespace in (None, "traefik") for r in writes(server))
    assert d.progress == ['left the adopted Traefik in namespace "kube-system" in place (Kompox did not install it)']


# --- status and uninstall of a Kompox install ----------------------------------------------------------


def test_status_before_and_after_install(server: KMockThread, kubeconfig_file: Path) -> None:
    d = Driver()
    cls = cluster(kubeconfig_file)
    assert d.driver.cluster_status(cls).to_json() == {"existing": True, "provisioned": True, "installed": False}
    d.driver.cluster_install(cls)
    assert d.driver.cluster_status(cls).to_json() == {"existing": True, "provisioned": True, "installed": True}
    lb = {"loadBalancer": {"ingress": [{"ip": "203.0.113.10", "hostname": "lb.example.com"}]}}
    server.set_status("v1/services", "traefik", "traefik", lb)
    assert d.driver.cluster_status(cls).to_json() == {
        "existing": True,
        "provisioned": True,
        "installed": True,
        "ingressGlobalIP": "203.0.113.10",
        "ingressFQDN": "lb.example.com",
    }


def test_uninstall_removes_the_install_and_the_namespace_it_created(server: KMockThread, kubeconfig_file: Path) -> None:
    d = Driver()
    cls = cluster(kubeconfig_file)
    d.driver.cluster_install(cls)
    server.put(
        "v1/secrets",
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": "sh.helm.release.v1.traefik.v1",
                "namespace": "traefik",
                "labels": {"owner": "helm", "name": "traefik"},
            },
        },
    )
    d.driver.cluster_uninstall(cls)
    held = server.objects()
    assert held_traefik(server) == {}
    assert not any(ns == "traefik" for (_, ns, _) in held)
    deleted = [(r.resource.plural, r.name) for r in writes(server) if r.method.upper() == "DELETE"]
    assert ("secrets", "sh.helm.release.v1.traefik.v1") in deleted  # Helm release records of a Go install
    assert deleted[-1] == ("namespaces", "traefik")
    assert d.progress[-2] == "removed Traefik from namespace traefik (9 objects)"
    assert d.progress[-1] == "deleting namespace traefik"
    d.driver.cluster_uninstall(cls)  # idempotent: nothing left, no error


def test_uninstall_keeps_a_namespace_kompox_did_not_create(server: KMockThread, kubeconfig_file: Path) -> None:
    server.put("v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "infra"}})
    server.put(
        "v1/configmaps",
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other", "namespace": "infra"}},
    )
    d = Driver()
    cls = cluster(kubeconfig_file, namespace="infra")
    d.driver.cluster_install(cls)
    d.driver.cluster_uninstall(cls)
    held = server.objects()
    assert ("v1/namespaces", None, "infra") in held
    assert ("v1/configmaps", "infra", "other") in held
    assert ("apps/v1/deployments", "infra", "traefik") not in held
    assert ("networking.k8s.io/v1/ingressclasses", None, "traefik") not in held


# --- faults ------------------------------------------------------------------------------------------


def unreachable_kubeconfig(tmp_path: Path) -> Path:
    path = tmp_path / "down.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: down\n  cluster:\n    server: https://127.0.0.1:9\n"
        "contexts:\n- name: down\n  context:\n    cluster: down\n    user: u\ncurrent-context: down\n"
        "users:\n- name: u\n  user:\n    token: t\n"
    )
    return path


def no_retry_client(kubeconfig: bytes) -> KubeClient:
    return KubeClient(kubeconfig, timeout=2, retry=RetryPolicy(attempts=1))


def test_unreachable_server_status_is_not_provisioned(tmp_path: Path) -> None:
    d = Driver(kube=no_retry_client)
    status = d.driver.cluster_status(cluster(unreachable_kubeconfig(tmp_path)))
    assert status.to_json() == {"existing": True, "provisioned": False, "installed": False}
    assert status.unreachable.startswith("cannot reach Kubernetes API server https://127.0.0.1:9 to get ")


def test_unreachable_server_install_is_one_line_naming_server_and_timeout(tmp_path: Path) -> None:
    d = Driver(kube=no_retry_client)
    with pytest.raises(ProviderAPIError) as info:
        d.driver.cluster_install(cluster(unreachable_kubeconfig(tmp_path)))
    text = str(info.value)
    assert text.startswith("cannot reach Kubernetes API server https://127.0.0.1:9 to ")
    assert text.endswith(", 1 attempt)") and "(gave up after " in text
    assert "\n" not in text
