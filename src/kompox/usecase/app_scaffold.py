"""A first ``kompoxapp.yml`` for an existing compose project (``kompoxops init``, issue #20).

:func:`scaffold_app` reads the loaded compose project and proposes an App:

- one App volume per compose named volume, named by the converter's
  normalisation (``db_data`` → ``db-data``; longer than 16 characters or
  colliding names get a shortened name and a ``composeVolumes`` entry), with
  a default size and a comment naming the compose volume; a ``default``
  volume when the project has relative directory binds but no named volume;
- ``hostPaths`` for absolute bind sources (their common directory, or each
  parent directory, onto an App volume ``data``), except time-zone files
  and host-control paths, which the converter handles;
- one ingress rule per published TCP port whose container port is not a
  well-known non-HTTP port (databases, mail, SSH, …), named after the
  service, without hosts (the cluster's default domain gives one);
- a list of what it could not map: skipped ports and every error or warning
  the converter reports for the proposed App (it runs the conversion with
  unbound volumes, as ``app validate`` does on a cluster without disks).

Pure: the caller loads the compose project and passes the file source.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field

from kompox.compose.model import Project
from kompox.domain.model import (
    App,
    AppIngress,
    AppIngressRule,
    AppVolume,
    Cluster,
    ClusterIngress,
    Provider,
    Workspace,
)
from kompox.domain.naming import NAME_LIMITS, is_dns1123_label
from kompox.kube.convert import ConversionError, FileSource, VolumeBinding, convert
from kompox.kube.convert.compose_volumes import HOST_CONTROL, TIME_FILES, normalise_volume_name

DEFAULT_SIZE = "10Gi"
GIB = 1 << 30
MAX_RULE_NAME = 15
# Container ports that are not HTTP: no ingress rule is proposed for them.
NOT_HTTP = {
    21: "FTP", 22: "SSH", 25: "SMTP", 53: "DNS", 110: "POP3", 143: "IMAP", 389: "LDAP",
    443: "TLS (ingress terminates TLS)",
    465: "SMTPS", 587: "SMTP", 636: "LDAPS", 993: "IMAPS", 995: "POP3S", 1433: "SQL Server", 1521: "Oracle",
    1883: "MQTT", 2049: "NFS", 3306: "MySQL", 5432: "PostgreSQL", 5672: "AMQP", 6379: "Redis", 8883: "MQTT",
    9042: "Cassandra", 11211: "memcached", 27017: "MongoDB",
}  # fmt: skip


@dataclass
class Scaffold:
    """The App proposal: KOM YAML text, the App itself and the notes to print."""

    text: str
    app: App
    notes: list[str] = field(default_factory=list)


def _rule_name(service: str, port: int, taken: set[str]) -> str:
    base = "".join(c if c.isalnum() and c.isascii() else "-" for c in service.lower()).strip("-") or "http"
    if not base[0].isalpha():
        base = "p" + base
    for candidate in (base[:MAX_RULE_NAME].rstrip("-"), f"{base[: MAX_RULE_NAME - 6].rstrip('-')}-{port}"):
        if candidate not in taken:
            return candidate
    return f"p{port}"


def _volume_plan(project: Project, notes: list[str]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """[(App volume, comment)] and composeVolumes entries."""
    compose_names: set[str] = {n for n, v in project.volumes.items() if not v.external}
    relative_binds = False
    for service in project.services.values():
        for vol in service.volumes:
            if vol.type == "volume" and vol.source:
                compose_names.add(vol.source.partition("/")[0])
            relative_binds = relative_binds or (vol.type == "bind" and not vol.source.startswith("/"))
    limit = NAME_LIMITS["volume"]
    volumes: list[tuple[str, str]] = []
    mapping: dict[str, str] = {}
    used: set[str] = set()
    normals = [normalise_volume_name(n) for n in compose_names]
    for name in sorted(compose_names):
        normal = normalise_volume_name(name)
        candidates = [normal[:limit].rstrip("-")] + [f"{normal[: limit - 2].rstrip('-')}-{n}" for n in range(2, 10)]
        target = next((c for c in candidates if is_dns1123_label(c) and c not in used), "")
        if not target:
            notes.append(f"compose volume {name}: no App volume name could be derived; add one by hand")
            continue
        used.add(target)
        if target != normal or normals.count(normal) > 1:
            mapping[name] = target
        volumes.append((target, f"compose volume {name}"))
    if relative_binds and not volumes:
        volumes.append(("default", "relative bind directories are sub-paths of the first App volume"))
    return volumes, mapping


def _host_paths(project: Project, volumes: list[tuple[str, str]]) -> dict[str, str]:
    """``hostPaths`` for the absolute binds the converter can map; adds their App volume to ``volumes``."""
    sources: set[str] = set()
    for service in project.services.values():
        for vol in service.volumes:
            path = posixpath.normpath(vol.source) if vol.type == "bind" and vol.source.startswith("/") else ""
            if not path or path in TIME_FILES or path == "/":
                continue
            if any(path == c or path.startswith(c + "/") for c, _ in HOST_CONTROL):
                continue
            sources.add(path)
    if not sources:
        return {}
    taken = {name for name, _ in volumes}
    volume = next(n for n in ("data", "host-data", "host-data-2") if n not in taken)
    common = posixpath.commonpath(sorted(sources)) if len(sources) > 1 else posixpath.dirname(next(iter(sources)))
    if common.count("/") >= 2:
        volumes.append((volume, f"host paths under {common} (spec.hostPaths)"))
        return {common: volume}
    volumes.append((volume, "host paths of the compose file (spec.hostPaths)"))
    parents = sorted({posixpath.dirname(p) if p.count("/") > 1 else p for p in sources})
    return {parent: f"{volume}/{parent.lstrip('/')}" for parent in parents}


def _ingress_rules(project: Project, notes: list[str]) -> list[AppIngressRule]:
    rules: list[AppIngressRule] = []
    taken: set[str] = set()
    covered: dict[tuple[str, int], str] = {}
    hosts_seen: set[int] = set()
    for name in sorted(project.services):
        for port in project.services[name].ports:
            if not port.published or not port.published.isdigit():
                continue
            host = int(port.published)
            if port.protocol != "tcp":
                notes.append(f"port {host}/{port.protocol} of service {name}: no ingress rule (ingress is HTTP)")
                continue
            if port.target in NOT_HTTP:
                notes.append(
                    f"port {host} of service {name}: no ingress rule ({NOT_HTTP[port.target]}, not HTTP); "
                    "it stays reachable inside the cluster"
                )
                continue
            if host in hosts_seen or (name, port.target) in covered:
                notes.append(f"port {host} of service {name}: no second ingress rule for container port {port.target}")
                continue
            rule = _rule_name(name, host, taken)
            taken.add(rule)
            hosts_seen.add(host)
            covered[(name, port.target)] = rule
            rules.append(AppIngressRule(name=rule, port=host, hosts=[]))
    return rules


def _q(text: str) -> str:
    return json.dumps(text)


def render(app: App, app_id: str, compose_file: str, volumes: list[tuple[str, str]]) -> str:
    lines = [
        f"# Written by kompoxops init from {compose_file}; review it, then: kompoxops app validate",
        "apiVersion: ops.kompox.dev/v1alpha1",
        "kind: App",
        "metadata:",
        f"  name: {app.name}",
        "  annotations:",
        f"    ops.kompox.dev/id: {app_id}",
        "spec:",
        f"  compose: {_q('file:' + compose_file)}",
    ]
    if app.ingress.rules:
        lines += ["  ingress:", "    rules:"]
        for rule in app.ingress.rules:
            lines += [
                f"      - name: {rule.name}",
                f"        port: {rule.port}",
                "        hosts: []  # add your own names, e.g. [app.example.com]; the cluster domain gives one",
            ]
    if volumes:
        lines.append("  volumes:")
        for name, comment in volumes:
            lines += [f"    # {comment}; {DEFAULT_SIZE} is a default size, adjust before the first deploy",
                      f"    - name: {name}", f"      size: {DEFAULT_SIZE}"]  # fmt: skip
    if app.compose_volumes:
        lines.append("  composeVolumes:  # compose volume name -> App volume")
        lines += [f"    {_q(k)}: {v}" for k, v in sorted(app.compose_volumes.items())]
    if app.host_paths:
        lines.append("  hostPaths:  # host path prefix of absolute binds -> App volume[/sub/path] (directories)")
        lines += [f"    {_q(k)}: {v}" for k, v in sorted(app.host_paths.items())]
    return "\n".join(lines) + "\n"


def scaffold_app(
    project: Project,
    *,
    app_name: str,
    cluster_id: str,
    compose_file: str,
    ref_base: str,
    files: FileSource,
) -> Scaffold:
    """Propose the App for ``project``; ``cluster_id`` is ``/ws/<w>/prv/<p>/cls/<c>``."""
    notes: list[str] = []
    volumes, mapping = _volume_plan(project, notes)
    host_paths = _host_paths(project, volumes)
    rules = _ingress_rules(project, notes)
    app = App(
        name=app_name,
        compose=f"file:{compose_file}",
        ref_base=ref_base,
        ingress=AppIngress(rules=rules),
        volumes=[AppVolume(name=n, size=10 * GIB) for n, _ in volumes],
        compose_volumes=mapping,
        host_paths=host_paths,
    )
    parts = cluster_id.strip("/").split("/")
    names = dict(zip(parts[0::2], parts[1::2], strict=False))
    try:
        conversion = convert(
            Workspace(name=names.get("ws", "ws")),
            Provider(name=names.get("prv", "prv"), driver="k3s"),
            Cluster(name=names.get("cls", "cls"), ingress=ClusterIngress(domain="example.invalid")),
            app,
            project,
            [VolumeBinding(v.name) for v in app.volumes],
            files=files,
            allow_unbound=True,
        )
        # the ports without an ingress rule are explained by the notes above already
        notes.extend(w for w in conversion.warnings if w not in conversion.unrouted_ports)
    except ConversionError as err:
        notes.append(f"the converter refuses the project as it is: {err.message}")
    text = render(app, f"{cluster_id.rstrip('/')}/app/{app_name}", compose_file, volumes)
    return Scaffold(text=text, app=app, notes=notes)
