"""The YAML dialect of compose files (converter.md §3.2.1).

Upstream reads compose text with go-yaml v3, which is YAML 1.2-like: only
``true/True/TRUE/false/False/FALSE`` are booleans (``yes``/``on`` stay
strings), integers accept ``0x``/``0o``/``0b`` prefixes, underscores and the
legacy leading-zero octal (``0444`` = 292), timestamp-looking scalars stay
strings, ``~``/``null``/empty are null.

libyaml (PyYAML's C parser, the same library the KOM loader uses) scans and
parses; a small Python composer builds the node graph (anchors, aliases,
nesting limit) with every scalar left untyped, and we construct plain Python
values ourselves so that scalar resolution follows go-yaml v3 exactly.
Merge keys (``<<``) are applied here.  The compose tags ``!reset`` and
``!override`` become :class:`Reset` / :class:`Override` wrappers that the
merge step (:mod:`kompox.compose.merge`) interprets.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from yaml.composer import Composer, ComposerError
from yaml.error import MarkedYAMLError, YAMLError
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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
    """Turns a composed node graph into plain values, sharing work for aliased nodes."""

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
            return resolve_plain(node.value) if not node.style else node.value
        if isinstance(node, SequenceNode):
            return [self.build(child) for child in node.value]
        return self._mapping(node)

    def _scalar(self, node: ScalarNode, tag: str) -> Any:
        text: str = node.value
        if not node.style and tag.startswith(_TAG) and tag[len(_TAG):] in (
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
                isinstance(key_node, ScalarNode) and not key_node.style and key_node.value == "<<"
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


try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


_SCALAR_TAG = _TAG + "str"
_SEQUENCE_TAG = _TAG + "seq"
_MAPPING_TAG = _TAG + "map"
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


class _Composer(Composer, _Parser):  # Python composition over libyaml's events
    """Node graph of a compose text: untyped scalars, re-definable anchors, nesting limited.

    Plain scalars keep the ``str`` tag (go-yaml resolution happens in :class:`_Builder`);
    an anchor defined twice refers to its latest definition (as in go-yaml); nesting
    deeper than :data:`MAX_YAML_DEPTH` is refused while composing.
    """

    def __init__(self, text: str) -> None:
        _Parser.__init__(self, text)
        Composer.__init__(self)
        self._depth = 0

    # the resolver interface the composer calls: nothing is resolved at this stage
    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return _SCALAR_TAG
        return _SEQUENCE_TAG if kind is SequenceNode else _MAPPING_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):
            alias: Any = self.get_event()
            target = self.anchors.get(alias.anchor)
            if target is None:
                raise ComposerError(None, None, f"found undefined alias {alias.anchor!r}", alias.start_mark)
            return target
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH + 1:  # the root node is at depth 0
                event: Any = self.peek_event()
                raise ConfigError(f"yaml: document nests deeper than {MAX_YAML_DEPTH} levels",
                                  line=event.start_mark.line + 1)
            anchor: Any = getattr(self.peek_event(), "anchor", None)
            if anchor is not None:
                self.anchors.pop(anchor, None)  # re-defined: the new node replaces it
            if self.check_event(ScalarEvent):
                node: Node | None = self.compose_scalar_node(anchor)
            elif self.check_event(SequenceStartEvent):
                node = self.compose_sequence_node(anchor)
            elif self.check_event(MappingStartEvent):
                node = self.compose_mapping_node(anchor)
            else:  # pragma: no cover - the parser guarantees a node here
                node = None
            if node is None:  # pragma: no cover
                raise ConfigError("yaml: unexpected event")
            if anchor is not None:
                node.anchor = anchor  # type: ignore[attr-defined]  # named in check_expansion's errors
            return node
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


def _compose_all(text: str) -> list[Node]:
    composer = _Composer(text)
    try:
        nodes: list[Node] = []
        while composer.check_node():
            node = composer.get_node()
            if node is not None:
                nodes.append(node)
        return nodes
    finally:
        composer.dispose()


def load_documents(text: str, *, file: str = "app.compose") -> list[Any]:
    """Parse every YAML document of ``text`` into plain values (empty documents are skipped)."""
    try:
        nodes = _compose_all(text)
    except YAMLError as exc:
        if isinstance(exc, MarkedYAMLError) and exc.problem == _LIBYAML_TOO_DEEP and exc.problem_mark is not None:
            # libyaml's own limit (1000) looks ahead further than the composer: same refusal, same line
            raise ConfigError(f"yaml: document nests deeper than {MAX_YAML_DEPTH} levels", file=file,
                              line=exc.problem_mark.line + 1) from None
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
