"""Traefik manifests: golden files, strict schema validation, and the upstream values' effect."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from kompox.kube.convert.object_check import check_objects
from kompox.kube.traefik import TraefikValues, base_values, traefik_manifests

GOLDEN = Path(__file__).parents[1] / "golden" / "traefik"
K8S_VERSION = kubernetes_validate.latest_version()


def aks_like(values: TraefikValues) -> None:
    """A provider mutator shaped like the AKS one (kube-and-ops.md §10.4)."""
    values.service_spec["externalTrafficPolicy"] = "Local"
    values.service_annotations["service.beta.kubernetes.io/azure-dns-label-name"] = "demo"
    values.additional_volumes.append(
        {
            "name": "secrets-store-inline-0",
            "csi": {
                "driver": "secrets-store.csi.k8s.io",
                "readOnly": True,
                "volumeAttributes": {"secretProviderClass": "traefik-kv-myvault"},
            },
        }
    )
    values.additional_volume_mounts.append(
        {"name": "secrets-store-inline-0", "mountPath": "/config/tls/myvault", "readOnly": True}
    )
    values.additional_config_files.append(("certs.yaml", "tls:\n  certificates: []\n"))
    values.additional_config_files.append(("", "dropped"))


CASES: dict[str, tuple[TraefikValues, list[Any]]] = {
    "default": (base_values(), []),
    "custom": (base_values("ingress", "traefik-sa", "ops@example.com"), [aks_like]),
}


def render(objects: list[dict[str, Any]]) -> str:
    return "".join("---\n" + yaml.safe_dump(o, sort_keys=True, default_flow_style=False) for o in objects)


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str) -> None:
    values, mutators = CASES[case]
    text = render(traefik_manifests(values, mutators))
    path = GOLDEN / f"{case}.yaml"
    if os.environ.get("KOMPOX_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text()


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_object_is_valid_in_strict_mode(case: str) -> None:
    values, mutators = CASES[case]
    objects = traefik_manifests(values, mutators)
    for obj in objects:
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
    assert [v.text() for v in check_objects(objects)] == []  # the project's own API-server rules too


def test_the_validator_rejects_unknown_fields() -> None:
    deployment = next(o for o in traefik_manifests(base_values()) if o["kind"] == "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolice"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSION, strict=True)


def test_names_follow_the_chart_so_an_upstream_install_is_adopted() -> None:
    objects = {(o["kind"], o["metadata"]["name"]) for o in traefik_manifests(base_values())}
    assert objects == {
        ("Namespace", "traefik"),
        ("ServiceAccount", "ingress-service-account"),
        ("ConfigMap", "traefik"),
        ("PersistentVolumeClaim", "traefik"),
        ("ClusterRole", "traefik-traefik"),
        ("ClusterRoleBinding", "traefik-traefik"),
        ("IngressClass", "traefik"),
        ("Deployment", "traefik"),
        ("Service", "traefik"),
    }
    for obj in traefik_manifests(base_values("ingress")):
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["labels"]["app.kubernetes.io/instance"] == "traefik-ingress"
    deployment = next(o for o in traefik_manifests(base_values()) if o["kind"] == "Deployment")
    assert deployment["spec"]["selector"]["matchLabels"] == {
        "app.kubernetes.io/name": "traefik",
        "app.kubernetes.io/instance": "traefik-traefik",
    }


def test_upstream_values_effect() -> None:
    objects = {o["kind"]: o for o in traefik_manifests(base_values(cert_email=""))}
    dep = objects["Deployment"]
    pod = dep["spec"]["template"]["spec"]
    args = pod["containers"][0]["args"]
    assert dep["spec"]["strategy"] == {"type": "Recreate"}
    assert objects["Service"]["spec"]["type"] == "LoadBalancer"
    assert pod["serviceAccountName"] == "ingress-service-account"
    assert pod["nodeSelector"] == {"kompox.dev/node-pool": "system"}
    assert pod["securityContext"]["fsGroup"] == 65532
    assert pod["securityContext"]["fsGroupChangePolicy"] == "OnRootMismatch"
    assert dep["spec"]["template"]["metadata"]["labels"]["azure.workload.identity/use"] == "true"
    assert objects["PersistentVolumeClaim"]["spec"]["resources"]["requests"]["storage"] == "1Gi"
    assert objects["PersistentVolumeClaim"]["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert "--accesslog=true" in args
    for resolver, ca in (("production", "acme-v02"), ("staging", "acme-staging-v02")):
        assert f"--certificatesresolvers.{resolver}.acme.tlschallenge=true" in args
        assert f"--certificatesresolvers.{resolver}.acme.caserver=https://{ca}.api.letsencrypt.org/directory" in args
        assert f"--certificatesresolvers.{resolver}.acme.email=noreply@example.com" in args
        assert f"--certificatesresolvers.{resolver}.acme.storage=/data/acme-{resolver}.json" in args
    assert args[-2:] == ["--providers.file.directory=/config/traefik", "--providers.file.watch=true"]
    mounts = {m["name"]: m for m in pod["containers"][0]["volumeMounts"]}
    assert mounts["traefik"] == {"name": "traefik", "mountPath": "/config/traefik", "readOnly": True}
    assert mounts["data"]["mountPath"] == "/data"
    assert objects["ConfigMap"]["data"] == {}
    assert objects["IngressClass"]["spec"]["controller"] == "traefik.io/ingress-controller"


def test_mutators_run_on_a_copy_and_feed_the_config_map() -> None:
    values = base_values()
    objects = {o["kind"]: o for o in traefik_manifests(values, [aks_like])}
    assert values.additional_config_files == []  # the caller's values are untouched
    assert objects["ConfigMap"]["data"] == {"certs.yaml": "tls:\n  certificates: []\n"}
    assert objects["Service"]["spec"]["externalTrafficPolicy"] == "Local"
    names = [v["name"] for v in objects["Deployment"]["spec"]["template"]["spec"]["volumes"]]
    assert names == ["data", "tmp", "traefik", "secrets-store-inline-0"]


def test_generation_is_deterministic() -> None:
    assert render(traefik_manifests(base_values(), [aks_like])) == render(traefik_manifests(base_values(), [aks_like]))
