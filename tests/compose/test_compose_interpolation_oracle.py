"""Property tests: interpolation of generated strings, ours versus the docker compose oracle.

Many generated strings go into one compose file (one environment entry each)
so each oracle call checks a whole batch.  Strings our substitution rejects
are checked one by one: the oracle must reject them too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from compose_oracle import OracleError, oracle_unavailable_reason, run_oracle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompox.compose.interpolate import InterpolationError, substitute

_REASON = oracle_unavailable_reason()
pytestmark = [pytest.mark.oracle, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

VARIABLES = {"COMPOSE_PROJECT_NAME": "kompox-compose"}
TOKENS = ["$", "$$", "${", "}", "{", ":", "-", "+", "?", ":-", ":+", ":?", "X", "Y", "_a", "1", " ", "x",
          "COMPOSE_PROJECT_NAME", "${X}", "${COMPOSE_PROJECT_NAME}", "$X", "é", "/"]
template = st.lists(st.sampled_from(TOKENS), min_size=0, max_size=12).map("".join)


def _write(root: Path, values: list[str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    lines = ["services:", "  s:", "    image: s", "    environment:"]
    lines += [f"      E{i}: {json.dumps(v)}" for i, v in enumerate(values)]
    (root / "compose.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _ours(value: str) -> str | None:
    try:
        return substitute(value, VARIABLES)
    except InterpolationError:
        return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(template, min_size=1, max_size=25))
def test_interpolation_matches_oracle(values: list[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    base = tmp_path_factory.mktemp("interp")
    accepted = [v for v in values if _ours(v) is not None]
    rejected = [v for v in values if _ours(v) is None]
    if accepted:
        root = base / "kompox-compose"
        _write(root, accepted)
        environment = run_oracle(root)["services"]["s"].get("environment") or {}
        for i, value in enumerate(accepted):
            assert environment.get(f"E{i}") == _ours(value), value
        shutil.rmtree(root)
    for value in rejected[:3]:
        root = base / "kompox-compose"
        _write(root, [value])
        with pytest.raises(OracleError):
            run_oracle(root)
        shutil.rmtree(root)


@pytest.mark.parametrize("value", ["${X:?boom}", "${X?}", "${", "${X", "${:-x}", "${X:-${Y}", "${ X}"])
def test_rejected_templates_are_rejected_by_oracle(value: str, tmp_path: Path) -> None:
    assert _ours(value) is None
    root = tmp_path / "kompox-compose"
    _write(root, [value])
    with pytest.raises(OracleError):
        run_oracle(root)
