"""K3s / existing-cluster driver; importing this package registers it as ``k3s``."""

from kompox.providers.k3s.driver import DRIVER_ID, K3sDriver, new_k3s_driver
from kompox.providers.registry import register

register(DRIVER_ID, new_k3s_driver)

__all__ = ["DRIVER_ID", "K3sDriver", "new_k3s_driver"]
