"""Validated KOM documents → domain models (kom.md §5.8, the **M** checks of §4).

Every problem is collected as a located :class:`ConfigError`; messages keep
upstream's wording (``app "<name>": deployment.selectors is reserved …``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from kompox.domain.errors import ConfigError, ValidationError
from kompox.domain.model import (
    App,
    AppDeployment,
    AppIngress,
    AppIngressRule,
    AppVolume,
    Box,
    Cluster,
    ClusterIngress,
    ClusterIngressCertificate,
    ClusterProtection,
    LabelSelector,
    LabelSelectorRequirement,
    NetworkPolicy,
    NetworkPolicyIngressRule,
    NetworkPolicyPeer,
    NetworkPolicyPort,
    Provider,
    Workspace,
    normalize_volume_type,
)
from kompox.domain.naming import validate_resource_name
from kompox.kom.document import KomDocument
from kompox.kom.fs import clean_join, dir_of
from kompox.kom.quantity import QuantityError, quantity_to_int64
from kompox.kom.resource_id import parent_id, quote
from kompox.kom.scalar import go_type_name
from kompox.kom.volume_maps import compose_volume_key_problem, host_path_key_problem, target_problem
from kompox.kom.yaml_stream import Path

PROTECTION_LEVELS = ("none", "cannotDelete", "readOnly")
SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
PROTOCOLS = ("TCP", "UDP", "SCTP")


@dataclass
class KomResources:
    """Every resource of one configuration, each list in Resource ID order."""

    workspaces: list[Workspace] = field(default_factory=list)
    providers: list[Provider] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    apps: list[App] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)


class VolumeSizeError(ValueError):
    pass


def volume_size_bytes(volume_name: str, value: Any) -> int:
    """``size`` of a KOM volume as int64 bytes (int, float truncated, or quantity string)."""
    prefix = f"invalid volume size for volume {quote(volume_name)}: "
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise VolumeSizeError(
            f"{prefix}unsupported type {go_type_name(value)} (expected int64, int, float64, or string)"
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise VolumeSizeError(f"{prefix}quantity {quote(str(value))} is too large for int64")
        return math.trunc(value)
    try:
        size = quantity_to_int64(value)
    except QuantityError as exc:
        raise VolumeSizeError(f"{prefix}invalid quantity string {quote(value)}: {exc}") from None
    if size is None:
        raise VolumeSizeError(f"{prefix}quantity {quote(value)} is too large for int64")
    return size


def shown_size(value: Any, size: int) -> str:
    """The size as written (quantity text) or, for numbers, in bytes."""
    return value if isinstance(value, str) else f"{size} bytes"


class _Converter:
    def __init__(self, app_file_abs: str | None, cwd: str) -> None:
        self.app_file_abs = app_file_abs
        self.cwd = cwd
        self.errors: list[ValidationError] = []

    def fail(self, doc: KomDocument, message: str, path: Path) -> None:
        self.errors.append(doc.error(message, path))

    def network_policy(self, doc: KomDocument, spec: dict[str, Any], owner: str, box: bool) -> NetworkPolicy | None:
        raw = spec.get("networkPolicy")
        if raw is None:
            return None
        rules = raw.get("ingressRules", [])
        if not rules:
            return None
        base: Path = ("spec", "networkPolicy", "ingressRules")
        policy = NetworkPolicy()
        for i, rule in enumerate(rules):
            at = (*base, i)
            peers, ports = rule.get("from", []), rule.get("ports", [])
            name = f"networkPolicy.ingressRules[{i}]"
            if not peers and not ports:
                self.fail(doc, f"{owner}: {name} is empty (must specify 'from' or 'ports')", at)
            elif ports and not peers:
                self.fail(doc, f"{owner}: {name} must specify 'from' when 'ports' are set", at)
            out = NetworkPolicyIngressRule()
            for j, peer in enumerate(peers):
                out.from_.append(self.peer(doc, owner, peer, f"{name}.from[{j}]", (*at, "from", j)))
            for j, port in enumerate(ports):
                protocol = port.get("protocol") or "TCP"
                number = port.get("port", 0)
                if protocol not in PROTOCOLS:
                    allowed = "must be one of: TCP, UDP, SCTP" if box else "must be TCP, UDP, or SCTP"
                    self.fail(
                        doc,
                        f"{owner}: {name}.ports[{j}].protocol {allowed} (got {quote(protocol)})",
                        (*at, "ports", j, "protocol"),
                    )
                if not 1 <= number <= 65535:
                    self.fail(
                        doc,
                        f"{owner}: {name}.ports[{j}].port must be between 1 and 65535 (got {number})",
                        (*at, "ports", j, "port"),
                    )
                out.ports.append(NetworkPolicyPort(protocol=protocol, port=number))
            policy.ingress_rules.append(out)
        return policy

    def peer(self, doc: KomDocument, owner: str, peer: dict[str, Any], name: str, at: Path) -> NetworkPolicyPeer:
        selector = peer.get("namespaceSelector")
        if selector is None:
            self.fail(doc, f"{owner}: {name} must have namespaceSelector", at)
            return NetworkPolicyPeer()
        labels = selector.get("matchLabels", {})
        expressions = selector.get("matchExpressions", [])
        if not labels and not expressions:
            self.fail(
                doc,
                f"{owner}: {name}.namespaceSelector is empty (must have matchLabels or matchExpressions)",
                (*at, "namespaceSelector"),
            )
        out = LabelSelector(match_labels=dict(labels))
        for k, expr in enumerate(expressions):
            op, values = expr.get("operator", ""), expr.get("values", [])
            ename = f"{name}.namespaceSelector.matchExpressions[{k}]"
            epath = (*at, "namespaceSelector", "matchExpressions", k)
            if op not in SELECTOR_OPERATORS:
                self.fail(
                    doc,
                    f"{owner}: {ename}.operator must be one of: In, NotIn, Exists, DoesNotExist (got {quote(op)})",
                    (*epath, "operator"),
                )
            elif op in ("Exists", "DoesNotExist") and values:
                self.fail(doc, f"{owner}: {ename}: operator {quote(op)} must have no values", (*epath, "values"))
            elif op in ("In", "NotIn") and not values:
                self.fail(doc, f"{owner}: {ename}: operator {quote(op)} must have at least one value", epath)
            out.match_expressions.append(
                LabelSelectorRequirement(key=expr.get("key", ""), operator=op, values=list(values))
            )
        return NetworkPolicyPeer(namespace_selector=out)

    def workspace(self, doc: KomDocument) -> Workspace:
        return Workspace(id=doc.id, name=doc.name)

    def provider(self, doc: KomDocument) -> Provider:
        spec = doc.spec
        return Provider(
            id=doc.id,
            name=doc.name,
            workspace_id=parent_id(doc.id),
            driver=spec.get("driver", ""),
            settings=spec.get("settings"),
        )

    def cluster(self, doc: KomDocument) -> Cluster:
        spec = doc.spec
        ingress = None
        if "ingress" in spec:
            raw = spec["ingress"]
            ingress = ClusterIngress(
                namespace=raw.get("namespace", ""),
                controller=raw.get("controller", ""),
                service_account=raw.get("serviceAccount", ""),
                domain=raw.get("domain", ""),
                cert_resolver=raw.get("certResolver", ""),
                cert_email=raw.get("certEmail", ""),
                certificates=[
                    ClusterIngressCertificate(name=c.get("name", ""), source=c.get("source", ""))
                    for c in raw.get("certificates", [])
                ],
            )
        protection = None
        if "protection" in spec:
            levels: dict[str, str] = {}
            for scope in ("provisioning", "installation"):
                value = spec["protection"].get(scope) or "none"
                if value not in PROTECTION_LEVELS:
                    self.fail(
                        doc,
                        f"invalid protection.{scope} value {quote(value)} for cluster {quote(doc.name)}: "
                        f"must be one of: {', '.join(PROTECTION_LEVELS)}",
                        ("spec", "protection", scope),
                    )
                levels[scope] = value
            protection = ClusterProtection(**levels)
        return Cluster(
            id=doc.id,
            name=doc.name,
            provider_id=parent_id(doc.id),
            existing=spec.get("existing", False),
            ingress=ingress,
            protection=protection,
            settings=spec.get("settings"),
        )

    def ref_base(self, doc: KomDocument) -> str:
        if self.app_file_abs is None:
            return ""
        doc_abs = clean_join(self.cwd, doc.path)
        if doc_abs != self.app_file_abs:
            return ""
        return "file://" + dir_of(doc_abs).rstrip("/") + "/"

    def app(self, doc: KomDocument) -> App:
        spec = doc.spec
        owner = f"app {quote(doc.name)}"
        app = App(
            id=doc.id,
            name=doc.name,
            cluster_id=parent_id(doc.id),
            compose=spec.get("compose", ""),
            resources=spec.get("resources"),
            settings=spec.get("settings"),
            ref_base=self.ref_base(doc),
        )
        if "ingress" in spec:
            raw = spec["ingress"]
            app.ingress = AppIngress(
                cert_resolver=raw.get("certResolver", ""),
                rules=[
                    AppIngressRule(name=r.get("name", ""), port=r.get("port", 0), hosts=list(r.get("hosts", [])))
                    for r in raw.get("rules", [])
                ],
            )
        first_index: dict[str, int] = {}
        for i, vol in enumerate(spec.get("volumes", [])):
            name = vol.get("name", "")
            at: Path = ("spec", "volumes", i)
            volume = AppVolume(name=name, options=vol.get("options"))
            self.volume_name(doc, owner, name, first_index, at)
            try:
                volume.size = volume_size_bytes(name, vol.get("size"))
            except VolumeSizeError as exc:
                self.fail(doc, str(exc), (*at, "size"))
            if volume.size < 0:
                shown = shown_size(vol.get("size"), volume.size)
                message = f"invalid volume size for volume {quote(name)}: {shown} is negative"
                self.fail(doc, f"{message} (a size in bytes or a quantity such as 32Gi)", (*at, "size"))
            try:
                volume.type = normalize_volume_type(name, vol.get("type", ""))
            except ValidationError as exc:
                self.fail(doc, exc.message, (*at, "type"))
            app.volumes.append(volume)
        volume_names = [v.name for v in app.volumes]
        for field_name, key_problem, attr in (
            ("composeVolumes", compose_volume_key_problem, app.compose_volumes),
            ("hostPaths", host_path_key_problem, app.host_paths),
        ):
            for key, value in (spec.get(field_name) or {}).items():
                problem = key_problem(key) or target_problem(value, volume_names)
                if problem:
                    self.fail(doc, f"{owner}: {field_name}: {problem}", ("spec", field_name, key))
                else:
                    attr[key] = value
        if "deployment" in spec:
            raw = spec["deployment"]
            dep = AppDeployment(
                pool=raw.get("pool", ""),
                pools=list(raw.get("pools", [])),
                zone=raw.get("zone", ""),
                zones=list(raw.get("zones", [])),
                selectors=dict(raw.get("selectors", {})),
            )
            at = ("spec", "deployment")
            if dep.pool and dep.pools:
                self.fail(doc, f"{owner}: deployment.pool and deployment.pools cannot be specified together", at)
            elif dep.zone and dep.zones:
                self.fail(doc, f"{owner}: deployment.zone and deployment.zones cannot be specified together", at)
            elif dep.selectors:
                self.fail(doc, f"{owner}: deployment.selectors is reserved and not supported yet", (*at, "selectors"))
            app.deployment = dep
        policy = self.network_policy(doc, spec, owner, box=False)
        if policy is not None:
            app.network_policy = policy
        return app

    def volume_name(self, doc: KomDocument, owner: str, name: Any, first: dict[str, int], at: Path) -> None:
        """Volume names follow the contract (1..16 chars, DNS-1123 label) and are unique per app."""
        try:
            validate_resource_name("volume", name if isinstance(name, str) else str(name))
        except ValidationError as exc:
            self.fail(doc, f"{owner}: {exc.message}", (*at, "name"))
            return
        if name in first:
            self.fail(doc, f"{owner}: duplicate volume name {quote(name)} (first at spec.volumes[{first[name]}])",
                      (*at, "name"))
            return
        first[name] = int(at[-1])

    def box(self, doc: KomDocument) -> Box:
        spec = doc.spec
        return Box(
            id=doc.id,
            name=doc.name,
            app_id=parent_id(doc.id),
            component=spec.get("component") or doc.name,
            image=spec.get("image", ""),
            command=list(spec.get("command", [])),
            args=list(spec.get("args", [])),
            ingress=dict(spec["ingress"]) if "ingress" in spec else None,
            network_policy=self.network_policy(doc, spec, f"box {quote(doc.name)}", box=True),
        )


def convert_documents(
    documents: list[KomDocument], *, app_file_abs: str | None = None, cwd: str = "/"
) -> tuple[KomResources, list[ValidationError]]:
    """Build the domain models; ``app_file_abs`` is the absolute Kompox app file path (RefBase rule)."""
    conv = _Converter(app_file_abs, cwd)
    out = KomResources()
    for doc in sorted(documents, key=lambda d: d.id.encode("utf-8")):
        if doc.kind == "Workspace":
            out.workspaces.append(conv.workspace(doc))
        elif doc.kind == "Provider":
            out.providers.append(conv.provider(doc))
        elif doc.kind == "Cluster":
            out.clusters.append(conv.cluster(doc))
        elif doc.kind == "App":
            out.apps.append(conv.app(doc))
        elif doc.kind == "Box":
            out.boxes.append(conv.box(doc))
        else:
            conv.errors.append(ConfigError(f"unsupported kind: {doc.kind}", file=doc.path, document=doc.label))
    return out, conv.errors
