"""The deprecated single-file format ``kompoxops.yml`` (kom.md §8, cli.md §5.3, §10.3).

Entry points::

    resolve_db_url(db_url_flag: str | None, env: Mapping[str, str]) -> str
    load_legacy_db_url(db_url: str, cwd: Path, fs: FileSystem = LOCAL_FS,
                       new_id: Callable[[], str] = random_id) -> LegacyConfig
    load_legacy_file(path: str, cwd: Path, fs=LOCAL_FS, new_id=random_id) -> LegacyConfig
    config_summary_line(config: LegacyConfig) -> str     # ``kompoxops config``

YAML 1.2 semantics (go-yaml v3): string fields receive the scalar's text as
written, ``yes`` stays a string.  IDs are random per process; targets are
selected by name (``app.name`` / ``cluster.name`` are the defaults).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kompox.domain.errors import ConfigError, ValidationError
from kompox.domain.model import (
    VOLUME_TYPES,
    App,
    AppDeployment,
    AppIngress,
    AppIngressRule,
    AppVolume,
    Cluster,
    ClusterIngress,
    ClusterIngressCertificate,
    Provider,
    Workspace,
    normalize_volume_type,
)
from kompox.domain.naming import dns1123_label_errors
from kompox.kom.convert import KomResources
from kompox.kom.errors import raise_if
from kompox.kom.fs import LOCAL_FS, MAX_SETTINGS_FILE_SIZE, FileSystem, clean_join, dir_of, os_error_text
from kompox.kom.kinds import ListOf, Obj, decode, format_path
from kompox.kom.quantity import QuantityError, quantity_to_int64
from kompox.kom.resource_id import quote
from kompox.kom.yaml_stream import Path as YamlPath
from kompox.kom.yaml_stream import Schema, StreamSyntaxError, parse_single

DEFAULT_DB_URL = "file:kompoxops.yml"
VOLUME_NAME_MAX = 16

_INGRESS = Obj(
    {
        "namespace": "str",
        "controller": "str",
        "serviceAccount": "str",
        "domain": "str",
        "certResolver": "str",
        "certEmail": "str",
        "certificates": ListOf(Obj({"name": "str", "source": "str"}, "Certificate")),
    },
    "ClusterIngress",
)
LEGACY_SCHEMA = Obj(
    {
        "version": "str",
        "workspace": Obj({"name": "str"}, "Workspace"),
        "provider": Obj({"name": "str", "driver": "str", "settings": "{str}"}, "Provider"),
        "cluster": Obj({"name": "str", "existing": "bool", "ingress": _INGRESS, "settings": "{str}"}, "Cluster"),
        "app": Obj(
            {
                "name": "str",
                "compose": "yaml",
                "ingress": Obj(
                    {
                        "certResolver": "str",
                        "rules": ListOf(Obj({"name": "str", "port": "int", "hosts": "[str]"}, "IngressRule")),
                    },
                    "AppIngress",
                ),
                "volumes": ListOf(Obj({"name": "str", "size": "str", "type": "str", "options": "{yaml}"}, "AppVolume")),
                "deployment": Obj(
                    {"pool": "str", "pools": "[str]", "zone": "str", "zones": "[str]", "selectors": "{yaml}"},
                    "AppDeployment",
                ),
                "resources": "{str}",
                "settings": "{str}",
            },
            "App",
        ),
    },
    "Config",
)


def random_id() -> str:
    """16 hexadecimal digits, fresh per process like upstream's legacy store."""
    return secrets.token_hex(8)


@dataclass
class LegacyConfig:
    """A loaded ``kompoxops.yml``: its four resources and the raw version string."""

    path: str
    version: str = ""
    workspace: Workspace = field(default_factory=Workspace)
    provider: Provider = field(default_factory=Provider)
    cluster: Cluster = field(default_factory=Cluster)
    app: App = field(default_factory=App)

    @property
    def resources(self) -> KomResources:
        return KomResources([self.workspace], [self.provider], [self.cluster], [self.app], [])

    @property
    def default_app_name(self) -> str:
        return self.app.name

    @property
    def default_cluster_name(self) -> str:
        return self.cluster.name


