"""Go-compatible scalar formatting and YAML scalar resolution.

Upstream decodes env files with go-yaml v3 and formats numbers with Go's
``%v``; these helpers reproduce both (converter.md §3.2.1, §13.1.1).
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

_YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULLS = frozenset({"~", "null", "Null", "NULL", ""})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INF = frozenset({".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
_NEG_INF = frozenset({"-.inf", "-.Inf", "-.INF"})
_NAN = frozenset({".nan", ".NaN", ".NAN"})
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_UINT64_MAX = 2**64 - 1


class GoUint64(int):
    """An integer that go-yaml decodes as ``uint64`` (above int64 range)."""


def _go_parse_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)``-like parse without range check; None if not an integer."""
    sign = 1
    body = text
    if body[:1] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if not body:
        return None
    lower = body.lower()
    try:
        if lower.startswith("0x"):
            value = int(body[2:], 16)
        elif lower.startswith("0o"):
            value = int(body[2:], 8)
        elif lower.startswith("0b"):
            value = int(body[2:], 2)
        elif len(body) > 1 and body[0] == "0":
            value = int(body[1:], 8)
        elif body.isdigit():
            value = int(body, 10)
        else:
            return None
    except ValueError:
        return None
    if lower[:2] in ("0x", "0o", "0b") and not body[2:].isalnum():
        return None
    return sign * value


def resolve_plain_scalar(text: str) -> Any:
    """Value of a plain (unquoted, untagged) YAML scalar per go-yaml v3."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _INF:
        return math.inf
    if text in _NEG_INF:
        return -math.inf
    if text in _NAN:
        return math.nan
    first = text[0]
    if first.isdigit() or first in "+-.":
        plain = text.replace("_", "")
        value = _go_parse_int(plain)
        if value is not None:
            if _INT64_MIN <= value <= _INT64_MAX:
                return value
            if 0 <= value <= _UINT64_MAX:
                return GoUint64(value)
        if _YAML_FLOAT.match(plain):
            return float(plain)
    return text


def _to_value(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and not node.tag.startswith("!") and node.tag.endswith(":str"):
            return resolve_plain_scalar(node.value)
        if node.tag.endswith(":null"):
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_to_value(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(_to_value(k)): _to_value(v) for k, v in node.value}
    raise ValueError(f"unsupported YAML node {node.tag}")


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader without implicit resolvers: every plain scalar composes as ``str``."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012


def load_yaml_go(text: str | bytes) -> Any:
    """Load one YAML document with go-yaml v3 scalar semantics; ``None`` for an empty document."""
    node = yaml.compose(text, Loader=_PlainLoader)
    if node is None:
        return None
    return _to_value(node)


def go_type_name(value: Any) -> str:
    """Go type name that go-yaml / encoding/json would give ``value`` (for error messages)."""
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, GoUint64):
        return "uint64"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    return type(value).__name__
