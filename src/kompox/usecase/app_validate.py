"""Use case ``app validate`` (cli.md §10.5.1, kube-and-ops.md §13.2 "Validate").

Inputs are injected: the App and its Cluster/Provider/Workspace (None when
not found), the compose project (or a loader callable), and two callables
backed by the provider driver: one lists the disks of a volume, the other
returns its VolumeClass.  Either callable may raise — e.g.
``CapabilityNotImplementedError`` from the K3s driver.

Unbound volumes (project decision, spec README): a volume without an
assigned disk, or whose disks the provider cannot list, or without a usable
VolumeClass, does **not** stop manifest generation.  It yields a WARN issue
naming the volume; its PV/PVC are omitted and the pod volume points at the
placeholder claim ``k4x-<spHASH>-<vol>-<idHASH>-unbound`` (see
:mod:`kompox.kube.convert.converter`).  WARN keeps ``validate`` at exit 0 and
blocks ``deploy`` (:func:`deploy_gate`).  Real lookup failures, several
assigned disks and blank handles stay ERRORs and produce no manifest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kompox.compose.model import Project
from kompox.domain.errors import KompoxError, KubeconfigMissingError, NotSupportedError, ValidationError
from kompox.domain.model import App, AppVolume, Cluster, NodePool, Provider, VolumeClass, VolumeDisk, Workspace
from kompox.kube.convert import Conversion, ConversionError, FileSource, VolumeBinding, convert, to_yaml
from kompox.kube.convert.object_check import check_objects
from kompox.usecase.node_scheduling import scheduling_gaps
from kompox.usecase.zone_preflight import zone_conflicts

DiskLister = Callable[[AppVolume], list[VolumeDisk]]
VolumeClassLookup = Callable[[AppVolume], VolumeClass]
NodePoolLister = Callable[[], list[NodePool]]
ProjectSource = Project | Callable[[], Project]


class Severity(StrEnum):
    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"


@dataclass(frozen=True)
class Issue:
    """One finding of ``app validate``: severity, a stable code and the message."""

    severity: Severity
    code: str
    message: str


@dataclass
class AppValidation:
    """Outcome of ``app validate``: issues, the objects (possibly empty) and the project."""

    app: App
    issues: list[Issue] = field(default_factory=list)
    project: Project | None = None
    conversion: Conversion | None = None

    @property
    def objects(self) -> list[dict[str, Any]]:
        return self.conversion.objects if self.conversion is not None else []

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """WARN issues (INFO is separate: it never blocks)."""
        return [i for i in self.issues if i.severity is Severity.WARN]

    @property
    def infos(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.INFO]

    @property
    def unbound_volumes(self) -> list[str]:
        return list(self.conversion.unbound_volumes) if self.conversion is not None else []

    @property
    def ok(self) -> bool:
        """``validate`` succeeds (exit 0) iff there is no ERROR."""
        return not self.errors

    @property
    def deployable(self) -> bool:
        """``deploy`` may proceed: no WARN/ERROR, objects generated, every volume bound."""
        return not self.errors and not self.warnings and bool(self.objects) and not self.unbound_volumes

    def manifest(self) -> str:
        """The multi-document YAML manifest; empty text when no objects were generated."""
        return to_yaml(self.objects)

    def add(self, severity: Severity, code: str, message: str) -> None:
        self.issues.append(Issue(severity, code, message))


class DeployBlockedError(ValidationError):
    """``app deploy`` refused: validation issues or unbound volumes."""


def deploy_gate(result: AppValidation) -> list[dict[str, Any]]:
    """Objects to apply, or raise :class:`DeployBlockedError` with upstream's wording."""
    warns, errs = len(result.warnings), len(result.errors)
    if warns or errs:
        raise DeployBlockedError(f"validation blocked ({warns} warnings, {errs} errors)")
    if result.unbound_volumes:  # defensive: unbound volumes always come with a WARN
        raise DeployBlockedError(f"volumes not bound to a disk: {', '.join(result.unbound_volumes)}")
    if not result.objects:
        raise DeployBlockedError(f"no Kubernetes objects generated for app {result.app.name}")
    return result.objects


