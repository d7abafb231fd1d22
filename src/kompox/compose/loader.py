"""Compose text → typed :class:`~kompox.compose.model.Project` (converter.md §3).

Pipeline, per YAML document of the text (several documents are override
files applied in order): go-yaml-v3 dialect parse → interpolation (variable
source: only ``COMPOSE_PROJECT_NAME``) → compose-spec JSON schema → canonical
forms → ``extends`` → merge.  Then the merged project is normalised (paths,
targets, default config/secret names), checked (§3.2.4) and turned into the
typed model with services, volumes, configs and secrets in sorted key order.

Differences from upstream Kompox, on purpose:

- ``include`` is **loaded** (upstream skips it silently): each included file
  is read through the injected reader relative to the working directory, its
  relative paths rebased onto its own directory, and its resources added to
  the project (a name defined twice is an error).  One WARN says so.
- ``profiles`` are not applied (every service is deployed, as upstream), but
  each service with profiles produces one WARN.
- ``extends`` with ``file:`` is resolved relative to the working directory
  through the injected reader (upstream: the process working directory).

Nothing here touches the filesystem, the network, the clock or the process
environment: files are read only through the ``read_file`` argument.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Callable, Mapping
from typing import Any

from kompox.compose.canonical import canonical_document
from kompox.compose.extends import ExtendsResolver, rebase_service
from kompox.compose.interpolate import Variables, interpolate_tree, substitute
from kompox.compose.merge import merge, strip
from kompox.compose.model import Project
from kompox.compose.model_build import build_project
from kompox.compose.normalize import normalise, normalise_project_name
from kompox.compose.validate import check_semantics, validate_schema
from kompox.compose.yaml_dialect import load_documents
from kompox.domain.errors import ConfigError

log = logging.getLogger("kompox.compose")

FileReader = Callable[[str], bytes]
DEFAULT_PROJECT_NAME = "kompox-compose"


def _read_text(read_file: FileReader | None, path: str, what: str) -> str:
    if read_file is None:
        raise ConfigError(f"{what} {path}: no local file access (working directory unknown)", file=path)
    try:
        data = read_file(path)
    except FileNotFoundError:
        raise ConfigError(f"{what} {path} not found", file=path) from None
    except OSError as exc:
        raise ConfigError(f"reading {what} {path}: {exc.strerror or exc}", file=path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} {path} is not valid UTF-8 (byte {exc.start})", file=path) from None


def parse_documents(text: str, file: str) -> list[dict[str, Any]]:
    """YAML documents of one compose text, each checked to be a mapping."""
    if not text.strip():
        raise ConfigError("empty compose file", file=file)
    documents = load_documents(text, file=file)
    if not documents:
        raise ConfigError("empty compose file", file=file)
    for document in documents:
        if not isinstance(document, dict):
            raise ConfigError("top-level object must be a mapping", file=file)
    return documents


class _Loader:
    def __init__(self, variables: dict[str, str], read_file: FileReader | None, warnings: list[str]) -> None:
        self.variables = variables
        self.read_file = read_file
        self.warnings = warnings
        self.including: list[str] = []  # the include chain being loaded, root file first

    def prepare(self, document: dict[str, Any], file: str) -> dict[str, Any]:
        """Interpolate, validate and canonicalise one document."""
        interpolated = interpolate_tree(document, self.variables, file=file)
        validate_schema(interpolated, file=file)
        return canonical_document(interpolated, file)

    def process(self, document: dict[str, Any], file: str) -> dict[str, Any]:
        """:meth:`prepare` one document, then resolve its ``extends``."""
        resolver = ExtendsResolver(file, self._load_other if self.read_file is not None else None)
        extended: dict[str, Any] = resolver.apply(self.prepare(document, file))
        return extended

    def _load_other(self, path: str) -> dict[str, Any]:
        # extends inside the other file are resolved by the caller's resolver (shared cycle detection)
        documents = parse_documents(_read_text(self.read_file, path, "extends file"), path)
        merged: dict[str, Any] = {}
        for document in documents:
            merged = merge(merged, self.prepare(document, path))
        return merged

    def load_text(self, text: str, file: str, documents: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Load one file's text (``documents``: its :func:`parse_documents`, when the caller has them)."""
        # the root file's include key is its name relative to the working directory (where it lives)
        self.including.append(posixpath.normpath(file if self.including else posixpath.basename(file)))
        try:
            merged: dict[str, Any] = {}
            for document in parse_documents(text, file) if documents is None else documents:
                include = document.pop("include", None)
                merged = merge(merged, self.process(document, file))
                if include:
                    merged = self._include(merged, include, file)
            return merged
        finally:
            self.including.pop()

    def _include(self, project: dict[str, Any], include: Any, file: str) -> dict[str, Any]:
        paths: list[str] = []
        for entry in strip(include):
            entry = substitute(entry, self.variables) if isinstance(entry, str) else entry
            raw = entry.get("path") if isinstance(entry, dict) else entry
            paths.extend([raw] if isinstance(raw, str) else list(raw or []))
        message = (f"{file}: include is skipped by upstream Kompox; Kompox for Python loads it "
                   f"({', '.join(paths)})")
        self.warnings.append(message)
        log.warning(message)
        result = dict(project)
        for path in paths:
            path = posixpath.normpath(path)
            if path in self.including:
                chain = " -> ".join([*self.including, path])
                raise ConfigError(f"circular include: {chain}", file=file, field="include")
            included = self.load_text(_read_text(self.read_file, path, "included file"), path)
            directory = posixpath.dirname(path)
            for kind in ("services", "volumes", "configs", "secrets", "networks"):
                for key, value in (included.get(kind) or {}).items():
                    target = dict(result.get(kind) or {})
                    if key in target:
                        raise ConfigError(f"{kind[:-1]} {key} from include {path} conflicts with an existing "
                                          f"definition", file=file, field=f"{kind}.{key}")
                    if kind == "services":
                        value = rebase_service(value, directory)
                    elif kind in ("configs", "secrets") and isinstance(value, dict) and value.get("file"):
                        value = {**value, "file": posixpath.normpath(posixpath.join(directory, value["file"]))}
                    target[key] = value
                    result[kind] = target
        return result


