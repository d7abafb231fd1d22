"""Traefik ingress controller manifests, generated in Python (no Helm).

Reproduces the effective configuration of upstream's Helm install of the
``traefik`` chart with Kompox's values (kube-and-ops.md §10, converter.md
§7.3): release ``traefik`` in the ingress namespace, ``LoadBalancer``
Service, ``Recreate`` updates, a 1Gi RWO PVC at ``/data`` for ACME storage,
access logs, ``fsGroup: 65532``, the workload-identity pod label, the
``kompox.dev/node-pool: system`` node selector, the ``production`` and
``staging`` Let's Encrypt resolvers (TLS-ALPN challenge) and the file
provider at ``/config/traefik`` backed by ConfigMap ``traefik``.

Object names and selector labels follow the chart (``traefik`` for the
Deployment, Service and PVC; ClusterRole/Binding ``traefik-<namespace>``;
selector ``app.kubernetes.io/name=traefik``,
``app.kubernetes.io/instance=traefik-<namespace>``), so applying these
manifests over an upstream (Helm) install adopts its objects instead of
creating a second controller.  The Deployment selector is immutable, which is
why it must match the chart exactly.

Not generated: the chart's Traefik CRDs (``IngressRoute`` …); the
``kubernetescrd`` provider is therefore not enabled.  Kompox only uses
standard Ingress objects.

Pure: values in, manifest dicts out.  Providers adjust :class:`TraefikValues`
through *mutators* (``Callable[[TraefikValues], None]``, deterministic and
side-effect free), as upstream's Helm-values mutators do (AKS adds Service
annotations, ``externalTrafficPolicy``, CSI volumes and ``certs.yaml``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kompox.domain.model.cluster import (
    DEFAULT_INGRESS_NAMESPACE,
    DEFAULT_INGRESS_SERVICE_ACCOUNT,
    INGRESS_SERVICE_NAME,
)
from kompox.domain.model.nodepool import LABEL_NODE_POOL

RELEASE = INGRESS_SERVICE_NAME  # release name = chart name = object name: "traefik"
CONFIGMAP_NAME = "traefik"
CONFIG_MOUNT = "/config/traefik"
DATA_PATH = "/data"
TRAEFIK_IMAGE = "docker.io/traefik:v3.5.3"
"""Pinned image (upstream installs whatever chart is newest; Kompox pins for reproducibility)."""
PLACEHOLDER_EMAIL = "noreply@example.com"
INGRESS_CLASS = "traefik"
CONTROLLER = "traefik.io/ingress-controller"
ACME_RESOLVERS = (
    ("production", "https://acme-v02.api.letsencrypt.org/directory"),
    ("staging", "https://acme-staging-v02.api.letsencrypt.org/directory"),
)
PORTS = (
    # name, container port, service port (None: not exposed by the Service)
    ("metrics", 9100, None),
    ("traefik", 8080, None),
    ("web", 8000, 80),
    ("websecure", 8443, 443),
)
RUN_AS = 65532


@dataclass
class TraefikValues:
    """The knobs upstream sets through Helm values, plus the hooks providers use."""

    namespace: str = DEFAULT_INGRESS_NAMESPACE
    service_account: str = DEFAULT_INGRESS_SERVICE_ACCOUNT
    cert_email: str = ""
    image: str = TRAEFIK_IMAGE
    service_type: str = "LoadBalancer"
    service_annotations: dict[str, str] = field(default_factory=dict)
    service_spec: dict[str, Any] = field(default_factory=dict)  # merged into Service.spec
    pod_labels: dict[str, str] = field(default_factory=lambda: {"azure.workload.identity/use": "true"})
    pod_annotations: dict[str, str] = field(default_factory=dict)
    node_selector: dict[str, str] = field(default_factory=lambda: {LABEL_NODE_POOL: "system"})
    persistence_size: str = "1Gi"
    storage_class: str = ""
    additional_arguments: list[str] = field(default_factory=list)
    additional_volumes: list[dict[str, Any]] = field(default_factory=list)
    additional_volume_mounts: list[dict[str, Any]] = field(default_factory=list)
    additional_config_files: list[tuple[str, str]] = field(default_factory=list)
    """(file name, text) pairs for ConfigMap ``traefik``; later entries win, empty names are dropped."""


Mutator = Callable[[TraefikValues], None]


def base_values(
    namespace: str = "", service_account: str = "", cert_email: str = "", *, image: str = TRAEFIK_IMAGE
) -> TraefikValues:
    """Kompox's base values (kube-and-ops.md §10.2 step 5)."""
    return TraefikValues(
        namespace=namespace or DEFAULT_INGRESS_NAMESPACE,
        service_account=service_account or DEFAULT_INGRESS_SERVICE_ACCOUNT,
        cert_email=cert_email,
        image=image,
    )


