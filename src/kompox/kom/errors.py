"""The error a failed KOM load raises: every problem, one line, under one header."""

from __future__ import annotations

import re

from kompox.domain.errors import ConfigError, MultiValidationError, ValidationError

MAX_REPORTED = 50


def _single_line(text: str) -> str:
    """Fold line breaks (and the indentation around them) into single spaces."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


class KomError(MultiValidationError, ConfigError):
    """All problems of one load phase, e.g. ``KOM validation failed: <e1>; <e2>``.

    ``errors`` keeps every located :class:`ValidationError`; ``str()`` is a
    single line (newlines in messages are folded) showing up to 50 of them.
    """

    def __init__(self, header: str, errors: list[ValidationError], *, limit: int = MAX_REPORTED) -> None:
        super().__init__(errors, limit=limit)
        self.header = header
        body = _single_line(self.message)
        self.message = f"{header}: {body}" if header else body
        self.args = (self.message,)

    @property
    def lines(self) -> list[str]:
        """One line per problem, for multi-line displays (``--debug``, ``app validate``)."""
        return [_single_line(e.located()) for e in self.errors]


def raise_if(header: str, errors: list[ValidationError]) -> None:
    """Raise :class:`KomError` when ``errors`` is non-empty."""
    if errors:
        raise KomError(header, errors)
