"""Project environment discovery: ``KOMPOX_ROOT``, ``KOMPOX_DIR``, ``.kompox/config.yml``.

Entry point (cli.md §4, kom.md §5.2)::

    resolve_project(cwd: pathlib.Path, env: Mapping[str, str],
                    kompox_root_flag: str = "", kompox_dir_flag: str = "",
                    fs: FileSystem = LOCAL_FS) -> ProjectEnv

Pure: the working directory, the environment and the flags are arguments;
files are read through ``fs``.  Raises :class:`ConfigError` with upstream's
messages (``resolving KOMPOX_ROOT/KOMPOX_DIR: …``, ``parsing config file …``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kompox.domain.errors import ConfigError
from kompox.kom.fs import LOCAL_FS, MAX_SETTINGS_FILE_SIZE, FileSystem, clean_join, os_error_text
from kompox.kom.kinds import Obj, decode, format_path
from kompox.kom.resource_id import quote
from kompox.kom.yaml_stream import Schema, StreamSyntaxError, parse_single

KOMPOX_DIR_NAME = ".kompox"
CONFIG_FILE_NAME = "config.yml"
DEFAULT_LOG_FORMAT = "json"
DEFAULT_LOG_LEVEL = "INFO"
DEFAULT_RETENTION_DAYS = 7
RESOLVE_PREFIX = "resolving KOMPOX_ROOT/KOMPOX_DIR: "

CONFIG_SCHEMA = Obj(
    {
        "version": "int",
        "store": Obj({"type": "str"}, "Store"),
        "komPath": "[str]",
        "logging": Obj({"dir": "str", "format": "str", "level": "str", "retentionDays": "int"}, "Logging"),
    },
    "Config",
)


@dataclass(frozen=True)
class LoggingConfig:
    """``logging`` of config.yml as written (empty / 0 = unset)."""

    dir: str = ""
    format: str = ""
    level: str = ""
    retention_days: int = 0


@dataclass(frozen=True)
class ProjectConfig:
    """``.kompox/config.yml``; ``path`` is ``None`` when the file does not exist."""

    version: int | None = None
    store_type: str = ""
    kom_path: list[str] = field(default_factory=list)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    path: str | None = None


@dataclass(frozen=True)
class ProjectEnv:
    """The resolved project: absolute, cleaned ``root`` and ``dir`` plus the parsed config."""

    root: Path
    dir: Path
    config: ProjectConfig = field(default_factory=ProjectConfig)

    def expand(self, text: str) -> str:
        """Replace ``$KOMPOX_ROOT`` then ``$KOMPOX_DIR`` literally (no ``${}`` form)."""
        return expand_vars(text, str(self.root), str(self.dir))

    @property
    def log_dir(self) -> str:
        """``logging.dir`` expanded, else ``<KOMPOX_DIR>/logs``."""
        if self.config.logging.dir:
            return self.expand(self.config.logging.dir)
        return str(self.dir / "logs")

    @property
    def log_format(self) -> str:
        return self.config.logging.format or DEFAULT_LOG_FORMAT

    @property
    def log_level(self) -> str:
        return self.config.logging.level or DEFAULT_LOG_LEVEL

    @property
    def retention_days(self) -> int:
        days = self.config.logging.retention_days
        return days if days > 0 else DEFAULT_RETENTION_DAYS

    def environ(self) -> dict[str, str]:
        """The variables the CLI exports to its own process and children."""
        return {"KOMPOX_ROOT": str(self.root), "KOMPOX_DIR": str(self.dir)}


def expand_vars(text: str, root: str, kompox_dir: str) -> str:
    """Upstream ``ExpandVars``: ``$KOMPOX_ROOT`` first, then ``$KOMPOX_DIR``, literal replacement."""
    return text.replace("$KOMPOX_ROOT", root).replace("$KOMPOX_DIR", kompox_dir)


def _absolute(cwd: Path, value: str) -> Path:
    return Path(clean_join(str(cwd), value))


def _require_dir(fs: FileSystem, label: str, path: Path) -> None:
    try:
        info = fs.stat(str(path))
    except OSError as exc:
        raise ConfigError(f"{RESOLVE_PREFIX}{label} {quote(str(path))} does not exist: {os_error_text(exc)}") from None
    if not info.is_dir:
        raise ConfigError(f"{RESOLVE_PREFIX}{label} {quote(str(path))} is not a directory")


def find_project_root(cwd: Path, fs: FileSystem = LOCAL_FS) -> Path | None:
    """The nearest ancestor of ``cwd`` (itself included) holding a ``.kompox`` directory."""
    current = Path(os.path.normpath(str(cwd)))
    while True:
        try:
            if fs.stat(str(current / KOMPOX_DIR_NAME)).is_dir:
                return current
        except OSError:
            pass
        if current.parent == current:
            return None
        current = current.parent


def resolve_project(
    cwd: Path,
    env: Mapping[str, str],
    kompox_root_flag: str = "",
    kompox_dir_flag: str = "",
    fs: FileSystem = LOCAL_FS,
) -> ProjectEnv:
    """Resolve ``KOMPOX_ROOT``/``KOMPOX_DIR`` (flag > env > discovery) and load ``config.yml``."""
    root_value = kompox_root_flag or env.get("KOMPOX_ROOT", "")
    if root_value:
        root = _absolute(cwd, root_value)
    else:
        found = find_project_root(cwd, fs)
        if found is None:
            raise ConfigError(
                f"{RESOLVE_PREFIX}KOMPOX_ROOT not specified and .kompox directory not found in ancestors of "
                f"{quote(str(cwd))} (kompoxops init creates a project)"
            )
        root = found
    _require_dir(fs, "KOMPOX_ROOT", root)
    dir_value = kompox_dir_flag or env.get("KOMPOX_DIR", "")
    kompox_dir = _absolute(cwd, dir_value) if dir_value else root / KOMPOX_DIR_NAME
    _require_dir(fs, "KOMPOX_DIR", kompox_dir)
    config = load_project_config(str(kompox_dir / CONFIG_FILE_NAME), fs)
    return ProjectEnv(root=root, dir=kompox_dir, config=config)


def load_project_config(path: str, fs: FileSystem = LOCAL_FS) -> ProjectConfig:
    """Read ``config.yml`` if it exists; a missing file gives the defaults."""
    try:
        data = fs.read_bytes(path, MAX_SETTINGS_FILE_SIZE)
    except FileNotFoundError:
        return ProjectConfig()
    except OSError as exc:
        raise ConfigError(f"reading config file {quote(path)}: {os_error_text(exc)}", file=path) from None
    return parse_project_config(path, data)


def parse_project_config(path: str, data: bytes) -> ProjectConfig:
    """Parse config.yml text (YAML 1.2; unknown keys ignored)."""
    prefix = f"parsing config file {quote(path)}: "
    try:
        parsed = parse_single(data.decode("utf-8-sig"), Schema.CORE, keep_raw=True)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{prefix}file is not valid UTF-8 (offset {exc.start})", file=path) from None
    except StreamSyntaxError as exc:
        raise ConfigError(f"{prefix}YAML syntax error: {exc.message}", file=path, line=exc.line) from None
    if parsed.value is None:
        return ProjectConfig(path=path)
    raw = parsed.raw or {}
    result = decode(parsed.value, CONFIG_SCHEMA, (), lambda _value, at: raw.get(at))
    if result.errors:
        problem = result.errors[0]
        raise ConfigError(
            prefix + problem.message,
            file=path,
            line=parsed.line_of(problem.path),
            field=format_path(problem.path) or None,
        )
    value = result.value or {}
    logging = value.get("logging", {})
    return ProjectConfig(
        version=value.get("version"),
        store_type=value.get("store", {}).get("type", ""),
        kom_path=list(value.get("komPath", [])),
        logging=LoggingConfig(
            dir=logging.get("dir", ""),
            format=logging.get("format", ""),
            level=logging.get("level", ""),
            retention_days=logging.get("retentionDays", 0),
        ),
        path=path,
    )