def acme_arguments(email: str) -> list[str]:
    """The ACME resolver and file-provider arguments upstream passes as ``additionalArguments``."""
    mail = email or PLACEHOLDER_EMAIL
    args: list[str] = []
    for resolver, ca in ACME_RESOLVERS:
        prefix = f"--certificatesresolvers.{resolver}.acme"
        args += [
            f"{prefix}.tlschallenge=true",
            f"{prefix}.caserver={ca}",
            f"{prefix}.email={mail}",
            f"{prefix}.storage={DATA_PATH}/acme-{resolver}.json",
        ]
    args += [f"--providers.file.directory={CONFIG_MOUNT}", "--providers.file.watch=true"]
    return args


def selector_labels(namespace: str) -> dict[str, str]:
    """The chart's immutable Deployment selector."""
    return {"app.kubernetes.io/name": RELEASE, "app.kubernetes.io/instance": f"{RELEASE}-{namespace}"}


def _labels(namespace: str) -> dict[str, str]:
    return {**selector_labels(namespace), "app.kubernetes.io/managed-by": "kompox"}


def _meta(name: str, namespace: str, *, cluster_scoped: bool = False) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "labels": _labels(namespace)}
    if not cluster_scoped:
        meta["namespace"] = namespace
    return meta


def config_files(values: TraefikValues) -> dict[str, str]:
    """ConfigMap data: file name → text, empty names dropped, later entries winning, sorted."""
    files: dict[str, str] = {}
    for name, text in values.additional_config_files:
        if name:
            files[name] = text
    return dict(sorted(files.items()))


def _static_arguments(namespace: str) -> list[str]:
    args = [f"--entryPoints.{name}.address=:{port}/tcp" for name, port, _ in PORTS]
    return [
        *args,
        "--api.dashboard=true",
        "--ping=true",
        "--metrics.prometheus=true",
        "--metrics.prometheus.entrypoint=metrics",
        "--providers.kubernetesingress",
        f"--providers.kubernetesingress.ingressendpoint.publishedservice={namespace}/{RELEASE}",
        "--entryPoints.websecure.http.tls=true",
        "--log.level=INFO",
        "--accesslog=true",
        "--accesslog.fields.defaultmode=keep",
        "--accesslog.fields.headers.defaultmode=drop",
    ]


