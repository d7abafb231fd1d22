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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

    def node_root(self, node: str, host_path: str) -> Path:
        return self.root / node / host_path.lstrip("/")

    def path_on(self, node: str, path: str) -> Path:
        """The file standing in for ``path`` (absolute on the node) on ``node``."""
        return self.root / node / path.lstrip("/")

    def __call__(self, pod: dict[str, Any]) -> tuple[dict[str, Any], str]:
        spec = pod["spec"]
        terms = spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
        node = terms[0]["matchFields"][0]["values"][0]
        container = next(c for c in spec["containers"] if c["name"] == CONTAINER)
        argv = list(container["command"])
        assert argv[:3] == ["sh", "-c", SCRIPT], "helper pods must run the production script verbatim"
        assert {"name": "ROOT", "value": MOUNT} in container["env"]
        host_path = next(v["hostPath"]["path"] for v in spec["volumes"] if v["name"] == "base")
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
