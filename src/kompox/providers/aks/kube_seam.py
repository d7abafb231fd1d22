"""The seam to the Kubernetes side (``kompox.kube``) used by install, uninstall and status.

The AKS driver does the Azure side itself and hands everything in-cluster to an
:class:`IngressKube` built from the admin kubeconfig bytes by a
:data:`KubeConnector`.  The connector is injectable (driver constructor or
:func:`set_default_kube_connector`), so the driver never imports a Kubernetes
client and never writes a kubeconfig to disk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kompox.domain.errors import CapabilityNotImplementedError
from kompox.providers.aks.secret import TLSMount

WORKLOAD_IDENTITY_USE = "azure.workload.identity/use"
WORKLOAD_IDENTITY_TENANT = "azure.workload.identity/tenant-id"
WORKLOAD_IDENTITY_CLIENT = "azure.workload.identity/client-id"
DEFAULT_CERT_EMAIL = "noreply@example.com"


@dataclass
class TraefikInstall:
    """What AKS needs from the Traefik installation (driver-aks.md §9.4.1–9.4.2)."""

    namespace: str
    service_account: str
    cert_email: str = DEFAULT_CERT_EMAIL
    service_type: str = "LoadBalancer"
    pod_labels: dict[str, str] = field(default_factory=lambda: {WORKLOAD_IDENTITY_USE: "true"})
    node_selector: dict[str, str] = field(default_factory=lambda: {"kompox.dev/node-pool": "system"})
    external_traffic_policy: str = ""  # "Local" only when Key Vault certificates are configured
    tls_mounts: list[TLSMount] = field(default_factory=list)
    extra_config_files: dict[str, str] = field(default_factory=dict)  # ConfigMap ``traefik`` data


class IngressKube(Protocol):
    """In-cluster operations the AKS driver needs; implemented by the Kubernetes side."""

    def ensure_namespace(self, name: str) -> None: ...

    def ensure_service_account(
        self, namespace: str, name: str, annotations: Mapping[str, str], automount_token: bool
    ) -> None: ...

    def apply(self, objects: Sequence[Mapping[str, Any]], namespace: str) -> None: ...

    def install_traefik(self, spec: TraefikInstall) -> None: ...

    def uninstall_traefik(self, namespace: str) -> None: ...

    def delete_namespace(self, name: str) -> None: ...

    def service_ingress(self, namespace: str, name: str) -> tuple[str, str]:
        """``(ip, hostname)`` of the Service's first load-balancer ingress; raises if unreadable."""
        ...


KubeConnector = Callable[[bytes], IngressKube]


def _unavailable(kubeconfig: bytes) -> IngressKube:
    raise CapabilityNotImplementedError("in-cluster step (Kubernetes client for ClusterInstall/Uninstall)", "aks")


_default: KubeConnector = _unavailable


def set_default_kube_connector(connector: KubeConnector | None) -> None:
    """Install the connector used by drivers built without one (``None`` restores "not implemented")."""
    global _default
    _default = connector or _unavailable


def default_kube_connector() -> KubeConnector:
    return _default
