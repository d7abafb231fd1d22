"""Use case ``cluster logs``: the log of the Traefik ingress pod (kube-and-ops.md §13.3 "Logs")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from kompox.domain.errors import NotFoundError
from kompox.domain.model import Cluster, ingress_namespace

TRAEFIK_SELECTOR = "app.kubernetes.io/name=traefik"
DEFAULT_TAIL = 200


class TraefikLogSource(Protocol):
    """The kube operations ``cluster logs`` needs (adapter: the CLI's kube wrapper)."""

    def controller_namespace(self, namespace: str) -> str:
        """Where the serving Traefik runs: ``namespace`` or an adopted controller's namespace."""
        ...

    def find_pod(self, namespace: str, selector: str, *, container: str = "") -> dict[str, Any] | None:
        """The pod to read, by the ``logs`` selection rule (kube-and-ops.md §7)."""
        ...

    def stream_logs(
        self, namespace: str, pod: str, out: BinaryIO, *, container: str = "", follow: bool = False, tail_lines: int = 0
    ) -> int: ...


@dataclass(frozen=True)
class ClusterLogsResult:
    namespace: str
    pod: str
    bytes_copied: int


def cluster_logs(
    kube: TraefikLogSource,
    cluster: Cluster,
    out: BinaryIO,
    *,
    container: str = "",
    follow: bool = False,
    tail_lines: int = DEFAULT_TAIL,
) -> ClusterLogsResult:
    """Copy the Traefik pod's log to ``out``; ``tail_lines`` ≤ 0 means the whole log."""
    namespace = kube.controller_namespace(ingress_namespace(cluster))
    pod = kube.find_pod(namespace, TRAEFIK_SELECTOR, container=container)
    if pod is None:
        raise NotFoundError(f"traefik pod not found in namespace {namespace}")
    name = str((pod.get("metadata") or {}).get("name", ""))
    copied = kube.stream_logs(namespace, name, out, container=container, follow=follow, tail_lines=max(0, tail_lines))
    return ClusterLogsResult(namespace, name, copied)
