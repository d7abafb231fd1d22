"""Per-instance driver state shared by the AKS modules (driver-aks.md §3.7): no caches, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.kube_seam import IngressKube, KubeConnector, default_kube_connector
from kompox.providers.aks.naming import AKSNames
from kompox.providers.aks.settings import AKSProviderSettings
from kompox.providers.aks.span import Progress


@dataclass
class AKSContext:
    settings: AKSProviderSettings
    names: AKSNames
    clients: AzureClients
    progress: Progress | None
    kube_connector: KubeConnector | None = None

    @property
    def location(self) -> str:
        return self.settings.location

    @property
    def subscription_id(self) -> str:
        return self.settings.subscription_id

    def kube(self, kubeconfig: bytes) -> IngressKube:
        """The in-cluster client from the injected connector, else the process default."""
        connector = self.kube_connector or default_kube_connector()
        return connector(kubeconfig)
