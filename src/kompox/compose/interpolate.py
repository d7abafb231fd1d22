"""Variable interpolation of compose values (converter.md §3.2.2).

Grammar, as Docker Compose implements it:

- ``$$`` is a literal ``$``;
- ``$NAME`` / ``${NAME}`` (``NAME`` = ``[_a-zA-Z][_a-zA-Z0-9]*``);
- ``${NAME:-d}`` / ``${NAME-d}``: default when unset-or-empty / unset;
- ``${NAME:?msg}`` / ``${NAME?msg}``: error when unset-or-empty / unset;
- ``${NAME:+a}`` / ``${NAME+a}``: ``a`` when set-and-non-empty / set;
- defaults, messages and alternatives are themselves interpolated (lazily);
  they end at the ``}`` that balances their nested ``${``;
- ``$`` followed by anything else stays literal; ``${`` that does not form a
  valid expression is an ``Invalid template`` error.

The variable source is an explicit mapping: upstream passes an empty
environment except ``COMPOSE_PROJECT_NAME``; nothing here reads the process
environment.  Unset variables become the empty string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from kompox.compose.yaml_dialect import Override, Reset
from kompox.domain.errors import ConfigError

_NAME_RE = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_BRACED_RE = re.compile(r"([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-+?])(.*))?", re.DOTALL)


class Variables(dict[str, str]):
    """A variable source that remembers the variables referenced while unset.

    Docker compose warns ``The "X" variable is not set. Defaulting to a blank
    string.`` for ``$X``/``${X}`` without a default; :attr:`unset` lists them
    in first-use order so the loader can do the same.
    """

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        super().__init__(values or {})
        self.unset: list[str] = []

    def note_unset(self, name: str) -> None:
        if name not in self.unset:
            self.unset.append(name)


def _unset(variables: Mapping[str, str], name: str) -> str:
    if isinstance(variables, Variables):
        variables.note_unset(name)
    return ""


class InterpolationError(ConfigError):
    """A template that cannot be substituted (invalid syntax or a required variable)."""


def _closing_brace(text: str, start: int) -> int:
    """Index of the ``}`` closing the ``${`` whose body starts at ``start``; -1 if none."""
    depth = 1
    i = start
    n = len(text)
    while i < n:
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        elif text.startswith("${", i):
            depth += 1
            i += 1
        i += 1
    return -1


def substitute(template: str, variables: Mapping[str, str]) -> str:
    """Substitute every variable reference in ``template``."""
    if "$" not in template:
        return template
    out: list[str] = []
    i = 0
    n = len(template)
    while i < n:
        ch = template[i]
        if ch != "$" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = template[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
            continue
        if nxt == "{":
            end = _closing_brace(template, i + 2)
            body = template[i + 2 : end] if end >= 0 else ""
            match = _BRACED_RE.fullmatch(body) if end >= 0 else None
            if match is None:
                raise InterpolationError(f'Invalid template: "{template}"')
            out.append(_expand(match.group(1), match.group(2), match.group(3), variables))
            i = end + 1
            continue
        named = _NAME_RE.match(template, i + 1)
        if named is None:
            out.append("$")
            i += 1
            continue
        value = variables.get(named.group(0))
        out.append(value if value is not None else _unset(variables, named.group(0)))
        i = named.end()
    return "".join(out)


def _expand(name: str, op: str | None, arg: str | None, variables: Mapping[str, str]) -> str:
    value = variables.get(name)
    if op is None:
        return value if value is not None else _unset(variables, name)
    rest = arg or ""
    empty_counts = op.startswith(":")
    missing = value is None or (empty_counts and value == "")
    kind = op[-1]
    if kind == "-":
        return substitute(rest, variables) if missing else (value or "")
    if kind == "+":
        return "" if missing else substitute(rest, variables)
    if missing:
        message = substitute(rest, variables)
        detail = f": {message}" if message else ""
        raise InterpolationError(f"required variable {name} is missing a value{detail}")
    return value or ""


# Values at these paths are cast after interpolation (when they are strings).
# Pattern items: a literal key, "*" (any mapping key) or "[]" (any list item).
_BOOL_TRUE = {"y", "yes", "true", "on"}
_BOOL_FALSE = {"n", "no", "false", "off"}


def _to_int(value: str) -> Any:
    try:
        return int(value, 10)
    except ValueError:
        return value


def _to_float(value: str) -> Any:
    try:
        return float(value)
    except ValueError:
        return value


def _to_bool(value: str) -> Any:
    low = value.lower()
    if low in _BOOL_TRUE:
        return True
    if low in _BOOL_FALSE:
        return False
    return value


_CASTS: list[tuple[tuple[str, ...], Callable[[str], Any]]] = [
    (("services", "*", "ports", "[]", "target"), _to_int),
    (("services", "*", "deploy", "replicas"), _to_int),
    (("services", "*", "healthcheck", "retries"), _to_int),
    (("services", "*", "healthcheck", "disable"), _to_bool),
    (("services", "*", "scale"), _to_int),
    (("services", "*", "cpus"), _to_float),
    (("services", "*", "init"), _to_bool),
    (("services", "*", "privileged"), _to_bool),
    (("services", "*", "read_only"), _to_bool),
    (("services", "*", "stdin_open"), _to_bool),
    (("services", "*", "tty"), _to_bool),
    (("services", "*", "oom_kill_disable"), _to_bool),
    (("services", "*", "volumes", "[]", "read_only"), _to_bool),
    (("services", "*", "volumes", "[]", "volume", "nocopy"), _to_bool),
    (("volumes", "*", "external"), _to_bool),
    (("networks", "*", "external"), _to_bool),
    (("networks", "*", "internal"), _to_bool),
    (("configs", "*", "external"), _to_bool),
    (("secrets", "*", "external"), _to_bool),
]


# the casts indexed by (path length, last key): most strings' paths match none, found with one lookup
_CASTS_BY_END: dict[tuple[int, str], list[tuple[tuple[str, ...], Callable[[str], Any]]]] = {}
for _pattern, _caster in _CASTS:
    if _pattern[-1] in ("*", "[]"):  # pragma: no cover - the index needs a literal last key
        raise AssertionError(f"cast pattern must end in a literal key: {_pattern}")
    _CASTS_BY_END.setdefault((len(_pattern), _pattern[-1]), []).append((_pattern, _caster))


def _cast_for(path: tuple[str, ...]) -> Callable[[str], Any] | None:
    if not path:
        return None
    for pattern, caster in _CASTS_BY_END.get((len(path), path[-1]), ()):
        if all(p == "*" or (p == "[]" and q == "[]") or p == q for p, q in zip(pattern, path, strict=True)):
            return caster
    return None


def interpolate_tree(tree: Any, variables: Mapping[str, str], *, file: str = "app.compose") -> Any:
    """Interpolate every string value of a parsed compose document (keys are left alone)."""
    return _walk(tree, (), variables, file)


def _walk(node: Any, path: tuple[str, ...], variables: Mapping[str, str], file: str) -> Any:
    if isinstance(node, str):
        try:
            value: Any = substitute(node, variables)
        except InterpolationError as exc:
            dotted = ".".join(p for p in path if p != "[]")
            raise InterpolationError(f"error while interpolating {dotted}: {exc.message}", file=file,
                                     field=dotted) from exc
        caster = _cast_for(path)
        return caster(value) if caster is not None else value
    if isinstance(node, dict):
        return {k: _walk(v, (*path, str(k)), variables, file) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk(v, (*path, "[]"), variables, file) for v in node]
    if isinstance(node, Reset):
        return Reset(_walk(node.value, path, variables, file))
    if isinstance(node, Override):
        return Override(_walk(node.value, path, variables, file))
    return node
