"""Exec and port-forward over the API server's websocket subresources.

The official client speaks the Kubernetes websocket channel protocol
(``v5.channel.k8s.io`` or ``v4.channel.k8s.io``, as the API server chooses;
channel 0 stdin, 1 stdout, 2 stderr, 3 status, 4 terminal resize).  Only v5
can tell the remote command that stdin ended; under v4 a command reading
stdin to its end waits until the connection closes.  Unlike upstream, :func:`exec_in_pod` returns the remote
exit code instead of turning it into an error.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import shutil
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import urlencode

from kompox.domain.errors import ValidationError
from kompox.kube import resources as res
from kompox.kube.transport import KubeAPIError, status_message

log = logging.getLogger("kompox.kube")

STDIN, STDOUT, STDERR, STATUS, RESIZE = 0, 1, 2, 3, 4
STDIN_CHUNK = 65536  # bytes of stdin per websocket frame at most


def exit_code_from_status(text: str) -> int:
    """Exit code from the status channel: ``Success`` → 0, ``NonZeroExitCode`` → its code.

    Any other failure (e.g. the container was not found) raises :class:`KubeAPIError`.
    """
    try:
        status = json.loads(text) if text.strip() else {}
    except ValueError:
        raise KubeAPIError(f"exec: unreadable status from the API server: {text[:200]}") from None
    if not status or status.get("status") == "Success":
        return 0
    if status.get("reason") == "NonZeroExitCode":
        for cause in (status.get("details") or {}).get("causes") or []:
            if cause.get("reason") == "ExitCode":
                return int(cause.get("message", "1"))
        return 1
    raise KubeAPIError(f"exec: {status.get('message') or status.get('reason') or 'failed'}")


def stream_error(what: str, exc: BaseException) -> KubeAPIError:
    """One line for a websocket that could not be opened, with the server's ``Status.message``.

    A refused upgrade (e.g. ``400`` "pod p1 does not have a host assigned", ``403``
    from RBAC) carries the API server's ``Status`` object as the response body; the
    raw handshake text (status line, headers, body) is never shown.
    """
    code = getattr(exc, "status_code", None)
    body = getattr(exc, "resp_body", None)
    if isinstance(code, int):
        reason, message = status_message(body) if isinstance(body, bytes) and body else ("", "")
        label = reason or str(getattr(exc, "status_message", "") or "error")
        text = f"{what}: {code} {label}" + (f": {message}" if message else "")
        return KubeAPIError(" ".join(text.split()), status_code=code, reason=reason, server_message=message)
    lines = str(exc).splitlines()
    detail = lines[0] if lines else type(exc).__name__
    return KubeAPIError(f"{what}: {detail}")


def _ws_url(client: Any, path: str, query: Sequence[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    _, url, headers, _, _ = client.api_client.param_serialize("GET", path, auth_settings=["BearerToken"])
    url = url.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    return f"{url}?{urlencode(list(query))}", lowered


@dataclass
class ExecResult:
    exit_code: int
    detached: bool = False


def exec_in_pod(
    client: Any,
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
    """Run ``command`` in the pod; stream stdio; return the remote exit code.

    ``stdin`` must have a file descriptor (it is polled).  With ``tty`` the
    remote stderr is merged into stdout by the server, and the window size from
    ``terminal_size`` (columns, rows) is sent at start and when it changes.
    ``stdin_filter(data) -> (data_to_send, detach)`` implements escape
    sequences: when it reports ``detach`` the session ends with exit code 0.
    Raw terminal mode is the caller's job.  A connection that ends without the
    exit status (the kubelet always sends one) raises :class:`KubeAPIError`.
    """
    from kubernetes.stream import ws_client

    wsmod: Any = ws_client  # untyped package
    if not command:
        raise ValidationError("exec: command is required")
    query: list[tuple[str, str]] = [("command", c) for c in command]
    query += [("stdin", "true" if stdin else "false"), ("stdout", "true"), ("stderr", "false" if tty else "true")]
    query.append(("tty", "true" if tty else "false"))
    if container:
        query.append(("container", container))
    url, headers = _ws_url(client, res.POD.object_path(pod, namespace, "exec"), query)
    try:
        ws: Any = wsmod.WSClient(client.configuration, url, headers, capture_all=False, binary=True)
    except Exception as exc:  # a refused websocket upgrade carries the server's Status
        raise stream_error(f'exec in pod "{pod}" in namespace "{namespace}"', exc) from None
    err = stderr or stdout
    size: tuple[int, int] | None = None
    stdin_fd = stdin.fileno() if stdin is not None else None
    detached = False
    try:
        while ws.is_open():
            if tty and terminal_size is not None:
                now = terminal_size()
                if now != size:
                    size = now
                    ws.write_channel(RESIZE, json.dumps({"Width": now[0], "Height": now[1]}))
            pending = stdin_fd is not None and bool(select.select([stdin_fd], [], [], 0)[0])
            ws.update(timeout=0 if pending else 0.1)  # stdin waiting: do not idle (bulk stdin, e.g. a transfer)
            if ws.peek_channel(STDOUT):
                stdout.write(ws.read_channel(STDOUT))
                stdout.flush()
            if ws.peek_channel(STDERR):
                err.write(ws.read_channel(STDERR))
                err.flush()
            if stdin_fd is not None and pending:
                data = os.read(stdin_fd, STDIN_CHUNK)
                if not data:  # end of stdin: v5 closes the remote stdin; v4 has no way (an empty frame)
                    ws.write_channel(STDIN, b"")
                    ws.close_channel(STDIN)
                    stdin_fd = None
                    continue
                if stdin_filter is not None:
                    data, detached = stdin_filter(data)
                if data:
                    ws.write_channel(STDIN, data)
                if detached:
                    return ExecResult(0, detached=True)
        for channel, sink in ((STDOUT, stdout), (STDERR, err)):
            if ws.peek_channel(channel):
                sink.write(ws.read_channel(channel))
        stdout.flush()
        status = ws.read_channel(STATUS)
        text = status.decode("utf-8", "replace") if isinstance(status, bytes) else str(status or "")
        if not text.strip():  # the kubelet always sends one (also Success): the connection was cut
            raise KubeAPIError(
                f'exec in pod "{pod}" in namespace "{namespace}": the connection ended without the '
                "command's exit status (its outcome is unknown)"
            )
        return ExecResult(exit_code_from_status(text))
    finally:
        ws.close()


def terminal_size() -> tuple[int, int]:
    cols, rows = shutil.get_terminal_size()
    return cols, rows


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])


@dataclass
class PortForward:
    """Local TCP listeners forwarding each accepted connection to a pod port.

    Every accepted connection opens its own websocket to the pod's
    ``portforward`` subresource.  ``errors`` receives one line per failed
    connection (e.g. connection refused inside the pod).  A watcher reads the
    pod every ``poll_interval`` seconds and ends the forwarding when the pod is
    deleted, terminating, finished, or cannot be read (:meth:`wait` returns
    the reason).
    """

    client: Any
    namespace: str
    pod: str
    ports: list[tuple[int, int]]  # (local, remote); local 0 = pick a free port
    addresses: list[str] = field(default_factory=lambda: ["localhost"])
    errors: Callable[[str], None] | None = None
    poll_interval: float = 2.0
    _listeners: list[socket.socket] = field(default_factory=list, init=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False)
    _ended: threading.Event = field(default_factory=threading.Event, init=False)
    _reason: str = field(default="", init=False)

    def start(self) -> list[tuple[int, int]]:
        """Validate, bind every listener and start accepting; returns the (local, remote) pairs."""
        if not self.pod or not self.namespace or not self.ports:
            raise ValidationError("port forward: pod, namespace and at least one port are required")
        resolved: list[tuple[int, int]] = []
        seen: set[int] = set()
        for local, remote in self.ports:
            if remote <= 0 or local < 0:
                raise ValidationError(f"port forward: invalid ports {local}:{remote}")
            local = local or free_port()
            if local in seen:
                raise ValidationError(f"port forward: local port {local} used twice")
            seen.add(local)
            resolved.append((local, remote))
        pod = self.client.get(res.POD, self.pod, self.namespace)
        phase = ((pod or {}).get("status") or {}).get("phase")
        if phase != "Running":
            raise KubeAPIError(f'port forward: pod "{self.pod}" is not running (phase {phase or "unknown"})')
        addresses = [a.strip() for a in self.addresses if a.strip()] or ["localhost"]
        try:
            for address in addresses:
                for local, remote in resolved:
                    sock = socket.create_server((address, local), reuse_port=False)
                    self._listeners.append(sock)
                    threading.Thread(target=self._accept, args=(sock, remote), daemon=True).start()
        except OSError as exc:
            self.stop()
            raise KubeAPIError(f"port forward: cannot listen: {exc}") from None
        self.ports = resolved
        threading.Thread(target=self._watch, daemon=True).start()
        return resolved

    def stop(self) -> None:
        self._stop.set()
        for sock in self._listeners:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in accept()
            with contextlib.suppress(OSError):
                sock.close()
        self._listeners.clear()
        self._ended.set()

    def wait(self, timeout: float | None = None) -> str | None:
        """Block until forwarding ends; the reason (empty after :meth:`stop`), or ``None`` on timeout."""
        if not self._ended.wait(timeout):
            return None
        return self._reason

    def _end(self, reason: str) -> None:
        if not self._ended.is_set():
            self._reason = reason
            self.stop()

    def _watch(self) -> None:
        while not self._stop.wait(self.poll_interval):
            try:
                pod = self.client.get(res.POD, self.pod, self.namespace)
            except Exception as exc:
                self._end(f"lost connection to pod {self.pod}: {exc}")
                return
            status = (pod or {}).get("status") or {}
            if pod is None:
                self._end(f"lost connection to pod {self.pod}: pod deleted")
            elif (pod.get("metadata") or {}).get("deletionTimestamp"):
                self._end(f"lost connection to pod {self.pod}: pod terminating")
            elif status.get("phase") in ("Failed", "Succeeded"):
                self._end(f"lost connection to pod {self.pod}: pod {str(status.get('phase')).lower()}")

    def _accept(self, listener: socket.socket, remote: int) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn, remote), daemon=True).start()

    def _serve(self, conn: socket.socket, remote: int) -> None:
        from kubernetes.stream import ws_client

        wsmod: Any = ws_client  # untyped package

        path = res.POD.object_path(self.pod, self.namespace, "portforward")
        url, headers = _ws_url(self.client, path, [("ports", str(remote))])
        try:
            headers["sec-websocket-protocol"] = "v4.channel.k8s.io"
            ws = wsmod.create_websocket(self.client.configuration, url, headers)
            forward: Any = wsmod.PortForward(ws, [remote])
            upstream = forward.socket(remote)
        except Exception as exc:
            self._report(str(stream_error(f"port forward {remote}", exc)))
            conn.close()
            return
        try:
            _pump(conn, upstream, self._stop)
            problem = forward.error(remote)
            if problem:
                self._report(f"port forward {remote}: {problem}")
        finally:
            with contextlib.suppress(Exception):
                forward.close()
            conn.close()

    def _report(self, message: str) -> None:
        log.warning("port forward error: %s", message)
        if self.errors is not None:
            self.errors(message)


def _pump(a: Any, b: Any, stop: threading.Event) -> None:
    """Copy bytes both ways until either side closes."""
    sockets = [a, b]
    while not stop.is_set():
        readable, _, _ = select.select(sockets, [], [], 0.5)
        for sock in readable:
            try:
                data = sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            (b if sock is a else a).sendall(data)
