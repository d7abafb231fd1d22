"""Namespace, ServiceAccount ``<app>``, Role and RoleBinding ``<app>-access`` (converter.md §11).

:func:`namespace_objects` is the head of the app and box manifests: those four and the NetworkPolicy.
"""

from __future__ import annotations

from typing import Any

from kompox.domain.model import NetworkPolicy
from kompox.kube.convert.names import ANNOTATION_APP, ANNOTATION_PROVIDER_DRIVER, AppNames, object_meta
from kompox.kube.convert.network_policy import network_policy

RBAC_API = "rbac.authorization.k8s.io"

ROLE_RULES: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (("",), ("pods",), ("get", "list", "watch")),
    (("",), ("pods/log",), ("get", "watch")),
    (("",), ("pods/exec", "pods/portforward", "pods/attach"), ("create",)),
    (("",), ("events", "services", "endpoints"), ("get", "list", "watch")),
    (("apps",), ("deployments", "replicasets"), ("get", "list", "watch")),
    (("",), ("pods/ephemeralcontainers",), ("update",)),
)


def namespace(names: AppNames, provider_driver: str) -> dict[str, Any]:
    meta = object_meta(names.namespace, names.base_labels())
    meta["annotations"] = {ANNOTATION_APP: names.app_path, ANNOTATION_PROVIDER_DRIVER: provider_driver}
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": meta}


def service_account(names: AppNames) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": object_meta(names.app, names.base_labels(), names.namespace),
    }


def role(names: AppNames) -> dict[str, Any]:
    rules = [
        {"apiGroups": list(groups), "resources": list(resources), "verbs": list(verbs)}
        for groups, resources, verbs in ROLE_RULES
    ]
    return {
        "apiVersion": f"{RBAC_API}/v1",
        "kind": "Role",
        "metadata": object_meta(names.access, names.base_labels(), names.namespace),
        "rules": rules,
    }


def role_binding(names: AppNames) -> dict[str, Any]:
    return {
        "apiVersion": f"{RBAC_API}/v1",
        "kind": "RoleBinding",
        "metadata": object_meta(names.access, names.base_labels(), names.namespace),
        "subjects": [{"kind": "ServiceAccount", "name": names.app, "namespace": names.namespace}],
        "roleRef": {"apiGroup": RBAC_API, "kind": "Role", "name": names.access},
    }


def namespace_objects(
    names: AppNames, provider_driver: str, policy: NetworkPolicy, ingress_namespace: str
) -> list[dict[str, Any]]:
    """Namespace, ServiceAccount, Role, RoleBinding and NetworkPolicy: the head of the app and box manifests."""
    return [
        namespace(names, provider_driver),
        service_account(names),
        role(names),
        role_binding(names),
        network_policy(names, policy, ingress_namespace),
    ]
