"""Pure helpers of the kmock harness: write semantics, selectors, injected faults (see ``kmock_server``)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

SERVER_FIELDS = ("resourceVersion", "generation", "uid", "creationTimestamp", "managedFields")


@dataclass
class Fault:
    method: str
    status: int
    times: int
    reason: str = ""
    plural: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    reset: bool = False

    def matches(self, request: Any) -> bool:
        if self.times <= 0 or request.method.upper() != self.method:
            return False
        plural = request.resource.plural if request.resource is not None else None
        return self.plural is None or plural == self.plural


def content(obj: dict[str, Any] | None) -> dict[str, Any] | None:
    """The object without the fields the server maintains (for change detection)."""
    if obj is None:
        return None
    out = copy.deepcopy(obj)
    meta = out.get("metadata") or {}
    for key in SERVER_FIELDS:
        meta.pop(key, None)
    return out


def spec_part(obj: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (obj or {}).items() if k not in ("metadata", "status")}


def merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Recursive dict merge; lists and scalars replace; ``None`` removes (merge-patch rules)."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def drop_unapplied(current: dict[str, Any], before: dict[str, Any], now: dict[str, Any]) -> None:
    """Remove from ``current`` the fields the manager applied ``before`` and does not apply ``now``."""
    for key, value in before.items():
        if key not in now:
            current.pop(key, None)
        elif isinstance(value, dict) and isinstance(now[key], dict) and isinstance(current.get(key), dict):
            drop_unapplied(current[key], value, now[key])


def selector_matches(labels: dict[str, str], selector: str) -> bool:
    for req in (r.strip() for r in selector.split(",") if r.strip()):
        if "!=" in req:
            k, v = req.split("!=", 1)
            if labels.get(k.strip()) == v.strip():
                return False
        elif "=" in req:
            k, v = req.replace("==", "=").split("=", 1)
            if labels.get(k.strip()) != v.strip():
                return False
        elif req.startswith("!"):
            if req[1:].strip() in labels:
                return False
        elif req not in labels:
            return False
    return True


def status_body(status: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Status",
        "metadata": {},
        "status": "Failure",
        "code": status,
        "reason": reason,
        "message": message,
    }
