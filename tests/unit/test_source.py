"""The shared ``source`` grammar parser (seed 000, drivers.md §9)."""

from __future__ import annotations

import pytest

from kompox.domain.errors import ValidationError
from kompox.domain.source import Source, SourceKind, parse_source

ARM_PREFIXES = ("arm", "resourceid")


def azure_native(text: str) -> str | None:
    """A sample provider matcher: ``/subscriptions/...``, ``arm:<id>``, ``resourceId:<id>``."""
    lower = text.lower()
    if lower.startswith("/subscriptions/"):
        return text
    for prefix in ARM_PREFIXES:
        if lower.startswith(prefix + ":"):
            return text[len(prefix) + 1 :]
    return None


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("", SourceKind.SNAPSHOT, Source(SourceKind.EMPTY)),
        ("   ", SourceKind.DISK, Source(SourceKind.EMPTY)),
        ("snap1", SourceKind.SNAPSHOT, Source(SourceKind.SNAPSHOT, "snap1")),  # disk create: bare = snapshot
        ("disk1", SourceKind.DISK, Source(SourceKind.DISK, "disk1")),  # snapshot create: bare = disk
        ("disk:d1", SourceKind.SNAPSHOT, Source(SourceKind.DISK, "d1")),
        ("snapshot:s1", SourceKind.DISK, Source(SourceKind.SNAPSHOT, "s1")),
        ("SNAPSHOT:s1", SourceKind.DISK, Source(SourceKind.SNAPSHOT, "s1")),
    ],
)
def test_kompox_names(text: str, default: SourceKind, expected: Source) -> None:
    assert parse_source(text, default_kind=default) == expected


def test_native_ids_pass_through() -> None:
    rid = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/snapshots/s"
    assert parse_source(rid, default_kind=SourceKind.SNAPSHOT, native=azure_native) == Source(
        SourceKind.NATIVE, rid, native=True
    )
    assert parse_source("arm:" + rid, default_kind=SourceKind.SNAPSHOT, native=azure_native).name == rid
    typed = parse_source("snapshot:" + rid, default_kind=SourceKind.DISK, native=azure_native)
    assert typed == Source(SourceKind.SNAPSHOT, rid, native=True)


def test_without_a_native_matcher_a_path_is_a_bare_name() -> None:
    assert parse_source("/subscriptions/x", default_kind=SourceKind.DISK).kind is SourceKind.DISK


def test_unknown_prefix_lists_allowed_types() -> None:
    with pytest.raises(ValidationError, match=r'unknown source type "blob" \(allowed: disk, snapshot, arm\)'):
        parse_source("blob:x", default_kind=SourceKind.DISK, native=azure_native, native_prefixes=("arm",))


@pytest.mark.parametrize("text", ["disk:", "snapshot:"])
def test_empty_name_is_rejected(text: str) -> None:
    with pytest.raises(ValidationError, match="empty"):
        parse_source(text, default_kind=SourceKind.DISK)


def test_empty_native_id_is_rejected() -> None:
    with pytest.raises(ValidationError, match="empty provider resource id"):
        parse_source("arm:", default_kind=SourceKind.DISK, native=azure_native)
