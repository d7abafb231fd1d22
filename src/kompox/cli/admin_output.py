"""Admin output: resources as upstream's Go structs print them (PascalCase field names) or as stored YAML."""

from __future__ import annotations

import dataclasses
from typing import Any

SPECIAL = {"id": "ID", "ref_base": "RefBase", "from_": "From"}
LAST = ("RefBase",)


def go_name(field: str) -> str:
    if field in SPECIAL:
        return SPECIAL[field]
    parts = field.rstrip("_").split("_")
    return "".join("ID" if p == "id" else p[:1].upper() + p[1:] for p in parts)


def go_fields(value: Any) -> Any:
    """Dataclasses → dicts with Go field names in declaration order; empty lists/maps print as ``null`` (Go nil)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            out[go_name(f.name)] = go_fields(getattr(value, f.name))
        for key in LAST:
            if key in out:
                out[key] = out.pop(key)
        return out
    if isinstance(value, list):
        return [go_fields(v) for v in value] if value else None
    if isinstance(value, dict):
        return {k: go_fields(v) for k, v in value.items()} if value else None
    return value


def yaml_stream(documents: list[bytes]) -> bytes:
    """Stored documents as one YAML stream: each verbatim, separated by ``---`` lines."""
    out = b""
    for i, doc in enumerate(documents):
        if i:
            out += b"---\n"
        out += doc if doc.endswith(b"\n") or not doc else doc + b"\n"
    return out
