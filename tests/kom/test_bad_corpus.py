"""Every malformed KOM case fails with one located line naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from kom_corpus import case_names, prepare

from kompox.domain.errors import ExitCode, ValidationError
from kompox.kom import initialize_kom, resolve_project


def test_corpus_is_large_enough() -> None:
    assert len(case_names()) >= 40


@pytest.mark.parametrize("name", case_names())
def test_bad_case_fails_with_one_located_line(name: str, tmp_path: Path) -> None:
    case = prepare(name, tmp_path)
    with pytest.raises(ValidationError) as info:
        project = resolve_project(case.root, case.env)
        initialize_kom(project, case.root, case.env, case.kom_paths, case.kom_app)
    text = str(info.value)
    assert "\n" not in text, text
    assert "Traceback" not in text
    assert case.file in text, text
    for fragment in case.expected:
        assert fragment in text, f"{fragment!r} not in {text!r}"
    assert info.value.exit_code == ExitCode.CONFIG
