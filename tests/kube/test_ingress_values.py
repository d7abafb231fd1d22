"""Traefik values from the AKS ``TraefikInstall`` hook: golden manifests, strict schema validation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

from kompox.kube.ingress_install import owner_of
from kompox.kube.traefik import traefik_manifests
from kompox.providers.aks.kube_seam import TraefikInstall, traefik_values
from kompox.providers.aks.secret import TLSMount

GOLDEN = Path(__file__).parents[1] / "golden" / "traefik" / "aks.yaml"
K8S_VERSION = kubernetes_validate.latest_version()


def aks_spec() -> TraefikInstall:
    return TraefikInstall(
        namespace="ingress",
        service_account="ingress-sa",
        cert_email="ops@example.com",
        external_traffic_policy="Local",
        tls_mounts=[TLSMount("traefik-kv-a", "/config/tls/a"), TLSMount("traefik-kv-b", "/config/tls/b")],
        extra_config_files={"certs.yaml": "tls:\n  certificates: []\n"},
    )


def render(objects: list[dict[str, Any]]) -> str:
    return "".join("---\n" + yaml.safe_dump(o, sort_keys=True, default_flow_style=False) for o in objects)


def test_aks_manifests_golden_and_valid() -> None:
    values, mutate = traefik_values(aks_spec())
    objects = traefik_manifests(values, [mutate])
    for obj in objects:
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
    text = render(objects)
    if os.environ.get("KOMPOX_UPDATE_GOLDEN"):
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text()


def test_aks_hook_effect() -> None:
    values, mutate = traefik_values(aks_spec())
    objects = {o["kind"]: o for o in traefik_manifests(values, [mutate])}
    pod = objects["Deployment"]["spec"]["template"]
    assert [v["name"] for v in pod["spec"]["volumes"]][-2:] == ["secrets-store-inline-0", "secrets-store-inline-1"]
    assert pod["spec"]["volumes"][-1]["csi"]["volumeAttributes"] == {"secretProviderClass": "traefik-kv-b"}
    assert pod["spec"]["containers"][0]["volumeMounts"][-1] == {
        "name": "secrets-store-inline-1",
        "mountPath": "/config/tls/b",
        "readOnly": True,
    }
    assert objects["Service"]["spec"]["externalTrafficPolicy"] == "Local"
    assert objects["ConfigMap"]["data"] == {"certs.yaml": "tls:\n  certificates: []\n"}
    assert objects["IngressClass"]["metadata"]["labels"]["app.kubernetes.io/instance"] == "traefik-ingress"
    plain, plain_mutate = traefik_values(TraefikInstall(namespace="traefik", service_account="sa"))
    service = {o["kind"]: o for o in traefik_manifests(plain, [plain_mutate])}["Service"]
    assert "externalTrafficPolicy" not in service["spec"]  # upstream: only with certificates


def test_ingress_class_ownership() -> None:
    values, mutate = traefik_values(aks_spec())
    ours = next(o for o in traefik_manifests(values, [mutate]) if o["kind"] == "IngressClass")
    owner = owner_of(ours)
    assert (owner.namespace, owner.adopted_by("ingress"), owner.adopted_by("traefik")) == ("ingress", False, True)
    helm = {"metadata": {"annotations": {"meta.helm.sh/release-namespace": "kube-system"}}, "spec": {}}
    assert owner_of(helm).namespace == "kube-system"
    assert owner_of(helm).adopted_by("traefik") is False  # not a Traefik controller: never adopted
    assert owner_of(None).present is False
