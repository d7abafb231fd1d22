"""Helpers to run one bad-input corpus case (shared with CLI tests)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "bad"


@dataclass
class Case:
    name: str
    root: Path
    expected: list[str]
    kom_paths: list[str] = field(default_factory=list)
    kom_app: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    symlinks: dict[str, str] = field(default_factory=dict)
    file: str = "kompoxapp.yml"


def case_names() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def prepare(name: str, tmp: Path) -> Case:
    """Copy the case into ``tmp/<name>`` as a project root and return its description."""
    src = CORPUS / name
    root = tmp / name
    shutil.copytree(src, root, symlinks=True)
    (root / ".kompox").mkdir(exist_ok=True)
    meta: dict[str, Any] = json.loads((src / "case.json").read_text())
    expected = [line for line in (src / "expected.txt").read_text().splitlines() if line.strip()]
    for link, target in meta.get("symlinks", {}).items():
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        (root / link).symlink_to(target)
    return Case(
        name=name,
        root=root,
        expected=expected,
        kom_paths=list(meta.get("kom_paths", [])),
        kom_app=meta.get("kom_app"),
        env=dict(meta.get("env", {})),
        symlinks=dict(meta.get("symlinks", {})),
        file=meta.get("file", "kompoxapp.yml"),
    )
