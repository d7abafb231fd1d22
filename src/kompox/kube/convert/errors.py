"""The converter's error type."""

from __future__ import annotations

from kompox.domain.errors import ValidationError


class ConversionError(ValidationError):
    """The compose project and App cannot be converted; the message is upstream's text."""
