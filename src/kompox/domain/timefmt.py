"""Timestamps as Go prints them: RFC 3339 in UTC, fraction with trailing zeros trimmed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from kompox.domain.errors import ValidationError

# compiled on first use (re's cache): only duration flags need them
_NUMBER = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"
_DURATION_PART = rf"({_NUMBER})([wdhms])"
_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def rfc3339_nano(value: datetime) -> str:
    """Go's ``time.RFC3339Nano`` of ``value`` in UTC (a naive value is taken as UTC)."""
    dt = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    frac = f"{dt.microsecond:06d}".rstrip("0")
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{base}.{frac}Z" if frac else f"{base}Z"


def parse_duration(
    text: str, field: str = "duration", *, bare_seconds: bool = False, positive: bool = False
) -> timedelta:
    """The one duration grammar of the CLI: ``30d``, ``12h``, ``1w``, ``1d12h``, ``1.5h``, ``90s`` → timedelta.

    Parts are a number (decimals allowed, as Go's ``time.ParseDuration``) with a unit
    w, d, h, m or s.  ``bare_seconds`` also accepts a plain number of seconds
    (``--timeout 300``); ``positive`` refuses a zero duration.
    """
    value = text.strip().lower()
    if bare_seconds and re.fullmatch(_NUMBER, value):
        seconds = float(value)
    else:
        parts = re.findall(_DURATION_PART, value)
        if not value or "".join(n + u for n, u in parts) != value:
            plain = " or a plain number of seconds" if bare_seconds else ""
            raise ValidationError(
                f'invalid duration "{text}": use a number with a unit w, d, h, m or s{plain}, e.g. 90s, 5m, 1d12h',
                field=field,
            )
        seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if positive and seconds <= 0:
        raise ValidationError(f'duration must be positive: "{text}"', field=field)
    return timedelta(seconds=seconds)
