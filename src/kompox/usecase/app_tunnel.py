"""Use case ``app tunnel`` (aliases ``port-forward``, ``pf``): kube-and-ops.md §8.3–8.4, cli.md §10.5.7.

Forwards local ports to a pod of ``app=<app>-<component>`` (the "find pod"
rule: first ready, else first alive).  With a command, runs it with
``KOMPOX_TUNNEL_HOST``/``KOMPOX_TUNNEL_PORT_<remote>`` in its environment and
returns its exit code.  Upstream first dials the local port until it answers
(its forwarder starts asynchronously); here the listeners are bound when
``start()`` returns, so the tunnel is ready then, and no probe connection
reaches the pod.  Without one, forwards until interrupted; when the pod
goes away (rollout, eviction) it selects a pod again and reconnects on the
same local ports, backing off 1 s → 2 s → 4 s → 5 s.
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kompox.domain.errors import KompoxError, NotFoundError, ValidationError
from kompox.kube.convert import AppNames
from kompox.usecase.app_kube import AppKube, Forwarder
from kompox.usecase.app_target import AppOperationError

log = logging.getLogger("kompox.usecase")

RETRYABLE = ("connection refused", "lost connection to pod")
RECONNECT_RETRYABLE = (*RETRYABLE, "is not running", "app pod not found")
MAX_BACKOFF = 5.0


@dataclass(frozen=True)
class PortSpec:
    local: int
    remote: int


def _port(text: str, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValidationError(f'invalid {what} port "{text}": not an integer', field="--port") from None
    return value


def parse_port_spec(spec: str) -> PortSpec:
    """``LOCAL:REMOTE``, ``PORT`` (same both sides) or ``:REMOTE`` (any free local port)."""
    text = spec.strip()
    if ":" in text:
        local_text, remote_text = text.split(":", 1)
        if not remote_text:
            raise ValidationError(f'remote port is required: "{spec}"', field="--port")
        local = _port(local_text, "local") if local_text else 0
        remote = _port(remote_text, "remote")
    else:
        local = remote = _port(text, "local")
    if remote <= 0:
        raise ValidationError(f"port must be positive: {remote}", field="--port")
    if local < 0 or local > 65535 or remote > 65535:
        raise ValidationError(f'port out of range: "{spec}"', field="--port")
    return PortSpec(local, remote)


def parse_port_specs(specs: Iterable[str]) -> list[PortSpec]:
    parsed = [parse_port_spec(s) for s in specs]
    if not parsed:
        raise ValidationError("at least one --port is required", field="--port")
    return parsed


def parse_addresses(text: str) -> list[str]:
    """Comma-separated listen addresses; blanks dropped; empty means ``localhost``."""
    return [a.strip() for a in text.split(",") if a.strip()] or ["localhost"]


def choose_service(services: Iterable[str], service: str) -> str:
    """The compose service the tunnel is for (validated, then only logged, as upstream)."""
    names = sorted(services)
    if not names:
        raise ValidationError("compose project has no services")
    if service and service not in names:
        raise ValidationError(f'service "{service}" not found in compose project (services: {", ".join(names)})')
    return service or names[0]


def run_command(argv: Sequence[str], env: Mapping[str, str]) -> int:
    """Run ``argv`` directly (no shell) with inherited stdio plus ``env``; 1 if it cannot start."""
    import os

    try:
        return subprocess.call(list(argv), env={**os.environ, **env})
    except OSError as err:
        log.error("UC:app.tunnel:CommandFailed", extra={"attrs": {"err": str(err)}})
        return 1


def _retryable(text: str, patterns: Sequence[str]) -> bool:
    lowered = text.lower()
    return any(p in lowered for p in patterns)


@dataclass
class TunnelIO:
    """How the tunnel talks to its caller (all replaceable in tests)."""

    announce: Callable[[str], None]
    forward_error: Callable[[str], None] | None = None
    run: Callable[[Sequence[str], Mapping[str, str]], int] = run_command
    sleep: Callable[[float], None] = time.sleep


def _connect(
    kube: AppKube, names: AppNames, ports: list[PortSpec], addresses: list[str], io: TunnelIO
) -> tuple[Forwarder, list[tuple[int, int]]]:
    log.info("UC:app.tunnel:SelectPod/s", extra={"attrs": {"selector": names.component_selector}})
    pod = kube.find_pod(names.namespace, names.component_selector, rule="tunnel")
    if pod is None:
        raise NotFoundError(f"find target pod: app pod not found (namespace {names.namespace})")
    pod_name = str((pod.get("metadata") or {}).get("name", ""))
    log.info("UC:app.tunnel:SelectPod/eok", extra={"attrs": {"pod": pod_name}})
    forward = kube.port_forward(
        names.namespace, pod_name, [(p.local, p.remote) for p in ports], addresses=addresses, errors=io.forward_error
    )
    mapping = forward.start()
    log.info("UC:app.tunnel:Established", extra={"attrs": {"pod": pod_name, "ports": str(mapping)}})
    return forward, mapping


def app_tunnel(
    kube: AppKube,
    names: AppNames,
    ports: Sequence[PortSpec],
    io: TunnelIO,
    *,
    addresses: Sequence[str] = ("localhost",),
    quiet: bool = False,
    command: Sequence[str] = (),
) -> int:
    """Forward until interrupted (returns 0) or run ``command`` through the tunnel (returns its exit code)."""
    wanted = list(ports)
    if not wanted:
        raise ValidationError("at least one --port is required", field="--port")
    listen = list(addresses) or ["localhost"]
    log.info("UC:app.tunnel:Start", extra={"attrs": {"ns": names.namespace, "ports": str(wanted)}})
    backoff = 1.0
    established = False
    while True:
        try:
            forward, mapping = _connect(kube, names, wanted, listen, io)
        except KompoxError as err:
            if not established or command or not _retryable(str(err), RECONNECT_RETRYABLE):
                raise AppOperationError(f"port forward failed: {err}", cause=err) from err
            log.warning("UC:app.tunnel:Retrying", extra={"attrs": {"err": str(err), "backoff": backoff}})
            io.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
            continue
        established, backoff = True, 1.0
        wanted = [PortSpec(local, remote) for local, remote in mapping]  # reconnect on the same local ports
        if not quiet:
            for local, remote in mapping:
                io.announce(f"Forwarding from {listen[0]}:{local} -> {remote}")
        try:
            if command:
                env = {"KOMPOX_TUNNEL_HOST": listen[0]}
                env.update({f"KOMPOX_TUNNEL_PORT_{remote}": str(local) for local, remote in mapping})
                return io.run(list(command), env)
            reason = forward.wait(0.5)
            while reason is None:
                reason = forward.wait(0.5)
        finally:
            forward.stop()
        if not reason:
            return 0
        if not _retryable(reason, RETRYABLE):
            raise AppOperationError(f"port forward ended: {reason}")
        log.warning("UC:app.tunnel:Retrying", extra={"attrs": {"err": reason, "backoff": backoff}})
        io.sleep(backoff)
        backoff = min(backoff * 2, MAX_BACKOFF)
