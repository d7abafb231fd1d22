"""Loading and converting a corpus project (tests/convert/corpus/<name>) the way ``app validate`` does."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from kompox.compose import Project, load_project, local_file_reader
from kompox.compose.dotenv import read_project_env
from kompox.domain.model import App, AppVolume
from kompox.kube.convert import Conversion, LocalFiles, convert

from .helpers import GiB, bind, context

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


def convert_dir(root: Path, app: App, *, allow: str = "", **kw: Any) -> Conversion:
    """Convert the corpus project for ``app``; ``allow`` is the cluster's KOMPOX_COMPOSE_ALLOW setting."""
    ws, prv, cls, _ = context(app)
    if allow:
        cls = replace(cls, settings={"KOMPOX_COMPOSE_ALLOW": allow})
    return convert(ws, prv, cls, app, load(root), bind(app), files=LocalFiles(cwd=str(root)), **kw)
