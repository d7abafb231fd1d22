"""Merging compose documents as override files (and services for ``extends``).

Rules (compose-spec "merge" section, as Docker Compose applies them to
canonical documents):

- mappings merge key by key, recursively; scalars are replaced;
- ``command``, ``entrypoint`` and ``healthcheck.test`` are replaced whole;
- ``ports``, ``volumes``, ``configs``, ``secrets``, ``env_file`` and
  ``devices`` merge by their identity (port key, mount target, path): an
  override entry with the same identity replaces the base entry in place,
  new entries are appended;
- other sequences are concatenated without duplicates;
- ``!reset`` removes the key, ``!override`` replaces the value unmerged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kompox.compose.yaml_dialect import Override, Reset

_REPLACED = {("services", "*", "command"), ("services", "*", "entrypoint"), ("services", "*", "healthcheck", "test")}


def _port_key(item: Any) -> str:
    if isinstance(item, dict):
        return f"{item.get('host_ip', '')}:{item.get('published', '')}:{item.get('target')}/{item.get('protocol')}"
    return repr(item)


def _mount_key(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("target") or item.get("source"))
    return repr(item)


def _env_file_key(item: Any) -> str:
    return str(item.get("path")) if isinstance(item, dict) else repr(item)


_INDEXERS: dict[str, Callable[[Any], str]] = {
    "ports": _port_key,
    "volumes": _mount_key,
    "configs": _mount_key,
    "secrets": _mount_key,
    "devices": _mount_key,
    "env_file": _env_file_key,
}


def _matches(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    return len(pattern) == len(path) and all(p in ("*", q) for p, q in zip(pattern, path, strict=True))


def strip(value: Any) -> Any:
    """Remove ``!reset`` entries and unwrap ``!override`` values."""
    if isinstance(value, Override):
        return strip(value.value)
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if not isinstance(v, Reset)}
    if isinstance(value, list):
        return [strip(v) for v in value if not isinstance(v, Reset)]
    return value


def merge(base: Any, override: Any, path: tuple[str, ...] = ()) -> Any:
    """``override`` applied on top of ``base`` (both canonical)."""
    if isinstance(override, Override):
        return strip(override.value)
    if any(_matches(p, path) for p in _REPLACED):
        return strip(override)
    if isinstance(base, dict) and isinstance(override, dict):
        result = dict(base)
        for key, value in override.items():
            if isinstance(value, Reset):
                result.pop(key, None)
            elif key in result:
                result[key] = merge(result[key], value, (*path, str(key)))
            else:
                result[key] = strip(value)
        return result
    if isinstance(base, list) and isinstance(override, list):
        indexer = _INDEXERS.get(path[-1]) if len(path) == 3 and path[0] == "services" else None
        return _merge_list(base, strip(override), indexer)
    return strip(override)


def _merge_list(base: list[Any], override: list[Any], indexer: Callable[[Any], str] | None) -> list[Any]:
    if indexer is None:
        result = list(base)
        for item in override:
            if item not in result:
                result.append(item)
        return result
    keyed: dict[str, Any] = {}
    order: list[str] = []
    for item in [*base, *override]:
        key = indexer(item)
        if key not in keyed:
            order.append(key)
        keyed[key] = item
    return [keyed[k] for k in order]
