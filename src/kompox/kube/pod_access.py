"""Pods of a running app: selection, logs, exec and port-forward (kube-and-ops.md §7, §8)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, BinaryIO

from kompox.domain.errors import ValidationError
from kompox.kube import pods as podsel
from kompox.kube import resources as res
from kompox.kube.api import KubeAPI, Obj
from kompox.kube.streams import ExecResult, PortForward, exec_in_pod

POD_RULES = ("exec", "logs", "tunnel", "status")


class PodAccess(KubeAPI):
    """Pod reads and the streaming operations, on top of the generic object access."""

    def list_pods(self, namespace: str, selector: str) -> list[Obj]:
        return self.list_objects(res.POD, namespace, selector)

    def find_pod(self, namespace: str, selector: str, *, rule: str = "exec", container: str = "") -> Obj | None:
        """Pick a pod by the rules of kube-and-ops.md §7: ``exec``, ``logs``, ``tunnel`` or ``status``."""
        if rule not in POD_RULES:
            raise ValidationError(f"unknown pod selection rule {rule!r} (exec, logs, tunnel, status)")
        pods = self.list_pods(namespace, selector)
        chosen: Mapping[str, Any] | None
        if rule == "exec":
            chosen = podsel.select_exec_pod(pods, container=container)
        elif rule == "logs":
            chosen = podsel.select_logs_pod(pods, container=container)
        elif rule == "tunnel":
            chosen = podsel.select_tunnel_pod(pods)
        else:
            chosen = podsel.select_status_pod(pods)
        return None if chosen is None else dict(chosen)

    def stream_logs(
        self,
        namespace: str,
        pod: str,
        out: BinaryIO,
        *,
        container: str = "",
        follow: bool = False,
        tail_lines: int = 0,
        timeout: float | None = -1.0,
    ) -> int:
        """Copy a pod's log to ``out``; return the bytes copied.

        In follow mode no timeout applies: the copy runs until the server ends
        the stream or the caller interrupts (``KeyboardInterrupt`` propagates).
        """
        query: list[tuple[str, str]] = []
        if container:
            query.append(("container", container))
        if follow:
            query.append(("follow", "true"))
        if tail_lines > 0:
            query.append(("tailLines", str(tail_lines)))
        path = res.POD.object_path(pod, namespace, "log")
        resp = self.transport.request("GET", path, query=query, stream=True, timeout=None if follow else timeout)
        raw = resp.raw
        total = 0
        try:
            for chunk in raw.stream(4096, decode_content=True):
                if chunk:
                    out.write(chunk)
                    out.flush()
                    total += len(chunk)
        finally:
            raw.release_conn()
        return total

    def exec(
        self,
        namespace: str,
        pod: str,
        command: Sequence[str],
        *,
        container: str = "",
        stdin: BinaryIO | None = None,
        stdout: BinaryIO,
        stderr: BinaryIO | None = None,
        tty: bool = False,
        terminal_size: Callable[[], tuple[int, int]] | None = None,
        stdin_filter: Callable[[bytes], tuple[bytes, bool]] | None = None,
    ) -> ExecResult:
        """Run ``command`` in the pod (see :func:`kompox.kube.streams.exec_in_pod`); returns the remote exit code."""
        return exec_in_pod(
            self,
            namespace,
            pod,
            command,
            container=container,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            tty=tty,
            terminal_size=terminal_size,
            stdin_filter=stdin_filter,
        )

    def port_forward(
        self,
        namespace: str,
        pod: str,
        ports: Sequence[tuple[int, int]],
        *,
        addresses: Sequence[str] = ("localhost",),
        errors: Callable[[str], None] | None = None,
    ) -> PortForward:
        """A (not yet started) forwarder of ``(local, remote)`` ports to the pod; call ``start()``."""
        return PortForward(self, namespace, pod, list(ports), list(addresses), errors)
