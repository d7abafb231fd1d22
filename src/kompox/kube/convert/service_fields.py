"""Compose service fields beyond image/command/env/ports/volumes → container and pod settings (issue #20).

Every compose service field is either mapped here (or in the modules named
in :data:`FIELDS`), reported with a warning naming what is lost, or refused.
Unsafe fields — ``privileged``, capabilities beyond Kubernetes' baseline set,
host namespaces, devices — are refused unless the cluster allows them
(:mod:`kompox.kube.convert.cluster_allow`).  ``docs/compose-fields.md``
mirrors :data:`FIELDS`; a test keeps the two in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kompox.compose.model import Service
from kompox.compose.resources import SIZE_HELP, ram_bytes
from kompox.kube.convert.cluster_allow import DEVICES, HOST_NAMESPACES, PRIVILEGED, refusal
from kompox.kube.convert.errors import ConversionError
from kompox.kube.convert.sizes import size_quantity

# Capabilities a container may add under the Pod Security "baseline" profile (docker's default set).
BASELINE_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
        "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    }
)  # fmt: skip
# Kubernetes' safe sysctls (allowed by every kubelet).
SAFE_SYSCTLS = frozenset(
    {
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
    }
)  # fmt: skip

MAPPED = "mapped"
IGNORED = "no effect"
WARN = "warning"

# field → (kind, what happens).  MAPPED/IGNORED entries are documentation; WARN texts are the warning's reason.
FIELDS: dict[str, tuple[str, str]] = {
    "image": (MAPPED, "container image; build: without image: is an error"),
    "build": (IGNORED, "Kompox does not build images; with image: the image is used, without it is an error"),
    "command": (MAPPED, "container args"),
    "entrypoint": (MAPPED, "container command"),
    "environment": (MAPPED, "container env (values without a value come from .env or are dropped)"),
    "env_file": (MAPPED, "the <app>-<comp>-<service>-base Secret (envFrom)"),
    "ports": (
        MAPPED,
        "containerPort and the <app>-<comp> Service (with ingress rules: the ports they name, any other "
        "published TCP port is a warning naming service and port); udp/sctp keep their protocol",
    ),
    "expose": (IGNORED, "containers of the pod share one network; every port is reachable inside the pod"),
    "volumes": (MAPPED, "see the Volumes table"),
    "tmpfs": (MAPPED, "memory-backed emptyDir per path (size= option → sizeLimit)"),
    "shm_size": (MAPPED, "memory-backed emptyDir at /dev/shm with sizeLimit"),
    "configs": (MAPPED, "ConfigMap file mounts"),
    "secrets": (MAPPED, "Secret file mounts"),
    "working_dir": (MAPPED, "container workingDir"),
    "tty": (MAPPED, "container tty"),
    "stdin_open": (MAPPED, "container stdin"),
    "user": (MAPPED, "numeric uid[:gid] → securityContext runAsUser/runAsGroup; a user name is a warning"),
    "group_add": (MAPPED, "numeric groups → pod supplementalGroups; names are a warning"),
    "read_only": (MAPPED, "securityContext.readOnlyRootFilesystem"),
    "cap_add": (
        MAPPED,
        "securityContext.capabilities.add; beyond the baseline set needs KOMPOX_COMPOSE_ALLOW privileged",
    ),
    "cap_drop": (MAPPED, "securityContext.capabilities.drop"),
    "privileged": (MAPPED, "securityContext.privileged; needs KOMPOX_COMPOSE_ALLOW privileged"),
    "sysctls": (MAPPED, "pod securityContext.sysctls, Kubernetes' safe set only; other sysctls are an error"),
    "network_mode": (MAPPED, "host → hostNetwork (needs KOMPOX_COMPOSE_ALLOW host-namespaces); service:/container: "
                     "have no effect (the pod shares one network); none is a warning"),
    "pid": (MAPPED, "host → hostPID (needs KOMPOX_COMPOSE_ALLOW host-namespaces); other values are a warning"),
    "ipc": (MAPPED, "host → hostIPC (needs KOMPOX_COMPOSE_ALLOW host-namespaces); other values are a warning"),
    "devices": (MAPPED, "hostPath device mounts; needs KOMPOX_COMPOSE_ALLOW devices"),
    "depends_on": (IGNORED, "all containers of the pod start together; applications must retry their peers"),
    "networks": (IGNORED, "services reach each other by name through headless Services"),
    "container_name": (IGNORED, "the container is named after the service"),
    "labels": (IGNORED, "container labels have no Kubernetes equivalent"),
    "annotations": (IGNORED, "container annotations have no Kubernetes equivalent"),
    "profiles": (IGNORED, "every service is deployed (the loader warns)"),
    "extends": (IGNORED, "applied by the loader"),
    "links": (IGNORED, "services reach each other by name"),
    "external_links": (WARN, "links to containers outside the project do not exist in the cluster"),
    "restart": (WARN, "containers of a Deployment always restart"),
    "healthcheck": (WARN, "no liveness/readiness probes are generated"),
    "deploy": (
        MAPPED,
        "resources.limits/reservations cpus and memory → container resources limits/requests "
        "(with cpus, mem_limit, mem_reservation); "
        "other deploy keys are a warning (one pod; App deployment pools place it)",
    ),
    "scale": (WARN, "the app runs as one pod"),
    "ulimits": (WARN, "Kubernetes has no per-container ulimits; the node's limits apply"),
    "runtime": (WARN, "the container runtime is the cluster's (use a RuntimeClass outside Kompox)"),
    "platform": (WARN, "not enforced; the node's architecture selects the image variant"),
    "hostname": (WARN, "the pod's hostname is its pod name"),
    "domainname": (WARN, "the pod's domain is the cluster's"),
    "extra_hosts": (WARN, "no hostAliases are generated"),
    "dns": (WARN, "the cluster DNS is used"),
    "dns_opt": (WARN, "the cluster DNS is used"),
    "dns_search": (WARN, "the cluster DNS is used"),
    "security_opt": (WARN, "AppArmor/SELinux/seccomp options are not mapped"),
    "init": (WARN, "no init process is injected"),
    "stop_signal": (WARN, "containers are stopped with SIGTERM"),
    "stop_grace_period": (WARN, "the pod's default grace period (30s) applies"),
    "logging": (WARN, "logs go to the cluster's log pipeline (kompoxops app logs)"),
    "pull_policy": (WARN, "Kubernetes' default image pull policy applies"),
    "pull_refresh_after": (WARN, "Kubernetes' default image pull policy applies"),
    "cpus": (MAPPED, "container resources limits.cpu (as deploy.resources.limits.cpus); 0 sets nothing"),
    "mem_limit": (MAPPED, "container resources limits.memory (as deploy.resources.limits.memory); 0 sets nothing"),
    "mem_reservation": (
        MAPPED,
        "container resources requests.memory (as deploy.resources.reservations.memory); 0 sets nothing",
    ),
    "cpu_count": (WARN, "a Windows-only CPU count; use cpus (container limits.cpu)"),
    "cpu_percent": (WARN, "a Windows-only CPU percentage; use cpus (container limits.cpu)"),
    "cpu_shares": (
        WARN,
        "a relative CPU weight has no per-container Kubernetes equivalent; "
        "use deploy.resources.reservations.cpus (container requests.cpu)",
    ),
    "cpu_period": (WARN, "CFS quota tuning is not mapped; use cpus (container limits.cpu)"),
    "cpu_quota": (WARN, "CFS quota tuning is not mapped; use cpus (container limits.cpu)"),
    "cpu_rt_runtime": (WARN, "real-time CPU scheduling is not available in Kubernetes"),
    "cpu_rt_period": (WARN, "real-time CPU scheduling is not available in Kubernetes"),
    "cpuset": (WARN, "CPU pinning is not mapped (the kubelet's CPU manager places containers)"),
    "mem_swappiness": (WARN, "swap is configured per node in Kubernetes"),
    "memswap_limit": (WARN, "swap is configured per node in Kubernetes; mem_limit is the memory limit"),
    "oom_kill_disable": (WARN, "not available in Kubernetes"),
    "oom_score_adj": (WARN, "not available in Kubernetes"),
    "pids_limit": (WARN, "the node's pid limit applies"),
    "blkio_config": (WARN, "not available in Kubernetes"),
    "storage_opt": (WARN, "not available in Kubernetes"),
    "device_cgroup_rules": (WARN, "not available in Kubernetes"),
    "gpus": (WARN, "GPUs are not requested (no resource requests are generated)"),
    "cgroup": (WARN, "not available in Kubernetes"),
    "cgroup_parent": (WARN, "not available in Kubernetes"),
    "userns_mode": (WARN, "user namespaces are not configured"),
    "uts": (WARN, "the pod's UTS namespace is its own"),
    "isolation": (WARN, "not available on Linux nodes"),
    "mac_address": (WARN, "pod networking assigns addresses"),
    "credential_spec": (WARN, "not available on Linux nodes"),
    "volumes_from": (WARN, "volumes of another service are not shared; declare the volumes on this service"),
    "post_start": (WARN, "lifecycle hooks are not generated"),
    "pre_stop": (WARN, "lifecycle hooks are not generated"),
    "use_api_socket": (WARN, "there is no Docker API socket in the cluster"),
    "develop": (IGNORED, "docker compose watch settings"),
    "label_file": (IGNORED, "container labels have no Kubernetes equivalent"),
    "attach": (IGNORED, "log attachment of docker compose up"),
    "models": (WARN, "model runner services are not available"),
    "provider": (WARN, "provider services are not available"),
}
_NUMERIC = r"^\d+$"  # compiled on first use (re's cache): user/group_add are rare
_QUIET_DEFAULTS: dict[str, tuple[Any, ...]] = {"restart": ("always", "unless-stopped"), "scale": (1,)}


@dataclass
class ServiceSettings:
    """What one service adds to its container and to the pod."""

    container: dict[str, Any] = field(default_factory=dict)
    host: dict[str, bool] = field(default_factory=dict)  # hostNetwork/hostPID/hostIPC
    sysctls: dict[str, str] = field(default_factory=dict)
    groups: list[int] = field(default_factory=list)
    devices: list[tuple[str, str]] = field(default_factory=list)  # (host path, container path)
    warnings: list[str] = field(default_factory=list)


def _capability(name: str) -> str:
    upper = str(name).strip().upper()
    return upper[4:] if upper.startswith("CAP_") else upper


def _key_values(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): "" if v is None else str(v) for k, v in value.items()}
    out: dict[str, str] = {}
    for item in value or []:
        key, _, val = str(item).partition("=")
        out[key.strip()] = val.strip()
    return out


def service_settings(service: Service, allow: frozenset[str]) -> ServiceSettings:
    """Map, warn about or refuse every field of one service."""
    raw = service.raw
    out = ServiceSettings()
    where = f"service {service.name}"
    security: dict[str, Any] = {}

    if raw.get("working_dir"):
        out.container["workingDir"] = str(raw["working_dir"])
    if raw.get("tty") is True:
        out.container["tty"] = True
    if raw.get("stdin_open") is True:
        out.container["stdin"] = True
    if raw.get("read_only") is True:
        security["readOnlyRootFilesystem"] = True
    if raw.get("privileged") is True:
        if PRIVILEGED not in allow:
            raise ConversionError(f"{where}: " + refusal("privileged: true", PRIVILEGED))
        security["privileged"] = True
    adds = [_capability(c) for c in raw.get("cap_add") or []]
    drops = [_capability(c) for c in raw.get("cap_drop") or []]
    unsafe = [c for c in adds if c not in BASELINE_CAPABILITIES]
    if unsafe and PRIVILEGED not in allow:
        raise ConversionError(f"{where}: " + refusal(f"cap_add {', '.join(unsafe)}", PRIVILEGED))
    capabilities: dict[str, Any] = {}
    if adds:
        capabilities["add"] = list(dict.fromkeys(adds))
    if drops:
        capabilities["drop"] = list(dict.fromkeys(drops))
    if capabilities:
        security["capabilities"] = capabilities
    _user(raw, where, security, out)
    if security:
        out.container["securityContext"] = security

    for name, value in _key_values(raw.get("sysctls")).items():
        if name not in SAFE_SYSCTLS:
            raise ConversionError(
                f"{where}: sysctl {name} is not in Kubernetes' safe set ({', '.join(sorted(SAFE_SYSCTLS))}); "
                "unsafe sysctls need a kubelet allow-list and are refused"
            )
        out.sysctls[name] = value

    _namespaces(raw, where, allow, out)
    _deploy(raw.get("deploy"), where, out)
    _resources(raw, where, out)
    for device in raw.get("devices") or []:
        if DEVICES not in allow:
            raise ConversionError(f"{where}: " + refusal("devices", DEVICES))
        if isinstance(device, dict):
            host, target = str(device.get("source", "")), str(device.get("target") or device.get("source", ""))
        else:
            parts = str(device).split(":")
            host, target = parts[0], parts[1] if len(parts) > 1 and parts[1].startswith("/") else parts[0]
        out.devices.append((host, target))

    for key in sorted(raw):
        if key.startswith("x-"):
            continue
        kind, text = FIELDS.get(key, (WARN, "not supported by Kompox"))
        if kind != WARN or raw[key] in (None, "", [], {}, False):
            continue
        if key in _QUIET_DEFAULTS and raw[key] in _QUIET_DEFAULTS[key]:
            continue
        out.warnings.append(f"{where}: {key} is not applied: {text}")
    return out


def _user(raw: dict[str, Any], where: str, security: dict[str, Any], out: ServiceSettings) -> None:
    user = raw.get("user")
    if user not in (None, ""):
        uid, _, gid = str(user).partition(":")
        if re.match(_NUMERIC, uid) and (not gid or re.match(_NUMERIC, gid)):
            security["runAsUser"] = int(uid)
            if gid:
                security["runAsGroup"] = int(gid)
        else:
            out.warnings.append(
                f"{where}: user {user} is not applied: Kubernetes needs a numeric uid[:gid] "
                '(e.g. user: "1000:1000"); the image\'s user applies'
            )
    for group in raw.get("group_add") or []:
        if re.match(_NUMERIC, str(group)):
            out.groups.append(int(group))
        else:
            out.warnings.append(f"{where}: group_add {group} is not applied: Kubernetes needs numeric group ids")


# deploy keys other than resources: why they have no effect
_DEPLOY_REASONS = {
    "replicas": "the app runs as one pod",
    "placement": "App deployment pools place the pod",
}
_RESOURCE_KINDS = (("limits", "limits"), ("reservations", "requests"))


def _deploy(deploy: Any, where: str, out: ServiceSettings) -> None:
    """``deploy.resources`` cpus/memory → container ``resources``; every other set key is a warning."""
    if not isinstance(deploy, dict):
        return
    for key in sorted(deploy):
        value = deploy[key]
        if key == "resources" or key.startswith("x-") or value in (None, "", [], {}):
            continue
        if key == "replicas" and value == 1:
            continue
        reason = _DEPLOY_REASONS.get(key, "Swarm deployment settings have no effect in Kubernetes")
        out.warnings.append(f"{where}: deploy.{key} is not applied: {reason}")


# v2 service fields → (kubernetes resources kind, resource); deploy.resources holds the same values (the loader
# refuses distinct ones), so a field only counts where deploy.resources leaves the resource unset
_V2_RESOURCES = (
    ("cpus", "limits", "cpu"),
    ("mem_limit", "limits", "memory"),
    ("mem_reservation", "requests", "memory"),
)


def _resources(raw: dict[str, Any], where: str, out: ServiceSettings) -> None:
    """``deploy.resources`` and ``cpus``/``mem_limit``/``mem_reservation`` → container ``resources``."""
    deploy = raw.get("deploy")
    resources = (deploy.get("resources") if isinstance(deploy, dict) else None) or {}
    amounts: dict[str, dict[str, int]] = {"limits": {}, "requests": {}}  # cpu millicores, memory bytes
    sources: dict[tuple[str, str], str] = {}  # (kind, resource) → the compose field it came from
    for compose_key, kube_key in _RESOURCE_KINDS:
        section = resources.get(compose_key) or {}
        what = f"{where}: deploy.resources.{compose_key}"
        values = amounts[kube_key]
        if section.get("cpus") not in (None, ""):
            values["cpu"] = _cpu_millis(section["cpus"], f"{what}.cpus")
            sources[(kube_key, "cpu")] = f"deploy.resources.{compose_key}.cpus"
        if section.get("memory") not in (None, ""):
            values["memory"] = _memory(section["memory"], f"{what}.memory")
            sources[(kube_key, "memory")] = f"deploy.resources.{compose_key}.memory"
        for other in sorted(k for k in section if k not in ("cpus", "memory") and not str(k).startswith("x-")):
            if section[other] not in (None, "", [], {}):
                out.warnings.append(f"{what}.{other} is not applied: only cpus and memory are mapped")
    for key, kube_key, name in _V2_RESOURCES:
        value = raw.get(key)
        if value in (None, "") or name in amounts[kube_key]:
            continue
        if name == "cpu":
            if _is_zero(value):  # docker's "no limit"
                continue
            amount = _cpu_millis(value, f"{where}: {key}")
        else:
            amount = _memory(value, f"{where}: {key}", zero_ok=True)
            if amount == 0:
                continue
        amounts[kube_key][name] = amount
        sources[(kube_key, name)] = key
    limits, requests = amounts["limits"], amounts["requests"]
    for name in ("cpu", "memory"):
        if name in limits and name in requests and requests[name] > limits[name]:
            request, limit = sources[("requests", name)], sources[("limits", name)]
            if request.startswith("deploy.") and limit.startswith("deploy."):
                limit = limit.removeprefix("deploy.resources.")
            raise ConversionError(
                f"{where}: {request} exceeds {limit} (Kubernetes refuses a request above its limit)"
            )
    if limits or requests:
        out.container["resources"] = {
            kind: {
                name: _cpu_quantity(values[name]) if name == "cpu" else size_quantity(values[name])
                for name in ("cpu", "memory")
                if name in values
            }
            for kind, values in amounts.items()
            if values
        }


def _is_zero(value: Any) -> bool:
    try:
        return not isinstance(value, bool) and float(str(value).strip()) == 0
    except ValueError:
        return False


def _memory(value: Any, what: str, *, zero_ok: bool = False) -> int:
    """Bytes of a compose memory size (docker's units, ``512m``, ``1.5g``); positive unless ``zero_ok``."""
    try:
        size = ram_bytes(value)
    except ValueError:
        raise ConversionError(f"{what}: invalid size {str(value)!r} ({SIZE_HELP})") from None
    if size < 0 or (size == 0 and not zero_ok):
        raise ConversionError(f"{what} must be positive (a size, e.g. 512m)")
    return size


def _cpu_millis(value: Any, what: str) -> int:
    """Compose ``cpus`` (a decimal number of CPUs, e.g. ``0.5`` or ``"2"``) in millicores."""
    try:
        cpus = -1.0 if isinstance(value, bool) else float(str(value).strip())
    except ValueError:
        cpus = -1.0
    millis = round(cpus * 1000) if 0 < cpus < 1e6 else 0  # also refuses NaN and infinity
    if millis <= 0:
        raise ConversionError(f"{what}: invalid value {value!r} (a positive number of CPUs, e.g. 0.5 or 2)")
    return millis


def _cpu_quantity(millis: int) -> str:
    """Whole CPUs as a plain number, else millicores (``500m``)."""
    return str(millis // 1000) if millis % 1000 == 0 else f"{millis}m"


def _namespaces(raw: dict[str, Any], where: str, allow: frozenset[str], out: ServiceSettings) -> None:
    for key, pod_field in (("network_mode", "hostNetwork"), ("pid", "hostPID"), ("ipc", "hostIPC")):
        value = raw.get(key)
        if value in (None, ""):
            continue
        text = str(value)
        if text == "host":
            if HOST_NAMESPACES not in allow:
                raise ConversionError(f"{where}: " + refusal(f"{key}: host", HOST_NAMESPACES))
            out.host[pod_field] = True
        elif key == "network_mode" and (text in ("bridge", "default") or text.startswith(("service:", "container:"))):
            continue  # the pod's network is shared by all its containers
        elif key == "ipc" and (text in ("private", "shareable") or text.startswith(("service:", "container:"))):
            continue  # containers of a pod share IPC
        else:
            out.warnings.append(f"{where}: {key} {text} is not applied: the pod's own namespace is used")


def pod_settings(services: list[ServiceSettings]) -> dict[str, Any]:
    """Pod-level fields from every service (host namespaces, sysctls, supplemental groups)."""
    pod: dict[str, Any] = {}
    for settings in services:
        for host_field, enabled in settings.host.items():
            pod[host_field] = enabled
    sysctls: dict[str, str] = {}
    for settings in services:
        for name, value in settings.sysctls.items():
            if name in sysctls and sysctls[name] != value:
                raise ConversionError(
                    f"sysctl {name} set to {sysctls[name]!r} and {value!r} by two services of one pod"
                )
            sysctls[name] = value
    security: dict[str, Any] = {}
    if sysctls:
        security["sysctls"] = [{"name": k, "value": v} for k, v in sorted(sysctls.items())]
    groups = sorted({g for s in services for g in s.groups})
    if groups:
        security["supplementalGroups"] = groups
    if security:
        pod["securityContext"] = security
    return pod
