"""The ``source`` parameter grammar of disk and snapshot creation (seed 000, drivers.md §9).

Use cases pass ``source`` through untouched; drivers call :func:`parse_source`
to interpret it.  One parser, shared by every driver::

    source = "" | kind ":" name | native | name
    kind   = "disk" | "snapshot"
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kompox.domain.errors import ValidationError


class SourceKind(StrEnum):
    EMPTY = "empty"  # no source: empty disk / snapshot of the assigned disk
    DISK = "disk"
    SNAPSHOT = "snapshot"
    NATIVE = "native"  # a provider-native resource id, passed through


RESERVED_KINDS: tuple[str, ...] = (SourceKind.DISK.value, SourceKind.SNAPSHOT.value)


@dataclass(frozen=True)
class Source:
    """A parsed ``--source``: a Kompox disk/snapshot name or a provider-native id."""

    kind: SourceKind
    name: str = ""  # Kompox name, or the provider-native id when ``native``
    native: bool = False  # ``name`` is a provider-native id (kind NATIVE, or a typed native id)


NativeMatcher = Callable[[str], str | None]
"""Returns the provider-native id when ``text`` is one (possibly with a prefix stripped), else None."""


def parse_source(
    text: str,
    *,
    default_kind: SourceKind,
    native: NativeMatcher | None = None,
    native_prefixes: Sequence[str] = (),
) -> Source:
    """Parse ``source`` for a command whose bare names mean ``default_kind``.

    ``disk create`` passes ``SourceKind.SNAPSHOT`` (a bare name restores from a
    snapshot); ``snapshot create`` passes ``SourceKind.DISK``.  ``native``
    recognises provider-native ids; ``native_prefixes`` lists the typed
    prefixes the provider accepts (e.g. ``arm``) so the error for an unknown
    prefix can list them.
    """
    if default_kind not in (SourceKind.DISK, SourceKind.SNAPSHOT):
        raise ValueError("default_kind must be DISK or SNAPSHOT")
    value = text.strip()
    if not value:
        return Source(SourceKind.EMPTY)
    if native is not None:
        native_id = native(value)
        if native_id is not None:
            if not native_id:
                raise ValidationError(f'source "{text}": empty provider resource id', field="source")
            return Source(SourceKind.NATIVE, native_id, native=True)
    if ":" in value:
        prefix, _, name = value.partition(":")
        kind = prefix.lower()
        if kind not in RESERVED_KINDS:
            allowed = ", ".join([*RESERVED_KINDS, *native_prefixes])
            raise ValidationError(
                f'source "{text}": unknown source type "{prefix}" (allowed: {allowed})', field="source"
            )
        if not name:
            raise ValidationError(f'source "{text}": empty {kind} name', field="source")
        native_id = native(name) if native is not None else None
        if native_id:
            return Source(SourceKind(kind), native_id, native=True)
        return Source(SourceKind(kind), name)
    return Source(default_kind, value)
