"""KOM documents: one file's bytes → envelope-checked, spec-decoded documents (kom.md §2).

Per-document problems never stop the file; they are collected as located
:class:`ConfigError` values (file, line, ``document N (Kind/name)``, field).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kompox.domain.errors import ConfigError, ValidationError
from kompox.kom.kinds import KINDS, SPECS, decode, format_path
from kompox.kom.resource_id import (
    DOC_INDEX_ANNOTATION,
    DOC_PATH_ANNOTATION,
    ID_ANNOTATION,
    KIND_DEFAULTS,
    ResourceID,
    ResourceIDError,
    quote,
    validate_resource_id,
)
from kompox.kom.scalar import json_kind
from kompox.kom.yaml_stream import ParsedDocument, Path, Schema, StreamSyntaxError, parse_chunk, split_stream

API_GROUP = "ops.kompox.dev"
API_VERSION = f"{API_GROUP}/v1alpha1"
ENVELOPE_FIELDS = ("apiVersion", "kind", "metadata", "spec", "status")
ID_FIELD: Path = ("metadata", "annotations", ID_ANNOTATION)


@dataclass
class KomDocument:
    """One accepted Kompox document with its origin."""

    kind: str
    name: str
    spec: dict[str, Any]
    path: str
    index: int
    parsed: ParsedDocument
    id: str = ""
    rid: ResourceID | None = None
    annotations: dict[str, str] = field(default_factory=dict)
    from_app_file: bool = False

    @property
    def label(self) -> str:
        return f"document {self.index} ({self.kind}/{self.name})"

    @property
    def line(self) -> int:
        return self.parsed.line

    def error(self, message: str, path: Path = ()) -> ConfigError:
        """A :class:`ConfigError` located at ``path`` (e.g. ``("spec", "volumes", 0)``) of this document."""
        return ConfigError(
            message,
            file=self.path,
            line=self.parsed.line_of(path) if path else self.parsed.line,
            document=self.label,
            field=format_path(path) or None,
        )


@dataclass
class FileLoad:
    """What one file yielded: documents, located errors and warnings."""

    documents: list[KomDocument] = field(default_factory=list)
    errors: list[ValidationError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chunk_count: int = 0


def decode_text(path: str, data: bytes) -> tuple[str | None, ConfigError | None]:
    """UTF-8 text of a file (a leading BOM is dropped) or a located error naming the bad byte."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1].hex()
        return None, ConfigError(
            f"file is not valid UTF-8 (byte 0x{bad} at offset {exc.start}); KOM files must be UTF-8 text",
            file=path,
            line=line,
        )


def load_documents(path: str, data: bytes) -> FileLoad:
    """Split, parse and check every document of one file (kom.md §2.3)."""
    result = FileLoad()
    text, err = decode_text(path, data)
    if err is not None or text is None:
        result.errors.append(err or ConfigError("unreadable file", file=path))
        return result
    try:
        chunks = split_stream(text)
    except StreamSyntaxError as exc:
        result.errors.append(ConfigError(f"YAML syntax error: {exc.message}", file=path, line=exc.line))
        return result
    result.chunk_count = len(chunks)
    for chunk in chunks:
        label = f"document {chunk.index}"
        try:
            parsed = parse_chunk(chunk, Schema.KOM)
        except StreamSyntaxError as exc:
            result.errors.append(
                ConfigError(f"YAML syntax error: {exc.message}", file=path, line=exc.line, document=label)
            )
            continue
        _check_document(path, chunk.index, parsed, result)
    return result


def _check_document(path: str, index: int, parsed: ParsedDocument, result: FileLoad) -> None:
    value = parsed.value
    label = f"document {index}"

    def fail(message: str, at: Path = (), doc_label: str = label) -> None:
        result.errors.append(
            ConfigError(
                message,
                file=path,
                line=parsed.line_of(at),
                document=doc_label,
                field=format_path(at) or None,
            )
        )

    if value is None or value == {}:
        return
    if not isinstance(value, dict):
        fail(f"a document must be a mapping with apiVersion, kind, metadata and spec, got {json_kind(value)}")
        return
    api_version, kind = value.get("apiVersion"), value.get("kind")
    if not isinstance(api_version, str):
        fail(f"missing or invalid apiVersion (must be a string; Kompox documents use {API_VERSION})", ("apiVersion",))
        return
    if not isinstance(kind, str):
        fail(f"missing or invalid kind (must be a string, one of: {', '.join(KINDS)})", ("kind",))
        return
    if api_version != API_VERSION:
        if api_version.split("/", 1)[0] == API_GROUP:
            fail(f"unsupported apiVersion {quote(api_version)} (allowed: {API_VERSION})", ("apiVersion",))
        elif kind in KINDS:
            result.warnings.append(
                f"{path}:{parsed.line}: {label}: kind {kind} with apiVersion {quote(api_version)} skipped "
                f"(Kompox documents use {API_VERSION})"
            )
        return
    metadata = value.get("metadata")
    if not isinstance(metadata, dict):
        fail("missing or invalid metadata (must be a mapping with name and annotations)", ("metadata",))
        return
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        fail("missing or invalid metadata.name (must be a non-empty string)", ("metadata", "name"))
        return
    doc_label = f"document {index} ({kind}/{name})"
    if kind not in SPECS:
        fail(f"unknown kind {quote(kind)} (allowed: {', '.join(KINDS)})", ("kind",), doc_label)
        return
    raw_annotations = metadata.get("annotations")
    annotations: dict[str, str] = {}
    if isinstance(raw_annotations, dict):
        annotations = {k: v for k, v in raw_annotations.items() if isinstance(v, str)}
    elif raw_annotations is not None:
        fail("metadata.annotations must be a mapping of strings", ("metadata", "annotations"), doc_label)
        return
    annotations[DOC_PATH_ANNOTATION] = path
    annotations[DOC_INDEX_ANNOTATION] = str(index)
    doc = KomDocument(kind, name, {}, path, index, parsed, annotations=annotations)
    ok = True
    if kind != KIND_DEFAULTS:
        rid_text = annotations.get(ID_ANNOTATION)
        if not rid_text:
            result.errors.append(doc.error(f"missing required annotation {quote(ID_ANNOTATION)}", ("metadata",)))
            ok = False
        else:
            try:
                doc.rid = validate_resource_id(rid_text, kind, name)
                doc.id = rid_text
            except ResourceIDError as exc:
                result.errors.append(doc.error(exc.message, ID_FIELD))
                ok = False
    for key in value:
        if key not in ENVELOPE_FIELDS:
            result.warnings.append(f"{path}:{parsed.line_of((key,))}: {doc_label}: unknown field {quote(key)} ignored")
    spec_value = value.get("spec")
    decoded = decode(spec_value, SPECS[kind], ("spec",))
    for problem in decoded.errors:
        result.errors.append(doc.error(f"parsing {kind}: unmarshaling to struct: {problem.message}", problem.path))
        ok = False
    for unknown in decoded.unknown:
        result.warnings.append(
            f"{path}:{parsed.line_of(unknown)}: {doc_label}: unknown field {format_path(unknown)} ignored"
        )
    if ok:
        doc.spec = decoded.value or {}
        result.documents.append(doc)
