"""Pure helpers over pod and object dicts: selection rules and label selectors.

Pod rules follow kube-and-ops.md §7; "ready" means at least one container
status is ready (or, when a container name is given, that container is ready).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from kompox.domain.errors import ValidationError

Obj = Mapping[str, Any]


def is_terminating(pod: Obj) -> bool:
    return bool((pod.get("metadata") or {}).get("deletionTimestamp"))


def phase(pod: Obj) -> str:
    return str((pod.get("status") or {}).get("phase", ""))


def is_ready(pod: Obj, container: str = "") -> bool:
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        if container and status.get("name") != container:
            continue
        if status.get("ready"):
            return True
    return False


def select_exec_pod(pods: Sequence[Obj], *, container: str = "", fallback_first: bool = True) -> Obj | None:
    """``app exec`` / ``box exec`` rule (kube-and-ops.md §7).

    Among pods not being deleted, the last ready one (readiness of ``container``
    when given, as for ``box``); else the first pod not being deleted; else,
    with ``fallback_first``, the first listed pod.
    """
    alive = [p for p in pods if not is_terminating(p)]
    ready = [p for p in alive if is_ready(p, container)]
    if ready:
        return ready[-1]
    if alive:
        return alive[0]
    if fallback_first and pods:
        return pods[0]
    return None


def select_logs_pod(pods: Sequence[Obj], *, container: str = "") -> Obj | None:
    """``app logs`` rule: the last ready non-terminating pod, else the first listed pod."""
    alive = [p for p in pods if not is_terminating(p)]
    ready = [p for p in alive if is_ready(p, container)]
    if ready:
        return ready[-1]
    return pods[0] if pods else None


def select_tunnel_pod(pods: Sequence[Obj]) -> Obj | None:
    """ "Find pod" rule (tunnel, box ssh): first ready non-terminating pod, else the first
    non-terminating pod not Failed/Succeeded, else the first listed pod."""
    alive = [p for p in pods if not is_terminating(p)]
    for pod in alive:
        if is_ready(pod):
            return pod
    for pod in alive:
        if phase(pod) not in ("Failed", "Succeeded"):
            return pod
    return pods[0] if pods else None


def select_status_pod(pods: Sequence[Obj]) -> Obj | None:
    """``app status`` / ``box status``: the first pod not being deleted."""
    for pod in pods:
        if not is_terminating(pod):
            return pod
    return None


# --- label selectors -----------------------------------------------------------

_SET_RE = re.compile(r"^\s*([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")


def _split_requirements(selector: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in selector:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def matches_selector(labels: Mapping[str, str] | None, selector: str) -> bool:
    """Whether ``labels`` satisfy a label selector string (``=``, ``==``, ``!=``, ``in``, ``notin``, ``k``, ``!k``).

    The API server filters lists by selector; the client checks again before
    deleting anything, so a server or proxy that ignored the selector can never
    make Kompox delete objects outside it.
    """
    labels = labels or {}
    for req in _split_requirements(selector):
        set_match = _SET_RE.match(req)
        if set_match:
            key, op, values_text = set_match.groups()
            values = {v.strip() for v in values_text.split(",") if v.strip()}
            if op == "in" and labels.get(key) not in values:
                return False
            if op == "notin" and key in labels and labels[key] in values:
                return False
            continue
        if "!=" in req:
            key, value = (s.strip() for s in req.split("!=", 1))
            if key in labels and labels[key] == value:
                return False
        elif "==" in req or "=" in req:
            key, value = (s.strip() for s in req.replace("==", "=", 1).split("=", 1))
            if labels.get(key) != value:
                return False
        elif req.startswith("!"):
            if req[1:].strip() in labels:
                return False
        elif req not in labels:
            return False
    return True


def format_selector(labels: Mapping[str, str]) -> str:
    """``k1=v1,k2=v2`` with keys sorted (the string form upstream uses)."""
    if not labels:
        raise ValidationError("label selector must not be empty")
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))
