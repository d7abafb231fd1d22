"""DNS records of an app's ingress hosts (kube-and-ops.md §9.3, §9.4; ADR-004).

The hosts come from the live Ingresses of the app component
(``app=<app>-<component>`` in the app namespace) with their load-balancer IP;
each becomes a :class:`~kompox.domain.model.DNSRecordSet` handed to the
provider through ``ClusterPort.dns_apply``:

* :func:`dns_deploy` — one ``A`` record per host (TTL 0 = provider default);
  a host without IP is ``skipped`` (an error with ``strict``).
* :func:`dns_destroy` — per host, deletion (empty RDATA) of ``A``, ``AAAA``
  and ``CNAME``.  Run it before the Ingresses are removed.

Write failures are best effort unless ``strict`` (recorded as ``failed``);
invalid input (a :class:`ValidationError` from the driver) always raises.
Each result is also logged (INFO applied/planned/deleted, WARN skipped,
ERROR failed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from kompox.domain.errors import KompoxError, ValidationError
from kompox.domain.model import App, Cluster, DNSRecordSet, DNSRecordType, Provider, Workspace
from kompox.domain.naming import new_hashes
from kompox.domain.options import ClusterDNSApplyOptions
from kompox.domain.ports import ClusterPort

log = logging.getLogger("kompox.usecase.dns")

DEFAULT_COMPONENT = "app"
DELETE_TYPES = (DNSRecordType.A, DNSRecordType.AAAA, DNSRecordType.CNAME)


class IngressHostReader(Protocol):
    """``(host, ip)`` pairs of the Ingresses matching ``selector``, sorted by host (kube client)."""

    def ingress_host_ips(self, namespace: str, selector: str) -> list[tuple[str, str]]: ...


@dataclass(frozen=True)
class DNSOptions:
    component: str = DEFAULT_COMPONENT  # empty also means "app"
    strict: bool = False
    dry_run: bool = False
    zone_hint: str = ""


@dataclass(frozen=True)
class DNSRecordResult:
    fqdn: str
    type: str
    action: str  # updated | planned | skipped | failed | deleted
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"fqdn": self.fqdn, "type": self.type, "action": self.action, "message": self.message}


@dataclass
class DNSResult:
    namespace: str
    selector: str
    records: list[DNSRecordResult] = field(default_factory=list)

    def to_json(self, key: str) -> dict[str, Any]:
        """``{"applied": [...]}`` (deploy) or ``{"deleted": [...]}`` (destroy); ``null`` when no host."""
        return {key: [r.to_json() for r in self.records] if self.records else None}


def app_namespace(workspace: Workspace | None, provider: Provider | None, cluster: Cluster, app: App) -> str:
    """The app namespace ``k4x-<spHASH>-<app>-<idHASH>`` (kube-and-ops.md §2.2)."""
    if workspace is None or provider is None:
        raise ValidationError(
            f"namespace is required: the workspace and provider of app {app.name!r} must be known to derive it"
        )
    return new_hashes(workspace.name, provider.name, cluster.name, app.name).namespace


def component_selector(app: App, component: str) -> str:
    return f"app={app.name}-{component or DEFAULT_COMPONENT}"


def _record(result: DNSResult, fqdn: str, rtype: str, action: str, message: str, verb: str) -> None:
    entry = DNSRecordResult(fqdn, rtype, action, message)
    result.records.append(entry)
    attrs = {"attrs": entry.to_json()}
    if action == "failed":
        log.error(f"failed to {verb} DNS record", extra=attrs)
    elif action == "skipped":
        log.warning(f"skipped DNS record ({message})", extra=attrs)
    elif action == "planned":
        log.info(f"would {verb} DNS record", extra=attrs)
    else:
        log.info(f"{'applied' if verb == 'apply' else 'deleted'} DNS record", extra=attrs)


def _abort(message: str, err: KompoxError) -> KompoxError:
    """``message: err`` keeping the cause's exit code."""
    wrapped = KompoxError(f"{message}: {err}")
    wrapped.exit_code = err.exit_code
    return wrapped


def _start(
    kube: IngressHostReader, app: App, namespace: str, options: DNSOptions
) -> tuple[DNSResult, list[tuple[str, str]]]:
    if not namespace:
        raise ValidationError("namespace is required")
    selector = component_selector(app, options.component)
    return DNSResult(namespace, selector), kube.ingress_host_ips(namespace, selector)


def _apply_options(options: DNSOptions) -> ClusterDNSApplyOptions:
    return ClusterDNSApplyOptions(zone_hint=options.zone_hint, strict=options.strict, dry_run=options.dry_run)


@dataclass(frozen=True)
class _RecordWriter:
    """Hands record sets to the provider for one ``verb`` (apply | delete) and records each outcome.

    A driver ``ValidationError`` always raises; other failures are recorded as
    ``failed`` and abort (``<verb> DNS for <what>: <cause>``) only with ``strict``.
    """

    clusters: ClusterPort
    cluster: Cluster
    options: DNSOptions
    result: DNSResult
    verb: str

    def write(self, rset: DNSRecordSet, what: str, *, planned: str, done: tuple[str, str]) -> None:
        """Apply ``rset``; record ``planned`` (dry run), ``done`` = (action, message), or the failure."""
        rtype = rset.type.value
        try:
            self.clusters.cluster_dns_apply(self.cluster, rset, _apply_options(self.options))
        except ValidationError:
            raise
        except KompoxError as err:
            _record(self.result, rset.fqdn, rtype, "failed", str(err), self.verb)
            if self.options.strict:
                raise _abort(f"{self.verb} DNS for {what}", err) from err
            return
        if self.options.dry_run:
            _record(self.result, rset.fqdn, rtype, "planned", planned, self.verb)
        else:
            _record(self.result, rset.fqdn, rtype, *done, self.verb)


def dns_deploy(
    clusters: ClusterPort,
    kube: IngressHostReader,
    cluster: Cluster,
    app: App,
    *,
    namespace: str,
    options: DNSOptions | None = None,
) -> DNSResult:
    """Create/update one ``A`` record per ingress host of the app component."""
    options = options or DNSOptions()
    result, hosts = _start(kube, app, namespace, options)
    writer = _RecordWriter(clusters, cluster, options, result, "apply")
    for host, ip in hosts:
        if not ip:
            if options.strict:
                raise KompoxError(f"no IP address available for {host}")
            _record(result, host, "A", "skipped", "no IP address available yet", "apply")
            continue
        rset = DNSRecordSet(fqdn=host, type=DNSRecordType.A, ttl=0, rdata=[ip])
        writer.write(rset, host, planned=f"would create/update A -> {ip}", done=("updated", f"A -> {ip}"))
    return result


def dns_destroy(
    clusters: ClusterPort,
    kube: IngressHostReader,
    cluster: Cluster,
    app: App,
    *,
    namespace: str,
    options: DNSOptions | None = None,
) -> DNSResult:
    """Delete the ``A``, ``AAAA`` and ``CNAME`` records of every ingress host of the app component."""
    options = options or DNSOptions()
    result, hosts = _start(kube, app, namespace, options)
    writer = _RecordWriter(clusters, cluster, options, result, "delete")
    for host, _ip in hosts:
        for rtype in DELETE_TYPES:
            rset = DNSRecordSet(fqdn=host, type=rtype, ttl=0, rdata=[])
            planned, done = f"would delete {rtype.value} record", ("deleted", f"{rtype.value} record deleted")
            writer.write(rset, f"{host} ({rtype.value})", planned=planned, done=done)
    return result
