"""``cluster kubeconfig``: print, save or merge the cluster's kubeconfig (kube-and-ops.md §16.1, cli.md §10.4.6).

The driver's kubeconfig bytes are normalised (current context only,
certificate files inlined, optional namespace, context/cluster/user renamed to
``--context`` or ``kompoxops-<cluster>``).  Then, in order of precedence:
``--merge`` into the target file (``--kubeconfig``, else the first entry of
``$KUBECONFIG``, else ``~/.kube/config``), ``-o FILE``, or stdout (the
default, also ``-o -``).  Files are written with mode 0600 (directories 0755),
atomically; nothing else is ever written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kompox.cli.argv import UsageError
from kompox.cli.private_file import write_private
from kompox.domain.errors import ValidationError
from kompox.kube import kubeconfig_merge as kcm

FORMATS = ("yaml", "json")


@dataclass(frozen=True)
class KubeconfigRequest:
    out: str = ""
    merge: bool = False
    kubeconfig: str = ""
    context: str = ""
    namespace: str = ""
    set_current: bool = False
    force: bool = False
    output_format: str = "yaml"
    dry_run: bool = False

    def check(self) -> None:
        if self.output_format not in FORMATS:
            raise UsageError(f"invalid --format: {self.output_format} (yaml|json)")


def merge_target(explicit: str, env: Mapping[str, str]) -> Path:
    """``--kubeconfig``, else the first entry of ``$KUBECONFIG``, else ``~/.kube/config``."""
    if explicit:
        return Path(explicit).expanduser()
    first = next((p for p in env.get("KUBECONFIG", "").split(os.pathsep) if p.strip()), "")
    if first:
        return Path(first).expanduser()
    home = env.get("HOME") or str(Path.home())
    return Path(home) / ".kube" / "config"


def _load_target(path: Path, errors: TextIO) -> kcm.Doc:
    """The merge target; missing or unparsable → start empty (upstream behaviour, cli.md §10.4.6 step 4)."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    try:
        return kcm.parse(data, str(path))
    except ValidationError:
        errors.write(f"Warning: {path} is not a valid kubeconfig; starting from an empty one\n")
        return {}


def emit_kubeconfig(
    data: bytes,
    cluster_name: str,
    req: KubeconfigRequest,
    env: Mapping[str, str],
    namespace: str = "",
    *,
    out: TextIO,
    errors: TextIO,
) -> str:
    """Do what ``req`` asks with the driver's kubeconfig ``data``; returns a one-line summary for stderr."""
    name = req.context or f"kompoxops-{cluster_name}"
    entry = kcm.normalize(data, name, namespace=req.namespace or namespace)
    if req.merge:
        path = merge_target(req.kubeconfig, env)
        result = kcm.merge_entry(_load_target(path, errors), entry, force=req.force, set_current=req.set_current)
        if req.dry_run:
            out.write(result.summary() + "\n")
            return ""
        write_private(path, kcm.dump_yaml(result.doc).encode("utf-8"))
        current = " (current)" if result.current else ""
        return f"merged context {result.context}{current} into {path}"
    text = kcm.dump_json(entry) if req.output_format == "json" else kcm.dump_yaml(entry)
    if req.out and req.out != "-":
        write_private(Path(req.out), kcm.dump_yaml(entry).encode("utf-8"))
        return f"wrote kubeconfig for context {name} to {req.out}"
    out.write(text)
    return ""