def _deployment(values: TraefikValues) -> dict[str, Any]:
    ns = values.namespace
    probe = {
        "httpGet": {"path": "/ping", "port": 8080, "scheme": "HTTP"},
        "initialDelaySeconds": 2,
        "periodSeconds": 10,
        "timeoutSeconds": 2,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    container = {
        "name": RELEASE,
        "image": values.image,
        "imagePullPolicy": "IfNotPresent",
        "args": [*_static_arguments(ns), *acme_arguments(values.cert_email), *values.additional_arguments],
        "ports": [{"name": name, "containerPort": port, "protocol": "TCP"} for name, port, _ in PORTS],
        "readinessProbe": probe,
        "livenessProbe": probe,
        "env": [
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
        ],
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
            "readOnlyRootFilesystem": True,
        },
        "volumeMounts": [
            {"name": "data", "mountPath": DATA_PATH},
            {"name": "tmp", "mountPath": "/tmp"},
            {"name": CONFIGMAP_NAME, "mountPath": CONFIG_MOUNT, "readOnly": True},
            *copy.deepcopy(values.additional_volume_mounts),
        ],
    }
    template_meta: dict[str, Any] = {"labels": {**_labels(ns), **values.pod_labels}}
    if values.pod_annotations:
        template_meta["annotations"] = dict(values.pod_annotations)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(RELEASE, ns),
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": selector_labels(ns)},
            "strategy": {"type": "Recreate"},
            "template": {
                "metadata": template_meta,
                "spec": {
                    "serviceAccountName": values.service_account,
                    "automountServiceAccountToken": True,
                    "terminationGracePeriodSeconds": 60,
                    "hostNetwork": False,
                    "nodeSelector": dict(values.node_selector),
                    "securityContext": {
                        "fsGroup": RUN_AS,
                        "fsGroupChangePolicy": "OnRootMismatch",
                        "runAsGroup": RUN_AS,
                        "runAsNonRoot": True,
                        "runAsUser": RUN_AS,
                    },
                    "containers": [container],
                    "volumes": [
                        {"name": "data", "persistentVolumeClaim": {"claimName": RELEASE}},
                        {"name": "tmp", "emptyDir": {}},
                        {"name": CONFIGMAP_NAME, "configMap": {"name": CONFIGMAP_NAME}},
                        *copy.deepcopy(values.additional_volumes),
                    ],
                },
            },
        },
    }


def _service(values: TraefikValues) -> dict[str, Any]:
    meta = _meta(RELEASE, values.namespace)
    if values.service_annotations:
        meta["annotations"] = dict(values.service_annotations)
    spec: dict[str, Any] = {
        "type": values.service_type,
        "selector": selector_labels(values.namespace),
        "ports": [
            {"name": name, "port": svc_port, "targetPort": name, "protocol": "TCP"}
            for name, _, svc_port in PORTS
            if svc_port is not None
        ],
    }
    spec.update(copy.deepcopy(values.service_spec))
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}


def _rbac(values: TraefikValues) -> list[dict[str, Any]]:
    name = f"{RELEASE}-{values.namespace}"
    watch = ["get", "list", "watch"]
    networking = ["extensions", "networking.k8s.io"]
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": _meta(name, values.namespace, cluster_scoped=True),
        "rules": [
            {"apiGroups": [""], "resources": ["configmaps", "nodes", "services", "secrets"], "verbs": watch},
            {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": watch},
            {
                "apiGroups": ["extensions", "networking.k8s.io"],
                "resources": ["ingressclasses", "ingresses"],
                "verbs": watch,
            },
            {"apiGroups": networking, "resources": ["ingresses/status"], "verbs": ["update"]},
        ],
    }
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": _meta(name, values.namespace, cluster_scoped=True),
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
        "subjects": [{"kind": "ServiceAccount", "name": values.service_account, "namespace": values.namespace}],
    }
    return [role, binding]


def traefik_manifests(values: TraefikValues, mutators: Iterable[Mutator] = ()) -> list[dict[str, Any]]:
    """Every object of the ingress controller, in apply order.

    Namespace, ServiceAccount, ConfigMap ``traefik``, PVC, ClusterRole,
    ClusterRoleBinding, IngressClass, Deployment, Service.  ``mutators`` run
    in order on a copy of ``values`` before generation.
    """
    values = copy.deepcopy(values)
    for mutate in mutators:
        mutate(values)
    ns = values.namespace
    pvc_spec: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": values.persistence_size}},
    }
    if values.storage_class:
        pvc_spec["storageClassName"] = values.storage_class
    ingress_class_meta = _meta(INGRESS_CLASS, ns, cluster_scoped=True)
    ingress_class_meta["annotations"] = {"ingressclass.kubernetes.io/is-default-class": "true"}
    objects: list[dict[str, Any]] = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": _meta(values.service_account, ns),
            "automountServiceAccountToken": False,
        },
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(CONFIGMAP_NAME, ns), "data": config_files(values)},
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": _meta(RELEASE, ns), "spec": pvc_spec},
        *_rbac(values),
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": ingress_class_meta,
            "spec": {"controller": CONTROLLER},
        },
        _deployment(values),
        _service(values),
    ]
    # A JSON round trip gives every object its own plain containers (no shared lists).
    return list(json.loads(json.dumps(objects)))
