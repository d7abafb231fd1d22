"""The App part of ``kompoxops init``: a ``kompoxapp.yml`` from the compose file, or a sample app (issues #17, #20).

The compose file is looked up as docker compose does (``compose.yaml``,
``compose.yml``, ``docker-compose.yaml``, ``docker-compose.yml``); without
one, a sample ``compose.yml`` (one stateless web service) is proposed.  The
App goes to ``kompoxapp.yml``; an existing one is kept.  Its cluster is the
only Cluster of ``.kompox/kom``; when the KOM directory has no YAML file a
starter workspace/provider/cluster for the chosen driver is proposed first
(``.kompox/kom/cluster.yml``), named after the kept App's Resource ID when
there is one, so the App finds its parents.

Nothing is written here: :func:`plan_app` returns the files and the lines to
print, and the caller writes them after checking every target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kompox.cli.init_templates import SAMPLE_COMPOSE, SAMPLE_PORT, starter_kom
from kompox.compose import load_project, local_file_reader
from kompox.compose.dotenv import read_project_env
from kompox.domain.errors import KompoxError, ValidationError
from kompox.kom.resource_id import ResourceIDError, parse_resource_id
from kompox.kube.convert import LocalFiles
from kompox.usecase.app_scaffold import scaffold_app

COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
SAMPLE_FILE = "compose.yml"
APP_FILE = "kompoxapp.yml"
STARTER_FILE = "cluster.yml"


@dataclass
class AppPart:
    """Files to write (path, text, what it is) and lines to print."""

    files: list[tuple[Path, str, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    starter: Path | None = None  # the starter KOM file, when proposed
    has_app: bool = False  # kompoxapp.yml exists or is proposed


def find_compose(directory: Path) -> Path | None:
    for name in COMPOSE_FILES:
        if (directory / name).is_file():
            return directory / name
    return None


def app_name_for(directory: Path) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", directory.name.lower()).strip("-")[:32].strip("-")
    if not name or not name[0].isalpha():
        name = f"app-{name}".strip("-") if name else "app"
    return name


def _documents(path: Path) -> list[dict[str, Any]]:
    try:
        loaded = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    return [doc for doc in loaded if isinstance(doc, dict)]


def _id_of(doc: dict[str, Any]) -> str | None:
    meta = doc.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    rid = annotations.get("ops.kompox.dev/id") if isinstance(annotations, dict) else None
    return rid if isinstance(rid, str) else None


def _clusters(kom_dir: Path) -> list[str]:
    ids: list[str] = []
    for path in sorted([*kom_dir.glob("*.yml"), *kom_dir.glob("*.yaml")]):
        for doc in _documents(path):
            rid = _id_of(doc)
            if doc.get("kind") == "Cluster" and rid is not None:
                ids.append(rid)
    return ids


def _starter_names(app_file: Path, driver: str) -> tuple[str, str, str]:
    """Workspace, provider and cluster names: those of the kept App's Resource ID, else defaults."""
    for doc in _documents(app_file) if app_file.is_file() else []:
        rid = _id_of(doc)
        if doc.get("kind") != "App" or rid is None:
            continue
        try:
            parsed = parse_resource_id(rid)
        except ResourceIDError:
            continue
        names = (parsed.name_of("ws"), parsed.name_of("prv"), parsed.name_of("cls"))
        if all(names):
            return names
    return "ws1", f"{driver}1", "cluster1"


def plan_app(directory: Path, kom_dir: Path, driver: str) -> AppPart:
    """What ``init`` writes for the app and its cluster (see the module docstring)."""
    part = AppPart()
    app_file = directory / APP_FILE
    compose = find_compose(directory)
    compose_name = compose.name if compose is not None else SAMPLE_FILE
    kept = app_file.exists()
    if not any(kom_dir.glob("*.y*ml")):
        ws, prv, cls = _starter_names(app_file, driver)
        part.starter = kom_dir / STARTER_FILE
        what = f"Workspace {ws}, Provider {prv} (driver {driver}), Cluster {cls}; edit it"
        part.files.append((part.starter, starter_kom(driver, ws, prv, cls), what))
        clusters = [f"/ws/{ws}/prv/{prv}/cls/{cls}"]
    else:
        clusters = _clusters(kom_dir)
    if kept:
        part.has_app = True
        scanned = f"{compose_name} not scanned" if compose is not None else "no sample compose.yml written"
        part.lines.append(f"Kept: {app_file} (exists; {scanned})")
        return part
    text = compose.read_text(encoding="utf-8") if compose is not None else SAMPLE_COMPOSE
    reader = local_file_reader(str(directory))
    try:
        project = load_project(
            text,
            working_dir=str(directory),
            read_file=reader,
            file_name=compose_name,
            home_dir=str(Path.home()),
            environment=read_project_env(reader, []),
        )
    except (KompoxError, OSError, UnicodeDecodeError) as err:
        message = err.message if isinstance(err, ValidationError) else str(err)
        part.lines.append(f"Not written: {app_file} ({compose_name} does not load: {message})")
        return part
    if len(clusters) != 1:
        found = ", ".join(clusters) or "none"
        part.lines.append(f"Not written: {app_file} (need exactly one Cluster in {kom_dir}; found: {found})")
        return part
    if compose is None:
        sample = f"sample app: one web service on port {SAMPLE_PORT}"
        part.files.append((directory / SAMPLE_FILE, SAMPLE_COMPOSE, sample))
    scaffold = scaffold_app(
        project,
        app_name=app_name_for(directory),
        cluster_id=clusters[0],
        compose_file=compose_name,
        ref_base=f"file://{directory}/",
        files=LocalFiles(cwd=str(directory)),
    )
    part.files.append((app_file, scaffold.text, f"App {scaffold.app.name} from {compose_name}"))
    part.has_app = True
    part.lines += [f"Note: {warning}" for warning in project.warnings]
    if scaffold.notes:
        part.lines.append("Could not map:")
        part.lines += [f"  - {note}" for note in scaffold.notes]
    return part
