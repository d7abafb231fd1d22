"""The kompoxops process: help, version, errors and exit codes, no heavy imports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kompox.cli.main import run

PY = sys.executable
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def kompoxops(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KOMPOX_")}
    return subprocess.run(
        [PY, "-m", "kompox.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**base, **(env or {})},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("args", [["--help"], ["version"], ["--version"]])
def test_help_and_version_import_no_kubernetes_or_azure(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from kompox.cli.main import run\n"
        f"rc = run({args!r})\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('kubernetes', 'azure', *DB))\n"
        "print('HEAVY=' + ','.join(heavy))\n"
        "sys.exit(rc)\n"
    )
    proc = subprocess.run([PY, "-c", DB_MODULES + code], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY=\n" in proc.stdout or proc.stdout.rstrip().endswith("HEAVY=")


DB_MODULES = "DB = ('sqlalchemy', 'alembic', 'psycopg')\n"


def test_app_validate_imports_no_database_stack_and_no_sdk(tmp_path: Path) -> None:
    """A valid app is checked offline: no store database, no cluster or cloud SDK, no jsonschema (the compiled
    compose check answers "valid"; jsonschema is imported only to word an invalid document)."""
    project = tmp_path / "gitea"
    shutil.copytree(EXAMPLES / "gitea", project, ignore=shutil.ignore_patterns("logs"))
    code = (
        DB_MODULES + "DB += ('kubernetes', 'azure', 'jsonschema')\n"
        "import sys\n"
        "from kompox.cli.main import run\n"
        "rc = run(['app', 'validate'])\n"
        "print('DB=' + ','.join(sorted(m for m in sys.modules if m.split('.')[0] in DB)))\n"
        "sys.exit(rc)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPOX_")}
    proc = subprocess.run(
        [PY, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=project,
        env={**env, "KOMPOX_LOG_OUTPUT": "none"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("DB="), proc.stdout[-300:]


def test_help_lists_every_command_group(tmp_path: Path) -> None:
    proc = kompoxops("--help")
    assert proc.returncode == 0
    for group in ("init", "version", "config", "cluster", "app", "secret", "dns", "disk", "snapshot", "box", "admin"):
        assert f"  {group} " in proc.stdout
    assert proc.stdout.endswith(
        '\nUse "kompoxops options" for a list of global command-line options (applies to all commands).\n'
    )
    options = kompoxops("options", cwd=tmp_path)  # outside a project too
    assert options.returncode == 0 and "  -C, --chdir DIR " in options.stdout and "  -A, --app-id ID " in options.stdout


def test_version_works_outside_a_project(tmp_path: Path) -> None:
    proc = kompoxops("version", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.startswith("kompoxops version ")
    assert "python: " in proc.stdout


def test_unknown_flag_is_a_usage_error_without_traceback() -> None:
    proc = kompoxops("version", "--bogus")
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: ") and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unknown_command_is_a_usage_error() -> None:
    proc = kompoxops("frobnicate")
    assert proc.returncode == 2 and "Error:" in proc.stderr


def test_box_cp_is_an_alias_of_scp() -> None:
    proc = kompoxops("box", "cp", "--help")
    assert proc.returncode == 0 and "Run your scp against the box" in proc.stdout


def test_group_flags_before_command_words_reach_the_leaf(tmp_path: Path) -> None:
    project = tmp_path / "gitea"
    shutil.copytree(EXAMPLES / "gitea", project, ignore=shutil.ignore_patterns("logs"))
    proc = kompoxops("-A", "nosuchapp", "app", "validate", cwd=project)
    assert proc.returncode == 4 and 'Error: app "nosuchapp" not found' in proc.stderr


def test_bare_group_prints_its_help() -> None:
    proc = kompoxops("disk")
    assert proc.returncode == 0 and "assign" in proc.stdout


def test_init_creates_project_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "proj"
    proc = kompoxops("init", "-C", str(target))
    assert proc.returncode == 0, proc.stderr
    kdir = target / ".kompox"
    assert (kdir / "config.yml").read_text() == "version: 1\nstore:\n  type: local\n"
    assert (kdir / ".gitignore").read_text() == "/logs\n/kubeconfig\n"
    assert (kdir / "kom").is_dir() and (kdir / "logs").is_dir()
    assert f"Initialized Kompox CLI Env in {kdir}" in proc.stdout
    again = kompoxops("init", cwd=target)
    assert again.returncode == 3 and "already exists (use --force to overwrite)" in again.stderr
    (kdir / ".gitignore").write_text("custom\n")
    forced = kompoxops("init", "--force", cwd=target)
    assert forced.returncode == 0 and (kdir / ".gitignore").read_text() == "custom\n"
    old = kompoxops("init", "-f", cwd=target)  # the deprecated short spelling still works
    assert old.returncode == 0 and "Warning: -f for --force is deprecated; use --force" in old.stderr


def test_completion_script() -> None:
    proc = kompoxops("completion", "bash")
    assert proc.returncode == 0 and "_KOMPOXOPS_COMPLETE" in proc.stdout


def test_internal_errors_are_one_line_and_debug_shows_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import kompox.cli.commands.project as project

    def boom() -> None:
        raise RuntimeError("kaboom\nsecond line")

    monkeypatch.setattr(project, "version_text", boom)
    assert run(["version"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "Error: internal error: RuntimeError: kaboom second line"
    assert "Traceback" not in err
    assert "Run again with --debug" in err
    assert run(["version", "--debug"]) == 1
    debug_err = capsys.readouterr().err
    assert "Traceback" in debug_err
    assert "Run again with --debug" not in debug_err  # already under --debug: no hint to add it


@pytest.mark.parametrize(
    ("flag", "allowed"),
    [("--log-level", "debug, info, warn, warning, error"), ("--log-format", "json, human, text")],
)
def test_invalid_log_flags_are_usage_errors_listing_the_allowed_values(flag: str, allowed: str, tmp_path: Path) -> None:
    for argv in ([flag, "bogus", "version"], ["version", f"{flag}=bogus"]):
        proc = kompoxops(*argv, cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == f"Error: invalid value 'bogus' for {flag} (allowed: {allowed})\n"
    assert not (tmp_path / ".kompox").exists()  # rejected before anything runs


def test_log_flag_help_lists_exactly_the_accepted_values() -> None:
    from kompox.cli.argv import LOG_FORMAT_CHOICES, LOG_LEVEL_CHOICES
    from kompox.cli.quick import GLOBAL_FLAGS_HELP
    from kompox.logging import LOG_FORMATS

    assert set(LOG_FORMAT_CHOICES) == set(LOG_FORMATS)
    lines = {line.split()[0]: line for line in GLOBAL_FLAGS_HELP.splitlines()[1:] if line.strip().startswith("--")}
    assert f"{' | '.join(LOG_FORMAT_CHOICES)} (env" in lines["--log-format"]
    assert f"{' | '.join(LOG_LEVEL_CHOICES)} (env" in lines["--log-level"]
    help_text = kompoxops("options").stdout
    assert "json | human | text" in help_text
    for value in ("JSON", "text", "human"):
        assert kompoxops("--log-format", value, "--log-level", "WARN", "version").returncode == 0


def test_go_json_output_escapes_like_encoding_json() -> None:
    from kompox.cli.output import go_json

    assert go_json({"a": "<&>", "b": "é"}, pretty=False) == '{"a":"\\u003c\\u0026\\u003e","b":"é"}'
    assert json.loads(go_json({"k": [1, None]})) == {"k": [1, None]}
