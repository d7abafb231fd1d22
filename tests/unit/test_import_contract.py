"""The layering contract is live: it passes on the tree and fails when a domain module imports an adapter."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _copy_project(dst: Path) -> Path:
    shutil.copytree(ROOT / "src" / "kompox", dst / "src" / "kompox", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")
    return dst


def test_contract_fails_when_domain_imports_an_adapter(tmp_path: Path) -> None:
    tree = _copy_project(tmp_path)
    clean = _lint(tree)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (tree / "src" / "kompox" / "domain" / "leak.py").write_text(
        "from kompox.providers import registry\n\nVALUE = registry\n", encoding="utf-8"
    )
    broken = _lint(tree)
    assert broken.returncode != 0
    assert "domain imports no other project package" in broken.stdout
    assert "BROKEN" in broken.stdout


def test_contract_fails_when_a_use_case_imports_kubernetes(tmp_path: Path) -> None:
    tree = _copy_project(tmp_path)
    usecase = tree / "src" / "kompox" / "usecase"
    usecase.mkdir(exist_ok=True)
    (usecase / "__init__.py").touch()
    (usecase / "leak.py").write_text("import kompox.providers.registry\n", encoding="utf-8")
    broken = _lint(tree)
    assert broken.returncode != 0 and "use cases import no adapter" in broken.stdout
