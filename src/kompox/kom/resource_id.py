"""Resource IDs (alias FQN): ``/ws/<w>/prv/<p>/cls/<c>/app/<a>/box/<b>`` (kom.md §3).

Messages are upstream's, word for word, so that tests and operators see the
same text as with the Go ``kompoxops``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kompox.domain.errors import ValidationError
from kompox.domain.naming import dns1123_label_errors

ID_ANNOTATION = "ops.kompox.dev/id"
DOC_PATH_ANNOTATION = "ops.kompox.dev/doc-path"
DOC_INDEX_ANNOTATION = "ops.kompox.dev/doc-index"

KIND_WORKSPACE = "Workspace"
KIND_PROVIDER = "Provider"
KIND_CLUSTER = "Cluster"
KIND_APP = "App"
KIND_BOX = "Box"
KIND_DEFAULTS = "Defaults"

SHORT_TO_KIND: dict[str, str] = {
    "ws": KIND_WORKSPACE,
    "prv": KIND_PROVIDER,
    "cls": KIND_CLUSTER,
    "app": KIND_APP,
    "box": KIND_BOX,
}
KIND_TO_SHORT: dict[str, str] = {kind: short for short, kind in SHORT_TO_KIND.items()}
CANONICAL_CHAIN: tuple[str, ...] = ("ws", "prv", "cls", "app", "box")
KIND_DEPTH: dict[str, int] = {kind: i + 1 for i, kind in enumerate(SHORT_TO_KIND.values())}
PERSISTENT_KINDS: tuple[str, ...] = tuple(SHORT_TO_KIND.values())


class ResourceIDError(ValidationError):
    """A Resource ID that does not parse or does not fit its document."""


@dataclass(frozen=True)
class ResourceID:
    """A parsed Resource ID: ``(short kind, name)`` pairs, outermost first."""

    text: str
    pairs: tuple[tuple[str, str], ...]

    @property
    def kind(self) -> str:
        """The full kind of the last pair (e.g. ``App``)."""
        return SHORT_TO_KIND[self.pairs[-1][0]]

    @property
    def name(self) -> str:
        return self.pairs[-1][1]

    @property
    def parent(self) -> str:
        """The parent's ID; empty for a one-pair ID."""
        return parent_id(self.text)

    def name_of(self, short: str) -> str:
        """The name at the canonical position of ``short`` (``ws``…``box``), else empty."""
        pos = CANONICAL_CHAIN.index(short)
        if pos < len(self.pairs) and self.pairs[pos][0] == short:
            return self.pairs[pos][1]
        return ""

    def __str__(self) -> str:
        return self.text


def _segments(text: str) -> list[str]:
    rest = text[1:]
    return rest.split("/") if rest else []


def parse_resource_id(text: str) -> ResourceID:
    """Parse ``text`` (steps 1–5 of kom.md §3.2); raises :class:`ResourceIDError`."""
    if not text.startswith("/"):
        raise ResourceIDError(f"Resource ID must start with '/': {quote(text)}")
    segments = _segments(text)
    if len(segments) % 2 != 0:
        raise ResourceIDError(f"Resource ID must have kind/name pairs: {quote(text)}")
    if not segments:
        raise ResourceIDError(f"Resource ID must have at least one kind/name pair: {quote(text)}")
    pairs: list[tuple[str, str]] = []
    for i in range(0, len(segments), 2):
        short, name = segments[i], segments[i + 1]
        if short not in SHORT_TO_KIND:
            raise ResourceIDError(f"unknown kind shortname {quote(short)} in Resource ID {quote(text)}")
        problems = dns1123_label_errors(name)
        if problems:
            raise ResourceIDError(f"invalid name {quote(name)} in Resource ID {quote(text)}: {', '.join(problems)}")
        pairs.append((short, name))
    return ResourceID(text, tuple(pairs))


def validate_resource_id(text: str, expected_kind: str, expected_name: str) -> ResourceID:
    """Parse ``text`` and check it against the document's kind and ``metadata.name`` (§3.2 steps 6–8)."""
    rid = parse_resource_id(text)
    if rid.kind != expected_kind:
        raise ResourceIDError(f"Resource ID kind {quote(rid.kind)} does not match expected kind {quote(expected_kind)}")
    if rid.name != expected_name:
        raise ResourceIDError(f"Resource ID name {quote(rid.name)} does not match metadata.name {quote(expected_name)}")
    depth = KIND_DEPTH[expected_kind]
    if len(rid.pairs) != depth:
        raise ResourceIDError(
            f"kind {expected_kind} expects {depth} kind/name pairs, got {len(rid.pairs)} in Resource ID {quote(text)}"
        )
    for pos, (short, _) in enumerate(rid.pairs):
        if short != CANONICAL_CHAIN[pos]:
            raise ResourceIDError(
                f"expected kind {quote(CANONICAL_CHAIN[pos])} at position {pos} in Resource ID {quote(text)}, "
                f"got {quote(short)}"
            )
    return rid


def parent_id(text: str) -> str:
    """Drop the last kind/name pair of an ID; a one-pair ID has the empty parent."""
    segments = _segments(text)
    if len(segments) <= 2:
        return ""
    return "/" + "/".join(segments[:-2])


def quote(value: str) -> str:
    """Go ``%q`` for the strings KOM deals with (double quotes, backslash escapes)."""
    out: list[str] = ['"']
    for ch in value:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)
