"""KOM initialisation: the one entry point the CLI calls (kom.md §5, cli.md §5.2).

::

    initialize_kom(project: ProjectEnv | None, cwd: pathlib.Path, env: Mapping[str, str],
                   kom_paths: Sequence[str] = (), kom_app: str | None = None,
                   *, fs: FileSystem = LOCAL_FS) -> KomState

``kom_paths`` are the ``--kom-path`` values in order; ``kom_app`` is the
``--kom-app`` value when the flag was given explicitly, else ``None``.
Raises :class:`KomError` (a ``ConfigError``) carrying every problem of the
failing phase; nothing outside the file system is touched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from kompox.domain.errors import ConfigError, ValidationError
from kompox.kom.convert import KomResources, convert_documents
from kompox.kom.discovery import (
    MAX_FILE_SIZE,
    Discovery,
    KomPathSelection,
    PathEntry,
    discover_kom_files,
    select_kom_paths,
)
from kompox.kom.document import FileLoad, KomDocument, load_documents
from kompox.kom.errors import raise_if
from kompox.kom.fs import LOCAL_FS, MAX_SETTINGS_FILE_SIZE, FileSystem, clean_join, dir_of, os_error_text
from kompox.kom.kinds import format_path
from kompox.kom.project import ProjectEnv
from kompox.kom.resource_id import KIND_APP, KIND_DEFAULTS, ResourceIDError, parse_resource_id, quote
from kompox.kom.validate import validate_documents

DEFAULT_APP_FILE = "./kompoxapp.yml"
APP_FILE_MAX_SIZE = MAX_SETTINGS_FILE_SIZE


class Mode(Enum):
    KOM = "kom"
    LEGACY = "legacy"


@dataclass
class Defaults:
    """The app file's ``Defaults`` document."""

    name: str
    kom_path: list[PathEntry] = field(default_factory=list)
    app_id: str = ""
    document: KomDocument | None = None


@dataclass
class KomState:
    """What KOM initialisation produced.

    ``mode`` is ``KOM`` when at least one non-Defaults document was loaded;
    otherwise ``LEGACY`` (the CLI then uses ``--db-url``) and ``resources`` is
    ``None``.  ``files`` lists the KOM-path files in load order; the app file
    is ``app_file`` (``app_file_loaded`` tells whether it existed).
    """

    mode: Mode
    cwd: Path
    app_file: str
    app_file_dir: str
    app_file_loaded: bool = False
    defaults: Defaults | None = None
    selection: KomPathSelection | None = None
    files: list[str] = field(default_factory=list)
    documents: list[KomDocument] = field(default_factory=list)
    resources: KomResources | None = None
    default_app_id: str = ""
    default_cluster_id: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def kom_path_source(self) -> str:
        return self.selection.source if self.selection is not None else ""


def app_file_path(kom_app: str | None, env: Mapping[str, str]) -> str:
    """``--kom-app`` if given, else ``KOMPOX_KOM_APP`` if non-empty, else ``./kompoxapp.yml``."""
    if kom_app is not None:
        return kom_app
    return env.get("KOMPOX_KOM_APP", "") or DEFAULT_APP_FILE


def _load_app_file(state: KomState, fs: FileSystem, explicit: bool) -> FileLoad | None:
    path = state.app_file
    abs_path = clean_join(str(state.cwd), path) if path else ""
    if not path:
        return None
    try:
        fs.stat(abs_path)
    except FileNotFoundError:
        if explicit:
            state.warnings.append(f"Kompox app file {quote(path)} does not exist; ignored")
        return None
    except OSError:
        pass  # e.g. a symlink loop: reported by the read below
    try:
        data = fs.read_bytes(abs_path, APP_FILE_MAX_SIZE)
    except OSError as exc:
        raise ConfigError(f"failed to load kompoxapp.yml from {quote(path)}: {os_error_text(exc)}", file=path) from None
    loaded = load_documents(path, data)
    state.app_file_loaded = True
    state.warnings.extend(loaded.warnings)
    if explicit and loaded.chunk_count == 0 and not loaded.errors:
        raise ConfigError("Kompox app file is empty (no YAML documents)", file=path)
    raise_if("errors loading kompoxapp.yml", loaded.errors)
    defaults_docs = [d for d in loaded.documents if d.kind == KIND_DEFAULTS]
    if len(defaults_docs) > 1:
        extra = defaults_docs[1]
        raise ConfigError(
            f"multiple Defaults documents found in {quote(path)}; only one is allowed",
            file=path,
            line=extra.line,
            document=extra.label,
        )
    if defaults_docs:
        doc = defaults_docs[0]
        entries = [
            PathEntry(
                p, file=path, line=doc.parsed.line_of(("spec", "komPath", i)), field=format_path(("spec", "komPath", i))
            )
            for i, p in enumerate(doc.spec.get("komPath", []))
        ]
        state.defaults = Defaults(doc.name, entries, doc.spec.get("appId", ""), doc)
    for doc in loaded.documents:
        doc.from_app_file = True
    return loaded


