"""Output on stdout: Go ``encoding/json``-compatible JSON, YAML, plain tables, ``kind/name`` lines; and ``-o``."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

import click

from kompox.domain.timefmt import rfc3339_nano

FORMATS = ("json", "table")
OUTPUTS = ("table", "wide", "json", "yaml", "name")  # -o/--output, with kubectl's meanings


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


OUTPUT_HELP = "Output: json (the default, for scripts), yaml, table, wide (more columns) or name (kind/name lines)."


def _output(func: Any, *, legacy: bool) -> Any:
    """``-o/--output`` as ``output_format`` (default json); with ``legacy``, ``--format json|table`` is its alias."""

    @functools.wraps(func)
    def run(*args: Any, output: str | None, legacy_format: str | None = None, **kwargs: Any) -> Any:
        if output and legacy_format and output != legacy_format:
            from kompox.cli.argv import UsageError

            raise UsageError(f"-o {output} and --format {legacy_format} disagree: pass only -o/--output")
        if legacy_format:
            _deprecated_format()
        kwargs["output_format"] = output or legacy_format or "json"
        return func(*args, **kwargs)

    if legacy:
        run = click.option(
            "--format",
            "legacy_format",
            type=click.Choice(FORMATS),
            default=None,
            help="Deprecated alias of -o/--output (json or table).",
        )(run)
    return click.option("-o", "--output", "output", type=click.Choice(OUTPUTS), default=None, help=OUTPUT_HELP)(run)


def _deprecated_format() -> None:
    from kompox.cli.base import runtime

    runtime(click.get_current_context()).warn("--format is deprecated, use -o/--output")


def output_option(func: Any) -> Any:
    """``-o/--output table|wide|json|yaml|name`` (default json, as upstream printed it) with ``--format`` its alias."""
    return _output(func, legacy=True)


def output_only_option(func: Any) -> Any:
    """``-o/--output`` for commands that never had ``--format``."""
    return _output(func, legacy=False)


def no_output_format_option(func: Any) -> Any:
    """The old ``--format`` of a command that prints nothing on stdout: still accepted, hidden, no effect."""

    @functools.wraps(func)
    def run(*args: Any, legacy_format: str | None, **kwargs: Any) -> Any:
        if legacy_format:
            _deprecated_format()
        return func(*args, **kwargs)

    return click.option(
        "--format", "legacy_format", type=click.Choice(FORMATS), default=None, hidden=True, help="No effect."
    )(run)


def plain(value: Any) -> Any:
    """``value`` as its JSON text reads back: what ``-o yaml`` prints, so YAML and JSON have one structure."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=_default))


def print_yaml(out: TextIO, value: Any) -> None:
    import yaml

    out.write(yaml.safe_dump(plain(value), sort_keys=False, default_flow_style=False, allow_unicode=True))


def emit(
    out: TextIO,
    output: str,
    *,
    kind: str,
    value: Any,
    names: Sequence[str],
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    wide_headers: Sequence[str] = (),
    wide_rows: Sequence[Sequence[object]] = (),
) -> None:
    """Print resources in one of :data:`OUTPUTS`: ``value`` for json/yaml, ``kind/name`` lines, a table.

    ``wide`` appends ``wide_headers``/``wide_rows`` (one per row) to the table's columns.
    """
    if output == "json":
        print_json(out, value)
    elif output == "yaml":
        print_yaml(out, value)
    elif output == "name":
        out.write("".join(f"{kind}/{name}\n" for name in names))
    elif output == "wide":
        extra = list(wide_rows) or [() for _ in rows]
        print_table(out, (*headers, *wide_headers), [(*row, *more) for row, more in zip(rows, extra, strict=True)])
    else:
        print_table(out, headers, rows)
