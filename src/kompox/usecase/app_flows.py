"""The ``app deploy`` and ``app destroy`` commands as use cases: they own the order of the steps.

Deploy: (bootstrap disks) → validate → plan → (zone-pinned app: per-node zone
labels, :mod:`kompox.kube.node_zones`) → server-side dry run → apply →
prune → wait for the rollout → (DNS records).  Destroy: (DNS records, read
from the Ingresses before they go) → delete the component's objects →
(delete the namespace and wait until it is gone).

The ports come from the command's session: the target, the provider driver
(built on first use, the same instance for every step), the kube client
(opened on first use) and two output lines — ``say`` for what the user must
see, ``progress`` for what ``--quiet`` silences.  The CLI parses flags,
calls one of these and prints the result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kompox.domain.errors import KompoxError
from kompox.domain.model import LABEL_NODE_ZONE, Cluster
from kompox.domain.ports import ClusterPort, VolumePort
from kompox.domain.scheduling import requested_zones
from kompox.logging import span
from kompox.usecase.app_deploy import DEFAULT_ROLLOUT_TIMEOUT, DeployRefusedError, DeployResult, deploy_app, plan_deploy
from kompox.usecase.app_destroy import DestroyResult, destroy_app
from kompox.usecase.app_kube import AppKube
from kompox.usecase.app_target import AppOperationError, AppTarget
from kompox.usecase.app_validate import AppValidation

log = logging.getLogger("kompox.usecase")

DEFAULT_NAMESPACE_TIMEOUT = 300.0


class AppDriver(ClusterPort, VolumePort, Protocol):
    """The driver methods the flows call (disks for the bootstrap, DNS records)."""


@dataclass
class AppPorts:
    """What the flows work with, each built on first use by the caller's session."""

    target: AppTarget
    driver: Callable[[], AppDriver]
    kube: Callable[[], AppKube]
    say: Callable[[str], None]
    progress: Callable[[str], None]

    @property
    def cluster(self) -> Cluster:
        if self.target.cluster is None:  # the driver lookup reports it first; this is the last guard
            raise AppOperationError(f"app {self.target.app.name}: cluster not found")
        return self.target.cluster


@dataclass(frozen=True)
class DeployOptions:
    bootstrap_disks: bool = False
    update_dns: bool = False
    wait: bool = True
    timeout: float = DEFAULT_ROLLOUT_TIMEOUT


@dataclass(frozen=True)
class DestroyOptions:
    delete_namespace: bool = False
    update_dns: bool = False
    timeout: float = DEFAULT_NAMESPACE_TIMEOUT


def deploy_flow(ports: AppPorts, validate: Callable[[], AppValidation], opts: DeployOptions) -> DeployResult:
    """``app deploy``: every step in order; nothing reaches the cluster before the plan passed validation."""
    app = ports.target.app
    with span("CMD:app.deploy", app.id):
        driver = ports.driver()  # a driver that cannot be built is an error, not a volume warning
        if opts.bootstrap_disks:
            _bootstrap(ports, driver)
        plan = plan_deploy(validate())
        kube = ports.kube()
        if requested_zones(app.deployment)[0]:
            _label_node_zones(ports, kube)
        try:
            result = deploy_app(kube, plan, wait=opts.wait, timeout=opts.timeout, progress=ports.progress)
        except DeployRefusedError as err:
            for line in err.refusals:
                ports.say(f"Refused: {line}")
            raise
        for warning in result.warnings:
            ports.say(f"Warning: {warning}")
        if opts.update_dns:  # the app is deployed even if this fails
            _update_dns(ports, driver, kube, plan.namespace, "deploy")
        if result.pruned:
            log.info("pruned headless services", extra={"attrs": {"names": ",".join(result.pruned)}})
    return result


def _label_node_zones(ports: AppPorts, kube: AppKube) -> None:
    """Per-node zone labels for an app pinned to zones (nodes of multi-zone pools; never fatal).

    See :mod:`kompox.kube.node_zones`; a failure is a warning: the nodes already labelled still
    serve the app, and the next deploy or ``cluster install`` retries.
    """
    try:
        outcome = kube.label_node_zones()
    except KompoxError as err:
        ports.say(f"Warning: node zone labels not set: {err}")
        return
    for node, zone in outcome.labelled:
        ports.progress(f"node {node}: labelled {LABEL_NODE_ZONE}={zone} (from its topology.kubernetes.io/zone)")
    for line in outcome.failed:
        ports.say(f"Warning: {line}")


def destroy_flow(ports: AppPorts, opts: DestroyOptions) -> DestroyResult:
    """``app destroy``: DNS first (the hosts come from the Ingresses), then the objects, then the namespace."""
    app = ports.target.app
    with span("CMD:app.destroy", app.id):
        names = ports.target.names()
        driver = ports.driver()
        kube = ports.kube()
        if opts.update_dns:  # an error aborts: the records must not outlive the knowledge of their hosts
            _update_dns(ports, driver, kube, names.namespace, "destroy")
        result = destroy_app(kube, names, delete_namespace=opts.delete_namespace)
        _say_deleted(ports, result)
        if opts.delete_namespace:
            ports.say(f"app destroy: waiting for namespace {names.namespace} to be deleted")
            try:
                kube.wait_namespace_gone(names.namespace, timeout=opts.timeout)
            except KompoxError as err:
                raise AppOperationError(f"delete namespace {names.namespace}: {err}", cause=err) from err
            if result.namespace_deleted:
                ports.say(f"app destroy: namespace {names.namespace} deleted")
        log.info("app destroyed", extra={"attrs": {"deletedCount": result.deleted_count, "ns": result.namespace}})
    return result


def _say_deleted(ports: AppPorts, result: DestroyResult) -> None:
    """What ``app destroy`` deleted: one line per object, then the count (or that nothing was there)."""
    for kind, _namespace, name in result.deleted:
        ports.say(f"app destroy: deleted {kind} {name}")
    if result.deleted:
        ports.say(f"app destroy: {result.deleted_count} objects deleted from namespace {result.namespace}")
    else:
        ports.say(
            f"app destroy: nothing to delete in namespace {result.namespace} "
            f"(no objects labelled {result.label_selector})"
        )


def _bootstrap(ports: AppPorts, volumes: VolumePort) -> None:
    from kompox.usecase.volume_bootstrap import bootstrap_disks

    app = ports.target.app
    with span("CMD:disk.create", f"{app.id}/disk:*"):
        result = bootstrap_disks(volumes, ports.cluster, app)
    if result.skipped:
        ports.say(f"bootstrap disks: skipped ({result.reason})")
    for disk in result.created:
        ports.say(f"bootstrap disks: created and assigned {disk.volume_name}/{disk.name}")


def _update_dns(ports: AppPorts, clusters: ClusterPort, kube: AppKube, namespace: str, verb: str) -> None:
    """DNS deploy (after a deploy) or destroy (before a destroy) of the component ``app``."""
    from kompox.usecase.dns_records import dns_deploy, dns_destroy

    app = ports.target.app
    use_case = dns_deploy if verb == "deploy" else dns_destroy
    try:
        with span(f"CMD:dns.{verb}", f"{app.id}/component:app"):
            result = use_case(clusters, kube, ports.cluster, app, namespace=namespace)
    except KompoxError as err:
        raise AppOperationError(f"failed to update DNS: {err}", cause=err) from err
    for record in result.records:
        ports.say(f"app {verb}: DNS {record.type} {record.fqdn}: {record.action} ({record.message})")
