"""Plays the kubelet for localpath helper pods created in kmock.

Each node is a directory under ``root``.  When a helper pod is created, the
executor finds its node (the required node affinity on ``metadata.name``)
and its ``hostPath`` volume, and runs the container's command **verbatim**
with ``sh`` — the very script text production sends — with ``ROOT`` pointing
at ``<root>/<node>/<hostPath>``, the directory the container would see at
its mount point.  The pod's status (phase, exit code) and log come from that
run.

Faults (:attr:`NodeExecutor.faults`, keyed by operation) replace the run:
``unschedulable``, ``evicted``, ``deadline``, ``pending`` (never starts) or
``image`` (image pull failure); ``full:<bytes>`` runs the script with files
capped at that size (a full disk).

A pod whose command is ``sleep`` (a held helper pod for streaming) is left
``Running``; :meth:`NodeExecutor.exec` then plays an ``exec`` into it: the
command, again verbatim, runs with ``sh`` and ``ROOT`` at the pod's node
directory, stdin and stdout streamed as binary.  ``exec_filters`` (by
operation) may rewrite the stdin bytes on the way (e.g. corrupt them).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from kompox.providers.k3s.helper_pod import CONTAINER, MOUNT
from kompox.providers.k3s.localpath_script import SCRIPT

from .script_runner import run_command


@dataclass
class HelperRun:
    node: str
    op: str
    args: list[str]
    code: int | None


@dataclass
class NodeExecutor:
    root: Path
    faults: dict[str, str] = field(default_factory=dict)
    runs: list[HelperRun] = field(default_factory=list)
    exec_filters: dict[str, Callable[[bytes], bytes]] = field(default_factory=dict)
    held: list[str] = field(default_factory=list)  # names of the sleep pods started

    def node_root(self, node: str, host_path: str) -> Path:
        return self.root / node / host_path.lstrip("/")

    def path_on(self, node: str, path: str) -> Path:
        """The file standing in for ``path`` (absolute on the node) on ``node``."""
        return self.root / node / path.lstrip("/")

    @staticmethod
    def _placement(pod: dict[str, Any]) -> tuple[str, str, list[str]]:
        spec = pod["spec"]
        terms = spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
        node = terms[0]["matchFields"][0]["values"][0]
        container = next(c for c in spec["containers"] if c["name"] == CONTAINER)
        host_path = next(v["hostPath"]["path"] for v in spec["volumes"] if v["name"] == "base")
        return node, host_path, list(container["command"])

    def exec(self, pod: dict[str, Any], argv: list[str], stdin: BinaryIO | None, stdout: BinaryIO) -> tuple[int, bytes]:
        """Run ``argv`` in the held pod ``pod`` with ``sh``; returns the exit code and stderr."""
        node, host_path, command = self._placement(pod)
        assert command[0] == "sleep" and pod["status"]["phase"] == "Running", "exec only into a running held pod"
        assert argv[:3] == ["sh", "-c", SCRIPT], "exec must run the production script verbatim"
        op = argv[4]
        data = b""
        if stdin is not None:
            chunks = []
            while chunk := os.read(stdin.fileno(), 65536):
                chunks.append(chunk)
            data = b"".join(chunks)
            data = self.exec_filters.get(op, lambda b: b)(data)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ROOT": str(self.node_root(node, host_path))}
        proc = subprocess.run(argv, env=env, input=data, capture_output=True, timeout=60, check=False)
        stdout.write(proc.stdout)
        stdout.flush()
        self.runs.append(HelperRun(node, op, argv[5:], proc.returncode))
        return proc.returncode, proc.stderr

    def __call__(self, pod: dict[str, Any]) -> tuple[dict[str, Any], str]:
        spec = pod["spec"]
        node, host_path, argv = self._placement(pod)
        container = next(c for c in spec["containers"] if c["name"] == CONTAINER)
        if argv[0] == "sleep":
            assert {"name": "ROOT", "value": MOUNT} in container["env"]
            self.node_root(node, host_path).mkdir(parents=True, exist_ok=True)
            self.held.append(pod["metadata"]["name"])
            running = {"running": {"startedAt": "2026-01-01T00:00:00Z"}}
            return {"phase": "Running", "containerStatuses": [{"name": CONTAINER, "ready": True, "state": running}]}, ""
        assert argv[:3] == ["sh", "-c", SCRIPT], "helper pods must run the production script verbatim"
        assert {"name": "ROOT", "value": MOUNT} in container["env"]
        op, args = argv[4], argv[5:]
        fault = self.faults.get(op, "")
        if fault and not fault.startswith("full:"):
            self.runs.append(HelperRun(node, op, args, None))
            return _fault_status(fault), ""
        root = self.node_root(node, host_path)
        root.mkdir(parents=True, exist_ok=True)  # hostPath type DirectoryOrCreate
        limit = int(fault.split(":", 1)[1]) if fault else None
        run = run_command(argv, root, max_file_bytes=limit)
        self.runs.append(HelperRun(node, op, args, run.code))
        terminated = {"exitCode": run.code, "reason": "Completed" if run.code == 0 else "Error"}
        status = {
            "phase": "Succeeded" if run.code == 0 else "Failed",
            "containerStatuses": [{"name": CONTAINER, "ready": False, "state": {"terminated": terminated}}],
        }
        return status, run.log


def _fault_status(fault: str) -> dict[str, Any]:
    if fault == "unschedulable":
        return {
            "phase": "Pending",
            "conditions": [
                {
                    "type": "PodScheduled",
                    "status": "False",
                    "reason": "Unschedulable",
                    "message": "0/2 nodes are available: 1 node(s) had untolerated taint",
                }
            ],
        }
    if fault == "evicted":
        return {"phase": "Failed", "reason": "Evicted", "message": "The node was low on resource: ephemeral-storage."}
    if fault == "deadline":
        return {"phase": "Failed", "reason": "DeadlineExceeded", "message": "Pod was active on the node longer than"}
    if fault == "image":
        return {
            "phase": "Pending",
            "containerStatuses": [{"name": CONTAINER, "state": {"waiting": {"reason": "ImagePullBackOff"}}}],
        }
    if fault == "pending":
        return {"phase": "Pending"}
    raise ValueError(f"unknown fault {fault}")


def fake_exec(executors: dict[str, NodeExecutor]) -> Callable[..., Any]:
    """A stand-in for ``PodAccess.exec`` (monkeypatched): the pod is read from the API server the client
    talks to (kmock), then the executor of that server (by URL) runs the command with ``sh``.

    Only the websocket transport of exec is left out (tests/kube/test_streams.py covers it).
    """
    from kompox.kube import resources as res
    from kompox.kube.streams import ExecResult
    from kompox.kube.transport import KubeAPIError

    def run(
        self: Any,
        namespace: str,
        pod: str,
        command: list[str],
        *,
        container: str = "",
        stdin: BinaryIO | None = None,
        stdout: BinaryIO,
        stderr: BinaryIO | None = None,
        **_: Any,
    ) -> ExecResult:
        assert container == CONTAINER
        obj = self.get(res.POD, pod, namespace)
        if obj is None:
            raise KubeAPIError(f'exec in pod "{pod}": pods "{pod}" not found', status_code=404)
        code, err = executors[self.configuration.host.rstrip("/")].exec(obj, list(command), stdin, stdout)
        if stderr is not None:
            stderr.write(err)
        return ExecResult(code)

    return run
