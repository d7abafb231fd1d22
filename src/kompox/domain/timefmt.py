"""Timestamps as Go prints them: RFC 3339 in UTC, fraction with trailing zeros trimmed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from kompox.domain.errors import ValidationError

_DURATION_PART = r"([0-9]+)([wdhms])"  # compiled on first use (re's cache): only duration flags
_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def rfc3339_nano(value: datetime) -> str:
    """Go's ``time.RFC3339Nano`` of ``value`` in UTC (a naive value is taken as UTC)."""
    dt = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    frac = f"{dt.microsecond:06d}".rstrip("0")
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{base}.{frac}Z" if frac else f"{base}Z"


def parse_duration(text: str, field: str = "duration") -> timedelta:
    """``30d``, ``12h``, ``1w``, ``1d12h``, ``90m``, ``45s`` (weeks, days, hours, minutes, seconds) → timedelta."""
    value = text.strip().lower()
    parts = re.findall(_DURATION_PART, value)
    if not value or "".join(n + u for n, u in parts) != value:
        raise ValidationError(
            f"invalid duration {text!r}: use a number with a unit w, d, h, m or s, e.g. 30d, 12h, 1d12h", field=field
        )
    return timedelta(seconds=sum(int(n) * _UNITS[u] for n, u in parts))
