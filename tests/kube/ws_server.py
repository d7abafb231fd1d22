"""A websocket endpoint speaking the Kubernetes channel protocol (v4), for exec and port-forward.

kmock serves plain HTTP only; exec and port-forward use websocket upgrades, so
these tests use this small aiohttp server instead.  It implements just what the
client needs: exec writes canned stdout/stderr/status frames (echoing stdin),
port-forward announces the port on both channels and echoes data upper-cased.
With ``refusal = (code, body)`` both refuse the upgrade as the API server does
(e.g. 400 with a ``Status`` for a pod that has no node): a plain HTTP answer.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import aiohttp
import aiohttp.web

PROTOCOL = "v4.channel.k8s.io"

KUBECONFIG_TEMPLATE = """
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "%s"}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
users: [{name: u, user: {token: ws-token}}]
"""


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
        ws = aiohttp.web.WebSocketResponse(protocols=[PROTOCOL])
        await ws.prepare(request)
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
