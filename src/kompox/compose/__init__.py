"""Compose-spec loader: compose text in, typed normalised :mod:`kompox.compose.model` out.

Entry points: :func:`load_project` (text → :class:`Project`),
:func:`resolve_compose_source` (App compose + RefBase → text and working dir).
Env files are parsed by the converter (:mod:`kompox.kube.convert.env_files`).
See :mod:`kompox.compose.loader` for the pipeline and the documented
differences from upstream (``include`` is loaded, profiles warn).
"""

from kompox.compose.loader import load_project
from kompox.compose.model import (
    Config,
    EnvFile,
    FileRef,
    Project,
    Secret,
    Service,
    ServicePort,
    ServiceVolume,
    Volume,
)
from kompox.compose.source import ComposeSource, local_file_reader, resolve_compose_source

__all__ = [
    "ComposeSource",
    "Config",
    "EnvFile",
    "FileRef",
    "Project",
    "Secret",
    "Service",
    "ServicePort",
    "ServiceVolume",
    "Volume",
    "load_project",
    "local_file_reader",
    "resolve_compose_source",
]