def _load_kom_files(discovery: Discovery, fs: FileSystem, state: KomState) -> list[KomDocument]:
    documents: list[KomDocument] = []
    errors: list[ValidationError] = []
    for path in discovery.files:
        try:
            data = fs.read_bytes(path, MAX_FILE_SIZE)
        except OSError as exc:
            errors.append(ConfigError(f"failed to load KOM from {quote(path)}: {os_error_text(exc)}", file=path))
            continue
        loaded = load_documents(path, data)
        state.warnings.extend(loaded.warnings)
        errors.extend(loaded.errors)
        if loaded.chunk_count == 0 and not loaded.errors:
            if path in discovery.explicit_files:
                errors.append(ConfigError("KOM file is empty (no YAML documents)", file=path))
            else:
                state.warnings.append(f"{path}: empty KOM file ignored")
        documents.extend(d for d in loaded.documents if d.kind != KIND_DEFAULTS)
    raise_if("KOM loading errors", errors)
    return documents


def _set_default_target(state: KomState, app_docs: list[KomDocument]) -> None:
    defaults = state.defaults
    if defaults is not None and defaults.app_id:
        try:
            rid = parse_resource_id(defaults.app_id)
        except ResourceIDError as exc:
            doc = defaults.document
            raise ConfigError(
                f"invalid Defaults.spec.appId {quote(defaults.app_id)}: {exc.message}",
                file=doc.path if doc else None,
                line=doc.parsed.line_of(("spec", "appId")) if doc else None,
                document=doc.label if doc else None,
                field="spec.appId",
            ) from None
        state.default_app_id = rid.text
        state.default_cluster_id = rid.parent
        return
    apps = [d for d in app_docs if d.kind == KIND_APP and d.id]
    if len(apps) == 1:
        state.default_app_id = apps[0].id
        state.default_cluster_id = apps[0].rid.parent if apps[0].rid else ""


def initialize_kom(
    project: ProjectEnv | None,
    cwd: Path,
    env: Mapping[str, str],
    kom_paths: Sequence[str] = (),
    kom_app: str | None = None,
    *,
    fs: FileSystem = LOCAL_FS,
) -> KomState:
    """Load, validate and convert the KOM of one invocation (see the module docstring)."""
    explicit_app = kom_app is not None or bool(env.get("KOMPOX_KOM_APP", ""))
    app_path = app_file_path(kom_app, env)
    app_abs = clean_join(str(cwd), app_path) if app_path else str(cwd)
    state = KomState(
        mode=Mode.LEGACY,
        cwd=cwd,
        app_file=app_path,
        app_file_dir=dir_of(app_abs) if app_path else str(cwd),
    )
    app_loaded = _load_app_file(state, fs, explicit_app)
    app_docs = [d for d in app_loaded.documents if d.kind != KIND_DEFAULTS] if app_loaded else []
    defaults_paths = state.defaults.kom_path if state.defaults else []
    state.selection = select_kom_paths(kom_paths, env, defaults_paths, project, state.app_file_dir)
    kom_docs: list[KomDocument] = []
    if state.selection is not None:
        discovery = discover_kom_files(state.selection, project, fs)
        state.warnings.extend(discovery.warnings)
        raise_if("", discovery.errors)
        state.files = discovery.files
        kom_docs = _load_kom_files(discovery, fs, state)
    documents = kom_docs + app_docs
    if not documents:
        return state
    batch = validate_documents(documents)
    raise_if("KOM validation failed: validation errors", batch.errors)
    _set_default_target(state, app_docs)
    resources, errors = convert_documents(
        batch.documents, app_file_abs=app_abs if state.app_file_loaded else None, cwd=str(cwd)
    )
    raise_if("invalid KOM", errors)
    state.mode = Mode.KOM
    state.documents = batch.documents
    state.resources = resources
    return state
