"""A websocket endpoint speaking the Kubernetes channel protocol (v4), for exec and port-forward.

kmock serves plain HTTP only; exec and port-forward use websocket upgrades, so
these tests use this small aiohttp server instead.  It implements just what the
client needs: exec writes canned stdout/stderr/status frames (echoing stdin),
port-forward announces the port on both channels and echoes data upper-cased.

A pod listed in :attr:`WSThread.exec_roots` runs exec requests for real, as a
kubelet would: the command (argv, verbatim) is spawned with the pod's
directory as working directory and ``ROOT`` (the localpath helper's mount
point stands for that directory), channel 0 frames are written to its stdin
with back-pressure, its stdout/stderr go out on channels 1/2 as they come,
and after it exits the ``Status`` (``Success``, or ``NonZeroExitCode`` with the
code) is sent on channel 3 and the websocket closed.  As a kubelet speaking
``v4.channel.k8s.io``, an empty stdin frame is ignored: the process's stdin
ends only when the client closes the websocket (:class:`ExecRun` records it).
With ``exec_protocols`` offering ``v5.channel.k8s.io`` (as API servers since
1.30), the client's CLOSE signal for channel 0 ends the process's stdin.
``stdin_filters`` (by pod) may rewrite the stdin bytes on the way; for a pod
in ``cut`` the websocket closes without a Status (a connection lost).  Deleting
such a pod kills its running commands (exit 137, as a killed container).
With ``refusal = (code, body)`` both refuse the upgrade as the API server does
(e.g. 400 with a ``Status`` for a pod that has no node): a plain HTTP answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import aiohttp.web

PROTOCOL = "v4.channel.k8s.io"
PROTOCOL_V5 = "v5.channel.k8s.io"  # v4 plus a CLOSE signal (channel 255) that ends one stream, e.g. stdin

KUBECONFIG_TEMPLATE = """
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "%s"}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
users: [{name: u, user: {token: ws-token}}]
"""


@dataclass
class ExecRun:
    """What one real exec saw (see the module docstring)."""

    pod: str
    argv: list[str]
    stdin_bytes: int = 0  # bytes written to the process's stdin
    empty_stdin_frames: int = 0  # ignored, as a v4 kubelet does
    stdin_closed_by_client: bool = False  # the client closed the websocket while the process ran
    stdin_closed_by_signal: bool = False  # v5: the client's CLOSE signal for channel 0
    protocol: str = ""
    exit_code: int | None = None
    events: list[str] = field(default_factory=list)


def _status(code: int, argv: list[str]) -> dict[str, Any]:
    """The ``Status`` a kubelet sends on channel 3 when the command ends."""
    if code == 0:
        return {"metadata": {}, "status": "Success"}
    return {
        "metadata": {},
        "status": "Failure",
        "message": f"command terminated with non-zero exit code: error executing command {argv}, exit code {code}",
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]},
    }


def _kill(proc: asyncio.subprocess.Process) -> None:
    """The whole process group (the container's processes), not only the command's first process."""
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


class WSThread:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.url = ""
        self.requests: list[dict[str, Any]] = []
        self.exit_code = 0
        self.refusal: tuple[int, dict[str, Any] | str] | None = None
        self.pod: dict[str, Any] = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p1", "labels": {}},
            "status": {"phase": "Running"},
        }
        self.deployments: list[dict[str, Any]] = []  # served by the apps/v1 list endpoint
        self.exec_roots: dict[str, Path] = {}  # pod name → directory: exec runs the command for real
        self.stdin_filters: dict[str, Callable[[bytes], bytes]] = {}  # pod name → rewrites each stdin frame
        self.runs: list[ExecRun] = []
        self._procs: list[tuple[str, asyncio.subprocess.Process]] = []
        self.deleted: list[str] = []  # exec into these pods is refused with 404
        self.started = threading.Event()  # set when a command starts
        self.start_after: threading.Event | None = None  # commands start only once this is set
        self.exec_protocols: list[str] = [PROTOCOL]  # what a real exec may negotiate
        self.cut: set[str] = set()  # pods whose connection ends without a Status (a cut connection)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._runner: aiohttp.web.AppRunner | None = None

    def start(self) -> WSThread:
        self._thread.start()
        self._ready.wait(10)
        return self

    @property
    def kubeconfig(self) -> bytes:
        """A kubeconfig for this server: context ``c``, bearer token ``ws-token``."""
        return (KUBECONFIG_TEMPLATE % self.url).encode()

    def stop(self) -> None:
        async def shutdown() -> None:
            for _, proc in self._procs:
                _kill(proc)
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        app = aiohttp.web.Application()
        app.router.add_get("/api/v1/namespaces/{ns}/pods/{pod}/exec", self._exec)
        app.router.add_get("/api/v1/namespaces/{ns}/pods/{pod}/portforward", self._portforward)
        app.router.add_get("/api/v1/namespaces/{ns}/pods/{pod}", self._get_pod)
        app.router.add_delete("/api/v1/namespaces/{ns}/pods/{pod}", self._delete_pod)
        app.router.add_get("/api/v1/namespaces/{ns}/pods", self._list_pods)
        app.router.add_get("/apis/apps/v1/namespaces/{ns}/deployments", self._list_deployments)
        self._runner = aiohttp.web.AppRunner(app)
        self.loop.run_until_complete(self._runner.setup())
        site = aiohttp.web.TCPSite(self._runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        self._ready.set()
        self.loop.run_forever()

    def _record(self, request: aiohttp.web.Request) -> None:
        self.requests.append(
            {
                "path": request.path,
                "query": list(request.query.items()),
                "authorization": request.headers.get("Authorization", ""),
                "protocol": request.headers.get("Sec-WebSocket-Protocol", ""),
            }
        )

    async def _get_pod(self, request: aiohttp.web.Request) -> aiohttp.web.Response:
        self._record(request)
        return aiohttp.web.json_response(self.pod)

    async def _delete_pod(self, request: aiohttp.web.Request) -> aiohttp.web.Response:
        """Kills the commands running in the pod (its container stops)."""
        self._record(request)
        pod = request.match_info["pod"]
        self.deleted.append(pod)
        for name, proc in self._procs:
            if name == pod:
                _kill(proc)
        return aiohttp.web.json_response({"kind": "Status", "apiVersion": "v1", "status": "Success"})

    async def _list_pods(self, request: aiohttp.web.Request) -> aiohttp.web.Response:
        """The one pod, when its labels match ``labelSelector`` (``k=v`` terms only)."""
        self._record(request)
        labels = self.pod["metadata"].get("labels") or {}
        terms = [t.split("=", 1) for t in request.query.get("labelSelector", "").split(",") if "=" in t]
        items = [self.pod] if all(labels.get(k) == v for k, v in terms) else []
        return aiohttp.web.json_response({"kind": "PodList", "items": items})

    async def _list_deployments(self, request: aiohttp.web.Request) -> aiohttp.web.Response:
        self._record(request)
        return aiohttp.web.json_response({"kind": "DeploymentList", "items": self.deployments})

    def _refused(self) -> aiohttp.web.Response | None:
        if self.refusal is None:
            return None
        code, body = self.refusal
        if isinstance(body, str):
            return aiohttp.web.Response(status=code, text=body)
        return aiohttp.web.json_response(body, status=code)

    async def _exec(self, request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
        self._record(request)
        refused = self._refused()
        if refused is not None:
            return refused
        pod = request.match_info["pod"]
        if pod in self.deleted:
            message = f'pods "{pod}" not found'
            body = {"kind": "Status", "status": "Failure", "message": message, "reason": "NotFound", "code": 404}
            return aiohttp.web.json_response(body, status=404)
        protocols = self.exec_protocols if pod in self.exec_roots else [PROTOCOL]
        ws = aiohttp.web.WebSocketResponse(protocols=protocols, max_msg_size=0)
        await ws.prepare(request)
        if pod in self.exec_roots:
            await self._exec_run(request, ws, pod)
            return ws
        await ws.send_bytes(b"\x01hello from " + request.match_info["pod"].encode() + b"\n")
        await ws.send_bytes(b"\x02warning\n")
        if request.query.get("stdin") == "true":
            msg = await ws.receive()
            if msg.type == aiohttp.WSMsgType.BINARY and msg.data[:1] == b"\x00":
                await ws.send_bytes(b"\x01echo:" + msg.data[1:])
        if self.exit_code:
            status = {
                "status": "Failure",
                "reason": "NonZeroExitCode",
                "message": f"command terminated with non-zero exit code: {self.exit_code}",
                "details": {"causes": [{"reason": "ExitCode", "message": str(self.exit_code)}]},
            }
        else:
            status = {"status": "Success", "metadata": {}}
        await ws.send_bytes(b"\x03" + json.dumps(status).encode())
        await ws.close()
        return ws

    async def _exec_run(self, request: aiohttp.web.Request, ws: aiohttp.web.WebSocketResponse, pod: str) -> None:
        argv = request.query.getall("command")
        run = ExecRun(pod, argv, protocol=ws.ws_protocol or "")
        self.runs.append(run)
        root = self.exec_roots[pod]
        tty = request.query.get("tty") == "true"
        want_stdin = request.query.get("stdin") == "true"
        want_stderr = request.query.get("stderr") == "true"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ROOT": str(root)}
        pipe = asyncio.subprocess.PIPE
        if self.start_after is not None:
            await self.loop.run_in_executor(None, self.start_after.wait, 30)
        proc = await asyncio.create_subprocess_exec(
            *argv,
            cwd=root,
            env=env,
            start_new_session=True,  # one process group: killed together
            stdin=pipe if want_stdin else asyncio.subprocess.DEVNULL,
            stdout=pipe,
            stderr=asyncio.subprocess.STDOUT if tty else (pipe if want_stderr else asyncio.subprocess.DEVNULL),
        )
        self._procs.append((pod, proc))
        self.started.set()
        await ws.send_bytes(b"\x01")  # the kubelet's empty frame on the lowest output channel: connected
        rewrite = self.stdin_filters.get(pod, lambda data: data)

        async def feed() -> None:
            """Channel 0 into stdin until the client closes the websocket (then the process's stdin ends)."""
            writable = want_stdin
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.BINARY and run.protocol == PROTOCOL_V5 and msg.data == b"\xff\x00":
                    run.stdin_closed_by_signal = True
                    writable = False
                    if proc.stdin is not None:
                        proc.stdin.close()
                    continue
                if msg.type != aiohttp.WSMsgType.BINARY or msg.data[:1] != b"\x00":
                    continue
                data = msg.data[1:]
                if not data:
                    run.empty_stdin_frames += 1  # nothing to write, stdin stays open
                    continue
                if not writable or proc.stdin is None:
                    continue
                try:
                    proc.stdin.write(rewrite(data))
                    await proc.stdin.drain()  # back-pressure: no more frames read until the process took these
                    run.stdin_bytes += len(data)
                except (BrokenPipeError, ConnectionResetError):
                    writable = False  # the process stopped reading (e.g. head -c had its bytes)
            if proc.returncode is None:
                run.stdin_closed_by_client = True
                run.events.append("client closed the websocket")
            if proc.stdin is not None:
                proc.stdin.close()

        async def pump(stream: asyncio.StreamReader | None, channel: int) -> None:
            while stream is not None and (chunk := await stream.read(65536)):
                await ws.send_bytes(bytes([channel]) + chunk)

        feeder = asyncio.ensure_future(feed())
        try:
            await asyncio.gather(pump(proc.stdout, 1), pump(proc.stderr, 2))
            code = await proc.wait()
            code = 128 - code if code < 0 else code  # killed by a signal: 128 + its number, as a container runtime
            run.exit_code = code
            run.events.append(f"exited {code}")
            if pod not in self.cut:
                await ws.send_bytes(b"\x03" + json.dumps(_status(code, argv)).encode())
            await ws.close()
        except ConnectionResetError:
            run.events.append("client went away")
        finally:
            feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feeder

    async def _portforward(self, request: aiohttp.web.Request) -> aiohttp.web.StreamResponse:
        self._record(request)
        refused = self._refused()
        if refused is not None:
            return refused
        port = int(request.query["ports"])
        ws = aiohttp.web.WebSocketResponse(protocols=[PROTOCOL])
        await ws.prepare(request)
        announce = bytes((port % 256, port // 256))
        await ws.send_bytes(b"\x00" + announce)
        await ws.send_bytes(b"\x01" + announce)
        async for msg in ws:
            if msg.type == aiohttp.WSMsgType.BINARY and msg.data[:1] == b"\x00":
                await ws.send_bytes(b"\x00" + msg.data[1:].upper())
        return ws
