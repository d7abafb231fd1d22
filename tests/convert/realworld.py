"""Loading and converting a corpus project (tests/convert/corpus/<name>) the way ``app validate`` does."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from kompox.compose import Project, load_project, local_file_reader
from kompox.compose.dotenv import read_project_env
from kompox.domain.model import App, AppVolume
from kompox.kube.convert import Conversion, LocalFiles

from .helpers import GiB, run

CORPUS = Path(__file__).resolve().parent / "corpus"


def corpus_dir(name: str, tmp_path: Path) -> Path:
    """A copy of the corpus project in a temporary directory (converted files may be edited by the test)."""
    root = tmp_path / name
    shutil.copytree(CORPUS / name, root)
    return root


def load(root: Path) -> Project:
    reader = local_file_reader(str(root))
    return load_project(
        (root / "compose.yml").read_text(encoding="utf-8"),
        working_dir=str(root),
        read_file=reader,
        file_name="compose.yml",
        environment=read_project_env(reader, []),
    )


def app_for(root: Path, volumes: list[str] | None = None, **kw: Any) -> App:
    return App(
        name="app1",
        ref_base=f"file://{root}/",
        volumes=[AppVolume(name, GiB) for name in (volumes or [])],
        **kw,
    )


def convert_dir(root: Path, app: App, **kw: Any) -> Conversion:
    return run(app, load(root), files=LocalFiles(cwd=str(root)), **kw)  # type: ignore[arg-type]