def resolve_db_url(db_url_flag: str | None, env: Mapping[str, str]) -> str:
    """``--db-url`` if given, else ``KOMPOX_DB_URL``, else ``file:kompoxops.yml``."""
    if db_url_flag:
        return db_url_flag
    return env.get("KOMPOX_DB_URL", "") or DEFAULT_DB_URL


def load_legacy_db_url(
    db_url: str, cwd: Path, fs: FileSystem = LOCAL_FS, new_id: Callable[[], str] = random_id
) -> LegacyConfig:
    """Open a ``file:`` URL; other schemes are not handled here (``sqlite:`` is the RDB store)."""
    if db_url.startswith("file:"):
        path = db_url[len("file:") :]
        if not path:
            raise ConfigError("file path is required for file: URL")
        return load_legacy_file(path, cwd, fs, new_id)
    raise ConfigError(f"unsupported db scheme: {db_url}")


def load_legacy_file(
    path: str, cwd: Path, fs: FileSystem = LOCAL_FS, new_id: Callable[[], str] = random_id
) -> LegacyConfig:
    """Read and validate ``path`` (relative to ``cwd``)."""
    abs_path = clean_join(str(cwd), path)
    try:
        data = fs.read_bytes(abs_path, MAX_SETTINGS_FILE_SIZE)
    except OSError as exc:
        raise ConfigError(
            f"failed to load config from {path}: failed to read file {path}: {os_error_text(exc)}", file=path
        ) from None
    return parse_legacy_config(path, data, base_dir=dir_of(abs_path), new_id=new_id)


class _Checks:
    def __init__(self, path: str, lines: Callable[[YamlPath], int]) -> None:
        self.path = path
        self.lines = lines
        self.errors: list[ValidationError] = []

    def fail(self, message: str, at: YamlPath) -> None:
        self.errors.append(ConfigError(message, file=self.path, line=self.lines(at), field=format_path(at) or None))


def _compose_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return yaml.safe_dump(value, sort_keys=True, default_flow_style=False, allow_unicode=True, indent=4)
    return None


def _volume(checks: _Checks, raw: dict[str, Any], i: int, seen: set[str]) -> AppVolume:
    name, at = raw.get("name", ""), ("app", "volumes", i)
    prefix = f"invalid configuration: app: volumes[{i}]"
    if not name:
        checks.fail(f"{prefix}.name: volume name must not be empty", (*at, "name"))
    elif len(name) > VOLUME_NAME_MAX:
        checks.fail(f"{prefix}.name: volume name exceeds {VOLUME_NAME_MAX} characters", (*at, "name"))
    elif problems := dns1123_label_errors(name):
        checks.fail(f"{prefix}.name: invalid volume name: {', '.join(problems)}", (*at, "name"))
    elif name in seen:
        checks.fail(f"{prefix}.name: duplicate volume name {quote(name)}", (*at, "name"))
    seen.add(name)
    vtype = raw.get("type", "")
    volume = AppVolume(name=name, options=raw.get("options"))
    if vtype not in ("", *VOLUME_TYPES):
        checks.fail(f'{prefix}.type: invalid type {quote(vtype)}, must be "disk" or "files"', (*at, "type"))
    else:
        volume.type = normalize_volume_type(name, vtype)
    size = raw.get("size", "")
    try:
        value = quantity_to_int64(size)
        if value is None:
            checks.fail(
                f"invalid volume size {quote(size)} for volume {quote(name)}: too large for int64", (*at, "size")
            )
        else:
            volume.size = value
    except QuantityError as exc:
        checks.fail(f"invalid volume size {quote(size)} for volume {quote(name)}: {exc}", (*at, "size"))
    return volume


