"""kmock served on 127.0.0.1 from a background thread, for the synchronous kube client.

kmock is asyncio-based; the official ``kubernetes`` client is synchronous.  The
emulator runs its own event loop in a daemon thread and the tests drive it
with real HTTP.  kmock's emulator stores objects and serves reads; this
harness adds, explicitly, what the Kompox tests need from an API server:

* **writes with API-server semantics** (handled here, not by kmock):
  ``POST`` (409 ``AlreadyExists``), server-side apply (``apply-patch+yaml``:
  create-or-update; fields the manager applied before and no longer applies
  are removed, fields written by other requests are kept), JSON patch and
  merge patch (a ``metadata.resourceVersion`` in a patch is a precondition:
  409 ``Conflict`` when stale).  Every stored change gets a new ``metadata.resourceVersion``;
  ``metadata.generation`` starts at 1 and grows when anything outside
  ``metadata``/``status`` changes.  A write that changes nothing keeps both.
* **label selectors** on lists (``k=v``, ``k!=v``, ``k``, ``!k``).
* **deletion**: deleting a Namespace deletes everything in it; with the fake
  controller on, deleting a Deployment deletes its pods.
* **faults** (:meth:`KMockThread.inject`): a status (409, 429, 500…) or a
  connection reset for the next N matching requests, answered *before* any
  state change, as a real server that refused the request.
* **a fake Deployment controller** (``KMockThread.rollout``): ``"ready"``
  marks every changed Deployment rolled out and replaces its pods with
  running, ready ones; ``"stuck"`` leaves the new replica unavailable.
* **pods that run** (:attr:`KMockThread.pod_runner`): when set, every created
  Pod is handed to it; it returns the pod's final ``status`` and its log
  text, stored at once (the log is served at ``pods/<name>/log``, honouring
  ``tailLines``).  The K3s localpath tests use it to run helper pods' scripts.
* **server-side dry run** (``dryRun=All`` on an apply): the answer is the
  object as it would be stored (201 when it would be created), nothing is
  stored.  **Validation rules** (:meth:`KMockThread.refuse`): a write of a
  chosen object, dry run or not, is answered 422 ``Invalid``.  With
  ``strict_namespaces`` an apply into a namespace that does not exist is
  answered 404 (the NamespaceLifecycle admission of a real server, which
  refuses dry runs too).
* **terminating namespaces** (``namespace_linger = N``): a deleted Namespace
  stays readable with ``status.phase: Terminating`` for N more reads, then is gone.
* Namespace paths: kmock 0.8 mis-parses ``/api/v1/namespaces[/<name>]``; the
  harness parses those paths itself (see ``_parse_path``).

It cannot serve websocket (exec, port-forward) requests: see ``ws_server.py``.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import itertools
import re
import threading
from collections.abc import Callable
from typing import Any

import aiohttp.web
import jsonpatch
import kmock
import yaml
from kmock._internal import parsing
from kmock_semantics import Fault, content, drop_unapplied, merge, selector_matches, spec_part, status_body

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
CREATED_AT = "2026-01-01T00:00:00Z"
NODE = "node-1"

Key = tuple[Any, str | None, str]


class SSAEmulator(kmock.KubernetesEmulator):  # type: ignore[misc]
    """kmock's emulator plus the write semantics, selectors, faults and controller above."""

    def setup_harness(self) -> None:
        self.faults: list[Fault] = []
        self.rollout: str | None = None
        self._versions = itertools.count(1000)
        self._applied: dict[Key, dict[str, Any]] = {}
        self.refusals: dict[tuple[str, str], str] = {}  # (plural, name) -> message of a 422
        self.strict_namespaces = False
        self.namespace_linger = 0
        self._terminating: dict[str, int] = {}  # namespace -> reads left before it is gone
        self.pod_runner: Callable[[dict[str, Any]], tuple[dict[str, Any], str]] | None = None
        self.pod_logs: dict[tuple[str | None, str], str] = {}

    # --- request entry ----------------------------------------------------------

    async def _handle(self, request: Any) -> aiohttp.web.StreamResponse:
        for fault in self.faults:
            if fault.matches(request):
                fault.times -= 1
                if fault.reset:
                    request._raw_request.transport.abort()
                    raise ConnectionResetError("connection reset by the test")
                body = status_body(fault.status, fault.reason or "Injected", "injected")
                return aiohttp.web.json_response(body, status=fault.status, headers=fault.headers)
        if (
            request.resource is not None
            and request.resource.plural == "pods"
            and request.subresource == "log"
            and (request.namespace, request.name) in self.pod_logs
        ):
            return self._pod_log(request)
        if request.resource is not None and request.subresource is None:
            method = request.method.upper()
            if method == "GET" and request.resource.plural == "namespaces" and request.name in self._terminating:
                async with self._lock:
                    self._linger(request)
            if method == "PATCH" and request.name is not None:
                return await self._patch(request)
            if method == "POST" and request.name is None:
                return await self._create(request)
            if method == "GET" and request.name is None and request.params.get("labelSelector"):
                return await self._list(request)
            if method == "DELETE" and request.name is not None:
                try:
                    return await super()._handle(request)
                finally:
                    async with self._lock:
                        self._after_delete(request)
        return await super()._handle(request)

    # --- writes -----------------------------------------------------------------------

    def _live(self, key: Key) -> dict[str, Any] | None:
        if key in self._objects and not self._objects[key].deleted:
            return copy.deepcopy(dict(self._objects[key].raw))
        return None

    def _store(self, key: Key, new: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        """Store ``new`` (stamped) if its content differs from ``old``; returns what the server holds."""
        meta = new.setdefault("metadata", {})
        if old is not None and content(new) == content(old):
            return old
        if old is None:
            meta["uid"] = hashlib.sha1(repr(key).encode()).hexdigest()[:8] + "-uid"
            meta["creationTimestamp"] = CREATED_AT
            meta["generation"] = 1
        else:
            old_meta = old.get("metadata") or {}
            for name in ("uid", "creationTimestamp", "generation"):
                if name in old_meta:
                    meta[name] = old_meta[name]
            if spec_part(new) != spec_part(old):
                meta["generation"] = int(old_meta.get("generation") or 0) + 1
        meta["resourceVersion"] = str(next(self._versions))
        if key in self._objects:
            if self._objects[key].deleted:
                self._objects[key].create(new)
            else:
                self._objects[key].history.append(new)
        else:
            self._objects[key] = new
        return new

    def _linger(self, request: Any) -> None:
        """A read of a terminating namespace: one read fewer before it is gone."""
        left = self._terminating[request.name]
        if left > 0:
            self._terminating[request.name] = left - 1
            return
        del self._terminating[request.name]
        key = (request.resource, None, request.name)
        if key in self._objects and not self._objects[key].deleted:
            self._objects[key].delete()

    def _namespace_exists(self, name: str) -> bool:
        return any(
            resource.plural == "namespaces" and key_name == name and not obj.deleted
            for (resource, _ns, key_name), obj in self._objects.items()
        )

    def _refusal(self, request: Any) -> aiohttp.web.StreamResponse | None:
        """The answer of a server rule that refuses this write, if one does."""
        message = self.refusals.get((request.resource.plural, request.name))
        if message is not None:
            text = f'{request.resource.plural} "{request.name}" is invalid: {message}'
            return aiohttp.web.json_response(status_body(422, "Invalid", text), status=422)
        if self.strict_namespaces and request.namespace and not self._namespace_exists(request.namespace):
            text = f'namespaces "{request.namespace}" not found'
            return aiohttp.web.json_response(status_body(404, "NotFound", text), status=404)
        return None

    async def _patch(self, request: Any) -> aiohttp.web.StreamResponse:
        key: Key = (request.resource, request.namespace, request.name)
        ctype = (request.headers.get("Content-Type") or "").split(";")[0].strip()
        dry_run = request.params.get("dryRun") == "All"
        async with self._lock:
            refused = self._refusal(request)
            if refused is not None:
                return refused
            old = self._live(key)
            stale = self._stale_version(request, ctype, old)
            if stale is not None:
                return stale
            if ctype == APPLY:
                body = dict(request.data or {})
                base = copy.deepcopy(old) if old is not None else {}
                if key in self._applied:
                    drop_unapplied(base, copy.deepcopy(self._applied[key]), body)
                new = merge(base, body)
                if dry_run:  # validated and admitted, stored nowhere
                    return aiohttp.web.json_response(new, status=201 if old is None else 200)
                self._applied[key] = copy.deepcopy(body)
            elif old is None:
                raise kmock.KubernetesObjectNotFoundError()
            elif ctype == JSON_PATCH:
                new = jsonpatch.apply_patch(copy.deepcopy(old), request.data)
            else:
                new = merge(old, dict(request.data or {}))
            stored = self._store(key, new, old)
            self._after_write(key, stored, old)  # the controller acts after the answer is composed
        return aiohttp.web.json_response(stored, status=201 if old is None else 200)

    @staticmethod
    def _stale_version(request: Any, ctype: str, old: dict[str, Any] | None) -> aiohttp.web.StreamResponse | None:
        """A patch carrying ``metadata.resourceVersion`` is a precondition: 409 Conflict when it is stale."""
        if ctype == JSON_PATCH or not isinstance(request.data, dict) or old is None:
            return None
        sent = (request.data.get("metadata") or {}).get("resourceVersion")
        if not sent or str(sent) == str((old.get("metadata") or {}).get("resourceVersion")):
            return None
        text = (
            f'Operation cannot be fulfilled on {request.resource.plural} "{request.name}": '
            "the object has been modified; please apply your changes to the latest version and try again"
        )
        return aiohttp.web.json_response(status_body(409, "Conflict", text), status=409)

    async def _create(self, request: Any) -> aiohttp.web.StreamResponse:
        body = dict(request.data or {})
        meta = body.get("metadata") or {}
        key: Key = (request.resource, request.namespace or meta.get("namespace"), meta.get("name"))
        async with self._lock:
            old = self._live(key)
            if old is not None:
                text = f'{request.resource.plural} "{meta.get("name")}" already exists'
                return aiohttp.web.json_response(status_body(409, "AlreadyExists", text), status=409)
            stored = self._store(key, body, None)
            self._after_write(key, stored, None)
            if request.resource.plural == "pods" and self.pod_runner is not None:
                status, text = self.pod_runner(copy.deepcopy(stored))
                self.pod_logs[key[1], key[2]] = text
                self._store(key, {**copy.deepcopy(stored), "status": status}, stored)
        return aiohttp.web.json_response(stored, status=201)

    def _pod_log(self, request: Any) -> aiohttp.web.StreamResponse:
        text = self.pod_logs.get((request.namespace, request.name))
        if text is None:
            body = status_body(404, "NotFound", f'pods "{request.name}" not found')
            return aiohttp.web.json_response(body, status=404)
        tail = request.params.get("tailLines")
        if tail:
            text = "".join(text.splitlines(keepends=True)[-int(tail) :])
        return aiohttp.web.Response(text=text, content_type="text/plain")

    async def _list(self, request: Any) -> aiohttp.web.StreamResponse:
        selector = request.params.get("labelSelector", "")
        async with self._lock:
            items = [
                copy.deepcopy(dict(obj.raw))
                for (resource, ns, _name), obj in self._objects.items()
                if resource == request.resource
                and not obj.deleted
                and (request.namespace is None or ns == request.namespace)
                and selector_matches((obj.raw.get("metadata") or {}).get("labels") or {}, selector)
            ]
        items.sort(key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"].get("name", "")))
        return aiohttp.web.json_response({"metadata": {"resourceVersion": "0"}, "items": items})

    # --- side effects ----------------------------------------------------------------

    def _after_delete(self, request: Any) -> None:
        plural = request.resource.plural
        if plural == "namespaces" and request.resource.group == "":
            for key, obj in list(self._objects.items()):
                if key[1] == request.name and not obj.deleted:
                    obj.delete()
                    self._applied.pop(key, None)
            key = (request.resource, None, request.name)
            if self.namespace_linger and key in self._objects:  # still there, terminating, for a few reads
                raw = copy.deepcopy(dict(self._objects[key].last.raw))
                raw.setdefault("metadata", {})["deletionTimestamp"] = CREATED_AT
                raw["status"] = {"phase": "Terminating"}
                self._objects[key].create(raw)
                self._terminating[request.name] = self.namespace_linger
        if plural == "deployments" and self.rollout:
            self._delete_pods(request.namespace, request.name)
        self._applied.pop((request.resource, request.namespace, request.name), None)

    def _after_write(self, key: Key, stored: dict[str, Any], old: dict[str, Any] | None) -> None:
        resource, namespace, name = key
        if resource.plural != "deployments" or not self.rollout:
            return
        if old is not None and spec_part(old) == spec_part(stored):
            return
        spec = stored.get("spec") or {}
        want = int(spec.get("replicas", 1))
        ready = want if self.rollout == "ready" else 0
        status = {
            "observedGeneration": stored["metadata"]["generation"],
            "replicas": want,
            "updatedReplicas": want,
            "readyReplicas": ready,
            "availableReplicas": ready,
        }
        with_status = copy.deepcopy(stored)
        with_status["status"] = status
        self._store(key, with_status, stored)
        self._delete_pods(namespace, name)
        template = spec.get("template") or {}
        digest = hashlib.sha256(repr(template).encode()).hexdigest()[:10]
        for index in range(want):
            pod_name = f"{name}-{digest}-p{index}"
            containers = (template.get("spec") or {}).get("containers") or []
            pod = {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": pod_name,
                    "namespace": namespace,
                    "labels": {**((template.get("metadata") or {}).get("labels") or {}), "pod-template-hash": digest},
                    "ownerReferences": [{"kind": "ReplicaSet", "name": f"{name}-{digest}"}],
                },
                "spec": {**(template.get("spec") or {}), "nodeName": NODE},
                "status": {
                    "phase": "Running" if ready else "Pending",
                    "containerStatuses": [{"name": c.get("name"), "ready": bool(ready)} for c in containers],
                },
            }
            self._store((kmock.resource("", "v1", "pods"), namespace, pod_name), pod, None)

    def _delete_pods(self, namespace: str | None, deployment: str) -> None:
        for (resource, ns, _name), obj in list(self._objects.items()):
            if resource.plural != "pods" or ns != namespace or obj.deleted:
                continue
            owners = (obj.raw.get("metadata") or {}).get("ownerReferences") or []
            if any(str(o.get("name", "")).startswith(f"{deployment}-") for o in owners):
                obj.delete()


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

    def __init__(self, *, rollout: str | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.emulator: Any = None
        self.url = ""
        self._rollout = rollout
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
        emulator.setup_harness()
        emulator.rollout = self._rollout
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

    # --- test controls --------------------------------------------------------------

    @property
    def rollout(self) -> str | None:
        mode = self.call(lambda: self.emulator.rollout)
        return None if mode is None else str(mode)

    @rollout.setter
    def rollout(self, mode: str | None) -> None:
        def set_mode() -> None:
            self.emulator.rollout = mode

        self.call(set_mode)

    def inject(
        self,
        method: str,
        status: int = 0,
        *,
        times: int = 1,
        reason: str = "",
        plural: str | None = None,
        headers: dict[str, str] | None = None,
        reset: bool = False,
    ) -> None:
        """Answer the next ``times`` ``method`` requests (of ``plural``) with ``status``, or reset them."""
        fault = Fault(method.upper(), status, times, reason, plural, dict(headers or {}), reset)
        self.call(lambda: self.emulator.faults.append(fault))

    @property
    def pod_runner(self) -> Callable[[dict[str, Any]], tuple[dict[str, Any], str]] | None:
        return self.call(lambda: self.emulator.pod_runner)  # type: ignore[no-any-return]

    @pod_runner.setter
    def pod_runner(self, runner: Callable[[dict[str, Any]], tuple[dict[str, Any], str]] | None) -> None:
        def set_runner() -> None:
            self.emulator.pod_runner = runner

        self.call(set_runner)

    def refuse(self, plural: str, name: str, message: str) -> None:
        """A validation rule: every write (dry run included) of ``plural``/``name`` is answered 422 Invalid."""
        self.call(lambda: self.emulator.refusals.__setitem__((plural, name), message))

    def strict(self, *, namespaces: bool = True, linger: int = 0) -> None:
        """Refuse applies into missing namespaces; keep a deleted namespace Terminating for ``linger`` reads."""

        def set_rules() -> None:
            self.emulator.strict_namespaces = namespaces
            self.emulator.namespace_linger = linger

        self.call(set_rules)

    def clear_faults(self) -> None:
        self.call(lambda: self.emulator.faults.clear())

    @property
    def kubeconfig(self) -> bytes:
        return KUBECONFIG_TEMPLATE.format(url=self.url).encode()

    def requests(self) -> list[Any]:
        return list(self.call(lambda: list(self.emulator)))

    def kube_requests(self) -> list[Any]:
        """Requests addressed to Kubernetes resources (not discovery or ``/version``)."""
        return [r for r in self.requests() if r.resource is not None]

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

    def put(self, plural: str, obj: dict[str, Any]) -> None:
        """Store ``obj`` as if another client created it (``plural`` like ``v1/pods``)."""
        meta = obj["metadata"]

        def store() -> None:
            self.emulator.objects[plural, meta.get("namespace"), meta["name"]] = copy.deepcopy(obj)

        self.call(store)

    def set_status(self, plural: str, namespace: str | None, name: str, status: dict[str, Any]) -> None:
        def change() -> None:
            self.emulator.objects[plural, namespace, name]["status"] = status

        self.call(change)


def without_server_fields(obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` without ``resourceVersion``/``generation``/``uid``/``creationTimestamp``/``status``."""
    out = content(obj) or {}
    out.pop("status", None)
    return out


def dump(obj: Any) -> str:
    return yaml.safe_dump(obj, sort_keys=True)
