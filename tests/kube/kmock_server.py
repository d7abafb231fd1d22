"""kmock served on 127.0.0.1 from a background thread, for the synchronous kube client.

kmock is asyncio-based; the official ``kubernetes`` client is synchronous.  The
emulator runs its own event loop in a daemon thread and the tests drive it
with real HTTP.  Two gaps of kmock's emulator are filled here, explicitly:

* server-side apply: kmock treats every PATCH as a merge of an *existing*
  object (404 otherwise).  ``application/apply-patch+yaml`` PATCHes of absent
  objects are turned into creations first (apply = create-or-merge).
* Namespace paths: kmock 0.8 mis-parses ``/api/v1/namespaces[/<name>]``; the
  harness parses those paths itself (see ``_parse_path``).
* JSON patch: kmock merges dict bodies only; ``application/json-patch+json``
  bodies (lists of operations) are applied with ``jsonpatch`` (a kmock
  dependency) and stored as a new version.

It does not filter lists by ``labelSelector``, does not set
``resourceVersion``/``generation``/``status``, and cannot serve websocket
(exec, port-forward) requests.
"""

from __future__ import annotations

import asyncio
import copy
import re
import threading
from collections.abc import Callable
from typing import Any

import aiohttp.web
import jsonpatch
import kmock
import yaml
from kmock._internal import parsing

_NAMESPACE_PATH = re.compile(r"^/api/v1/namespaces(?:/([^/]+))?(?:/(status|finalize))?/?$")
_original_parse_path = parsing.parse_path


def _parse_path(path: str) -> Any:
    """kmock 0.8 reads ``/api/v1/namespaces[/<name>]`` as a namespace prefix without a
    resource (and fails on the bare collection); address Namespace objects properly."""
    match = _NAMESPACE_PATH.match(path)
    if match:
        return parsing.ParsedPath("", "v1", "namespaces", None, match.group(1), match.group(2))
    return _original_parse_path(path)


parsing.parse_path = _parse_path

APPLY = "application/apply-patch+yaml"
JSON_PATCH = "application/json-patch+json"


class SSAEmulator(kmock.KubernetesEmulator):  # type: ignore[misc]
    async def _handle(self, request: Any) -> aiohttp.web.StreamResponse:
        ctype = (request.headers.get("Content-Type") or "").split(";")[0].strip()
        if request.resource is not None and request.method == "PATCH" and request.name is not None:
            key = (request.resource, request.namespace, request.name)
            if ctype == JSON_PATCH:
                async with self._lock:
                    if key not in self._objects or self._objects[key].deleted:
                        raise kmock.KubernetesObjectNotFoundError()
                    obj = self._objects[key]
                    new = jsonpatch.apply_patch(copy.deepcopy(obj.raw), request.data)
                    obj.history.append(new)
                    raw = obj.raw
                return aiohttp.web.json_response(raw)
            if ctype == APPLY:
                async with self._lock:
                    if key not in self._objects or self._objects[key].deleted:
                        # Create an empty object; the emulator's PATCH handling below then
                        # merges the applied body into it and user reactions still apply.
                        if key in self._objects:
                            self._objects[key].create({})
                        else:
                            self._objects[key] = {}
        return await super()._handle(request)


KUBECONFIG_TEMPLATE = """
apiVersion: v1
kind: Config
clusters:
- name: kmock
  cluster:
    server: {url}
contexts:
- name: kmock
  context:
    cluster: kmock
    user: tester
current-context: kmock
users:
- name: tester
  user:
    token: test-token
"""


class KMockThread:
    """Runs an :class:`SSAEmulator` and its HTTP server in a background event loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.emulator: Any = None
        self.url = ""
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> KMockThread:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("kmock did not start")
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        emulator = SSAEmulator()
        emulator.resources.load_bundled()
        async with emulator, kmock.Server(emulator) as server:
            self.emulator = emulator
            self.url = str(server.url).rstrip("/")
            self._ready.set()
            await self._stop.wait()

    def stop(self) -> None:
        if self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the server's loop (for state changes and DSL declarations)."""

        async def run() -> Any:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(10)

    @property
    def kubeconfig(self) -> bytes:
        return KUBECONFIG_TEMPLATE.format(url=self.url).encode()

    def requests(self) -> list[Any]:
        return list(self.call(lambda: list(self.emulator)))

    def objects(self) -> dict[tuple[str, str | None, str], dict[str, Any]]:
        """Live objects as ``{(group/version/plural, namespace, name): raw}``."""

        def snapshot() -> dict[tuple[str, str | None, str], dict[str, Any]]:
            out = {}
            for (resource, ns, name), obj in self.emulator.objects.items():
                if not obj.deleted:
                    gv = f"{resource.group}/{resource.version}" if resource.group else resource.version
                    out[(f"{gv}/{resource.plural}", ns, name)] = copy.deepcopy(obj.raw)
            return out

        return dict(self.call(snapshot))


def dump(obj: Any) -> str:
    return yaml.safe_dump(obj, sort_keys=True)
