"""One container per compose service (converter.md §5, §13.5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kompox.compose.model import Service
from kompox.domain.model import AppVolume
from kompox.kube.convert.configs import FileMounts
from kompox.kube.convert.errors import ConversionError
from kompox.kube.convert.images import container_image
from kompox.kube.convert.names import AppNames
from kompox.kube.convert.service_fields import ServiceSettings
from kompox.kube.convert.volumes import Mount


@dataclass
class ContainerParts:
    """What the Deployment needs from one service besides the container itself."""

    container: dict[str, Any]
    sub_paths: set[tuple[str, str]] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def resolve_target_conflicts(
    service: str, volume_mounts: list[Mount], files: FileMounts, app_volumes: list[AppVolume]
) -> tuple[list[Mount], list[str]]:
    """Drop volume mounts shadowed by a config/secret mount; error on duplicate config/secret targets."""
    by_target: dict[str, list[str]] = {}
    for mount in volume_mounts:
        by_target.setdefault(mount.target, []).append(mount.source_label)
    for label, target in files.targets:
        by_target.setdefault(target, []).append(label)
    errors: list[str] = []
    warnings: list[str] = []
    dropped: set[str] = set()
    for target, sources in by_target.items():
        if len(sources) < 2:
            continue
        file_sources = [s for s in sources if not s.startswith("volume:")]
        volume_sources = [s for s in sources if s.startswith("volume:")]
        if len(file_sources) >= 2:
            errors.append(
                f'service {service}: target path "{target}" has duplicate configs/secrets: [{" ".join(file_sources)}]'
            )
        elif file_sources and volume_sources:
            for vol_src in volume_sources:
                warnings.append(
                    f'service {service}: target path "{target}" conflicts between {file_sources[0]} and {vol_src}; '
                    "ignoring volume (use configs/secrets for single files)"
                )
            dropped.add(target)
    if errors:
        raise ConversionError(f"target conflicts in service {service}: {'; '.join(errors)}")
    app_names = {v.name for v in app_volumes}
    kept = [m for m in volume_mounts if not (m.target in dropped and m.volume in app_names)]
    return kept, warnings


def container(
    names: AppNames,
    service: Service,
    ports: list[dict[str, Any]],
    volume_mounts: list[Mount],
    files: FileMounts,
    app_volumes: list[AppVolume],
    settings: ServiceSettings | None = None,
    device_mounts: list[dict[str, Any]] | None = None,
) -> ContainerParts:
    """Build the container of one service (``settings``: the fields of :mod:`service_fields`)."""
    sub_paths = {(m.volume, m.sub_path) for m in volume_mounts if m.sub_path and m.persistent}
    kept, warnings = resolve_target_conflicts(service.name, volume_mounts, files, app_volumes)
    out: dict[str, Any] = {"name": service.name, "image": container_image(service)}
    if service.entrypoint:
        out["command"] = list(service.entrypoint)
    if service.command:
        out["args"] = list(service.command)
    env = [
        {"name": key, "value": value}
        for key, value in sorted(service.environment.items(), key=lambda kv: kv[0].encode("utf-8"))
        if value is not None
    ]
    if env:
        out["env"] = env
    out["envFrom"] = [
        {"secretRef": {"name": names.env_base_secret(service.name), "optional": True}},
        {"secretRef": {"name": names.env_override_secret(service.name), "optional": True}},
    ]
    if ports:
        out["ports"] = ports
    mounts = [m.as_dict() for m in kept] + files.mounts + list(device_mounts or [])
    if settings is not None:
        out.update(settings.container)
        warnings = [*settings.warnings, *warnings]
    if mounts:
        out["volumeMounts"] = mounts
    return ContainerParts(out, sub_paths, warnings)
