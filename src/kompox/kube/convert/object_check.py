"""Check generated Kubernetes objects against the API server's rules (pure).

:func:`check_objects` walks every object the converter emits (Namespace,
ServiceAccount, Role, RoleBinding, NetworkPolicy, PersistentVolume,
PersistentVolumeClaim, ConfigMap, Secret, Deployment, Service, Ingress) and
returns one :class:`Violation` per refused value, with the object and the
JSON path of the field.  The rules are those of :mod:`k8s_rules`; an object
kind it does not know only gets its metadata checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kompox.kube.convert import k8s_rules as r

ANNOTATIONS_MAX_BYTES = 256 * 1024
DATA_MAX_BYTES = 1024 * 1024

NAME_RULES: dict[str, r.Rule] = {
    "Namespace": r.LABEL,
    "Service": r.DNS1035,
    "Role": r.PATH_SEGMENT,
    "RoleBinding": r.PATH_SEGMENT,
    "ClusterRole": r.PATH_SEGMENT,
    "ClusterRoleBinding": r.PATH_SEGMENT,
}
"""Rule for ``metadata.name`` per kind; every other kind: DNS-1123 subdomain."""

_EXAMPLE = r"\s*\(e\.g\. .*\)$"  # apimachinery's "(e.g. ..., regex used ...)" tail; compiled on first use

CLUSTER_SCOPED = frozenset(
    {"Namespace", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "IngressClass", "StorageClass"}
)


@dataclass(frozen=True)
class Violation:
    """One value the API server (or the kubelet, for images) would refuse."""

    kind: str
    name: str
    path: str  # e.g. "spec.template.spec.containers[0].name"
    value: str
    message: str
    rule: str = ""
    limit: int | None = None

    @property
    def object(self) -> str:
        return f"{self.kind}/{self.name}"

    def text(self) -> str:
        return f'{self.object} {self.path}: "{self.value}": {self.message}'


class _Checker:
    def __init__(self, obj: dict[str, Any]) -> None:
        self.kind = str(obj.get("kind", ""))
        self.name = str((obj.get("metadata") or {}).get("name", ""))
        self.out: list[Violation] = []

    def add(self, path: str, value: object, message: str, rule: r.Rule | None = None) -> None:
        title = rule.title if rule else ""
        limit = rule.limit if rule else None
        self.out.append(Violation(self.kind, self.name, path, str(value), message, title, limit))

    def rule(self, path: str, value: object, rule: r.Rule) -> None:
        text = "" if value is None else str(value)
        problems = [re.sub(_EXAMPLE, "", p) for p in rule.check(text)]
        if problems:
            self.add(path, text, f"must be a valid {rule.title}: {'; '.join(problems)}", rule)

    def required(self, path: str, value: object) -> bool:
        if value in (None, "", [], {}):
            self.add(path, "", "Required value")
            return False
        return True

    def port(self, path: str, value: object) -> None:
        for message in r.port_number(value):
            self.add(path, value, message)

    def unique(self, path: str, values: Iterable[tuple[str, str]]) -> None:
        """``values``: (item path, value); report every repeat of an earlier value."""
        seen: set[str] = set()
        for item_path, value in values:
            if value in seen:
                self.add(f"{path}{item_path}", value, "Duplicate value")
            seen.add(value)

    # --- metadata -----------------------------------------------------------

    def metadata(self, meta: dict[str, Any], path: str = "metadata", *, top: bool = True) -> None:
        if top:
            if self.required(f"{path}.name", meta.get("name")):
                self.rule(f"{path}.name", meta.get("name"), NAME_RULES.get(self.kind, r.SUBDOMAIN))
            if self.kind not in CLUSTER_SCOPED and self.required(f"{path}.namespace", meta.get("namespace")):
                self.rule(f"{path}.namespace", meta.get("namespace"), r.LABEL)
        self.labels(f"{path}.labels", meta.get("labels") or {})
        annotations = meta.get("annotations") or {}
        for key in annotations:
            self.rule(f"{path}.annotations[{key}]", str(key).lower(), r.QUALIFIED)
        size = sum(len(str(k).encode()) + len(str(v).encode()) for k, v in annotations.items())
        if size > ANNOTATIONS_MAX_BYTES:
            self.add(f"{path}.annotations", f"{size} bytes", f"must have at most {ANNOTATIONS_MAX_BYTES} bytes")

    def labels(self, path: str, labels: dict[str, Any]) -> None:
        for key, value in labels.items():
            self.rule(f"{path}[{key}]", key, r.QUALIFIED)
            self.rule(f"{path}[{key}]", value, r.LABEL_VALUE)

    def selector(self, path: str, selector: dict[str, Any]) -> None:
        self.labels(f"{path}.matchLabels", selector.get("matchLabels") or {})
        for i, expr in enumerate(selector.get("matchExpressions") or []):
            at = f"{path}.matchExpressions[{i}]"
            self.rule(f"{at}.key", expr.get("key"), r.QUALIFIED)
            operator = expr.get("operator")
            values = expr.get("values") or []
            if operator in ("In", "NotIn"):
                if not values:
                    self.add(f"{at}.values", "", f"must be specified when `operator` is '{operator}'")
            elif operator in ("Exists", "DoesNotExist"):
                if values:
                    self.add(f"{at}.values", ",".join(values), f"may not be specified when `operator` is '{operator}'")
            else:
                self.add(f"{at}.operator", operator, 'supported values: "DoesNotExist", "Exists", "In", "NotIn"')
            for j, value in enumerate(values):
                self.rule(f"{at}.values[{j}]", value, r.LABEL_VALUE)

    # --- data objects ---------------------------------------------------------

    def data(self, obj: dict[str, Any]) -> None:
        keys: list[tuple[str, str]] = []
        size = 0
        for section in ("data", "binaryData", "stringData"):
            for key, value in (obj.get(section) or {}).items():
                self.rule(f"{section}[{key}]", key, r.CONFIG_KEY)
                keys.append((f"[{key}]", key))
                size += len(str(value).encode())
        self.unique("data", keys)
        if size > DATA_MAX_BYTES:
            self.add("data", f"{size} bytes", f"must have at most {DATA_MAX_BYTES} bytes")

    # --- pods -----------------------------------------------------------------

    def pod(self, spec: dict[str, Any], path: str) -> None:
        volumes = spec.get("volumes") or []
        names: list[tuple[str, str]] = []
        for i, vol in enumerate(volumes):
            at = f"{path}.volumes[{i}]"
            self.rule(f"{at}.name", vol.get("name"), r.LABEL)
            names.append((f"[{i}].name", str(vol.get("name"))))
            self.volume_source(vol, at)
        self.unique(f"{path}.volumes", names)
        known = {n for _, n in names}
        containers: list[tuple[str, str]] = []
        for section in ("initContainers", "containers"):
            items = spec.get(section) or []
            if section == "containers":
                self.required(f"{path}.containers", items)
            for i, ctr in enumerate(items):
                at = f"{path}.{section}[{i}]"
                self.container(ctr, at, known)
                containers.append((f"{section}[{i}].name", str(ctr.get("name"))))
        self.unique(f"{path}.", containers)
        node_selector = spec.get("nodeSelector") or {}
        self.labels(f"{path}.nodeSelector", node_selector)

    def volume_source(self, vol: dict[str, Any], at: str) -> None:
        if "persistentVolumeClaim" in vol:
            self.required(f"{at}.persistentVolumeClaim.claimName", vol["persistentVolumeClaim"].get("claimName"))
        for source, field in (("configMap", "name"), ("secret", "secretName")):
            if source not in vol:
                continue
            ref = vol[source]
            if self.required(f"{at}.{source}.{field}", ref.get(field)):
                self.rule(f"{at}.{source}.{field}", ref.get(field), r.SUBDOMAIN)
            for j, item in enumerate(ref.get("items") or []):
                self.rule(f"{at}.{source}.items[{j}].key", item.get("key"), r.CONFIG_KEY)
                if self.required(f"{at}.{source}.items[{j}].path", item.get("path")):
                    self.rule(f"{at}.{source}.items[{j}].path", item.get("path"), r.DESCENDING_PATH)

    def container(self, ctr: dict[str, Any], at: str, volumes: set[str]) -> None:
        if self.required(f"{at}.name", ctr.get("name")):
            self.rule(f"{at}.name", ctr.get("name"), r.LABEL)
        self.rule(f"{at}.image", ctr.get("image", ""), r.IMAGE)
        port_names: list[tuple[str, str]] = []
        for i, port in enumerate(ctr.get("ports") or []):
            self.port(f"{at}.ports[{i}].containerPort", port.get("containerPort"))
            if "hostPort" in port and port["hostPort"] != 0:
                self.port(f"{at}.ports[{i}].hostPort", port["hostPort"])
            if port.get("name"):
                self.rule(f"{at}.ports[{i}].name", port["name"], r.PORT_NAME)
                port_names.append((f"[{i}].name", str(port["name"])))
        self.unique(f"{at}.ports", port_names)
        for i, env in enumerate(ctr.get("env") or []):
            if self.required(f"{at}.env[{i}].name", env.get("name")):
                self.rule(f"{at}.env[{i}].name", env.get("name"), r.ENV_NAME)
        for i, src in enumerate(ctr.get("envFrom") or []):
            if src.get("prefix"):
                self.rule(f"{at}.envFrom[{i}].prefix", src["prefix"], r.ENV_NAME)
            for kind in ("secretRef", "configMapRef"):
                if kind in src and self.required(f"{at}.envFrom[{i}].{kind}.name", src[kind].get("name")):
                    self.rule(f"{at}.envFrom[{i}].{kind}.name", src[kind].get("name"), r.SUBDOMAIN)
        paths: list[tuple[str, str]] = []
        for i, mount in enumerate(ctr.get("volumeMounts") or []):
            mat = f"{at}.volumeMounts[{i}]"
            name = mount.get("name")
            if self.required(f"{mat}.name", name) and name not in volumes:
                self.add(f"{mat}.name", name, "Not found")
            if self.required(f"{mat}.mountPath", mount.get("mountPath")):
                paths.append((f"[{i}].mountPath", str(mount.get("mountPath"))))
            if mount.get("subPath"):
                self.rule(f"{mat}.subPath", mount["subPath"], r.DESCENDING_PATH)
        self.unique(f"{at}.volumeMounts", paths)

    # --- kinds ----------------------------------------------------------------

    def service(self, spec: dict[str, Any]) -> None:
        ports = spec.get("ports") or []
        names: list[tuple[str, str]] = []
        numbers: list[tuple[str, str]] = []
        for i, port in enumerate(ports):
            at = f"spec.ports[{i}]"
            name = port.get("name") or ""
            if len(ports) > 1 and not name:
                self.add(f"{at}.name", "", "Required value")
            elif name:
                self.rule(f"{at}.name", name, r.LABEL)
                names.append((f"[{i}].name", str(name)))
            self.port(f"{at}.port", port.get("port"))
            numbers.append((f"[{i}]", f"{port.get('port')}/{port.get('protocol', 'TCP')}"))
            target = port.get("targetPort")
            if isinstance(target, str):
                self.rule(f"{at}.targetPort", target, r.PORT_NAME)
            elif target is not None:
                self.port(f"{at}.targetPort", target)
        self.unique("spec.ports", names)
        self.unique("spec.ports", numbers)
        for key, value in (spec.get("selector") or {}).items():
            self.rule(f"spec.selector[{key}]", key, r.QUALIFIED)
            self.rule(f"spec.selector[{key}]", value, r.LABEL_VALUE)

    def ingress(self, spec: dict[str, Any]) -> None:
        for i, rule in enumerate(spec.get("rules") or []):
            at = f"spec.rules[{i}]"
            if rule.get("host"):
                self.rule(f"{at}.host", rule["host"], r.HOST)
            for j, item in enumerate((rule.get("http") or {}).get("paths") or []):
                pat = f"{at}.http.paths[{j}]"
                if not str(item.get("path", "/")).startswith("/"):
                    self.add(f"{pat}.path", item.get("path"), "must be an absolute path")
                backend = (item.get("backend") or {}).get("service") or {}
                self.rule(f"{pat}.backend.service.name", backend.get("name"), r.DNS1035)
                port = backend.get("port") or {}
                if port.get("name"):
                    self.rule(f"{pat}.backend.service.port.name", port["name"], r.PORT_NAME)
                elif "number" in port:
                    self.port(f"{pat}.backend.service.port.number", port["number"])
                else:
                    self.add(f"{pat}.backend.service.port", "", "Required value")

    def storage(self, path: str, value: object, *, positive: bool) -> None:
        text = str(value if value is not None else "")
        if not text:
            self.add(path, "", "Required value")
        elif text.startswith("-") or (positive and text.strip("0") == ""):
            self.add(path, text, "must be greater than zero" if positive else "must be greater than or equal to 0")

    def network_policy(self, spec: dict[str, Any]) -> None:
        self.selector("spec.podSelector", spec.get("podSelector") or {})
        for i, rule in enumerate(spec.get("ingress") or []):
            for j, peer in enumerate(rule.get("from") or []):
                for key in ("namespaceSelector", "podSelector"):
                    if key in peer:
                        self.selector(f"spec.ingress[{i}].from[{j}].{key}", peer[key] or {})
            for j, port in enumerate(rule.get("ports") or []):
                if port.get("protocol") not in (None, "TCP", "UDP", "SCTP"):
                    self.add(f"spec.ingress[{i}].ports[{j}].protocol", port.get("protocol"), "unsupported protocol")
                if "port" in port:
                    value = port["port"]
                    if isinstance(value, str):
                        self.rule(f"spec.ingress[{i}].ports[{j}].port", value, r.PORT_NAME)
                    else:
                        self.port(f"spec.ingress[{i}].ports[{j}].port", value)

    def check(self, obj: dict[str, Any]) -> list[Violation]:
        self.metadata(obj.get("metadata") or {})
        spec = obj.get("spec") or {}
        if self.kind == "Deployment":
            self.selector("spec.selector", spec.get("selector") or {})
            template = spec.get("template") or {}
            self.metadata(template.get("metadata") or {}, "spec.template.metadata", top=False)
            self.pod(template.get("spec") or {}, "spec.template.spec")
        elif self.kind == "Service":
            self.service(spec)
        elif self.kind == "Ingress":
            self.ingress(spec)
        elif self.kind in ("ConfigMap", "Secret"):
            self.data(obj)
        elif self.kind == "PersistentVolumeClaim":
            requests = (spec.get("resources") or {}).get("requests") or {}
            self.storage("spec.resources.requests[storage]", requests.get("storage"), positive=True)
            if spec.get("volumeName"):
                self.rule("spec.volumeName", spec["volumeName"], r.SUBDOMAIN)
        elif self.kind == "PersistentVolume":
            self.storage("spec.capacity[storage]", (spec.get("capacity") or {}).get("storage"), positive=False)
        elif self.kind == "NetworkPolicy":
            self.network_policy(spec)
        elif self.kind == "RoleBinding":
            for i, subject in enumerate(obj.get("subjects") or []):
                if subject.get("kind") == "ServiceAccount":
                    self.rule(f"subjects[{i}].name", subject.get("name"), r.SUBDOMAIN)
        return self.out


def check_objects(objects: list[dict[str, Any]]) -> list[Violation]:
    """Every violation of every object, in object order; duplicates (kind, namespace, name) too."""
    out: list[Violation] = []
    seen: set[tuple[str, str, str, str]] = set()
    for obj in objects:
        checker = _Checker(obj)
        out.extend(checker.check(obj))
        meta = obj.get("metadata") or {}
        key = (str(obj.get("apiVersion")), checker.kind, str(meta.get("namespace", "")), checker.name)
        if key in seen:
            out.append(Violation(checker.kind, checker.name, "metadata.name", checker.name, "Duplicate value"))
        seen.add(key)
    return out
