"""Short-lived helper pods that run the localpath script on one node.

:meth:`HelperPods.run` creates a pod pinned to the node (required node
affinity on the node's name), mounting the node's base path at
:data:`MOUNT` and running :data:`~kompox.providers.k3s.localpath_script.SCRIPT`;
it waits for the pod to finish, reads its log, and deletes the pod whatever
happened.  A pod that fails is reported with its phase, reason, exit code and
the last lines of its log:

* the script's exit code chooses the error type (checksum mismatch →
  :class:`DataCorruptError`; target exists → :class:`VolumeConflictError`; the rest
  → :class:`HelperFailedError`);
* a pod that stays unschedulable for :attr:`HelperSettings.schedule_grace`
  seconds, is evicted, or outlives its deadline → :class:`HelperFailedError`.

:meth:`HelperPods.hold` keeps a pod of the same shape running (``sleep``)
for streaming operations: the caller runs the script in it with
:meth:`HelperPods.exec` (stdin/stdout are the data), and the pod is deleted
when the ``with`` block ends, also on failure.
"""

from __future__ import annotations

import contextlib
import io
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from kompox.domain.errors import DataCorruptError, HelperFailedError, KompoxError, VolumeConflictError
from kompox.domain.naming import new_compact_id
from kompox.providers.k3s.localpath_script import ScriptExit, command, parse_result

if TYPE_CHECKING:
    from kompox.kube.client import KubeClient

log = logging.getLogger("kompox.providers.k3s")

MOUNT = "/kompox"
CONTAINER = "helper"
LABEL_HELPER = "kompox.dev/localpath-helper"
LABEL_MANAGED_BY = "app.kubernetes.io/managed-by"
LOG_TAIL = 20
POLL_INTERVAL = 1.0


@dataclass(frozen=True)
class HelperSettings:
    namespace: str
    image: str
    timeout: float  # seconds a helper pod may run (also its activeDeadlineSeconds)
    schedule_grace: float = 60.0  # seconds a pod may stay unschedulable before the run fails


@dataclass(frozen=True)
class HelperResult:
    values: dict[str, str]
    log: str


def pod_manifest(
    name: str,
    settings: HelperSettings,
    node: str,
    base_path: str,
    op: str,
    args: list[str],
    *,
    argv: list[str] | None = None,
) -> dict[str, Any]:
    """The helper pod: one container running the script (or ``argv``), the node's ``base_path`` at :data:`MOUNT`."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": settings.namespace,
            "labels": {LABEL_MANAGED_BY: "kompox", LABEL_HELPER: op},
        },
        "spec": {
            "restartPolicy": "Never",
            "activeDeadlineSeconds": max(1, int(settings.timeout)),
            "automountServiceAccountToken": False,
            "affinity": {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                        "nodeSelectorTerms": [
                            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}
                        ]
                    }
                }
            },
            "tolerations": [{"operator": "Exists", "effect": "NoSchedule"}],
            "containers": [
                {
                    "name": CONTAINER,
                    "image": settings.image,
                    "command": argv if argv is not None else command(op, *args),
                    "env": [{"name": "ROOT", "value": MOUNT}],
                    "volumeMounts": [{"name": "base", "mountPath": MOUNT}],
                }
            ],
            "volumes": [{"name": "base", "hostPath": {"path": base_path, "type": "DirectoryOrCreate"}}],
        },
    }


def _terminated(pod: dict[str, Any]) -> dict[str, Any]:
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        if status.get("name") == CONTAINER:
            state = status.get("state") or {}
            return dict(state.get("terminated") or {})
    return {}


def _waiting_reason(pod: dict[str, Any]) -> str:
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        waiting = (status.get("state") or {}).get("waiting") or {}
        if waiting.get("reason"):
            return str(waiting["reason"])
    return ""


def _unschedulable(pod: dict[str, Any]) -> str:
    """The scheduler's message when the pod is unschedulable, else ``""``."""
    for cond in (pod.get("status") or {}).get("conditions") or []:
        unscheduled = cond.get("type") == "PodScheduled" and cond.get("status") == "False"
        if unscheduled and cond.get("reason") == "Unschedulable":
            return str(cond.get("message") or "unschedulable")
    return ""


def _by_code(code: object, detail: str) -> KompoxError:
    """The error type of the script's exit ``code``."""
    if code == ScriptExit.CHECKSUM:
        return DataCorruptError(detail)
    if code == ScriptExit.EXISTS:
        return VolumeConflictError(detail)
    return HelperFailedError(detail)


_IMAGE_FAILURES = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError")


