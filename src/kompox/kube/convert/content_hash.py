"""Content hash of ConfigMap/Secret data (converter.md §14.1).

The pod-template hash (§14.2) is runtime state and lives in ``kompox.kube.podhash``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from kompox.domain.naming import HASH_LEN, base36, short_hash


def _short_hash_bytes(data: bytes) -> str:
    """``ShortHash`` of raw bytes (binary secret content is never decoded)."""
    return base36(int.from_bytes(hashlib.sha256(data).digest(), "big")).rjust(HASH_LEN, "0")[:HASH_LEN]


def content_hash(data: Mapping[str, bytes | str]) -> str:
    """``ShortHash`` of ``key=value\\0`` for every key in byte order; empty map → hash of ``""``."""
    if not data:
        return short_hash("")
    buf = bytearray()
    for key in sorted(data, key=lambda k: k.encode("utf-8")):
        value = data[key]
        buf += key.encode("utf-8")
        buf += b"="
        buf += value.encode("utf-8") if isinstance(value, str) else value
        buf += b"\x00"
    return _short_hash_bytes(bytes(buf))
