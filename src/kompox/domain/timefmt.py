"""Timestamps as Go prints them: RFC 3339 in UTC, fraction with trailing zeros trimmed."""

from __future__ import annotations

from datetime import UTC, datetime


def rfc3339_nano(value: datetime) -> str:
    """Go's ``time.RFC3339Nano`` of ``value`` in UTC (a naive value is taken as UTC)."""
    dt = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    frac = f"{dt.microsecond:06d}".rstrip("0")
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{base}.{frac}Z" if frac else f"{base}Z"
