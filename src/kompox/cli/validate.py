"""Wiring of ``app validate``: KOM target -> compose loader -> driver lookups -> use case."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kompox.cli.runtime import Runtime
from kompox.compose import load_project, local_file_reader, resolve_compose_source
from kompox.compose.dotenv import read_project_env
from kompox.compose.model import Project
from kompox.domain.errors import ValidationError
from kompox.domain.model import App, AppVolume, NodePool, VolumeClass, VolumeDisk
from kompox.usecase.app_validate import AppValidation, Severity, validate_app

if TYPE_CHECKING:
    from kompox.usecase.app_target import AppTarget

log = logging.getLogger("kompox.cli")


def load_compose(app: App, env_files: tuple[str, ...] = ()) -> Project:
    """The app's compose project, resolved against ``App.RefBase`` (local files only).

    Variables come from ``env_files`` (``--env-file``, relative to the current
    directory) or else from ``.env`` next to the compose file, as docker compose does.
    """
    source = resolve_compose_source(app.compose, app.ref_base, local_file_reader("/"))
    reader = local_file_reader(source.working_dir) if source.working_dir else None
    if env_files:
        environment = read_project_env(local_file_reader(str(Path.cwd())), list(env_files))
    else:
        environment = read_project_env(reader, [])
    return load_project(
        source.text,
        working_dir=source.working_dir,
        read_file=reader,
        file_name=source.file,
        home_dir=str(Path.home()),
        environment=environment,
    )


def run_validate(rt: Runtime, app_id: str, app_name: str, env_files: tuple[str, ...] = ()) -> AppValidation:
    """Validate and report; raise :class:`ValidationError` when there is an ERROR."""
    result = collect_validation(rt, app_id, app_name, env_files)
    raise_on_errors(result)
    return result


def collect_validation(rt: Runtime, app_id: str, app_name: str, env_files: tuple[str, ...] = ()) -> AppValidation:
    """Validate and report every issue, without raising on ERRORs (see :func:`raise_on_errors`)."""
    return collect_target_validation(rt, rt.session().app(app_id, app_name), env_files)


def collect_target_validation(rt: Runtime, ctx: AppTarget, env_files: tuple[str, ...] = ()) -> AppValidation:
    """:func:`collect_validation` of an already resolved target (``app move``: the app placed on its new cluster)."""
    session = rt.session()
    app, cluster = ctx.app, ctx.cluster
    driver = session.try_app_driver(ctx)

    def list_disks(vol: AppVolume) -> list[VolumeDisk]:
        assert driver is not None and cluster is not None
        return driver.volume_disk_list(cluster, app, vol.name)

    def volume_class(vol: AppVolume) -> VolumeClass:
        assert driver is not None and cluster is not None
        return driver.volume_class(cluster, app, vol)

    def list_node_pools() -> list[NodePool]:
        assert driver is not None and cluster is not None
        return driver.node_pool_list(cluster)

    from kompox.providers.registry import registered_ids

    usable = driver is not None and cluster is not None
    result = validate_app(
        app=app,
        cluster=cluster,
        provider=ctx.provider,
        workspace=ctx.workspace,
        project=lambda: load_compose(app, env_files),
        list_disks=list_disks if usable else None,
        volume_class=volume_class if usable else None,
        list_node_pools=list_node_pools if usable else None,
        known_drivers=registered_ids(),
    )
    report(rt, result)
    return result


def raise_on_errors(result: AppValidation) -> None:
    """One error: the ``Error:`` line carries it; several: :func:`report` printed one ``Invalid:`` line each."""
    errors = result.errors
    if len(errors) == 1:
        raise ValidationError(f"validation failed (1 errors): {errors[0].message}", document=f"App/{result.app.name}")
    if errors:
        raise ValidationError(
            f"validation failed ({len(errors)} errors, one per 'Invalid:' line above)",
            document=f"App/{result.app.name}",
        )


def report(rt: Runtime, result: AppValidation) -> None:
    """Log every issue; print warnings, and one ``Invalid:`` line per error when there are several, to stderr.

    (Upstream only logs.)  A single error is printed by the final ``Error:`` line alone.
    """
    for warning in result.project.warnings if result.project else []:
        log.warning(warning, extra={"attrs": {"app": result.app.name, "code": "compose_feature_ignored"}})
        rt.warn(warning)
    several = len(result.errors) > 1
    for issue in result.issues:
        attrs = {"attrs": {"app": result.app.name, "code": issue.code}}
        if issue.severity is Severity.ERROR:
            log.error(issue.message, extra=attrs)
            if several:
                rt.say(f"Invalid: {' '.join(issue.message.splitlines())}")
            continue
        log.warning(issue.message, extra=attrs)
        rt.warn(issue.message)


def summary(result: AppValidation) -> str:
    """The one line ``app validate`` prints on success: objects by kind and the warnings printed above."""
    kinds: dict[str, int] = {}
    for obj in result.objects:
        kind = str(obj.get("kind", "?"))
        kinds[kind] = kinds.get(kind, 0) + 1
    warned = len(result.project.warnings if result.project else []) + len(result.issues) - len(result.errors)
    count = len(result.objects)
    by_kind = f" ({', '.join(f'{n} {k}' for k, n in kinds.items())})" if kinds else ""
    return (
        f"app validate: app {result.app.name} is valid: {count} Kubernetes {_plural(count, 'object')}{by_kind}, "
        f"{warned} {_plural(warned, 'warning')}"
    )


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"


def normalised_compose_yaml(result: AppValidation) -> str:
    """The normalised compose project as YAML (what the converter consumed)."""
    import yaml

    project = result.project
    if project is None:
        return ""
    doc: dict[str, object] = {"name": project.name, "services": {n: s.raw for n, s in sorted(project.services.items())}}
    sections: dict[str, dict[str, Any]] = {
        "volumes": {n: v.raw for n, v in project.volumes.items()},
        "configs": {n: c.raw for n, c in project.configs.items()},
        "secrets": {n: s.raw for n, s in project.secrets.items()},
    }
    for key, items in sections.items():
        if items:
            doc[key] = dict(sorted(items.items()))
    # libyaml's emitter writes the same text as PyYAML's Python one (tests compare them), several times faster
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(doc, Dumper=dumper, sort_keys=True, default_flow_style=False, allow_unicode=True))
