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

Speed: :class:`_Emitter` writes all documents in one pass and decides the
quoting of each distinct string once (libyaml renders the rare strings its
conservative plain check does not cover); its output is byte-identical to
``yaml.dump`` with the libyaml dumper below (property-tested), which stays
the path for anything unusual (floats, non-string keys, ``|+`` blocks).
"""

from __future__ import annotations

import re
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


class _Unsupported(Exception):
    """The fast emitter leaves this object to PyYAML (an unusual key or value type)."""


# Strings that libyaml writes plain in block context whenever the resolvers read them as strings: a
# conservative subset (no indicator first, no ``: `` / `` #``, no leading or trailing space, printable ASCII).
_SAFE = re.compile(r"[A-Za-z0-9_/][A-Za-z0-9_./=+@%~^$()-]*(?:[ :,][A-Za-z0-9_./=+@%~^$()-]+)*")
_STR_TAG = "tag:yaml.org,2002:str"
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")  # libyaml indents after these: output depends on depth
_KEY_MAX = 100  # longer keys may need the ``? key`` form: left to PyYAML


class _Emitter:
    """Block-style YAML, byte-identical to ``yaml.dump`` with :class:`_Dumper`, for dict/list/str/int/bool/None.

    Every distinct string is analysed once per call (plain, quoted, literal block); strings the
    conservative :data:`_SAFE` check does not cover are rendered once by libyaml itself.
    """

    def __init__(self) -> None:
        self.values: dict[str, str | tuple[str, list[str]]] = {}
        self.keys: dict[str, str] = {}
        self.resolver = yaml.resolver.Resolver()  # the YAML 1.1 implicit resolvers both dumpers use

    def _plain_is_str(self, text: str) -> bool:
        return bool(
            self.resolver.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG  # type: ignore[no-untyped-call]
            and isinstance(resolve_plain_scalar(text), str)
        )

    def _by_libyaml(self, data: Any) -> str:
        return str(yaml.dump({"k": data}, Dumper=_Dumper, default_flow_style=False, allow_unicode=True,
                             width=1 << 30))

    def value(self, text: str) -> str | tuple[str, list[str]]:
        """A string value: its one-line rendering, or (literal block header, content lines at indent 2)."""
        found = self.values.get(text)
        if found is not None:
            return found
        rendered: str | tuple[str, list[str]]
        if _SAFE.fullmatch(text):
            rendered = text if self._plain_is_str(text) else f"'{text}'"
        else:
            out = self._by_libyaml(text)
            head, _, rest = out.partition("\n")
            if not head.startswith("k: ") or _OTHER_BREAKS.search(out):
                raise _Unsupported(text)
            if rest:
                if head[3:4] != "|" or "+" in head:  # "|+" ends the document with "...": left to PyYAML
                    raise _Unsupported(text)
                rendered = (head[3:], rest.split("\n")[:-1])
            else:
                rendered = head[3:]
        self.values[text] = rendered
        return rendered

    def key(self, key: Any) -> str:
        found = self.keys.get(key) if type(key) is str else None
        if found is not None:
            return found
        if type(key) is not str or len(key) > _KEY_MAX:
            raise _Unsupported(key)
        if _SAFE.fullmatch(key):
            rendered = key if self._plain_is_str(key) else f"'{key}'"
        else:
            out = str(yaml.dump({key: 1}, Dumper=_Dumper, default_flow_style=False, allow_unicode=True,
                                width=1 << 30))
            if not out.endswith(": 1\n") or out.count("\n") != 1 or out.startswith("? ") or _OTHER_BREAKS.search(out):
                raise _Unsupported(key)
            rendered = out[: -len(": 1\n")]
        self.keys[key] = rendered
        return rendered

    def scalar(self, data: Any, out: list[str], indent: str) -> None:
        """Append `` <scalar>\\n`` (after a ``key:`` or ``-``); ``indent`` is the column of that key or dash."""
        kind = type(data)
        if kind is str:
            rendered = self.value(data)
            if isinstance(rendered, str):
                out.append(" " + rendered + "\n")
                return
            header, lines = rendered
            out.append(" " + header + "\n")
            for line in lines:
                out.append(indent + line + "\n" if line else "\n")
        elif kind is bool:
            out.append(" true\n" if data else " false\n")
        elif kind is int:
            out.append(f" {data}\n")
        elif data is None:
            out.append(" null\n")
        else:
            raise _Unsupported(data)

    def mapping(self, data: dict[Any, Any], out: list[str], indent: str, first_inline: bool = False) -> None:
        """Entries at column ``len(indent)``; the first written right after ``- `` when ``first_inline``."""
        keys = sorted(data, key=_sort_key)
        deeper = indent + "  "
        for index, key in enumerate(keys):
            if not (first_inline and index == 0):
                out.append(indent)
            out.append(self.key(key) + ":")
            self.node(data[key], out, indent, deeper)

    def sequence(self, data: list[Any], out: list[str], indent: str, first_inline: bool = False) -> None:
        deeper = indent + "  "
        for index, item in enumerate(data):
            if not (first_inline and index == 0):
                out.append(indent)
            out.append("-")
            kind = type(item)
            if kind is dict and item:
                out.append(" ")
                self.mapping(item, out, deeper, first_inline=True)
            elif kind is list and item:
                out.append(" ")
                self.sequence(item, out, deeper, first_inline=True)
            else:
                self.node(item, out, indent, deeper)

    def node(self, data: Any, out: list[str], indent: str, deeper: str) -> None:
        """A value after ``key:`` or ``-`` written at ``indent``."""
        kind = type(data)
        if kind is dict:
            if data:
                out.append("\n")
                self.mapping(data, out, deeper)
            else:
                out.append(" {}\n")
        elif kind is list:
            if data:
                out.append("\n")
                self.sequence(data, out, indent)  # list items start at their key's column
            else:
                out.append(" []\n")
        else:
            self.scalar(data, out, indent)

    def document(self, obj: Any) -> str:
        out: list[str] = ["---\n"]
        if type(obj) is not dict or not obj:
            raise _Unsupported(obj)
        self.mapping(obj, out, "")
        return "".join(out)


def _sort_key(key: Any) -> tuple[int, str]:
    if type(key) is not str:
        raise _Unsupported(key)
    # code point order of str equals the byte order of its UTF-8 encoding
    return (_RANK.get(key, len(_FIRST)), key)


def _reference(obj: Mapping[str, Any], dumper: type[yaml.SafeDumper]) -> str:
    text = yaml.dump(obj, Dumper=dumper, default_flow_style=False, allow_unicode=True, width=1 << 30,
                     explicit_start=False)
    return "---\n" + str(text)


def to_yaml(objects: Iterable[Mapping[str, Any]], *, pure_python: bool = False) -> str:
    """Serialise objects as ``---``-separated YAML documents.

    The fast emitter (:class:`_Emitter`) writes what libyaml would, in one pass over all
    objects; an object it does not cover is dumped by PyYAML.  ``pure_python`` uses PyYAML's
    Python emitter instead (the reference the tests compare against).
    """
    if pure_python:
        return "".join(_reference(obj, _PyDumper) for obj in objects)
    emitter = _Emitter()
    parts: list[str] = []
    for obj in objects:
        try:
            parts.append(emitter.document(obj))
        except _Unsupported:
            parts.append(_reference(obj, _Dumper))
    return "".join(parts)
