"""Trace object violations back to the compose or KOM field they came from (pure).

The converter derives every generated value from a compose service, a
top-level config/secret, or a field of the KOM App/Cluster.  :func:`explain`
groups the :class:`~kompox.kube.convert.object_check.Violation` list by that
origin and returns one line per origin, naming the file and field, the
refused generated value and the rule, and — for names — the nearest name
Kubernetes accepts (``my_db`` → ``my-db``) or the longest length that fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kompox.compose.model import Project
from kompox.domain.model import App, Cluster
from kompox.kube.convert.k8s_rules import dns1035_label, dns1123_label, dns1123_subdomain
from kompox.kube.convert.names import AppNames
from kompox.kube.convert.object_check import Violation

_CONTAINER = re.compile(r"^spec\.template\.spec\.containers\[(\d+)\](?:\.(\w+))?")
_POD_VOLUME = re.compile(r"^spec\.template\.spec\.volumes\[(\d+)\]")
_SERVICE_PORT = re.compile(r"^spec\.ports\[(\d+)\]\.(\w+)")
_INGRESS_RULE = re.compile(r"^spec\.rules\[(\d+)\]\.(host|http)")
_POLICY_RULE = re.compile(r"^spec\.ingress\[(\d+)\]")
_DATA_KEY = re.compile(r"^(?:data|binaryData|stringData)\[")


@dataclass(frozen=True)
class Origin:
    """Where a generated value comes from: ``where`` (file: field), a description and the source value."""

    where: str
    what: str
    value: str
    name_rule: str = ""  # "dns1035" / "label": the value becomes a Kubernetes name (suggest one)


def nearest_name(value: str, *, dns1035: bool = False, limit: int = 63) -> str:
    """The nearest DNS-1123 (or DNS-1035) label to ``value``: ``my_db`` → ``my-db``, ``1cache`` → ``svc-1cache``."""
    text = re.sub(r"[^a-z0-9-]+", "-", value.lower())
    text = re.sub(r"-{2,}", "-", text).strip("-")
    if dns1035 and text and not text[0].isalpha():
        text = f"svc-{text}"
    text = text[:limit].rstrip("-")
    return text or ("svc" if dns1035 else "x")


class _Tracer:
    def __init__(
        self,
        objects: list[dict[str, Any]],
        names: AppNames,
        app: App,
        cluster: Cluster | None,
        project: Project,
        compose_file: str,
    ) -> None:
        self.objects = {(str(o.get("kind")), str((o.get("metadata") or {}).get("name"))): o for o in objects}
        self.names = names
        self.app = app
        self.cluster = cluster
        self.project = project
        self.compose = compose_file
        self.kom = f"App/{app.name}"
        self.app_name = Origin(f"{self.kom}: metadata.name", "app name", app.name, "label")
        self.env_secrets = {names.env_base_secret(s): s for s in project.services}
        self.env_secrets.update({names.env_override_secret(s): s for s in project.services})
        self.config_maps = {names.config_map_name(k): k for k in project.configs}
        self.secrets = {names.secret_name(k): k for k in project.secrets}

    # --- origins ------------------------------------------------------------------

    def service(self, svc: str, field: str = "") -> Origin:
        if not field:
            return Origin(f"{self.compose}: services.{svc}", "compose service name", svc, "dns1035")
        return Origin(f"{self.compose}: services.{svc}.{field}", f"service {svc} {field}", "")

    def file_object(self, is_secret: bool, key: str, field: str = "") -> Origin:
        section = "secrets" if is_secret else "configs"
        if field:
            return Origin(f"{self.compose}: {section}.{key}.{field}", f"{section[:-1]} {key} {field}", "")
        return Origin(f"{self.compose}: {section}.{key}", f"{section[:-1]} name", key, "label")

    def volume(self, name: str, field: str = "name") -> Origin:
        for i, vol in enumerate(self.app.volumes):
            if vol.name == name:
                where = f"{self.kom}: spec.volumes[{i}].{field}"
                if field == "name":
                    return Origin(where, "volume name", name, "label")
                return Origin(where, f"volume {field}", "")
        return self.app_name

    def volume_of_claim(self, claim: str) -> str | None:
        h = self.names.hashes
        for vol in self.app.volumes:
            if claim.startswith(f"k4x-{h.provider}-{vol.name}-{h.app_id}-"):
                return vol.name
        return None

    def object_name(self, kind: str, name: str) -> Origin:
        if kind == "Service" and name in self.project.services:
            return self.service(name)
        if kind == "Secret" and name in self.env_secrets:
            return self.service(self.env_secrets[name])
        if kind == "Secret" and name in self.secrets:
            return self.file_object(True, self.secrets[name])
        if kind == "ConfigMap" and name in self.config_maps:
            return self.file_object(False, self.config_maps[name])
        if kind in ("PersistentVolume", "PersistentVolumeClaim"):
            vol = self.volume_of_claim(name)
            if vol is not None:
                return self.volume(vol)
        return self.app_name

    def pod_volume(self, name: str) -> Origin:
        if name.startswith("cfg-") and name[4:] in self.project.configs:
            return self.file_object(False, name[4:])
        if name.startswith("sec-") and name[4:] in self.project.secrets:
            return self.file_object(True, name[4:])
        return self.volume(name)

    def container(self, v: Violation, index: int, part: str | None) -> Origin:
        obj = self.objects.get((v.kind, v.name)) or {}
        containers = ((obj.get("spec") or {}).get("template") or {}).get("spec", {}).get("containers") or []
        svc = str(containers[index].get("name")) if index < len(containers) else "?"
        if part in ("ports", "image"):
            return self.service(svc, part)
        if part == "env":
            return self.service(svc, "environment")
        if part == "volumeMounts":
            match = re.search(r"volumeMounts\[(\d+)\]", v.path)
            mounts = containers[index].get("volumeMounts") or [] if index < len(containers) else []
            mount = mounts[int(match.group(1))] if match and int(match.group(1)) < len(mounts) else {}
            name = str(mount.get("name", ""))
            if name.startswith(("cfg-", "sec-")) and v.path.endswith(".name"):
                return self.pod_volume(name)
            return self.service(svc, "volumes")
        return self.service(svc)

    def service_port(self, v: Violation, index: int, field: str) -> Origin:
        obj = self.objects.get((v.kind, v.name)) or {}
        ports = (obj.get("spec") or {}).get("ports") or []
        port = ports[index] if index < len(ports) else {}
        for i, rule in enumerate(self.app.ingress.rules):
            if rule.name == port.get("name") and field in ("name", "port"):
                return Origin(f"{self.kom}: spec.ingress.rules[{i}].{field}", f"ingress rule {field}", "")
        for svc_name, svc in self.project.services.items():
            for p in svc.ports:
                if (field == "targetPort" and p.target == port.get("targetPort")) or (
                    field != "targetPort" and p.published.strip() == str(port.get("port"))
                ):
                    return self.service(svc_name, "ports")
        return self.app_name

    def ingress_host(self, v: Violation) -> Origin:
        for i, rule in enumerate(self.app.ingress.rules):
            for j, host in enumerate(rule.hosts):
                if host.strip() == v.value:
                    return Origin(f"{self.kom}: spec.ingress.rules[{i}].hosts[{j}]", "ingress host", host)
        domain = self.cluster.ingress.domain.strip() if self.cluster and self.cluster.ingress else ""
        if domain and dns1123_subdomain(domain):
            cluster = self.cluster.name if self.cluster else "?"
            return Origin(f"Cluster/{cluster}: spec.ingress.domain", "cluster ingress domain", domain)
        return self.app_name

    def trace(self, v: Violation) -> Origin:
        path = v.path
        if v.kind == "Deployment":
            m = _CONTAINER.match(path)
            if m:
                return self.container(v, int(m.group(1)), m.group(2))
            m = _POD_VOLUME.match(path)
            if m:
                return self.pod_volume(v.value if path.endswith(".name") else self._pod_volume_name(v, int(m.group(1))))
            if path.startswith("spec.template.spec.initContainers"):
                return Origin(f"{self.compose}: services.*.volumes", "volume sub-paths", "")
            if path.startswith("spec.template.spec.nodeSelector"):
                return Origin(f"{self.kom}: spec.deployment", "deployment selectors", "")
        if path == "metadata.name":
            return self.object_name(v.kind, v.name)
        if _DATA_KEY.match(path):
            if v.kind == "Secret" and v.name in self.env_secrets:
                return self.service(self.env_secrets[v.name], "env_file")
            if v.kind == "Secret" and v.name in self.secrets:
                return self.file_object(True, self.secrets[v.name], "file")
            if v.kind == "ConfigMap" and v.name in self.config_maps:
                return self.file_object(False, self.config_maps[v.name], "file")
        if v.kind in ("PersistentVolume", "PersistentVolumeClaim") and "storage" in path:
            vol = self.volume_of_claim(v.name)
            return self.volume(vol, "size") if vol else self.app_name
        if v.kind == "Service":
            m = _SERVICE_PORT.match(path)
            if m:
                return self.service_port(v, int(m.group(1)), m.group(2))
        if v.kind == "Ingress":
            m = _INGRESS_RULE.match(path)
            if m and m.group(2) == "host":
                return self.ingress_host(v)
            if m and path.endswith("port.name"):
                for i, rule in enumerate(self.app.ingress.rules):
                    if rule.name == v.value:
                        return Origin(f"{self.kom}: spec.ingress.rules[{i}].name", "ingress rule name", "")
        if v.kind == "NetworkPolicy":
            m = _POLICY_RULE.match(path)
            if m and int(m.group(1)) > 0:
                where = f"{self.kom}: spec.networkPolicy.ingressRules[{int(m.group(1)) - 1}]"
                return Origin(where, "network policy rule", "")
        return self.app_name

    def _pod_volume_name(self, v: Violation, index: int) -> str:
        obj = self.objects.get((v.kind, v.name)) or {}
        volumes = ((obj.get("spec") or {}).get("template") or {}).get("spec", {}).get("volumes") or []
        return str(volumes[index].get("name", "")) if index < len(volumes) else ""


def _fit(origin: Origin, v: Violation) -> int | None:
    """How long the source value may be for ``v``'s derived value to respect its length limit."""
    if v.limit is None or not origin.value or origin.value not in v.value or len(v.value) <= v.limit:
        return None
    return v.limit - (len(v.value) - len(origin.value))


