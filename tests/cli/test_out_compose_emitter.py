"""``--out-compose`` text: the libyaml emitter writes what PyYAML's Python emitter wrote, on every fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kompox.cli.validate import normalised_compose_yaml
from kompox.compose import load_project, local_file_reader
from kompox.domain.model import App
from kompox.usecase.app_validate import AppValidation

FIXTURES = Path(__file__).resolve().parents[1] / "compose" / "fixtures"
# An ``expect-error`` file marks a fixture the loader refuses (see tests/compose/test_compose_oracle.py).
CASES = sorted(
    p.name for p in FIXTURES.iterdir() if (p / "compose.yml").is_file() and not (p / "expect-error").exists()
)


@pytest.mark.parametrize("case", CASES)
def test_out_compose_text_equals_the_python_emitter(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = FIXTURES / case
    project = load_project((root / "compose.yml").read_text(encoding="utf-8"), working_dir=str(root),
                           read_file=local_file_reader(str(root)), file_name="compose.yml", home_dir="/home/u")
    result = AppValidation(app=App(name="a"), project=project)
    text = normalised_compose_yaml(result)
    monkeypatch.delattr(yaml, "CSafeDumper")  # the function falls back to PyYAML's Python emitter
    assert text == normalised_compose_yaml(result)
    doc = yaml.safe_load(text)
    assert doc["name"] == project.name and sorted(doc["services"]) == sorted(project.services)