class HelperPods:
    """Runs helper pods through ``kube``; ``sleep``/``clock`` are injectable for tests."""

    def __init__(
        self,
        kube: KubeClient,
        settings: HelperSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self._kube = kube
        self._settings = settings
        self._sleep = sleep
        self._clock = clock
        self._progress = progress

    def _start(
        self, verb: str, node: str, base_path: str, op: str, args: list[str], *, argv: list[str] | None = None
    ) -> tuple[str, str]:
        """Create a helper pod for ``op`` on ``node`` (logged and reported as ``verb``); ``(name, description)``."""
        from kompox.kube import resources as res

        ns = self._settings.namespace
        name = f"kompox-localpath-{op}-{new_compact_id()}"
        body = pod_manifest(name, self._settings, node, base_path, op, args, argv=argv)
        what = f"helper pod {ns}/{name} ({op} on node {node})"
        log.info("%s %s", verb, what)
        if self._progress is not None:
            self._progress(f"{verb} {what}")
        self._kube.create(res.POD, body, ns)
        return name, what

    def run(self, node: str, base_path: str, op: str, *args: str) -> HelperResult:
        """Run ``op`` on ``node``; returns the ``KOMPOX-RESULT`` values.  The pod is always deleted."""
        name, what = self._start("running", node, base_path, op, list(args))
        try:
            pod = self._wait(name, what)
            text = self._log(name)
            if (pod.get("status") or {}).get("phase") == "Succeeded":
                return HelperResult(parse_result(text), text)
            raise self._failure(pod, what, text)
        finally:
            self._delete(name)

    @contextlib.contextmanager
    def hold(self, node: str, base_path: str, op: str) -> Iterator[str]:
        """A running helper pod on ``node`` (``sleep`` for the timeout) to :meth:`exec` in; deleted at the end."""
        argv = ["sleep", str(max(1, int(self._settings.timeout)))]
        name, what = self._start("starting", node, base_path, op, [], argv=argv)
        try:
            pod = self._wait(name, what, until="Running")
            if (pod.get("status") or {}).get("phase") != "Running":
                raise self._failure(pod, what, self._log(name))
            yield name
        finally:
            self._delete(name)

    def exec(
        self, name: str, node: str, op: str, *args: str, stdin: BinaryIO | None = None, stdout: BinaryIO
    ) -> None:
        """Run the script's ``op`` in the held pod ``name``; a non-zero exit raises the script's error type."""
        ns = self._settings.namespace
        err = io.BytesIO()
        result = self._kube.exec(
            ns, name, command(op, *args), container=CONTAINER, stdin=stdin, stdout=stdout, stderr=err
        )
        if result.exit_code == 0:
            return
        tail = [line for line in err.getvalue().decode("utf-8", "replace").splitlines() if line.strip()][-LOG_TAIL:]
        detail = f"{op} in helper pod {ns}/{name} on node {node} failed (exit code {result.exit_code})"
        if tail:
            detail += ": " + " | ".join(tail)
        raise _by_code(result.exit_code, detail)

    def abort(self, name: str) -> None:
        """Delete a held pod now (ends an exec still running in it; :meth:`hold` deletes it again, harmlessly)."""
        self._delete(name)

    def _wait(self, name: str, what: str, until: str = "") -> dict[str, Any]:
        from kompox.kube import resources as res

        ns = self._settings.namespace
        start = self._clock()
        unschedulable_since: float | None = None
        while True:
            pod = self._kube.get(res.POD, name, ns)
            if pod is None:
                raise HelperFailedError(f"{what}: the pod disappeared before it finished")
            status = pod.get("status") or {}
            phase = str(status.get("phase") or "Pending")
            if phase in ("Succeeded", "Failed") or (until and phase == until):
                return pod
            now = self._clock()
            waiting = _waiting_reason(pod)
            if waiting in _IMAGE_FAILURES:
                raise HelperFailedError(
                    f"{what}: phase {phase}, container waiting ({waiting}); check the image "
                    f"{self._settings.image!r} (cluster setting LOCALPATH_HELPER_IMAGE)"
                )
            reason = _unschedulable(pod)
            if reason:
                unschedulable_since = now if unschedulable_since is None else unschedulable_since
                if now - unschedulable_since >= self._settings.schedule_grace:
                    raise HelperFailedError(f"{what}: cannot be scheduled: {reason}")
            else:
                unschedulable_since = None
            if now - start >= self._settings.timeout:
                raise HelperFailedError(
                    f"{what}: did not finish within {self._settings.timeout:g}s (phase {phase}"
                    + (f", {waiting}" if waiting else "")
                    + ")"
                )
            self._sleep(POLL_INTERVAL)

    def _log(self, name: str) -> str:
        buf = io.BytesIO()
        try:
            self._kube.stream_logs(self._settings.namespace, name, buf, container=CONTAINER, tail_lines=200)
        except KompoxError as err:
            log.warning("helper pod %s: cannot read its log: %s", name, err)
        return buf.getvalue().decode("utf-8", "replace")

    def _failure(self, pod: dict[str, Any], what: str, text: str) -> KompoxError:
        status = pod.get("status") or {}
        phase = str(status.get("phase") or "")
        term = _terminated(pod)
        code = term.get("exitCode")
        reason = str(status.get("reason") or term.get("reason") or "")
        message = str(status.get("message") or term.get("message") or "")
        tail = [line for line in text.splitlines() if line.strip()][-LOG_TAIL:]
        parts = [f"phase {phase or 'unknown'}"]
        if reason:
            parts.append(f"reason {reason}")
        if code is not None:
            parts.append(f"exit code {code}")
        if message:
            parts.append(message)
        detail = f"{what} failed ({', '.join(parts)})"
        if tail:
            detail += "; last log lines: " + " | ".join(tail)
        return _by_code(code, detail)

    def _delete(self, name: str) -> None:
        from kompox.kube import resources as res

        try:
            self._kube.delete(res.POD, name, self._settings.namespace)
        except KompoxError as err:
            log.warning("helper pod %s/%s not deleted: %s", self._settings.namespace, name, err)
