"""A small app's manifests shaped like the converter's output (kube-and-ops.md §2, §4.3)."""

from __future__ import annotations

from typing import Any

NS = "k4x-abc123-demo-xyz789"
BASE = {
    "app.kubernetes.io/name": "demo",
    "app.kubernetes.io/instance": "demo-inst01",
    "app.kubernetes.io/managed-by": "kompox",
    "kompox.dev/app-instance-hash": "inst01",
    "kompox.dev/app-id-hash": "xyz789",
}
COMPONENT = {**BASE, "app": "demo-app", "app.kubernetes.io/component": "app"}
SELECTOR = "app=demo-app"


def app_objects(image: str = "nginx:1.27") -> list[dict[str, Any]]:
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS, "labels": dict(BASE)}},
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "demo", "namespace": NS, "labels": dict(BASE)},
        },
        {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": "k4x-abc123-data-xyz789-vol001", "labels": dict(BASE)},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]},
        },
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "k4x-abc123-data-xyz789-vol001", "namespace": NS, "labels": dict(BASE)},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": "demo-app-web-base",
                "namespace": NS,
                "labels": dict(COMPONENT),
                "annotations": {"kompox.dev/compose-content-hash": "bbbbbb"},
            },
            "type": "Opaque",
            "data": {"TOKEN": "c2VjcmV0"},
        },
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "demo-app", "namespace": NS, "labels": dict(COMPONENT)},
            "spec": {
                "replicas": 1,
                "strategy": {"type": "Recreate"},
                "selector": {"matchLabels": {"app": "demo-app"}},
                "template": {
                    "metadata": {"labels": dict(COMPONENT)},
                    "spec": {
                        "containers": [
                            {
                                "name": "web",
                                "image": image,
                                "envFrom": [
                                    {"secretRef": {"name": "demo-app-web-base"}},
                                    {"secretRef": {"name": "demo-app-web-override", "optional": True}},
                                ],
                            }
                        ]
                    },
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "demo-app", "namespace": NS, "labels": dict(COMPONENT)},
            "spec": {"selector": {"app": "demo-app"}, "ports": [{"name": "http", "port": 8080}]},
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "web",
                "namespace": NS,
                "labels": {**COMPONENT, "kompox.dev/compose-service-headless": "true"},
            },
            "spec": {"clusterIP": "None", "selector": {"app": "demo-app"}},
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {
                "name": "demo-app-custom",
                "namespace": NS,
                "labels": dict(COMPONENT),
                "annotations": {"traefik.ingress.kubernetes.io/router.entrypoints": "websecure"},
            },
            "spec": {
                "ingressClassName": "traefik",
                "rules": [
                    {
                        "host": "www.example.com",
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {"service": {"name": "demo-app", "port": {"name": "http"}}},
                                }
                            ]
                        },
                    }
                ],
            },
        },
    ]


PLURALS = {
    "Namespace": "v1/namespaces",
    "ServiceAccount": "v1/serviceaccounts",
    "PersistentVolume": "v1/persistentvolumes",
    "PersistentVolumeClaim": "v1/persistentvolumeclaims",
    "Secret": "v1/secrets",
    "ConfigMap": "v1/configmaps",
    "Deployment": "apps/v1/deployments",
    "Service": "v1/services",
    "Ingress": "networking.k8s.io/v1/ingresses",
}


def key_of(obj: dict[str, Any]) -> tuple[str, str | None, str]:
    meta = obj["metadata"]
    return PLURALS[obj["kind"]], meta.get("namespace"), meta["name"]
