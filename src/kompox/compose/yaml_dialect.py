"""The YAML dialect of compose files (converter.md §3.2.1).

Upstream reads compose text with go-yaml v3, which is YAML 1.2-like: only
``true/True/TRUE/false/False/FALSE`` are booleans (``yes``/``on`` stay
strings), integers accept ``0x``/``0o``/``0b`` prefixes, underscores and the
legacy leading-zero octal (``0444`` = 292), timestamp-looking scalars stay
strings, ``~``/``null``/empty are null.

We let ruamel.yaml build the node graph (anchors, aliases) and construct
plain Python values ourselves so that scalar resolution follows go-yaml v3
exactly.  Merge keys (``<<``) are applied here.  The compose tags ``!reset``
and ``!override`` become :class:`Reset` / :class:`Override` wrappers that the
merge step (:mod:`kompox.compose.merge`) interprets.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kompox.domain.errors import ConfigError
from kompox.domain.limits import MAX_YAML_DEPTH, MAX_YAML_NODES

_TAG = "tag:yaml.org,2002:"
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}
_NEG_INF = {"-.inf", "-.Inf", "-.INF"}
_NAN = {".nan", ".NaN", ".NAN"}
_INT64_MIN = -(2**63)
_UINT64_MAX = 2**64 - 1


@dataclass(frozen=True)
class Reset:
    """A value tagged ``!reset``: removes the key from the merged result."""

    value: Any


@dataclass(frozen=True)
class Override:
    """A value tagged ``!override``: replaces instead of merging."""

    value: Any


def go_parse_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)`` (falling back to uint64) as go-yaml v3 uses it; ``None`` if not an int."""
    s = text
    sign = 1
    if s[:1] in "+-":
        if s[0] == "-":
            sign = -1
        s = s[1:]
    if not s:
        return None
    base = 10
    digits = s
    prefixed = False
    low = s[:2].lower()
    if low in ("0x", "0o", "0b"):
        base = {"0x": 16, "0o": 8, "0b": 2}[low]
        digits = s[2:]
        prefixed = True
    elif len(s) > 1 and s[0] == "0":
        base = 8
        digits = s[1:]
        prefixed = True
    if "_" in digits or (prefixed and digits.startswith("_")):
        # Go allows underscores only with base prefix 0 and only between digits.
        if not re.fullmatch(r"_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*", digits) or (not prefixed and digits.startswith("_")):
            return None
        digits = digits.replace("_", "")
    if not digits:
        return None
    try:
        value = sign * int(digits, base)
    except ValueError:
        return None
    if value < _INT64_MIN or value > _UINT64_MAX:
        return None
    return value


def resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar the way go-yaml v3 does into ``interface{}``."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if first in "+-.0123456789":
        if text in _INF:
            return math.inf
        if text in _NEG_INF:
            return -math.inf
        if text in _NAN:
            return math.nan
        as_int = go_parse_int(text)
        if as_int is not None:
            return as_int
        if _FLOAT_RE.match(text):
            return float(text)
    return text


class _Builder:
    """Turns a ruamel node graph into plain values, sharing work for aliased nodes."""

    def __init__(self) -> None:
        self._done: dict[int, Any] = {}

    def build(self, node: Node) -> Any:
        key = id(node)
        if key in self._done:
            return self._done[key]
        value = self._build(node)
        self._done[key] = value
        return value

    def _build(self, node: Node) -> Any:
        tag = str(node.tag)
        if tag in ("!reset", "!override"):
            inner = self._untagged(node)
            return Reset(inner) if tag == "!reset" else Override(inner)
        if isinstance(node, ScalarNode):
            return self._scalar(node, tag)
        if isinstance(node, SequenceNode):
            return [self.build(child) for child in node.value]
        if isinstance(node, MappingNode):
            return self._mapping(node)
        raise ConfigError(f"unsupported YAML node {type(node).__name__}")  # pragma: no cover

    def _untagged(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            return resolve_plain(node.value) if node.style is None else node.value
        if isinstance(node, SequenceNode):
            return [self.build(child) for child in node.value]
        return self._mapping(node)

    def _scalar(self, node: ScalarNode, tag: str) -> Any:
        text: str = node.value
        if node.style is None and tag.startswith(_TAG) and tag[len(_TAG):] in (
            "str", "int", "float", "bool", "null", "timestamp",
        ):
            return resolve_plain(text)
        if tag == _TAG + "int":
            parsed = go_parse_int(text)
            if parsed is None:
                raise ConfigError(f"cannot decode !!int {text!r}")
            return parsed
        if tag == _TAG + "float":
            return float(text)
        if tag == _TAG + "bool":
            return text in _TRUE
        if tag == _TAG + "null":
            return None
        return text

    def _mapping(self, node: Node) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if str(key_node.tag) == _TAG + "merge" or (
                isinstance(key_node, ScalarNode) and key_node.style is None and key_node.value == "<<"
            ):
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for source in sources:
                    built = self.build(source)
                    if not isinstance(built, dict):
                        raise ConfigError("map merge requires map or sequence of maps as the value")
                    for k, v in built.items():
                        merged.setdefault(k, v)
                continue
            key = self.build(key_node)
            if isinstance(key, list | dict):
                raise ConfigError("invalid map key: a key must be a scalar")
            if key in result:
                raise ConfigError(f"mapping key {key!r} already defined")
            result[key] = self.build(value_node)
        for k, v in merged.items():
            result.setdefault(k, v)
        return result


class _DepthLimitedComposer(Composer):
    """ruamel's composer, refusing nesting deeper than :data:`MAX_YAML_DEPTH` (its recursion has no limit)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH + 1:  # the root node is at depth 0
                line = self.parser.peek_event().start_mark.line + 1
                raise ConfigError(f"yaml: document nests deeper than {MAX_YAML_DEPTH} levels", line=line)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def check_expansion(root: Node) -> None:
    """Refuse a node graph that expands to more than :data:`MAX_YAML_NODES` nodes or whose alias contains itself.

    Aliases are shared nodes, so the graph itself is small; but every later
    step (interpolation, schema, merge) walks the expanded tree, so an alias
    bomb is refused here by counting each node once per use.  Sizes of shared
    nodes are memoised, keeping this check linear in the graph.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        known = sizes.get(key)
        if known is not None:
            return known
        if key in active:
            anchor = getattr(node, "anchor", None)
            name = f' "{anchor}"' if isinstance(anchor, str) else ""
            raise ConfigError(f"yaml: anchor{name} value contains itself")
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                total += size(child)
                if total > MAX_YAML_NODES:
                    break
        elif isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                total += size(key_node) + size(value_node)
                if total > MAX_YAML_NODES:
                    break
        active.discard(key)
        if total > MAX_YAML_NODES:
            raise ConfigError(f"yaml: document expands to more than {MAX_YAML_NODES} nodes (alias bomb?)")
        sizes[key] = total
        return total

    size(root)


def load_documents(text: str, *, file: str = "app.compose") -> list[Any]:
    """Parse every YAML document of ``text`` into plain values (empty documents are skipped)."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _DepthLimitedComposer
    try:
        nodes = [n for n in yaml.compose_all(text) if n is not None]
    except YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise ConfigError(f"yaml: {detail}", file=file) from exc
    except ConfigError as exc:
        raise ConfigError(exc.message, file=file, line=exc.line) from None
    documents: list[Any] = []
    for node in nodes:
        try:
            check_expansion(node)
            documents.append(_Builder().build(node))
        except ConfigError as exc:
            raise ConfigError(exc.message, file=file) from exc
    return documents
