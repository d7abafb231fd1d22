"""Compose byte sizes (``shm_size: 256m``, ``tmpfs`` ``size=64k``) → Kubernetes quantities."""

from __future__ import annotations

import re
from typing import Any

from kompox.kube.convert.errors import ConversionError

_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "g": 1 << 30, "gb": 1 << 30}
_SIZE = r"^\s*(\d+)\s*([a-zA-Z]*)\s*$"  # compiled on first use (re's cache): sizes are rare


def compose_bytes(value: Any, what: str) -> int:
    """Bytes of a compose size: an integer, or digits with ``b``/``k``/``m``/``g`` (binary, as docker)."""
    if isinstance(value, bool):
        raise ConversionError(f"{what}: invalid size {value!r}")
    if isinstance(value, int):
        return value
    match = re.match(_SIZE, str(value))
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ConversionError(f"{what}: invalid size {str(value)!r} (digits with an optional unit b, k, m or g)")
    return int(match.group(1)) * _UNITS[unit]


def size_quantity(size: int) -> str:
    """Exact quantity text: ``Gi``/``Mi``/``Ki`` when divisible, else plain bytes."""
    for suffix, unit in (("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)):
        if size and size % unit == 0:
            return f"{size // unit}{suffix}"
    return str(size)
