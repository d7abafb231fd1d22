"""Multi-document YAML/JSON streams: splitting, parsing and line numbers.

Splitting follows the Kubernetes ``YAMLReader`` that upstream uses (kom.md
§2.3): a line starting with ``---`` ends a chunk, a separator with nothing
before it yields no chunk, a chunk of comments still consumes an index.  A
stream whose first non-blank character is ``{`` is a sequence of JSON objects.

Chunks are parsed with PyYAML (libyaml when available) under one of two
schemas: ``KOM`` (YAML 1.1 as go-yaml v2: ``yes``/``y``/``on`` are booleans,
timestamps stay text) and ``CORE`` (YAML 1.2 core as go-yaml v3, used for
``kompoxops.yml`` and ``.kompox/config.yml``).  Every value's line is recorded
by path so errors can point at the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kompox.domain.limits import MAX_YAML_DEPTH, MAX_YAML_NODES
from kompox.kom.scalar import scalar_to_string

Path = tuple[str | int, ...]

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NODES = MAX_YAML_NODES


class Schema(Enum):
    KOM = "yaml1.1"
    CORE = "yaml1.2"


class StreamSyntaxError(ValueError):
    """The stream cannot be split or parsed; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Chunk:
    """One document of a stream: 1-based ``index`` and first ``line``; JSON chunks carry ``value``."""

    index: int
    line: int
    text: str = ""
    is_json: bool = False
    value: Any = None


@dataclass
class ParsedDocument:
    """A decoded document: plain Python values plus the line of every path."""

    value: Any
    line: int
    lines: dict[Path, int] = field(default_factory=dict)
    raw: dict[Path, str] | None = None

    def line_of(self, path: Path) -> int:
        """The line of ``path`` or of its nearest recorded ancestor."""
        probe = path
        while probe:
            found = self.lines.get(probe)
            if found is not None:
                return found
            probe = probe[:-1]
        return self.line


# --- loaders -----------------------------------------------------------------


def _yaml11_bool(loader: Any, node: ScalarNode) -> bool:
    return str(node.value).lower() in ("y", "yes", "true", "on")


def _keep_text(loader: Any, node: ScalarNode) -> str:
    return str(node.value)


class KomLoader(_BaseLoader):  # type: ignore[misc]
    """YAML 1.1 safe loader with go-yaml v2's extra ``y``/``n`` booleans; timestamps stay strings."""


KomLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"), list("yYnN"))
# go-yaml v2 also reads exponent floats without a dot (``1e7``), which PyYAML keeps as strings.
KomLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$"),
    list("-+.0123456789"),
)
KomLoader.add_constructor("tag:yaml.org,2002:bool", _yaml11_bool)
KomLoader.add_constructor("tag:yaml.org,2002:timestamp", _keep_text)


def _core_int(loader: Any, node: ScalarNode) -> int:
    text = str(node.value)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


class CoreLoader(_BaseLoader):  # type: ignore[misc]
    """YAML 1.2 core schema (go-yaml v3): only ``true``/``false`` are booleans."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML class registry


CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)
CoreLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
CoreLoader.add_constructor("tag:yaml.org,2002:int", _core_int)
CoreLoader.add_constructor("tag:yaml.org,2002:timestamp", _keep_text)

_LOADERS: dict[Schema, Any] = {Schema.KOM: KomLoader, Schema.CORE: CoreLoader}


# --- splitting ---------------------------------------------------------------


def split_stream(text: str) -> list[Chunk]:
    """Split a stream into chunks (YAML) or decoded objects (JSON)."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _split_json(text)
    chunks: list[Chunk] = []
    buf: list[str] = []
    start = 1
    index = 0
    for lineno, line in enumerate(text.splitlines(keepends=True), start=1):
        if line.startswith("---"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                raise StreamSyntaxError(f"invalid Yaml document separator: {rest}", lineno)
            if buf:
                index += 1
                chunks.append(Chunk(index, start, "".join(buf)))
                buf = []
            start = lineno + 1
            continue
        if not buf:
            start = lineno
        buf.append(line)
    if buf:
        index += 1
        chunks.append(Chunk(index, start, "".join(buf)))
    return chunks


def _split_json(text: str) -> list[Chunk]:
    decoder = json.JSONDecoder()
    chunks: list[Chunk] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return chunks
        line = text.count("\n", 0, pos) + 1
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise StreamSyntaxError(f"invalid JSON: {exc.msg}", exc.lineno) from None
        chunks.append(Chunk(len(chunks) + 1, line, is_json=True, value=value))


# --- parsing -----------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _syntax_error(exc: yaml.YAMLError, first_line: int) -> StreamSyntaxError:
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [p for p in (exc.context, exc.problem) if p]
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        column = f", column {mark.column + 1}" if mark is not None else ""
        return StreamSyntaxError(f"{_one_line(', '.join(parts))}{column}", line)
    return StreamSyntaxError(_one_line(str(exc)), first_line)


class _Builder:
    def __init__(self, loader: Any, first_line: int, schema: Schema, keep_raw: bool) -> None:
        self.loader = loader
        self.offset = first_line
        self.schema = schema
        self.lines: dict[Path, int] = {}
        self.raw: dict[Path, str] | None = {} if keep_raw else None
        self.budget = MAX_NODES

    def build(self, node: Node, path: Path) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise StreamSyntaxError(f"document expands to more than {MAX_NODES} nodes (alias bomb?)", self.offset)
        if len(path) > MAX_YAML_DEPTH:
            raise StreamSyntaxError(
                f"document nests deeper than {MAX_YAML_DEPTH} levels", node.start_mark.line + self.offset
            )
        self.lines[path] = node.start_mark.line + self.offset
        if isinstance(node, ScalarNode):
            if self.raw is not None:
                self.raw[path] = str(node.value)
            return self.loader.construct_object(node)
        if isinstance(node, SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            self.loader.flatten_mapping(node)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise StreamSyntaxError("mapping keys must be scalars", key_node.start_mark.line + self.offset)
                key_value = self.loader.construct_object(key_node)
                key = scalar_to_string(key_value) if key_value is not None else "null"
                result[str(key)] = self.build(value_node, (*path, str(key)))
            return result
        raise StreamSyntaxError(f"unsupported YAML node {type(node).__name__}", node.start_mark.line + self.offset)


def parse_chunk(chunk: Chunk, schema: Schema = Schema.KOM, *, keep_raw: bool = False) -> ParsedDocument:
    """Decode one chunk; raises :class:`StreamSyntaxError` with the file line of the problem."""
    if chunk.is_json:
        return ParsedDocument(chunk.value, chunk.line, {(): chunk.line})
    loader = _LOADERS[schema](chunk.text)
    try:
        node = loader.get_single_node()
        if node is None:
            return ParsedDocument(None, chunk.line)
        builder = _Builder(loader, chunk.line, schema, keep_raw)
        value = builder.build(node, ())
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, chunk.line) from None
    except (ValueError, TypeError, OverflowError) as exc:
        if isinstance(exc, StreamSyntaxError):
            raise
        raise StreamSyntaxError(_one_line(str(exc)), chunk.line) from None
    finally:
        loader.dispose()
    return ParsedDocument(value, chunk.line, builder.lines, builder.raw)


def parse_single(text: str, schema: Schema = Schema.CORE, *, keep_raw: bool = False) -> ParsedDocument:
    """Decode a whole single-document file (``kompoxops.yml``, ``config.yml``)."""
    return parse_chunk(Chunk(1, 1, text), schema, keep_raw=keep_raw)
