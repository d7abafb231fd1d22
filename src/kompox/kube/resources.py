"""Kubernetes resource addressing: kind → REST path, without discovery for built-in kinds.

Upstream maps kinds through API discovery on every apply.  Kompox applies a
fixed vocabulary of built-in kinds, so a static table avoids a discovery round
trip per deploy (the "one request per object" budget of issue 6).  Kinds not
in the table are resolved through discovery by the client and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class ResourceRef:
    """One API resource: group/version, plural, kind and scope."""

    api_version: str  # "v1", "apps/v1"
    plural: str
    kind: str
    namespaced: bool

    @property
    def group(self) -> str:
        return self.api_version.rsplit("/", 1)[0] if "/" in self.api_version else ""

    def collection_path(self, namespace: str | None = None) -> str:
        """``/api/v1/namespaces/<ns>/pods`` or ``/apis/apps/v1/deployments`` (all namespaces)."""
        prefix = f"/apis/{self.api_version}" if self.group else f"/api/{self.api_version}"
        if self.namespaced and namespace:
            return f"{prefix}/namespaces/{quote(namespace, safe='')}/{self.plural}"
        return f"{prefix}/{self.plural}"

    def object_path(self, name: str, namespace: str | None = None, subresource: str = "") -> str:
        path = f"{self.collection_path(namespace)}/{quote(name, safe='')}"
        return f"{path}/{subresource}" if subresource else path


def _ref(api_version: str, kind: str, plural: str, namespaced: bool = True) -> ResourceRef:
    return ResourceRef(api_version, plural, kind, namespaced)


BUILTIN: dict[tuple[str, str], ResourceRef] = {
    (r.api_version, r.kind): r
    for r in (
        _ref("v1", "Namespace", "namespaces", namespaced=False),
        _ref("v1", "Node", "nodes", namespaced=False),
        _ref("v1", "PersistentVolume", "persistentvolumes", namespaced=False),
        _ref("v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
        _ref("v1", "ServiceAccount", "serviceaccounts"),
        _ref("v1", "Secret", "secrets"),
        _ref("v1", "ConfigMap", "configmaps"),
        _ref("v1", "Service", "services"),
        _ref("v1", "Pod", "pods"),
        _ref("v1", "Event", "events"),
        _ref("apps/v1", "Deployment", "deployments"),
        _ref("apps/v1", "ReplicaSet", "replicasets"),
        _ref("apps/v1", "StatefulSet", "statefulsets"),
        _ref("apps/v1", "DaemonSet", "daemonsets"),
        _ref("batch/v1", "Job", "jobs"),
        _ref("batch/v1", "CronJob", "cronjobs"),
        _ref("networking.k8s.io/v1", "Ingress", "ingresses"),
        _ref("networking.k8s.io/v1", "IngressClass", "ingressclasses", namespaced=False),
        _ref("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies"),
        _ref("rbac.authorization.k8s.io/v1", "Role", "roles"),
        _ref("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings"),
        _ref("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", namespaced=False),
        _ref("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", namespaced=False),
        _ref("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets"),
        _ref("coordination.k8s.io/v1", "Lease", "leases"),
        _ref("storage.k8s.io/v1", "StorageClass", "storageclasses", namespaced=False),
        _ref("secrets-store.csi.x-k8s.io/v1", "SecretProviderClass", "secretproviderclasses"),
    )
}

NAMESPACE = BUILTIN[("v1", "Namespace")]
NODE = BUILTIN[("v1", "Node")]
SERVICE_ACCOUNT = BUILTIN[("v1", "ServiceAccount")]
SECRET = BUILTIN[("v1", "Secret")]
CONFIG_MAP = BUILTIN[("v1", "ConfigMap")]
SERVICE = BUILTIN[("v1", "Service")]
POD = BUILTIN[("v1", "Pod")]
PERSISTENT_VOLUME = BUILTIN[("v1", "PersistentVolume")]
PERSISTENT_VOLUME_CLAIM = BUILTIN[("v1", "PersistentVolumeClaim")]
DEPLOYMENT = BUILTIN[("apps/v1", "Deployment")]
INGRESS = BUILTIN[("networking.k8s.io/v1", "Ingress")]
LEASE = BUILTIN[("coordination.k8s.io/v1", "Lease")]

APP_DELETE_TARGETS: tuple[ResourceRef, ...] = (
    INGRESS,
    SERVICE,
    DEPLOYMENT,
    PERSISTENT_VOLUME_CLAIM,
    PERSISTENT_VOLUME,
)
"""Default ``app destroy`` targets in upstream order (kube-and-ops.md §6)."""


def builtin_ref(api_version: str, kind: str) -> ResourceRef | None:
    return BUILTIN.get((api_version, kind))


def ref_from_discovery(api_version: str, kind: str, resource_list: dict[str, object]) -> ResourceRef | None:
    """Find ``kind`` in an ``APIResourceList`` document (subresources skipped)."""
    for entry in resource_list.get("resources") or []:  # type: ignore[attr-defined]
        if not isinstance(entry, dict):
            continue
        name = str(entry.get("name", ""))
        if entry.get("kind") == kind and "/" not in name:
            return ResourceRef(api_version, name, kind, bool(entry.get("namespaced")))
    return None
