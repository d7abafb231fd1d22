"""``kompoxops init`` in a directory that already has a compose file: write a first App (issue #20).

The compose file is looked up as docker compose does (``compose.yaml``,
``compose.yml``, ``docker-compose.yaml``, ``docker-compose.yml``).  The App
goes to ``kompoxapp.yml`` (never overwritten).  Its cluster is the only
Cluster of ``.kompox/kom``; when the KOM directory is empty a starter K3s
workspace/provider/cluster is written first (``.kompox/kom/cluster.yml``).
What could not be mapped is printed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from kompox.compose import load_project, local_file_reader
from kompox.compose.dotenv import read_project_env
from kompox.domain.errors import KompoxError, ValidationError
from kompox.kube.convert import LocalFiles
from kompox.usecase.app_scaffold import scaffold_app

COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
APP_FILE = "kompoxapp.yml"
STARTER_CLUSTER_ID = "/ws/ws1/prv/k3s1/cls/cluster1"
STARTER_KOM = """\
# Written by kompoxops init: one workspace, a K3s provider and an existing cluster.
# Point the cluster at your kubeconfig (spec.settings.KUBECONFIG / KUBECONFIG_CONTEXT,
# or $KUBECONFIG / ~/.kube/config) and set ingress.domain to a wildcard DNS name you own.
apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata:
  name: ws1
  annotations:
    ops.kompox.dev/id: /ws/ws1
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata:
  name: k3s1
  annotations:
    ops.kompox.dev/id: /ws/ws1/prv/k3s1
spec:
  driver: k3s
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata:
  name: cluster1
  annotations:
    ops.kompox.dev/id: /ws/ws1/prv/k3s1/cls/cluster1
spec:
  existing: true
  ingress:
    domain: apps.example.com
"""


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


def _clusters(kom_dir: Path) -> list[str]:
    ids: list[str] = []
    for path in sorted([*kom_dir.glob("*.yml"), *kom_dir.glob("*.yaml")]):
        try:
            documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError):
            continue
        for doc in documents:
            if isinstance(doc, dict) and doc.get("kind") == "Cluster":
                meta: dict[str, Any] = doc.get("metadata") or {}
                cid = (meta.get("annotations") or {}).get("ops.kompox.dev/id")
                if isinstance(cid, str):
                    ids.append(cid)
    return ids


def init_app(directory: Path, kom_dir: Path) -> list[str]:
    """Write the App (and the starter KOM if needed); the lines to print."""
    compose = find_compose(directory)
    app_file = directory / APP_FILE
    if compose is None:
        return []
    if app_file.exists():
        return [f"Kept: {app_file} (exists; {compose.name} not scanned)"]
    lines: list[str] = []
    reader = local_file_reader(str(directory))
    try:
        project = load_project(
            compose.read_text(encoding="utf-8"),
            working_dir=str(directory),
            read_file=reader,
            file_name=compose.name,
            home_dir=str(Path.home()),
            environment=read_project_env(reader, []),
        )
    except (KompoxError, OSError, UnicodeDecodeError) as err:
        text = err.message if isinstance(err, ValidationError) else str(err)
        return [f"Not written: {app_file} ({compose.name} does not load: {text})"]
    clusters = _clusters(kom_dir)
    if not clusters and not any(kom_dir.glob("*.y*ml")):
        starter = kom_dir / "cluster.yml"
        starter.write_text(STARTER_KOM, encoding="utf-8")
        lines.append(f"Created: {starter} (starter K3s cluster; edit it)")
        clusters = [STARTER_CLUSTER_ID]
    if len(clusters) != 1:
        found = ", ".join(clusters) or "none"
        return [f"Not written: {app_file} (need exactly one Cluster in {kom_dir}; found: {found})"]
    scaffold = scaffold_app(
        project,
        app_name=app_name_for(directory),
        cluster_id=clusters[0],
        compose_file=compose.name,
        ref_base=f"file://{directory}/",
        files=LocalFiles(cwd=str(directory)),
    )
    app_file.write_text(scaffold.text, encoding="utf-8")
    lines.append(f"Created: {app_file} (App {scaffold.app.name} from {compose.name})")
    for warning in project.warnings:
        lines.append(f"Note: {warning}")
    if scaffold.notes:
        lines.append("Could not map:")
        lines += [f"  - {note}" for note in scaffold.notes]
    return lines
