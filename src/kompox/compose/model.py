"""Typed, normalised compose project model (converter.md §3.3).

The loader produces these values; the Compose → Kubernetes converter consumes
them.  Every value is already in canonical form (§3.2.5–8): ports are one
entry per container port, volumes are long-form mappings, ``env_file`` is a
list of :class:`EnvFile`, ``environment`` is a mapping, config/secret
references are long form with integer modes.

Mappings keyed by name (``Project.services``, ``volumes``, ``configs``,
``secrets``) are built in ascending byte order of their keys (§3.4), so plain
iteration is deterministic.

Fields Kompox parses but does not use yet (``depends_on``, ``healthcheck``,
``deploy``, ``labels``, ``profiles``, ``x-*`` extensions, …) are kept as the
plain JSON-like values the loader produced (``raw``-style ``Any``).

Compatibility rule: this module is consumed by other packages, so it only
ever changes additively (new fields with defaults).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EnvFile:
    """One ``env_file`` entry; ``path`` is lexically cleaned (relative stays relative)."""

    path: str
    required: bool = True
    format: str | None = None


@dataclass(frozen=True)
class ServicePort:
    """One container port (ranges are already expanded)."""

    target: int
    published: str = ""
    protocol: str = "tcp"
    host_ip: str = ""
    mode: str | None = None
    name: str | None = None
    app_protocol: str | None = None


@dataclass(frozen=True)
class ServiceVolume:
    """One service volume mount in long form.

    ``type`` is ``bind``, ``volume``, ``tmpfs``, ``npipe``, ``cluster`` or
    ``image``.  ``source`` is empty for anonymous volumes; bind sources are
    cleaned relative paths (``./data`` → ``data``) or absolute paths.
    ``target`` is cleaned with POSIX ``path.Clean``.
    """

    type: str
    source: str
    target: str
    read_only: bool = False
    consistency: str | None = None
    bind: dict[str, Any] | None = None
    volume: dict[str, Any] | None = None
    tmpfs: dict[str, Any] | None = None
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FileRef:
    """A service's reference to a top-level config or secret (long form)."""

    source: str
    target: str | None = None
    uid: str | None = None
    gid: str | None = None
    mode: int | None = None


@dataclass(frozen=True)
class Service:
    """One compose service with every field the converter consumes."""

    name: str
    image: str = ""
    entrypoint: list[str] | None = None
    command: list[str] | None = None
    environment: dict[str, str | None] = field(default_factory=dict)
    env_files: list[EnvFile] = field(default_factory=list)
    ports: list[ServicePort] = field(default_factory=list)
    volumes: list[ServiceVolume] = field(default_factory=list)
    configs: list[FileRef] = field(default_factory=list)
    secrets: list[FileRef] = field(default_factory=list)
    # Parsed and kept for later use; the converter ignores them today.
    depends_on: dict[str, dict[str, Any]] = field(default_factory=dict)
    healthcheck: dict[str, Any] | None = None
    deploy: dict[str, Any] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    profiles: list[str] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)
    # The whole normalised service mapping (after interpolation, extends and
    # canonicalisation), for fields without a typed attribute.
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Volume:
    """A top-level named volume (ignored by the converter; kept for checks)."""

    name: str
    driver: str | None = None
    external: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _FileObject:
    """The shape configs and secrets share: one of ``file``/``environment``/``content``, or ``external``."""

    key: str
    name: str
    file: str | None = None
    environment: str | None = None
    content: str | None = None
    external: bool = False
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config(_FileObject):
    """A top-level config.  ``name`` defaults to ``<project>_<key>`` (external: ``<key>``)."""


@dataclass(frozen=True)
class Secret(_FileObject):
    """A top-level secret.  ``name`` defaults to ``<project>_<key>`` (external: ``<key>``)."""


@dataclass(frozen=True)
class Project:
    """A loaded compose project.

    ``working_dir`` is the directory Kompox uses for its own file reads
    (env files, config/secret files); ``None`` when there is no local access.
    ``warnings`` holds one line per silently-dropped feature (profiles, include).
    """

    name: str
    working_dir: str | None = None
    services: dict[str, Service] = field(default_factory=dict)
    volumes: dict[str, Volume] = field(default_factory=dict)
    configs: dict[str, Config] = field(default_factory=dict)
    secrets: dict[str, Secret] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)

    def service_names(self) -> list[str]:
        """Service names in ascending byte order (§3.4)."""
        return sorted(self.services)
