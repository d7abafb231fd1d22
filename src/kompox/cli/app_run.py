"""Wiring of the ``app`` commands that act on the cluster: resolve, connect, call one use case.

The composition root for ``deploy``, ``destroy``, ``status``, ``logs``,
``exec`` and ``tunnel``: the command's :class:`~kompox.cli.session.Session`
resolves the app (KOM or legacy store), builds the provider driver, asks it
for the kubeconfig (bytes, in memory) and hands the
:class:`~kompox.kube.client.KubeClient` to the use case as its
:class:`~kompox.usecase.app_kube.AppKube` port.  Progress goes to the
runtime's stderr, results to its stdout.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kompox.cli.runtime import Runtime
from kompox.logging import span
from kompox.usecase.app_status import AppStatus
from kompox.usecase.app_target import AppTarget

if TYPE_CHECKING:
    from kompox.kube.client import KubeClient

log = logging.getLogger("kompox.cli")


# --- deploy / destroy ------------------------------------------------------------------


def _bootstrap(rt: Runtime, ctx: AppTarget) -> None:
    from kompox.usecase.volume_bootstrap import bootstrap_disks

    assert ctx.cluster is not None  # the caller built the app's driver
    volumes = rt.session().driver_for(ctx.cluster)
    with span("CMD:disk.create", f"{ctx.app.id}/disk:*"):
        result = bootstrap_disks(volumes, ctx.cluster, ctx.app)
    if result.skipped:
        rt.say(f"bootstrap disks: skipped ({result.reason})")
    for disk in result.created:
        rt.say(f"bootstrap disks: created and assigned {disk.volume_name}/{disk.name}")


def _update_dns(rt: Runtime, ctx: AppTarget, kube: KubeClient, namespace: str, verb: str) -> None:
    """``--update-dns``: DNS deploy (after a deploy) or destroy (before a destroy), component app, best effort."""
    from kompox.domain.errors import KompoxError
    from kompox.usecase.app_target import AppOperationError
    from kompox.usecase.dns_records import dns_deploy, dns_destroy

    assert ctx.cluster is not None
    use_case = dns_deploy if verb == "deploy" else dns_destroy
    try:
        with span(f"CMD:dns.{verb}", f"{ctx.app.id}/component:app"):
            result = use_case(rt.session().driver_for(ctx.cluster), kube, ctx.cluster, ctx.app, namespace=namespace)
    except KompoxError as err:
        raise AppOperationError(f"failed to update DNS: {err}", cause=err) from err
    for record in result.records:
        rt.say(f"app {verb}: DNS {record.type} {record.fqdn}: {record.action} ({record.message})")


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

    session = rt.session()
    ctx = session.app(app_id, app_name)
    with span("CMD:app.deploy", ctx.app.id):
        session.app_driver(ctx)  # a driver that cannot be built is an error, not a volume warning
        if bootstrap:
            _bootstrap(rt, ctx)
        plan = plan_deploy(run_validate(rt, app_id, app_name, env_files))
        progress = None if quiet else (lambda msg: rt.say(f"app deploy: {msg}"))
        kube = session.app_kube(ctx)
        result = deploy_app(kube, plan, wait=wait, timeout=timeout, progress=progress)
        for warning in result.warnings:
            rt.warn(warning)
        if update_dns:  # the app is deployed even if this fails
            _update_dns(rt, ctx, kube, plan.namespace, "deploy")
        if result.pruned:
            log.info("pruned headless services", extra={"attrs": {"names": ",".join(result.pruned)}})


def run_destroy(
    rt: Runtime, app_id: str, app_name: str, *, delete_namespace: bool = False, update_dns: bool = False
) -> None:
    from kompox.usecase.app_destroy import destroy_app

    session = rt.session()
    ctx = session.app(app_id, app_name)
    with span("CMD:app.destroy", ctx.app.id):
        names = ctx.names()
        kube = session.app_kube(ctx)
        if update_dns:  # the hosts are read from the Ingresses, so before they go; an error aborts
            _update_dns(rt, ctx, kube, names.namespace, "destroy")
        result = destroy_app(kube, names, delete_namespace=delete_namespace)
        log.info(
            "app destroyed",
            extra={"attrs": {"deletedCount": result.deleted_count, "ns": result.namespace}},
        )


# --- reads and streams ------------------------------------------------------------------


def run_status(rt: Runtime, app_id: str, app_name: str) -> AppStatus:
    from kompox.usecase.app_status import app_status

    session = rt.session()
    target = session.app(app_id, app_name)
    names = target.names()
    return app_status(session.app_kube(target), target, names)


def run_logs(rt: Runtime, app_id: str, app_name: str, *, container: str, follow: bool, tail: int) -> None:
    from kompox.usecase.app_ops import app_logs

    session = rt.session()
    ctx = session.app(app_id, app_name)
    names = ctx.names()
    kube = session.app_kube(ctx)
    try:
        app_logs(kube, names, rt.binary(rt.stdout), container=container, follow=follow, tail_lines=tail)
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

    session = rt.session()
    ctx = session.app(app_id, app_name)
    if not command or not command[0].strip():
        from kompox.domain.errors import ValidationError

        raise ValidationError("command is required after --")
    names = ctx.names()
    kube = session.app_kube(ctx)
    terminal = raw_terminal(rt.stdin.fileno()) if (tty and stdin) else contextlib.nullcontext()
    with terminal:
        result = app_exec(
            kube,
            names,
            command,
            stdout=rt.binary(rt.stdout),
            stderr=rt.binary(rt.stderr),
            stdin=rt.stdin.buffer if stdin else None,
            tty=tty,
            container=container,
            escape=escape,
            terminal_size=terminal_size,
        )
    if result.message:
        rt.say(result.message)
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

    session = rt.session()
    ctx = session.app(app_id, app_name)
    component = component or "app"
    names = ctx.names(component)
    if component == "app":
        chosen = choose_service(load_compose(ctx.app).services, service)
        log.info("tunnel service", extra={"attrs": {"service": chosen}})
    specs = parse_port_specs(ports)
    addresses = parse_addresses(address)

    def forward_error(message: str) -> None:
        log.warning("UC:app.tunnel:ForwardError", extra={"attrs": {"err": message}})

    def run(argv: Sequence[str], env: Mapping[str, str]) -> int:
        return run_child(argv, env, errors=rt.stderr)

    io = TunnelIO(announce=rt.say, forward_error=forward_error, run=run)
    with span("CMD:app.tunnel", ctx.app.id), sigterm_as_interrupt():
        kube = session.app_kube(ctx)
        try:
            return app_tunnel(kube, names, specs, io, addresses=addresses, quiet=quiet, command=command)
        except KeyboardInterrupt:
            return 0
