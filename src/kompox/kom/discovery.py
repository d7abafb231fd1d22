"""Which files make up the KOM (kom.md §5.4–§5.6, cli.md §5.2 steps 2–4).

The first configured source wins (flag, environment, ``Defaults.spec.komPath``,
``config.yml`` ``komPath``, ``$KOMPOX_DIR/kom``); its paths are validated and
directories are expanded recursively, with upstream's limits and ignore list.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kompox.domain.errors import ConfigError, ValidationError
from kompox.kom.fs import FileSystem, clean_join, exists, os_error_text, path_parts
from kompox.kom.project import ProjectEnv
from kompox.kom.resource_id import quote

SOURCE_FLAG = "--kom-path flag"
SOURCE_ENV = "KOMPOX_KOM_PATH environment variable"
SOURCE_DEFAULTS = "Defaults.spec.komPath in kompoxapp.yml"
SOURCE_CONFIG = ".kompox/config.yml"
SOURCE_DEFAULT = "default path"

IGNORED_DIRS = frozenset({".git", ".github", "node_modules", "vendor", ".direnv", ".venv", "dist", "build"})
YAML_SUFFIXES = (".yml", ".yaml")
MAX_FILES = 5000
MAX_FILE_SIZE = 2 * 1024 * 1024
MAX_TOTAL_SIZE = 32 * 1024 * 1024
MAX_DEPTH = 10
WILDCARDS = ("*", "?", "[")


@dataclass
class PathEntry:
    """One configured KOM path and where it was written (for error locations)."""

    value: str
    file: str | None = None
    line: int | None = None
    field: str | None = None


@dataclass
class KomPathSelection:
    """The winning source: level 1–5, its description, entries and base directory."""

    level: int
    source: str
    entries: list[PathEntry]
    base: str

    @property
    def boundary_checked(self) -> bool:
        return self.level == 3

    @property
    def explicit(self) -> bool:
        """Levels 1–4 are configured by the operator; level 5 is the silent default."""
        return self.level < 5


@dataclass
class Discovery:
    """The KOM files found, with the errors and warnings met on the way."""

    files: list[str] = field(default_factory=list)
    errors: list[ValidationError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    explicit_files: set[str] = field(default_factory=set)


def select_kom_paths(
    flag_paths: Sequence[str],
    env: Mapping[str, str],
    defaults_paths: Sequence[PathEntry],
    project: ProjectEnv | None,
    kom_app_dir: str,
) -> KomPathSelection | None:
    """The first non-empty source (kom.md §5.4); ``None`` only without a project and any source."""
    if flag_paths:
        return KomPathSelection(1, SOURCE_FLAG, [PathEntry(p) for p in flag_paths], kom_app_dir)
    env_value = env.get("KOMPOX_KOM_PATH", "")
    env_paths = [p.strip() for p in env_value.split(os.pathsep) if p.strip()]
    if env_paths:
        return KomPathSelection(2, SOURCE_ENV, [PathEntry(p) for p in env_paths], kom_app_dir)
    if defaults_paths:
        return KomPathSelection(3, SOURCE_DEFAULTS, list(defaults_paths), kom_app_dir)
    if project is None:
        return None
    if project.config.kom_path:
        entries = [PathEntry(p, file=project.config.path, field="komPath") for p in project.config.kom_path]
        return KomPathSelection(4, SOURCE_CONFIG, entries, str(project.dir))
    return KomPathSelection(5, SOURCE_DEFAULT, [PathEntry("$KOMPOX_DIR/kom")], str(project.dir))


def _within(base: str, path: str) -> bool:
    rel = os.path.relpath(os.path.normpath(path), os.path.normpath(base))
    return not rel.startswith("..")


class _Expander:
    def __init__(self, selection: KomPathSelection, project: ProjectEnv | None, fs: FileSystem) -> None:
        self.sel = selection
        self.project = project
        self.fs = fs
        self.out = Discovery()
        self.seen_files: set[str] = set()
        self.scanned_dirs: set[str] = set()
        self.total = 0
        self.stop = False

    def error(self, entry: PathEntry, message: str) -> None:
        self.out.errors.append(
            ConfigError(
                f"KOM path validation failed (source: {self.sel.source}): {message}",
                file=entry.file,
                line=entry.line,
                field=entry.field,
            )
        )

    def resolve(self, entry: PathEntry) -> tuple[str, bool] | None:
        """Validate one entry (kom.md §5.5); returns (real path, is_dir) or None."""
        p = entry.value
        if "://" in p:
            self.error(entry, f"URL not supported: {quote(p)}")
            return None
        expanded = self.project.expand(p) if self.project is not None else p
        full = clean_join(self.sel.base, expanded)
        if not exists(self.fs, full):
            if self.sel.level == 5:
                return None
            hint = " (wildcards are not expanded)" if any(w in p for w in WILDCARDS) else ""
            self.error(entry, f"path does not exist: {quote(p)}{hint}")
            return None
        try:
            real = self.fs.realpath(full)
            info = self.fs.stat(real)
        except OSError as exc:
            self.error(entry, f"resolving path {quote(p)}: {os_error_text(exc)}")
            return None
        if self.sel.boundary_checked and self.project is not None:
            root, kdir = str(self.project.root), str(self.project.dir)
            if not (_within(root, real) or _within(kdir, real)):
                self.error(
                    entry, f"path {quote(p)} (resolved to {quote(real)}) is outside KOMPOX_ROOT/KOMPOX_DIR boundary"
                )
                return None
        if not info.is_dir and not real.endswith(YAML_SUFFIXES):
            self.error(entry, f"file {quote(p)} must have .yml or .yaml extension")
            return None
        return real, info.is_dir

    def add_file(self, path: str, scan_dir: str | None, entry: PathEntry) -> None:
        if path in self.seen_files:
            return
        wrap = (lambda m: f"scanning directory {quote(scan_dir)}: {m}") if scan_dir else (lambda m: m)
        if len(self.out.files) >= MAX_FILES:
            self.error(entry, wrap(f"maximum file count ({MAX_FILES}) exceeded"))
            self.stop = True
            return
        try:
            size = self.fs.stat(path).size
        except OSError as exc:
            self.out.errors.append(
                ConfigError(f"failed to load KOM from {quote(path)}: {os_error_text(exc)}", file=path)
            )
            return
        if size > MAX_FILE_SIZE:
            self.error(entry, wrap(f"file {quote(path)} exceeds maximum size ({MAX_FILE_SIZE} bytes)"))
            self.stop = True
            return
        self.total += size
        if self.total > MAX_TOTAL_SIZE:
            self.error(entry, wrap(f"total size limit ({MAX_TOTAL_SIZE} bytes) exceeded"))
            self.stop = True
            return
        self.seen_files.add(path)
        self.out.files.append(path)

    def scan(self, top: str, directory: str, depth: int, entry: PathEntry) -> None:
        if self.stop:
            return
        if depth > MAX_DEPTH:
            self.error(
                entry,
                f"scanning directory {quote(top)}: maximum directory depth ({MAX_DEPTH}) exceeded "
                f"at {quote(directory)}",
            )
            self.stop = True
            return
        try:
            names = sorted(self.fs.listdir(directory))
        except OSError as exc:
            self.error(entry, f"scanning directory {quote(top)}: {os_error_text(exc)}")
            return
        for name in names:
            if self.stop:
                return
            full = clean_join(directory, name)
            if any(part in IGNORED_DIRS for part in path_parts(full)):
                continue
            try:
                info = self.fs.lstat(full)
            except OSError:
                continue
            if info.is_dir:
                try:
                    real = self.fs.realpath(full)
                except OSError:
                    continue
                if real not in self.scanned_dirs:
                    self.scanned_dirs.add(real)
                    self.scan(top, full, depth + 1, entry)
            elif name.endswith(YAML_SUFFIXES):
                self.add_file(full, top, entry)

    def run(self) -> Discovery:
        for entry in self.sel.entries:
            if self.stop:
                break
            resolved = self.resolve(entry)
            if resolved is None:
                continue
            real, is_dir = resolved
            if not is_dir:
                self.out.explicit_files.add(real)
                self.add_file(real, None, entry)
                continue
            if real in self.scanned_dirs:
                continue
            self.scanned_dirs.add(real)
            ignored = [part for part in path_parts(real) if part in IGNORED_DIRS]
            if ignored:
                self.out.warnings.append(
                    f"KOM directory {quote(real)} lies under a directory named {quote(ignored[0])}; "
                    "its files are ignored (upstream ignore rule applies to the whole path)"
                )
            before = len(self.out.files)
            self.scan(real, real, 0, entry)
            if len(self.out.files) == before and self.sel.explicit and not self.stop:
                self.error(entry, f"directory {quote(entry.value)} contains no .yml or .yaml files")
        return self.out


def discover_kom_files(selection: KomPathSelection, project: ProjectEnv | None, fs: FileSystem) -> Discovery:
    """Validate every path of ``selection`` and expand directories into the ordered file list."""
    return _Expander(selection, project, fs).run()
