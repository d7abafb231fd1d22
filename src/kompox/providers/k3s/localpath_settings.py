"""Cluster settings of the K3s ``localpath`` volume backend (KOM ``Cluster.spec.settings``).

| setting | default | meaning |
|---|---|---|
| ``LOCALPATH_BASE_PATH`` | ``/var/lib/kompox/volumes`` | directory on every node holding disks and snapshot archives |
| ``LOCALPATH_HELPER_IMAGE`` | ``busybox:1.36`` | image of the helper pods |
| ``LOCALPATH_NAMESPACE`` | ``kompox-volumes`` | namespace of the disk/snapshot records and the helper pods |
| ``LOCALPATH_HELPER_TIMEOUT`` | ``600`` | seconds a helper pod may run |

The base path differs from K3s's own local-path provisioner root
(``/var/lib/rancher/k3s/storage``) so the two never touch each other's data.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from kompox.domain.errors import ValidationError
from kompox.domain.model import Cluster
from kompox.domain.naming import is_dns1123_label

SETTING_BASE_PATH = "LOCALPATH_BASE_PATH"
SETTING_IMAGE = "LOCALPATH_HELPER_IMAGE"
SETTING_NAMESPACE = "LOCALPATH_NAMESPACE"
SETTING_TIMEOUT = "LOCALPATH_HELPER_TIMEOUT"

DEFAULT_BASE_PATH = "/var/lib/kompox/volumes"
DEFAULT_IMAGE = "busybox:1.36"
DEFAULT_NAMESPACE = "kompox-volumes"
DEFAULT_TIMEOUT = 600.0
K3S_PROVISIONER_ROOT = "/var/lib/rancher/k3s/storage"


@dataclass(frozen=True)
class LocalPathSettings:
    """The cluster settings of the localpath backend (base path, helper image, namespace, timeout)."""

    base_path: str = DEFAULT_BASE_PATH
    image: str = DEFAULT_IMAGE
    namespace: str = DEFAULT_NAMESPACE
    timeout: float = DEFAULT_TIMEOUT


def _error(cluster: Cluster, key: str, message: str) -> ValidationError:
    return ValidationError(message, document=f"Cluster {cluster.name!r}", field=f"spec.settings.{key}")


def localpath_settings(cluster: Cluster) -> LocalPathSettings:
    """The backend settings of ``cluster``, validated (a ``ValidationError`` names the setting)."""
    settings = cluster.settings or {}
    base = (settings.get(SETTING_BASE_PATH) or DEFAULT_BASE_PATH).strip()
    if not base.startswith("/") or posixpath.normpath(base) != base.rstrip("/") or base.rstrip("/") in ("", "/"):
        raise _error(cluster, SETTING_BASE_PATH, f"{base!r} must be an absolute, normalised directory other than /")
    base = base.rstrip("/")
    if base == K3S_PROVISIONER_ROOT or base.startswith(K3S_PROVISIONER_ROOT + "/"):
        raise _error(
            cluster, SETTING_BASE_PATH, f"{base!r} is inside K3s's local-path provisioner root {K3S_PROVISIONER_ROOT}"
        )
    image = (settings.get(SETTING_IMAGE) or DEFAULT_IMAGE).strip()
    if any(c.isspace() for c in image):
        raise _error(cluster, SETTING_IMAGE, f"{image!r} is not an image reference")
    namespace = (settings.get(SETTING_NAMESPACE) or DEFAULT_NAMESPACE).strip()
    if not is_dns1123_label(namespace):
        raise _error(cluster, SETTING_NAMESPACE, f"{namespace!r} is not a DNS-1123 label")
    raw_timeout = (settings.get(SETTING_TIMEOUT) or "").strip()
    timeout = DEFAULT_TIMEOUT
    if raw_timeout:
        try:
            timeout = float(int(raw_timeout))
        except ValueError:
            raise _error(cluster, SETTING_TIMEOUT, f"{raw_timeout!r} is not a whole number of seconds") from None
        if timeout <= 0:
            raise _error(cluster, SETTING_TIMEOUT, f"{raw_timeout!r} must be positive")
    return LocalPathSettings(base, image, namespace, timeout)
