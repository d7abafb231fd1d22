"""The Kubernetes side of ``kompoxops secret``: :class:`~kompox.usecase.secret_override.SecretKube` on a KubeClient."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kompox.kube import resources as res

if TYPE_CHECKING:
    from kompox.kube.client import KubeClient
    from kompox.usecase.secret_override import SecretKube


class KubeSecrets:
    """Secret reads and writes of one app namespace; values only travel in request bodies, never in logs."""

    def __init__(self, kube: KubeClient) -> None:
        self.kube = kube

    def namespace_exists(self, name: str) -> bool:
        return self.kube.get_namespace(name) is not None

    def read_secret(self, namespace: str, name: str) -> dict[str, Any] | None:
        return self.kube.get(res.SECRET, name, namespace)

    def apply_secret(self, obj: Mapping[str, Any], remove_keys: Iterable[str]) -> None:
        meta = obj["metadata"]
        stale = list(remove_keys)
        if stale:  # keys another writer (e.g. upstream's plain update) owns are not dropped by an apply
            self.kube.patch(res.SECRET, meta["name"], {"data": dict.fromkeys(stale)}, meta["namespace"])
        self.kube.apply([obj], default_namespace=meta["namespace"], force=True)

    def delete_secret(self, namespace: str, name: str) -> bool:
        return self.kube.delete(res.SECRET, name, namespace)

    def refresh_pod_hash(self, namespace: str, deployment: str) -> None:
        self.kube.sync_pod_content_hash(namespace, deployment)


def secret_port(kube: KubeClient) -> SecretKube:
    return KubeSecrets(kube)