def parse_legacy_config(
    path: str, data: bytes, *, base_dir: str, new_id: Callable[[], str] = random_id
) -> LegacyConfig:
    """Parse and validate ``kompoxops.yml`` text; ``base_dir`` (absolute) gives the App's RefBase."""
    prefix = f"failed to load config from {path}: "
    try:
        parsed = parse_single(data.decode("utf-8-sig"), Schema.CORE, keep_raw=True)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{prefix}file is not valid UTF-8 (offset {exc.start})", file=path) from None
    except StreamSyntaxError as exc:
        raise ConfigError(f"{prefix}YAML syntax error: {exc.message}", file=path, line=exc.line) from None
    raw_text = parsed.raw or {}
    result = decode(parsed.value, LEGACY_SCHEMA, (), lambda _v, at: raw_text.get(at))
    checks = _Checks(path, parsed.line_of)
    for problem in result.errors:
        checks.fail(f"{prefix}{problem.message}", problem.path)
    value: dict[str, Any] = result.value or {}
    ws, prv, cls, app = (value.get(k, {}) for k in ("workspace", "provider", "cluster", "app"))
    config = LegacyConfig(path=path, version=value.get("version", ""))
    config.workspace = Workspace(id=new_id(), name=ws.get("name", ""))
    config.provider = Provider(
        id=new_id(),
        name=prv.get("name", ""),
        workspace_id=config.workspace.id,
        driver=prv.get("driver", ""),
        settings=prv.get("settings"),
    )
    ingress_raw = cls.get("ingress", {})
    ingress = ClusterIngress(
        namespace=ingress_raw.get("namespace", ""),
        controller=ingress_raw.get("controller", ""),
        service_account=ingress_raw.get("serviceAccount", ""),
        domain=ingress_raw.get("domain", ""),
        cert_resolver=ingress_raw.get("certResolver", ""),
        cert_email=ingress_raw.get("certEmail", ""),
        certificates=[
            ClusterIngressCertificate(name=c.get("name", ""), source=c.get("source", ""))
            for c in ingress_raw.get("certificates", [])
        ],
    )
    config.cluster = Cluster(
        id=new_id(),
        name=cls.get("name", ""),
        provider_id=config.provider.id,
        existing=cls.get("existing", False),
        ingress=None if ingress == ClusterIngress() else ingress,
        settings=cls.get("settings"),
    )
    compose = _compose_text(app.get("compose"))
    if compose is None:
        checks.fail("invalid configuration: app: compose must be a string or a mapping", ("app", "compose"))
    app_ingress = app.get("ingress", {})
    config.app = App(
        id=new_id(),
        name=app.get("name", ""),
        cluster_id=config.cluster.id,
        compose=compose or "",
        ingress=AppIngress(
            cert_resolver=app_ingress.get("certResolver", ""),
            rules=[
                AppIngressRule(name=r.get("name", ""), port=r.get("port", 0), hosts=list(r.get("hosts", [])))
                for r in app_ingress.get("rules", [])
            ],
        ),
        resources=app.get("resources"),
        settings=app.get("settings"),
        ref_base="file://" + base_dir.rstrip("/") + "/",
    )
    seen: set[str] = set()
    config.app.volumes = [_volume(checks, v, i, seen) for i, v in enumerate(app.get("volumes", []))]
    dep = app.get("deployment", {})
    config.app.deployment = AppDeployment(
        pool=dep.get("pool", ""),
        pools=list(dep.get("pools", [])),
        zone=dep.get("zone", ""),
        zones=list(dep.get("zones", [])),
        selectors={str(k): str(v) for k, v in dep.get("selectors", {}).items()},
    )
    d, at = config.app.deployment, ("app", "deployment")
    if d.pool and d.pools:
        checks.fail("invalid configuration: app: deployment.pool and deployment.pools cannot be specified together", at)
    if d.zone and d.zones:
        checks.fail("invalid configuration: app: deployment.zone and deployment.zones cannot be specified together", at)
    if d.selectors:
        checks.fail("invalid configuration: app: deployment.selectors is reserved and not supported yet", at)
    raise_if("", checks.errors)
    return config


def config_summary_line(config: LegacyConfig) -> str:
    """The ``kompoxops config`` line (cli.md §10.3)."""
    domain = config.cluster.ingress.domain.strip() if config.cluster.ingress else ""
    return (
        f"version={config.version} workspace={config.workspace.name} "
        f"provider={config.provider.name}({config.provider.driver}) cluster={config.cluster.name} "
        f"domain={domain} app={config.app.name}"
    )
