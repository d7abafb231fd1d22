"""Kompox Ops Manifest (KOM): discovery, loading, validation and conversion.

Pure translator layer: every input (working directory, environment, flag
values, file system) is an explicit argument; nothing else is contacted.

Entry points the CLI uses::

    from kompox.kom import resolve_project, initialize_kom, select_app_id, select_cluster_id

    project = resolve_project(cwd, env, kompox_root_flag, kompox_dir_flag)          # project.py
    state = initialize_kom(project, cwd, env, kom_paths, kom_app)                   # loader.py
    # state.mode is Mode.KOM → state.resources (domain models), state.default_app_id, …
    # state.mode is Mode.LEGACY → load_legacy_db_url(db_url, cwd) (legacy.py)
    app_id = select_app_id(repos.apps, app_id=..., app_name=..., default_app_id=state.default_app_id)

Errors are :class:`kompox.domain.errors.ConfigError` subclasses whose ``str()``
is a single line naming the file, line, document and field.
"""

from kompox.kom.convert import KomResources
from kompox.kom.document import API_VERSION, KomDocument
from kompox.kom.errors import KomError
from kompox.kom.loader import Defaults, KomState, Mode, initialize_kom
from kompox.kom.project import LoggingConfig, ProjectConfig, ProjectEnv, expand_vars, resolve_project
from kompox.kom.resource_id import ResourceID, ResourceIDError, parse_resource_id, validate_resource_id

__all__ = [
    "API_VERSION",
    "Defaults",
    "KomDocument",
    "KomError",
    "KomResources",
    "KomState",
    "LoggingConfig",
    "Mode",
    "ProjectConfig",
    "ProjectEnv",
    "ResourceID",
    "ResourceIDError",
    "expand_vars",
    "initialize_kom",
    "parse_resource_id",
    "resolve_project",
    "validate_resource_id",
]
