"""The project ``.env`` / ``--env-file`` and the "variable is not set" warning, against docker compose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from compose_oracle import ORACLE_HOME, oracle_unavailable_reason, oracle_unset_variables, run_oracle

from kompox.compose import load_project, local_file_reader
from kompox.compose.dotenv import parse_project_env, read_project_env
from kompox.domain.errors import ConfigError

FIXTURES = Path(__file__).parent / "fixtures"
_REASON = oracle_unavailable_reason()
needs_oracle = pytest.mark.skipif(_REASON is not None, reason=_REASON or "")
WARNING = 'The "{}" variable is not set. Defaulting to a blank string.'


def _copy(case: str, tmp_path: Path) -> Path:
    root = tmp_path / "kompox-compose"
    shutil.copytree(FIXTURES / case, root)
    return root


def _load(root: Path, env_files: list[str] | None = None) -> tuple[list[str], dict[str, str | None], str]:
    reader = local_file_reader(str(root))
    env = read_project_env(reader, env_files or [])
    project = load_project((root / "compose.yml").read_text(), working_dir=str(root), read_file=reader,
                           file_name="compose.yml", home_dir=ORACLE_HOME, environment=env)
    service = next(iter(project.services.values()))
    return project.warnings, dict(service.environment), service.image


@needs_oracle
@pytest.mark.oracle
@pytest.mark.parametrize("case", ["dotenv-project", "interpolation-defaults", "env-interpolated-ports"])
def test_unset_variable_warnings_match_docker_compose(case: str, tmp_path: Path) -> None:
    root = _copy(case, tmp_path)
    expected = oracle_unset_variables(root)
    warnings, _, _ = _load(root)
    assert expected or case == "env-interpolated-ports"  # the oracle did warn where we expect it
    assert sorted(w for w in warnings if "variable is not set" in w) == sorted(WARNING.format(n) for n in expected)


@needs_oracle
@pytest.mark.oracle
def test_env_file_option_replaces_dotenv_like_docker_compose(tmp_path: Path) -> None:
    root = _copy("dotenv-project", tmp_path)
    (root / "other.env").write_text("TAG=9.9\nDB_USER=other\n")
    expected_unset = oracle_unset_variables(root, env_files=("other.env",))
    warnings, environment, image = _load(root, ["other.env"])
    assert image == "registry.example.com/web:9.9"
    assert environment["DB_USER"] == "other"
    assert "GREETING" in expected_unset  # .env is not read when --env-file is given
    ours = sorted(w for w in warnings if "variable is not set" in w)
    assert ours == sorted(WARNING.format(n) for n in expected_unset)


@needs_oracle
@pytest.mark.oracle
def test_dotenv_values_reach_interpolation_and_valueless_entries(tmp_path: Path) -> None:
    root = _copy("dotenv-project", tmp_path)
    oracle = run_oracle(root)["services"]["web"]
    _, environment, image = _load(root)
    assert image == oracle["image"] == "registry.example.com/web:1.4.2"
    assert environment["DB_USER"] == oracle["environment"]["DB_USER"] == "app"
    assert environment["ABSENT_ENTRY"] is None  # not in .env: dropped by the converter, as docker compose does


def test_without_dotenv_nothing_changes_but_the_warning(tmp_path: Path) -> None:
    root = _copy("dotenv-project", tmp_path)
    (root / ".env").unlink()
    warnings, environment, image = _load(root)
    assert image == "registry.example.com/web:"
    assert environment["DB_USER"] is None
    assert WARNING.format("TAG") in warnings


def test_missing_env_file_option_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"env file nope\.env not found"):
        read_project_env(local_file_reader(str(tmp_path)), ["nope.env"])


def test_later_env_file_sees_and_overrides_earlier(tmp_path: Path) -> None:
    (tmp_path / "a.env").write_text("A=1\nB=x\n")
    (tmp_path / "b.env").write_text("B=${A}-2\n")
    assert read_project_env(local_file_reader(str(tmp_path)), ["a.env", "b.env"]) == {"A": "1", "B": "1-2"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('A="open\n', 'f line 1: unterminated quoted value "open'),
        ("A=1\nB C!=2\n", 'f line 2: unexpected character "!"'),
        ("=1\n", "f line 1: missing variable name"),
    ],
)
def test_dotenv_syntax_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_project_env(text, "f")
    assert message in info.value.message


def test_dotenv_grammar() -> None:
    text = "export A=1\n  # c\nB: two # c\nC='x $A'\nD=\"${A}\\q\\nz\"\nE\n"
    assert parse_project_env(text, "f", lambda k: {"E": "from-lookup"}.get(k)) == {
        "A": "1", "B": "two", "C": "x $A", "D": "1q\nz", "E": "from-lookup",
    }
