"""Deterministic multi-document YAML for generated objects.

Format (same input → byte-identical text):

- every document starts with ``---`` and ends with a newline;
- in every mapping the keys ``apiVersion``, ``kind``, ``metadata``, ``name``,
  ``namespace``
  come first (in that order, when present), then all other keys in ascending
  byte order of their UTF-8 text — so an object reads apiVersion / kind /
  metadata (name, namespace, annotations, labels) / spec…;
- two-space indentation; list items start at their key's column
  (``key:`` / ``- item``, the libyaml default);
- strings are quoted only when a YAML 1.1 or a YAML 1.2 / go-yaml reader
  would otherwise read them as something else (``'1'``, ``'true'``, ``'yes'``,
  ``'0o17'``, ``'1e5'``…); multi-line strings use the literal
  block style (``|``) when possible;
- no line folding.

Objects are emitted as given: no null stripping is needed because the
converter never produces nulls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from kompox.kube.convert.go_format import resolve_plain_scalar

_FIRST = ("apiVersion", "kind", "metadata", "name", "namespace")
_RANK = {key: index for index, key in enumerate(_FIRST)}


def _key(item: tuple[Any, Any]) -> tuple[int, bytes]:
    key = str(item[0])
    return (_RANK.get(key, len(_FIRST)), key.encode("utf-8"))


_BASE: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _PyDumper(yaml.SafeDumper):
    """Pure-Python emitter; produces the same text as the libyaml one."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _Dumper(_BASE):  # type: ignore[valid-type,misc]
    """libyaml emitter when available (about 3x faster), else the Python one."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_mapping(dumper: yaml.SafeDumper, data: Mapping[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", sorted(data.items(), key=_key))


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    if data and not isinstance(resolve_plain_scalar(data), str):
        # A YAML 1.2 / Go reader would take it for a number, bool or null
        # (``0o17``, ``1e5``, ``0x1F``) although YAML 1.1 would not: quote it.
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


for _dumper in (_Dumper, _PyDumper):
    _dumper.add_representer(dict, _represent_mapping)
    _dumper.add_representer(str, _represent_str)


def to_yaml(objects: Iterable[Mapping[str, Any]], *, pure_python: bool = False) -> str:
    """Serialise objects as ``---``-separated YAML documents.

    ``pure_python`` forces the Python emitter (tests check both give the same text).
    """
    dumper = _PyDumper if pure_python else _Dumper
    parts: list[str] = []
    for obj in objects:
        text = yaml.dump(
            obj, Dumper=dumper, default_flow_style=False, allow_unicode=True, width=1 << 30, explicit_start=False
        )
        parts.append("---\n" + text)
    return "".join(parts)