def _project_name(documents: list[dict[str, Any]], default: str) -> str:
    name = default
    for document in documents:
        raw = document.get("name")
        if isinstance(raw, str) and raw:
            name = substitute(raw, {"COMPOSE_PROJECT_NAME": default})
    return normalise_project_name(name) or default


def load_project(
    text: str,
    *,
    working_dir: str | None = None,
    project_name_default: str = DEFAULT_PROJECT_NAME,
    read_file: FileReader | None = None,
    file_name: str = "app.compose",
    home_dir: str | None = None,
    check_env_files: bool = True,
    environment: Mapping[str, str] | None = None,
) -> Project:
    """Load compose ``text`` into a normalised :class:`Project`.

    ``read_file(path)`` reads a file by its path relative to ``working_dir``
    (env files, ``extends.file``, ``include``); without it no file is read.
    ``home_dir`` expands ``~`` in paths (left alone when ``None``).  When
    ``check_env_files`` and a reader are given, every required ``env_file``
    must be readable (``env file <path> not found``).

    ``environment`` is the project's ``.env`` content (:mod:`kompox.compose.dotenv`):
    it feeds interpolation and valueless ``environment`` entries, and its
    ``COMPOSE_PROJECT_NAME`` names the project, as in docker compose.  Every
    variable referenced without a default while unset gives docker compose's
    warning (``The "X" variable is not set. Defaulting to a blank string.``).
    """
    env = dict(environment or {})
    documents = parse_documents(text, file_name)  # parsed once: for the name, then loaded
    name = normalise_project_name(env.get("COMPOSE_PROJECT_NAME", "")) or _project_name(
        documents, project_name_default
    )
    variables = Variables({**env, "COMPOSE_PROJECT_NAME": name})
    warnings: list[str] = []
    loader = _Loader(variables, read_file, warnings)
    merged = loader.load_text(text, file_name, documents)
    merged.pop("name", None)
    project = normalise(merged, project_name=name, variables=variables, home=home_dir, file=file_name)
    for variable in variables.unset:
        message = f'The "{variable}" variable is not set. Defaulting to a blank string.'
        warnings.append(message)
        log.warning(message)
    check_semantics(project, file=file_name)
    for service_name in sorted(project.get("services") or {}):
        service = project["services"][service_name]
        if service.get("profiles"):
            message = (f"service {service_name}: profiles {service['profiles']} are ignored; "
                       "every service is deployed")
            warnings.append(message)
            log.warning(message)
        if check_env_files and read_file is not None:
            for env_file in service.get("env_file") or []:
                if env_file.get("required", True):
                    _read_text(read_file, env_file["path"], "env file")
    return build_project(project, name=name, working_dir=working_dir, warnings=warnings)
