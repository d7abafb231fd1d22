"""Path resolution and normalisation of the merged project (converter.md §3.2.6–8).

Paths are resolved against ``.`` (as upstream gives the compose library ``.``
as working directory), so relative paths stay relative but lexically clean:
``./data/app`` → ``data/app``, ``./x/../y`` → ``y``, ``./`` → ``.``, ``../x``
stays ``../x``.  A leading ``~`` is expanded with the explicitly given home
directory (left as is when none is given).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any

from kompox.domain.errors import ConfigError


def go_clean(path: str) -> str:
    """POSIX ``path.Clean`` as in Go (``//a`` → ``/a``, empty → ``.``)."""
    if not path:
        return "."
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


def resolve_path(path: str, home: str | None) -> str:
    """A compose path resolved against ``.`` and cleaned; ``~`` expanded when ``home`` is known."""
    if path == "~" or path.startswith("~/"):
        if home is None:
            return path
        path = home + path[1:]
    if path.startswith(("/", "\\\\")) or (len(path) >= 2 and path[1] == ":" and path[0].isalpha()):
        return go_clean(path) if path.startswith("/") else path
    return go_clean(posixpath.join(".", path))


def normalise_project_name(name: str) -> str:
    """Lower-case, keep ``[a-z0-9_-]``, trim leading ``_``/``-`` (§3.2.3)."""
    lowered = re.sub(r"[^a-z0-9_-]", "", name.lower())
    return lowered.lstrip("_-")


def normalise(project: dict[str, Any], *, project_name: str, variables: Mapping[str, str],
              home: str | None, file: str) -> dict[str, Any]:
    """Resolve paths, clean targets, fill defaults on the merged canonical project."""
    result = dict(project)
    services: dict[str, Any] = {}
    for name, raw in (project.get("services") or {}).items():
        services[name] = _normalise_service(name, dict(raw or {}), variables, home, file)
    result["services"] = services
    for kind in ("configs", "secrets"):
        entries: dict[str, Any] = {}
        for key, raw in (project.get(kind) or {}).items():
            entry = dict(raw or {})
            external = bool(entry.get("external"))
            if not entry.get("name"):
                entry["name"] = key if external else f"{project_name}_{key}"
            if entry.get("file") is not None:
                entry["file"] = resolve_path(str(entry["file"]), home)
            entries[key] = entry
        if kind in project:
            result[kind] = entries
    if "volumes" in project:
        result["volumes"] = {k: dict(v or {}) for k, v in (project.get("volumes") or {}).items()}
    result.pop("version", None)
    return result


def _normalise_service(name: str, service: dict[str, Any], variables: Mapping[str, str], home: str | None,
                       file: str) -> dict[str, Any]:
    volumes: list[dict[str, Any]] = []
    for mount in service.get("volumes") or []:
        entry = dict(mount)
        if entry.get("target"):
            entry["target"] = go_clean(str(entry["target"]))
        if entry.get("type") == "bind":
            if not entry.get("source"):
                raise ConfigError('invalid mount config for type "bind": field Source must not be empty',
                                  file=file, field=f"services.{name}.volumes")
            entry["source"] = resolve_path(str(entry["source"]), home)
        volumes.append(entry)
    if "volumes" in service:
        service["volumes"] = volumes
    if "env_file" in service:
        service["env_file"] = [
            {**entry, "path": resolve_path(str(entry["path"]), home)} for entry in service["env_file"] or []]
    environment = service.get("environment")
    if isinstance(environment, dict):
        service["environment"] = {
            k: (v if v is not None else variables.get(k)) for k, v in environment.items()}
    build = service.get("build")
    if isinstance(build, str):
        service["build"] = {"context": resolve_path(build, home), "dockerfile": "Dockerfile"}
    elif isinstance(build, dict) and isinstance(build.get("context"), str):
        service["build"] = {**build, "context": resolve_path(build["context"], home)}
    return service
