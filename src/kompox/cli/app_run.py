"""Wiring of the ``app`` commands that act on the cluster: resolve, connect, call one use case.

The composition root for ``deploy``, ``destroy``, ``status``, ``logs``,
``exec`` and ``tunnel``: it resolves the app (KOM or legacy store), builds
the provider driver, asks it for the kubeconfig (bytes, in memory) and hands
a :class:`~kompox.kube.client.KubeClient` to the use case as its
:class:`~kompox.usecase.app_kube.AppKube` port.  Progress goes to stderr,
results to stdout.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kompox.cli.context import AppContext, connect_kube, open_store, require_driver, resolve_app
from kompox.cli.runtime import Runtime
from kompox.logging import span
from kompox.usecase.app_kube import AppKube
from kompox.usecase.app_status import AppStatus
from kompox.usecase.app_target import AppTarget

if TYPE_CHECKING:
    from kompox.kube.client import KubeClient

log = logging.getLogger("kompox.cli")


def _port(kube: KubeClient) -> AppKube:
    """The kube client as the use cases' port (checked structurally by mypy)."""
    return kube


def target_of(ctx: AppContext) -> AppTarget:
    return AppTarget(app=ctx.app, cluster=ctx.cluster, provider=ctx.provider, workspace=ctx.workspace)


def connect(ctx: AppContext) -> KubeClient:
    driver = require_driver(ctx)
    assert ctx.cluster is not None  # require_driver checked it
    return connect_kube(driver, ctx.cluster)