def _message(err: BaseException) -> str:
    return err.located() if isinstance(err, ValidationError) else str(err)


def _load(source: ProjectSource, result: AppValidation) -> Project | None:
    if isinstance(source, Project):
        return source
    try:
        return source()
    except (KompoxError, OSError, ValueError) as err:
        result.add(Severity.ERROR, "compose_validation_failed", f"compose validation failed: {_message(err)}")
        return None


def _binding(
    vol: AppVolume,
    list_disks: DiskLister | None,
    volume_class: VolumeClassLookup | None,
    result: AppValidation,
) -> VolumeBinding:
    """Resolve one volume's binding, recording issues; an unbound binding has no disk or class."""
    unbound = VolumeBinding(vol.name)
    if list_disks is None:
        result.add(
            Severity.WARN,
            "volume_unbound",
            f"volume {vol.name} is unbound: no provider driver to list its disks",
        )
        return unbound
    try:
        disks = list_disks(vol)
    except NotSupportedError as err:
        result.add(
            Severity.WARN,
            "volume_unbound",
            f"volume {vol.name} is unbound: the provider cannot list disks ({err})",
        )
        return unbound
    except KubeconfigMissingError as err:
        result.add(
            Severity.WARN,
            "volume_unbound",
            f"volume {vol.name} is unbound: no cluster to list its disks ({err.message})",
        )
        return unbound
    except KompoxError as err:  # the driver's typed failures; anything else is a bug and is not hidden
        result.add(Severity.ERROR, "volume_disk_lookup_failed", f"volume disk lookup failed for {vol.name}: {err}")
        return unbound
    assigned = [d for d in disks if d.assigned]
    if not assigned:
        result.add(Severity.WARN, "volume_assignment_missing", f"volume assignment missing (count=0) volume={vol.name}")
        return unbound
    if len(assigned) > 1:
        result.add(
            Severity.ERROR,
            "volume_assignment_invalid",
            f"volume assignment invalid (count={len(assigned)}) volume={vol.name}",
        )
        return unbound
    disk = assigned[0]
    if not disk.handle.strip():
        result.add(Severity.ERROR, "volume_disk_handle_missing", f"no assigned disk handle for volume {vol.name}")
        return unbound
    if volume_class is None:
        result.add(Severity.WARN, "volume_class_resolve_failed", f"no VolumeClass source for volume {vol.name}")
        return VolumeBinding(vol.name, disk)
    try:
        vclass = volume_class(vol)
    except ValidationError as err:  # the volume's options are invalid for its type (e.g. files protocol=nfs)
        result.add(Severity.ERROR, "volume_options_invalid", f"volume {vol.name}: {_message(err)}")
        return VolumeBinding(vol.name, disk)
    except KompoxError as err:  # the driver's typed failures; anything else is a bug and is not hidden
        result.add(Severity.WARN, "volume_class_resolve_failed", f"volume class resolve failed for {vol.name}: {err}")
        return VolumeBinding(vol.name, disk)
    if not vclass.bindable:
        result.add(Severity.WARN, "volume_class_missing_driver", f"no CSIDriver for volume {vol.name}")
    return VolumeBinding(vol.name, disk, vclass)


def _check_scheduling(app: App, list_node_pools: NodePoolLister | None, result: AppValidation) -> list[NodePool] | None:
    """WARN when the app's pool/zone selectors match no node pool of the cluster; returns the pools.

    Skipped silently (debug log) when the driver lacks the node-pool capability;
    a failing lookup is an INFO issue (the check is advisory).  ``None``: pools unknown.
    """
    if list_node_pools is None:
        return None
    try:
        pools = list_node_pools()
    except NotSupportedError as err:
        logging.getLogger("kompox.usecase").debug("node pool check skipped: %s", err)
        return None
    except KompoxError as err:  # the driver's typed failures; anything else is a bug and is not hidden
        result.add(Severity.INFO, "node_pool_check_skipped", f"node pool check skipped: {_message(err)}")
        return None
    for code, message in scheduling_gaps(app.deployment, pools):
        result.add(Severity.WARN, code, message)
    return pools


