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
import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from kompox.cli.runtime import Runtime
from kompox.logging import span
from kompox.usecase.app_status import AppStatus

if TYPE_CHECKING:
    from kompox.usecase.app_flows import AppPorts
    from kompox.usecase.app_ops import ExecResult
    from kompox.usecase.app_target import AppTarget

log = logging.getLogger("kompox.cli")


# --- deploy / destroy ------------------------------------------------------------------


def app_ports(rt: Runtime, app_id: str, app_name: str, *, quiet: bool = False, verb: str = "deploy") -> AppPorts:
    """The flows' ports from the command's session: target, driver and kube client built on first use."""
    return target_ports(rt, rt.session().app(app_id, app_name), quiet=quiet, prefix=f"app {verb}")


def target_ports(rt: Runtime, target: AppTarget, *, quiet: bool, prefix: str) -> AppPorts:
    """The flows' ports of a resolved ``target``; progress lines start with ``prefix:`` (none when ``quiet``)."""
    from kompox.usecase.app_flows import AppPorts

    session = rt.session()
    return AppPorts(
        target=target,
        driver=lambda: session.app_driver(target),
        kube=lambda: session.app_kube(target),
        say=rt.say,
        progress=(lambda _msg: None) if quiet else (lambda msg: rt.say(f"{prefix}: {msg}")),
    )


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
    from kompox.usecase.app_flows import DeployOptions, deploy_flow

    ports = app_ports(rt, app_id, app_name, quiet=quiet)
    opts = DeployOptions(bootstrap_disks=bootstrap, update_dns=update_dns, wait=wait, timeout=timeout)
    deploy_flow(ports, lambda: run_validate(rt, app_id, app_name, env_files), opts)


def run_destroy(
    rt: Runtime,
    app_id: str,
    app_name: str,
    *,
    delete_namespace: bool = False,
    update_dns: bool = False,
    timeout: float = 300.0,
) -> None:
    from kompox.usecase.app_flows import DestroyOptions, destroy_flow

    ports = app_ports(rt, app_id, app_name, verb="destroy")
    destroy_flow(ports, DestroyOptions(delete_namespace=delete_namespace, update_dns=update_dns, timeout=timeout))


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
    from kompox.usecase.app_ops import app_exec

    session = rt.session()
    ctx = session.app(app_id, app_name)
    if not command or not command[0].strip():
        from kompox.domain.errors import ValidationError

        raise ValidationError("command is required after --")
    names = ctx.names()
    kube = session.app_kube(ctx)
    return attached_exec(
        rt, functools.partial(app_exec, kube, names, command, container=container, escape=escape), stdin=stdin, tty=tty
    )


def attached_exec(rt: Runtime, use_case: Callable[..., ExecResult], *, stdin: bool, tty: bool) -> int:
    """Run an exec use case (``app exec``, ``box exec``) on the runtime's streams; returns the remote exit code.

    With ``-it`` the local terminal is raw for the session; the use case's closing message goes to stderr.
    """
    from kompox.cli.app_process import raw_terminal
    from kompox.kube.streams import terminal_size

    terminal = raw_terminal(rt.stdin.fileno()) if (tty and stdin) else contextlib.nullcontext()
    with terminal:
        result = use_case(
            stdout=rt.binary(rt.stdout),
            stderr=rt.binary(rt.stderr),
            stdin=rt.stdin.buffer if stdin else None,
            tty=tty,
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
