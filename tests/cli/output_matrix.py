"""Checks of ``-o table|wide|json|yaml|name`` shared by the CLI tests (kubectl's meanings).

``check_read_outputs`` runs one read-only command once per output and checks
them against each other: the default is JSON and equals ``-o json``, ``-o
yaml`` loads to the same structure, ``-o name`` prints ``kind/name`` lines,
``-o table`` has the given header and one row per resource, ``-o wide`` the
same rows with the extra columns appended, and (``legacy``) ``--format
json|table`` still works with a deprecation warning on stderr.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import yaml
from cli_project import Result

OUTPUTS = ("table", "wide", "json", "yaml", "name")
COLUMN_GAP = re.compile(r"\s{2,}")
DEPRECATED = "Warning: --format is deprecated, use -o/--output"


def cells(line: str) -> list[str]:
    """A table line split at its column gaps (two or more spaces; single spaces stay inside a cell)."""
    return COLUMN_GAP.split(line.strip())


def table(out: str, headers: Sequence[str]) -> list[str]:
    """The data lines of a table whose first line is exactly ``headers``."""
    lines = out.splitlines()
    assert lines, "empty table"
    assert cells(lines[0]) == list(headers), lines[0]
    return lines[1:]


def check_read_outputs(
    ok: Callable[..., Result],
    args: Sequence[str],
    *,
    kind: str,
    names: Sequence[str],
    headers: Sequence[str],
    wide_headers: Sequence[str],
    rows: int | None = None,
    legacy: bool = False,
) -> dict[str, str]:
    """Run ``args`` once per output (and once without ``-o``); check them; return the outputs by name."""
    outs = {o: ok(*args, "-o", o).out for o in OUTPUTS}
    default = ok(*args)
    assert default.out == outs["json"]
    value: Any = json.loads(outs["json"])
    assert yaml.safe_load(outs["yaml"]) == value
    assert outs["name"] == "".join(f"{kind}/{n}\n" for n in names)
    count = len(names) if rows is None else rows
    narrow = table(outs["table"], headers)
    wide = table(outs["wide"], (*headers, *wide_headers))
    assert len(narrow) == len(wide) == count, (outs["table"], outs["wide"])
    for short, long in zip(narrow, wide, strict=True):
        assert long.startswith(short), (short, long)  # the same row, the same columns first, then the extra ones
    if legacy:
        for fmt, same_as in (("json", "json"), ("table", "table")):
            old = ok(*args, "--format", fmt)
            assert old.out == outs[same_as]
            assert DEPRECATED in old.err
    return outs