def validate_app(
    *,
    app: App,
    cluster: Cluster | None,
    provider: Provider | None,
    workspace: Workspace | None,
    project: ProjectSource,
    list_disks: DiskLister | None,
    volume_class: VolumeClassLookup | None,
    files: FileSource | None = None,
    component: str = "app",
    list_node_pools: NodePoolLister | None = None,
    known_drivers: Collection[str] | None = None,
) -> AppValidation:
    """Validate the app and generate its manifest (objects in apply order).

    ``files`` reads env/config/secret files (default: the local file system).
    ``list_node_pools`` (optional) lists the cluster's node pools for the
    scheduling check (:func:`_check_scheduling`).  ``known_drivers`` (optional)
    lists the provider driver ids; any other ``driver`` is an ERROR.
    """
    result = AppValidation(app=app)
    loaded = _load(project, result)
    if loaded is None:
        return result
    result.project = loaded
    for thing, value in (("cluster", cluster), ("provider", provider), ("workspace", workspace)):
        if value is None:
            result.add(Severity.WARN, f"{thing}_not_found", f"{thing} not found for app {app.name}")
    if provider is not None and not provider.driver:
        result.add(Severity.WARN, "provider_driver_missing", f"provider {provider.name} has no driver")
    elif provider is not None and known_drivers is not None and provider.driver not in known_drivers:
        result.add(
            Severity.ERROR,
            "provider_driver_unknown",
            f'Provider/{provider.name}: spec.driver: unknown provider driver "{provider.driver}" '
            f"(known drivers: {', '.join(sorted(known_drivers))})",
        )
    pools = _check_scheduling(app, list_node_pools, result)
    bindings = [_binding(vol, list_disks, volume_class, result) for vol in app.volumes]
    for message in zone_conflicts(app.deployment, bindings, pools):  # zone preflight (zone_preflight.py)
        result.add(Severity.ERROR, "volume_zone_unreachable", message)
    if result.errors:
        return result
    try:
        conversion = convert(
            workspace,
            provider,
            cluster,
            app,
            loaded,
            bindings,
            component=component,
            files=files,
            allow_unbound=True,
            node_pools=pools,
        )
    except ConversionError as err:
        # Upstream logs conversion failures as WARN and exits 0 without a manifest; here an
        # input the converter refuses (port conflict, undefined volume, bad rule...) fails validate.
        result.add(Severity.ERROR, "compose_conversion_failed", f"compose conversion failed: {err.message}")
        return result
    for warning in conversion.warnings:
        result.add(Severity.INFO, "compose_conversion_warning", warning)
    if conversion.unbound_volumes:
        result.add(
            Severity.WARN,
            "volumes_unbound",
            "manifest generated with unbound volumes (placeholder claims, PV/PVC omitted; deploy refuses): "
            + ", ".join(conversion.unbound_volumes),
        )
    result.conversion = conversion
    _check_objects(result, conversion, app, cluster, loaded)
    return result


def compose_label(app: App) -> str:
    """How messages name the compose file: its ``file:`` path, or ``app.compose`` for inline text."""
    return app.compose[len("file:") :] if app.compose.startswith("file:") else "app.compose"


def _check_objects(
    result: AppValidation, conversion: Conversion, app: App, cluster: Cluster | None, project: Project
) -> None:
    """The API server's rules on every generated object; one ERROR per compose/KOM origin."""
    violations = check_objects(conversion.objects)
    if not violations:
        return
    from kompox.kube.convert.origins import explain  # only to word violations

    lines = explain(
        violations,
        conversion.objects,
        names=conversion.names,
        app=app,
        cluster=cluster,
        project=project,
        compose_file=compose_label(app),
    )
    for line in lines:
        result.add(Severity.ERROR, "kubernetes_validation_failed", line)