def _free(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``… when another compose service already has it."""
    candidate, n = name, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate, n = name[: 63 - len(suffix)].rstrip("-") + suffix, n + 1
    return candidate


def _line(origin: Origin, found: list[Violation], taken: set[str]) -> str:
    fits = [(f, v) for v in found if (f := _fit(origin, v)) is not None]
    first = min(fits, key=lambda fv: fv[0])[1] if fits else found[0]
    subject = f'{origin.what} "{origin.value}"' if origin.value else origin.what
    if fits:
        verb = "is too long"
    else:
        verb = "cannot become a Kubernetes name" if origin.name_rule else "is refused by Kubernetes"
    text = f"{origin.where}: {subject} {verb}: {first.text()}"
    more = len(found) - 1
    if more:
        text += f" (and {more} more refusal{'s' if more > 1 else ''} in generated objects)"
    if fits:
        best = min(f for f, _ in fits)
        text += (
            f"; at most {best} characters fit" if best > 0 else "; the fixed part alone exceeds the limit"
        )
    elif origin.name_rule:
        dns1035 = origin.name_rule == "dns1035"
        suggestion = nearest_name(origin.value, dns1035=dns1035)
        if dns1035:  # compose services: do not suggest the name of another service
            suggestion = _free(suggestion, taken - {origin.value})
        check = dns1035_label if dns1035 else dns1123_label
        if suggestion != origin.value and not check(suggestion):
            text += f'; nearest valid name: "{suggestion}"'
    return text


def explain(
    violations: list[Violation],
    objects: list[dict[str, Any]],
    *,
    names: AppNames,
    app: App,
    cluster: Cluster | None,
    project: Project,
    compose_file: str,
) -> list[str]:
    """One line per origin of ``violations``, in the order the origins first appear."""
    tracer = _Tracer(objects, names, app, cluster, project, compose_file)
    groups: dict[tuple[str, str, str], tuple[Origin, list[Violation]]] = {}
    for v in violations:
        origin = tracer.trace(v)
        groups.setdefault((origin.where, origin.what, origin.value), (origin, []))[1].append(v)
    taken = set(project.services)
    return [_line(origin, found, taken) for origin, found in groups.values()]
