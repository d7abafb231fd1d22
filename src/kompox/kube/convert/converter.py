"""Compose project + App → ordered Kubernetes objects (converter.md §1–§15).

:func:`convert` runs the four upstream phases (construct, convert, bind
volumes, build) and returns every object in apply order (§15.1).  It is
pure: file reads go through the :class:`~kompox.kube.convert.files.FileSource`
argument; there is no clock, network or environment access.

Unbound volumes (project decision, README "unbound volumes"): with
``allow_unbound=True`` a volume whose binding has no disk, no VolumeClass or
a VolumeClass without CSI driver does not stop the conversion.  Its PV and
PVC are omitted, the pod volume keeps its name and refers to the placeholder
claim ``k4x-<spHASH>-<vol>-<idHASH>-unbound`` (never a real PVC name: real
ones end in a 6-character hash), and the Deployment carries the annotation
``kompox.dev/unbound-volumes: <v1>,<v2>``.  The manifest stays schema-valid;
if applied by hand the pod stays Pending instead of running on empty storage.
:attr:`Conversion.deployable` is False in that state and ``app deploy``
must refuse it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kompox.compose.model import Project
from kompox.domain.model import App, Cluster, NodePool, Provider, Workspace
from kompox.domain.model.cluster import DEFAULT_INGRESS_NAMESPACE
from kompox.domain.scheduling import implied_taints
from kompox.kube.convert import configs as cfg
from kompox.kube.convert import rbac
from kompox.kube.convert.cluster_allow import cluster_allowances
from kompox.kube.convert.compose_volumes import VolumePlanner
from kompox.kube.convert.containers import container
from kompox.kube.convert.deployment import deployment
from kompox.kube.convert.env_files import merge_env_files
from kompox.kube.convert.errors import ConversionError
from kompox.kube.convert.files import FileSource, LocalFiles
from kompox.kube.convert.ingress import app_service, check_headless_name, headless_service, ingresses
from kompox.kube.convert.names import DEFAULT_COMPONENT, AppNames, app_names
from kompox.kube.convert.ports import PortMap, plan_ingress
from kompox.kube.convert.service_fields import ServiceSettings, pod_settings, service_settings
from kompox.kube.convert.volumes import (
    VolumeBinding,
    check_bindable,
    check_bindings,
    check_single_node,
    init_container,
    persistent_volume_pair,
)


@dataclass
class Conversion:
    """The result: objects in apply order, converter warnings and unbound volumes."""

    names: AppNames
    objects: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unbound_volumes: list[str] = field(default_factory=list)
    unrouted_ports: list[str] = field(default_factory=list)  # the warnings (also in ``warnings``) about ports

    @property
    def deployable(self) -> bool:
        """False when any volume is unbound: the manifest must not be applied."""
        return not self.unbound_volumes


def _by_bytes(keys: Sequence[str] | Any) -> list[str]:
    return sorted(keys, key=lambda k: k.encode("utf-8"))


def convert(
    workspace: Workspace | None,
    provider: Provider | None,
    cluster: Cluster | None,
    app: App | None,
    project: Project,
    bindings: Sequence[VolumeBinding | None],
    *,
    component: str = DEFAULT_COMPONENT,
    files: FileSource | None = None,
    allow_unbound: bool = False,
    node_pools: Sequence[NodePool] | None = None,
) -> Conversion:
    """Convert ``project`` of ``app`` into Kubernetes objects.

    ``bindings``: one per App volume in App volume order.  ``node_pools``
    (optional, the driver's pool list): the pod tolerates the provider-imposed
    taints of the pools it may land on (a Spot pool's, see
    :mod:`kompox.kube.convert.scheduling`); without it, or when no selected
    pool has such a taint, the output is upstream's.  Raises
    :class:`ConversionError` with upstream's message on the first problem.
    """
    if workspace is None or provider is None or cluster is None or app is None:
        raise ConversionError("converter requires svc/prv/cls/app")
    names = app_names(workspace.name, provider.name, cluster.name, app.name, component)
    fs: FileSource = files if files is not None else LocalFiles()
    result = Conversion(names=names)
    ref_base = app.ref_base
    ingress_cfg = cluster.ingress
    domain = ingress_cfg.domain.strip() if ingress_cfg else ""
    ingress_ns = (ingress_cfg.namespace.strip() if ingress_cfg else "") or DEFAULT_INGRESS_NAMESPACE
    service_names = _by_bytes(project.services)

    # Step 2: env files → -base Secrets.
    env_secrets: list[dict[str, Any]] = []
    for svc_name in service_names:
        svc = project.services[svc_name]
        if svc.env_files:
            env = merge_env_files(svc_name, svc.env_files, ref_base, project.working_dir, fs)
            env_secrets.append(cfg.env_secret(names, svc_name, env))

    # Steps 3–4: top-level configs and secrets.
    resolved: dict[tuple[bool, str], cfg.FileObject | None] = {}
    file_objects: list[dict[str, Any]] = []
    for is_secret, entries in ((False, project.configs), (True, project.secrets)):
        word = "secret" if is_secret else "config"
        for key in _by_bytes(entries):
            entry = entries[key]
            try:
                cfg.validate_object_name(key)
            except ConversionError as err:
                raise ConversionError(f"{word} name validation: {err.message}") from err
            try:
                obj = cfg.resolve(entry, is_secret, ref_base, project.working_dir, fs)
            except ConversionError as err:
                raise ConversionError(f'resolve {word} "{key}": {err.message}') from err
            resolved[(is_secret, key)] = obj
            if obj is None:
                continue
            if is_secret:
                file_objects.append(cfg.secret(names, obj))
            else:
                if not cfg.is_text(obj.content):
                    raise ConversionError(f'config "{key}": content must be valid UTF-8 without BOM and no NUL bytes')
                file_objects.append(cfg.config_map(names, obj))

    # Step 5–6: containers, then the init container.
    ports = PortMap()
    allow = cluster_allowances(cluster)
    planner = VolumePlanner(app, project, names, fs, allow)
    all_settings: list[ServiceSettings] = []
    device_volumes: list[dict[str, Any]] = []
    file_volumes = cfg.FileVolumes()
    containers: list[dict[str, Any]] = []
    sub_paths: set[tuple[str, str]] = set()
    for svc_name in service_names:
        svc = project.services[svc_name]
        container_ports = ports.add_service(svc_name, svc.ports)
        mounts = planner.service_mounts(svc)
        file_mounts = cfg.service_file_mounts(svc_name, svc.configs, svc.secrets, resolved, names, file_volumes)
        settings = service_settings(svc, allow)
        all_settings.append(settings)
        device_mounts = []
        for host_path, target in settings.devices:
            device = f"dev-{len(device_volumes) + 1}"
            device_volumes.append({"name": device, "hostPath": {"path": host_path}})
            device_mounts.append({"name": device, "mountPath": target})
        parts = container(names, svc, container_ports, mounts, file_mounts, app.volumes, settings, device_mounts)
        containers.append(parts.container)
        sub_paths |= parts.sub_paths
        result.warnings.extend(parts.warnings)
    init = init_container(sub_paths)
    result.warnings.extend(planner.warnings)
    file_objects.extend(planner.objects)

    # Step 7: namespace-level objects.
    head = rbac.namespace_objects(names, provider.driver, app.network_policy, ingress_ns)

    # Steps 8–10: Services and Ingresses.
    services: list[dict[str, Any]] = []
    ingress_objects: list[dict[str, Any]] = []
    if app.ingress.rules:
        plan = plan_ingress(app.ingress.rules, ports, domain)
        services.append(app_service(names, plan.service_ports + ports.other_service_ports()))
        result.unrouted_ports = ports.unrouted({rule.port for rule in app.ingress.rules})
        result.warnings.extend(result.unrouted_ports)
    elif ports.any:
        plan = None
        services.append(app_service(names, ports.plain_service_ports()))
    else:
        plan = None
    for svc_name in service_names:
        check_headless_name(names, svc_name)
        services.append(headless_service(names, svc_name))
    if plan is not None:
        cluster_resolver = ingress_cfg.cert_resolver if ingress_cfg else ""
        ingress_objects = ingresses(names, plan, domain, app.ingress.cert_resolver, cluster_resolver)

    # Bind volumes.
    check_bindings(list(bindings), app.volumes)
    pvs: list[dict[str, Any]] = []
    pvcs: list[dict[str, Any]] = []
    claims: dict[str, str] = {}
    for binding in bindings:
        assert binding is not None
        if allow_unbound and not _has_bindable_parts(binding):
            result.unbound_volumes.append(binding.name)
            continue
        check_bindable(binding)
        pv, pvc = persistent_volume_pair(names, binding, app.find_volume(binding.name))
        pvs.append(pv)
        pvcs.append(pvc)
        claims[binding.name] = pvc["metadata"]["name"]
    check_single_node(pvs)

    # Build.
    if len(bindings) != len(app.volumes):
        raise ConversionError(f"volume bindings count {len(bindings)} does not match app volumes {len(app.volumes)}")
    pod_volumes: list[dict[str, Any]] = []
    for index, vol in enumerate(app.volumes):
        binding = bindings[index]
        if binding is None:
            raise ConversionError(f"no binding at index {index} for volume {vol.name}")
        if binding.name != vol.name:
            raise ConversionError(f"volume binding at index {index} is for {binding.name}; expected {vol.name}")
        claim = claims.get(vol.name) or (names.unbound_claim(vol.name) if vol.name in result.unbound_volumes else "")
        if not claim:
            raise ConversionError(f"no claim name bound for volume {vol.name}")
        pod_volumes.append({"name": vol.name, "persistentVolumeClaim": {"claimName": claim}})
    pod_volumes.extend(file_volumes.pod_volumes())
    pod_volumes.extend(planner.pod_volumes)
    pod_volumes.extend(device_volumes)
    workload = deployment(
        names,
        containers,
        init,
        pod_volumes,
        app.deployment,
        result.unbound_volumes,
        pod_settings(all_settings),
        taints=implied_taints(app.deployment, node_pools),
    )

    result.objects = [
        *head,
        *pvs,
        *pvcs,
        *file_objects,
        *env_secrets,
        workload,
        *services,
        *ingress_objects,
    ]
    return result


def _has_bindable_parts(binding: VolumeBinding) -> bool:
    """Disk present and a VolumeClass with a CSI driver or a local source (a blank handle is still an error)."""
    return binding.disk is not None and binding.volume_class is not None and binding.volume_class.bindable
