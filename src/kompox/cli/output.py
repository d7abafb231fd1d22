"""Output helpers: Go ``encoding/json``-compatible JSON and plain tables on stdout, and their ``--format`` flag."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

import click

from kompox.domain.timefmt import rfc3339_nano

FORMATS = ("json", "table")


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return rfc3339_nano(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def go_json(value: Any, *, pretty: bool = True) -> str:
    """JSON text as Go prints it: 2-space indent, ``<``, ``>``, ``&`` escaped, raw UTF-8."""
    text = json.dumps(
        value,
        indent=2 if pretty else None,
        separators=None if pretty else (",", ":"),
        ensure_ascii=False,
        default=_default,
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def print_json(out: TextIO, value: Any, *, pretty: bool = True) -> None:
    out.write(go_json(value, pretty=pretty) + "\n")


def print_table(out: TextIO, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A left-aligned plain-text table (no colours: safe for pipes and logs)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for row in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


def format_option(func: Any) -> Any:
    """``--format json|table`` (default json) as ``output_format``."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(FORMATS),
        default="json",
        show_default=True,
        help="Output format.",
    )(func)