def stderr_line(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


# --- deploy / destroy ------------------------------------------------------------------


def _bootstrap(rt: Runtime, ctx: AppContext) -> None:
    from kompox.providers.ports import DriverResolver, VolumePortAdapter
    from kompox.usecase.volume_bootstrap import bootstrap_disks

    repos = open_store(rt).repos
    assert ctx.cluster is not None
    volumes = VolumePortAdapter(DriverResolver(repos.workspaces, repos.providers))
    with span("CMD:disk.create", f"{ctx.app.id}/disk:*"):
        result = bootstrap_disks(volumes, ctx.cluster, ctx.app)
    if result.skipped:
        stderr_line(f"bootstrap disks: skipped ({result.reason})")
    for disk in result.created:
        stderr_line(f"bootstrap disks: created and assigned {disk.volume_name}/{disk.name}")


def _update_dns(rt: Runtime, ctx: AppContext, kube: KubeClient, namespace: str, verb: str) -> None:
    """``--update-dns``: DNS deploy (after a deploy) or destroy (before a destroy), component app, best effort."""
    from kompox.domain.errors import KompoxError
    from kompox.providers.ports import ClusterPortAdapter, DriverResolver
    from kompox.usecase.app_target import AppOperationError
    from kompox.usecase.dns_records import dns_deploy, dns_destroy

    repos = open_store(rt).repos
    clusters = ClusterPortAdapter(DriverResolver(repos.workspaces, repos.providers))
    assert ctx.cluster is not None
    use_case = dns_deploy if verb == "deploy" else dns_destroy
    try:
        with span(f"CMD:dns.{verb}", f"{ctx.app.id}/component:app"):
            result = use_case(clusters, kube, ctx.cluster, ctx.app, namespace=namespace)
    except KompoxError as err:
        raise AppOperationError(f"failed to update DNS: {err}", cause=err) from err
    for record in result.records:
        stderr_line(f"app {verb}: DNS {record.type} {record.fqdn}: {record.action} ({record.message})")


def run_deploy(
    rt: Runtime,
    app_id: str,
    app_name: str,
    *,
    bootstrap: bool = False,
    update_dns: bool = False,
    wait: bool = True,
    timeout: float = 300.0,
    quiet: bool = False,
    env_files: tuple[str, ...] = (),
) -> None:
    from kompox.cli.validate import run_validate
    from kompox.usecase.app_deploy import deploy_app, plan_deploy

    ctx = resolve_app(rt, app_id, app_name)
    with span("CMD:app.deploy", ctx.app.id):
        require_driver(ctx)  # a driver that cannot be built is an error, not a volume warning
        if bootstrap:
            _bootstrap(rt, ctx)
        plan = plan_deploy(run_validate(rt, app_id, app_name, env_files))
        progress = None if quiet else (lambda msg: stderr_line(f"app deploy: {msg}"))
        with connect(ctx) as kube:
            result = deploy_app(_port(kube), plan, wait=wait, timeout=timeout, progress=progress)
            for warning in result.warnings:
                stderr_line(f"Warning: {warning}")
            if update_dns:  # the app is deployed even if this fails
                _update_dns(rt, ctx, kube, plan.namespace, "deploy")
        if result.pruned:
            log.info("pruned headless services", extra={"attrs": {"names": ",".join(result.pruned)}})


def run_destroy(
    rt: Runtime, app_id: str, app_name: str, *, delete_namespace: bool = False, update_dns: bool = False
) -> None:
    from kompox.usecase.app_destroy import destroy_app

    ctx = resolve_app(rt, app_id, app_name)
    with span("CMD:app.destroy", ctx.app.id):
        names = target_of(ctx).names()
        with connect(ctx) as kube:
            if update_dns:  # the hosts are read from the Ingresses, so before they go; an error aborts
                _update_dns(rt, ctx, kube, names.namespace, "destroy")
            result = destroy_app(_port(kube), names, delete_namespace=delete_namespace)
        log.info(
            "app destroyed",
            extra={"attrs": {"deletedCount": result.deleted_count, "ns": result.namespace}},
        )


# --- reads and streams ------------------------------------------------------------------


def run_status(rt: Runtime, app_id: str, app_name: str) -> AppStatus:
    from kompox.usecase.app_status import app_status

    ctx = resolve_app(rt, app_id, app_name)
    target = target_of(ctx)
    names = target.names()
    with connect(ctx) as kube:
        return app_status(_port(kube), target, names)


def run_logs(rt: Runtime, app_id: str, app_name: str, *, container: str, follow: bool, tail: int) -> None:
    from kompox.usecase.app_ops import app_logs

    ctx = resolve_app(rt, app_id, app_name)
    names = target_of(ctx).names()
    with connect(ctx) as kube:
        try:
            app_logs(_port(kube), names, sys.stdout.buffer, container=container, follow=follow, tail_lines=tail)
        except KeyboardInterrupt:
            if not follow:
                raise
            # Ctrl-C ends a follow session: success, as upstream.


def run_exec(
    rt: Runtime,
    app_id: str,
    app_name: str,
    command: Sequence[str],
    *,
    stdin: bool,
    tty: bool,
    container: str,
    escape: str,
) -> int:
    from kompox.cli.app_process import raw_terminal
    from kompox.kube.streams import terminal_size
    from kompox.usecase.app_ops import app_exec

    ctx = resolve_app(rt, app_id, app_name)
    if not command or not command[0].strip():
        from kompox.domain.errors import ValidationError

        raise ValidationError("command is required after --")
    names = target_of(ctx).names()
    terminal = raw_terminal(sys.stdin.fileno()) if (tty and stdin) else contextlib.nullcontext()
    with connect(ctx) as kube, terminal:
        result = app_exec(
            _port(kube),
            names,
            command,
            stdout=sys.stdout.buffer,
            stderr=sys.stderr.buffer,
            stdin=sys.stdin.buffer if stdin else None,
            tty=tty,
            container=container,
            escape=escape,
            terminal_size=terminal_size,
        )
    if result.message:
        stderr_line(result.message)
    return result.exit_code


def run_tunnel(
    rt: Runtime,
    app_id: str,
    app_name: str,
    *,
    ports: Sequence[str],
    component: str,
    service: str,
    address: str,
    quiet: bool,
    command: Sequence[str],
) -> int:
    from kompox.cli.app_process import run_child, sigterm_as_interrupt
    from kompox.cli.validate import load_compose
    from kompox.usecase.app_tunnel import TunnelIO, app_tunnel, choose_service, parse_addresses, parse_port_specs

    ctx = resolve_app(rt, app_id, app_name)
    component = component or "app"
    names = target_of(ctx).names(component)
    if component == "app":
        chosen = choose_service(load_compose(ctx.app).services, service)
        log.info("tunnel service", extra={"attrs": {"service": chosen}})
    specs = parse_port_specs(ports)
    addresses = parse_addresses(address)

    def forward_error(message: str) -> None:
        log.warning("UC:app.tunnel:ForwardError", extra={"attrs": {"err": message}})

    io = TunnelIO(announce=stderr_line, forward_error=forward_error, run=run_child)
    with span("CMD:app.tunnel", ctx.app.id), connect(ctx) as kube, sigterm_as_interrupt():
        try:
            return app_tunnel(_port(kube), names, specs, io, addresses=addresses, quiet=quiet, command=command)
        except KeyboardInterrupt:
            return 0
