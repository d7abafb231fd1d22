"""Deterministic multi-document YAML for generated objects.

Format (same input → byte-identical text):

- every document starts with ``---`` and ends with a newline;
- in every mapping the keys ``apiVersion``, ``kind``, ``metadata``, ``name``,
  ``namespace``
  come first (in that order, when present), then all other keys in ascending
  byte order of their UTF-8 text — so an object reads apiVersion / kind /
  metadata (name, namespace, annotations, labels) / spec…;
- two-space indentation, list items indented under their key;
- strings are quoted only when YAML would otherwise read them as something
  else (``"1"``, ``"true"``, ``"None"``…); multi-line strings use the literal
  block style (``|``) when possible;
- no line folding.

Objects are emitted as given: no null stripping is needed because the
converter never produces nulls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import yaml

_FIRST = ("apiVersion", "kind", "metadata", "name", "namespace")
_RANK = {key: index for index, key in enumerate(_FIRST)}


def _key(item: tuple[Any, Any]) -> tuple[int, bytes]:
    key = str(item[0])
    return (_RANK.get(key, len(_FIRST)), key.encode("utf-8"))


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_mapping(dumper: yaml.SafeDumper, data: Mapping[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", sorted(data.items(), key=_key))


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(dict, _represent_mapping)
_Dumper.add_representer(str, _represent_str)


def to_yaml(objects: Iterable[Mapping[str, Any]]) -> str:
    """Serialise objects as ``---``-separated YAML documents."""
    parts: list[str] = []
    for obj in objects:
        text = yaml.dump(
            obj, Dumper=_Dumper, default_flow_style=False, allow_unicode=True, width=1 << 30, explicit_start=False
        )
        parts.append("---\n" + text)
    return "".join(parts)
