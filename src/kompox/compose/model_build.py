"""Normalised project mapping → typed :mod:`kompox.compose.model` values (sorted keys, §3.4)."""

from __future__ import annotations

from typing import Any

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
from kompox.compose.scalars import go_format_scalar


def _opt_str(value: Any) -> str | None:
    return None if value is None else go_format_scalar(value)


def _port(raw: dict[str, Any]) -> ServicePort:
    return ServicePort(
        target=int(raw["target"]),
        published=_opt_str(raw.get("published")) or "",
        protocol=str(raw.get("protocol") or "tcp"),
        host_ip=str(raw.get("host_ip") or ""),
        mode=_opt_str(raw.get("mode")),
        name=_opt_str(raw.get("name")),
        app_protocol=_opt_str(raw.get("app_protocol")),
    )


def _volume_mount(raw: dict[str, Any]) -> ServiceVolume:
    return ServiceVolume(
        type=str(raw.get("type") or "volume"),
        source=str(raw.get("source") or ""),
        target=str(raw.get("target") or ""),
        read_only=bool(raw.get("read_only", False)),
        consistency=_opt_str(raw.get("consistency")),
        bind=raw.get("bind"),
        volume=raw.get("volume"),
        tmpfs=raw.get("tmpfs"),
        extensions={k: v for k, v in raw.items() if str(k).startswith("x-")},
    )


def _file_ref(raw: dict[str, Any]) -> FileRef:
    mode = raw.get("mode")
    return FileRef(
        source=str(raw.get("source") or ""),
        target=_opt_str(raw.get("target")),
        uid=_opt_str(raw.get("uid")),
        gid=_opt_str(raw.get("gid")),
        mode=int(mode) if mode is not None else None,
    )


def build_service(name: str, raw: dict[str, Any]) -> Service:
    environment = raw.get("environment") or {}
    labels = raw.get("labels") or {}
    return Service(
        name=name,
        image=str(raw.get("image") or ""),
        entrypoint=raw.get("entrypoint"),
        command=raw.get("command"),
        environment={k: environment[k] for k in sorted(environment)},
        env_files=[EnvFile(path=str(e["path"]), required=bool(e.get("required", True)), format=e.get("format"))
                   for e in raw.get("env_file") or [] if str(e.get("path", ""))],
        ports=[_port(p) for p in raw.get("ports") or []],
        volumes=[_volume_mount(v) for v in raw.get("volumes") or []],
        configs=[_file_ref(c) for c in raw.get("configs") or []],
        secrets=[_file_ref(s) for s in raw.get("secrets") or []],
        depends_on={k: raw["depends_on"][k] for k in sorted(raw.get("depends_on") or {})},
        healthcheck=raw.get("healthcheck"),
        deploy=raw.get("deploy"),
        labels={k: str(labels[k]) for k in sorted(labels)},
        profiles=list(raw.get("profiles") or []),
        extensions={k: v for k, v in raw.items() if str(k).startswith("x-")},
        raw=raw,
    )


def _file_source_fields(key: str, raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": key,
        "name": str(raw.get("name") or key),
        "file": _opt_str(raw.get("file")),
        "environment": _opt_str(raw.get("environment")),
        "content": _opt_str(raw.get("content")),
        "external": bool(raw.get("external", False)),
        "raw": raw,
    }


def build_project(project: dict[str, Any], *, name: str, working_dir: str | None, warnings: list[str]) -> Project:
    services = project.get("services") or {}
    volumes = project.get("volumes") or {}
    configs = project.get("configs") or {}
    secrets = project.get("secrets") or {}
    return Project(
        name=name,
        working_dir=working_dir,
        services={k: build_service(k, services[k]) for k in sorted(services)},
        volumes={k: Volume(name=k, driver=_opt_str(volumes[k].get("driver")),
                           external=bool(volumes[k].get("external", False)),
                           labels={str(a): str(b) for a, b in (volumes[k].get("labels") or {}).items()}
                           if isinstance(volumes[k].get("labels"), dict) else {},
                           raw=volumes[k]) for k in sorted(volumes)},
        configs={k: Config(**_file_source_fields(k, configs[k])) for k in sorted(configs)},
        secrets={k: Secret(**_file_source_fields(k, secrets[k])) for k in sorted(secrets)},
        warnings=list(warnings),
        extensions={k: v for k, v in project.items() if str(k).startswith("x-")},
    )
