"""AKS provider driver; importing this package registers it as ``aks``.

Azure SDKs are imported lazily inside the functions that call Azure, so this
import stays cheap.
"""

from kompox.providers.aks.driver import DRIVER_ID, AKSDriver, new_aks_driver
from kompox.providers.aks.kube_seam import IngressKube, KubeConnector, TraefikInstall, set_default_kube_connector
from kompox.providers.registry import register

register(DRIVER_ID, new_aks_driver)

__all__ = [
    "DRIVER_ID",
    "AKSDriver",
    "IngressKube",
    "KubeConnector",
    "TraefikInstall",
    "new_aks_driver",
    "set_default_kube_connector",
]
