"""docs/compose-fields.md lists every compose service field exactly as the converter treats it."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from kompox.kube.convert.service_fields import FIELDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "compose-fields.md"
_ROW = re.compile(r"^\| `([a-z_]+)` \| (mapped|warning|no effect) \| (.+) \|$")


def _rows() -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            assert match.group(1) not in rows, f"{match.group(1)} listed twice"
            rows[match.group(1)] = (match.group(2), match.group(3))
    return rows


def test_every_schema_service_field_is_in_the_converter_table() -> None:
    text = resources.files("kompox.compose.schema").joinpath("compose-spec.json").read_text(encoding="utf-8")
    properties = set(json.loads(text)["definitions"]["service"]["properties"])
    assert properties == set(FIELDS)


def test_the_docs_table_matches_the_converter_table() -> None:
    assert _rows() == FIELDS
