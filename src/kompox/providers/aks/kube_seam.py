"""The seam to the Kubernetes side (``kompox.kube``) used by install, uninstall and status.

The AKS driver does the Azure side itself and hands everything in-cluster to an
:class:`IngressKube` built from the admin kubeconfig bytes by a
:data:`KubeConnector`.  The connector is injectable (driver constructor or
:func:`set_default_kube_connector`); the default one builds a
:class:`KubeIngress` — the kube client plus
:class:`kompox.kube.ingress_install.TraefikInstaller` — lazily, from the bytes
held in memory (no kubeconfig file on disk).  :func:`traefik_values` turns
the driver's :class:`TraefikInstall` into Traefik values and a mutator
(service type, workload-identity labels, node selector,
``externalTrafficPolicy``, Key Vault CSI mounts, extra config files).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from kompox.domain.errors import NotFoundError
from kompox.kube.traefik import Mutator, TraefikValues, base_values
from kompox.providers.aks.secret import TLSMount

if TYPE_CHECKING:
    from kompox.kube.client import KubeClient

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

    def install_traefik(self, spec: TraefikInstall, *, timeout: float) -> None:
        """Install and wait up to ``timeout`` seconds for the rollout (0: do not wait)."""
        ...

    def uninstall_traefik(self, namespace: str) -> None: ...

    def delete_namespace(self, name: str, *, wait_timeout: float) -> None:
        """Delete and wait up to ``wait_timeout`` seconds until it is gone (0: do not wait)."""
        ...

    def service_ingress(self, namespace: str, name: str) -> tuple[str, str]:
        """``(ip, hostname)`` of the Service's first load-balancer ingress; raises if unreadable."""
        ...

    def label_node_zones(self) -> tuple[list[tuple[str, str]], list[str]]:
        """Per-node ``kompox.dev/node-zone`` from the topology zone: ``(labelled (node, zone), failures)``."""
        ...


KubeConnector = Callable[[bytes], IngressKube]

CSI_DRIVER = "secrets-store.csi.k8s.io"


def traefik_values(spec: TraefikInstall) -> tuple[TraefikValues, Mutator]:
    """Base values for the ingress namespace/SA/e-mail, and the AKS mutator (kube-and-ops.md §10.4)."""
    values = base_values(spec.namespace, spec.service_account, spec.cert_email)

    def mutate(v: TraefikValues) -> None:
        v.service_type = spec.service_type
        v.pod_labels = {**v.pod_labels, **spec.pod_labels}
        v.node_selector = dict(spec.node_selector)
        if spec.external_traffic_policy:
            v.service_spec["externalTrafficPolicy"] = spec.external_traffic_policy
        for i, mount in enumerate(spec.tls_mounts):
            name = f"secrets-store-inline-{i}"
            v.additional_volumes.append(
                {
                    "name": name,
                    "csi": {
                        "driver": CSI_DRIVER,
                        "readOnly": True,
                        "volumeAttributes": {"secretProviderClass": mount.spc_name},
                    },
                }
            )
            v.additional_volume_mounts.append({"name": name, "mountPath": mount.mount_path, "readOnly": True})
        v.additional_config_files.extend(spec.extra_config_files.items())

    return values, mutate


class KubeIngress:
    """:class:`IngressKube` over the kube client (``kompox.kube``); close it when done."""

    def __init__(self, kube: KubeClient, *, progress: Callable[[str], None] | None = None) -> None:
        from kompox.kube.ingress_install import TraefikInstaller

        self.kube = kube
        self.installer = TraefikInstaller(kube, progress=progress)

    def ensure_namespace(self, name: str) -> None:
        from kompox.kube.ingress_install import KOMPOX, MANAGED_BY

        self.kube.ensure_namespace(name, {MANAGED_BY: KOMPOX})

    def ensure_service_account(
        self, namespace: str, name: str, annotations: Mapping[str, str], automount_token: bool
    ) -> None:
        # The kube client always sets automountServiceAccountToken: false (the pod spec mounts the token).
        self.kube.ensure_service_account(namespace, name, annotations)

    def apply(self, objects: Sequence[Mapping[str, Any]], namespace: str) -> None:
        self.kube.apply(objects, default_namespace=namespace)

    def install_traefik(self, spec: TraefikInstall, *, timeout: float) -> None:
        values, mutate = traefik_values(spec)
        self.installer.rollout_timeout = timeout
        self.installer.install(values, [mutate])

    def uninstall_traefik(self, namespace: str) -> None:
        self.installer.uninstall(namespace)

    def delete_namespace(self, name: str, *, wait_timeout: float) -> None:
        self.installer.delete_namespace(name, only_if_created=False, wait_timeout=wait_timeout)

    def service_ingress(self, namespace: str, name: str) -> tuple[str, str]:
        from kompox.kube import resources as res
        from kompox.kube.ingress_install import load_balancer_endpoint

        service = self.kube.get(res.SERVICE, name, namespace)
        if service is None:
            raise NotFoundError(f'service "{name}" not found in namespace "{namespace}"')
        return load_balancer_endpoint(service)

    def label_node_zones(self) -> tuple[list[tuple[str, str]], list[str]]:
        outcome = self.kube.label_node_zones()
        return outcome.labelled, outcome.failed

    def close(self) -> None:
        self.kube.close()


def connect_kube_ingress(kubeconfig: bytes) -> KubeIngress:
    """The default connector: a kube client from the admin kubeconfig bytes, kept in memory."""
    from kompox.kube.client import KubeClient

    return KubeIngress(KubeClient(kubeconfig))


_default: KubeConnector = connect_kube_ingress


def set_default_kube_connector(connector: KubeConnector | None) -> None:
    """Install the connector used by drivers built without one (``None`` restores the kube client one)."""
    global _default
    _default = connector or connect_kube_ingress


def close_kube(kube: object) -> None:
    """Release a connected client when it supports it (test doubles may not)."""
    close = getattr(kube, "close", None)
    if callable(close):
        close()


def default_kube_connector() -> KubeConnector:
    return _default
