"""``app exec`` and ``app tunnel`` use cases over a scripted AppKube port (no network)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from kompox.domain.errors import NotFoundError, ValidationError
from kompox.kube.convert import app_names
from kompox.usecase.app_ops import EscapeFilter, app_exec, parse_escape
from kompox.usecase.app_target import AppOperationError
from kompox.usecase.app_tunnel import (
    PortSpec,
    TunnelIO,
    app_tunnel,
    choose_service,
    parse_addresses,
    parse_port_spec,
    parse_port_specs,
)

NAMES = app_names("demo", "k3s1", "home", "gitea")


def pod(name: str) -> dict[str, Any]:
    return {"metadata": {"name": name}}


@dataclass
class Outcome:
    exit_code: int
    detached: bool = False


@dataclass
class FakeForward:
    ports: list[tuple[int, int]]
    ends: list[str | None]  # what successive wait() calls report
    started: bool = False
    stopped: bool = False
    fail: str = ""

    def start(self) -> list[tuple[int, int]]:
        if self.fail:
            raise AppOperationError(self.fail)
        self.started = True
        return [(local or 40000 + remote, remote) for local, remote in self.ports]

    def stop(self) -> None:
        self.stopped = True

    def wait(self, timeout: float | None = None) -> str | None:
        return self.ends.pop(0) if self.ends else ""


@dataclass
class FakeKube:
    pods: list[dict[str, Any] | None] = field(default_factory=lambda: [pod("gitea-app-1")])
    exit_code: int = 0
    detached: bool = False
    forwards: list[FakeForward] = field(default_factory=list)
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def find_pod(self, namespace: str, selector: str, *, rule: str = "exec", container: str = "") -> Any:
        self.calls.append(("find_pod", (namespace, selector, rule, container)))
        return self.pods.pop(0) if len(self.pods) > 1 else self.pods[0]

    def exec(self, namespace: str, pod: str, command: Sequence[str], **kwargs: Any) -> Outcome:
        self.calls.append(("exec", (pod, list(command), kwargs)))
        return Outcome(self.exit_code, self.detached)

    def port_forward(self, namespace: str, pod: str, ports: Sequence[tuple[int, int]], **kwargs: Any) -> FakeForward:
        self.calls.append(("port_forward", (pod, list(ports), kwargs["addresses"])))
        forward = self.forwards.pop(0)
        forward.ports = list(ports)
        return forward


# --- escape sequences -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("~.", b"~."), ("^]", b"\x1d"), ("^^", b"^"), ("^?", b"\x7f"), ("^a^b", b"\x01\x02"), ("x^", b"x^")],
)
def test_parse_escape(spec: str, expected: bytes) -> None:
    assert parse_escape(spec) == expected


@pytest.mark.parametrize("spec", ["", "none", "NONE"])
def test_escape_can_be_disabled(spec: str) -> None:
    assert parse_escape(spec) is None


def test_escape_filter_withholds_and_flushes() -> None:
    esc = EscapeFilter(b"~.")
    assert esc(b"ab~") == (b"ab", False)  # "~" may start the sequence: withheld
    assert esc(b"x") == (b"~x", False)  # not the sequence: flushed with the next byte
    assert esc(b"~~") == (b"~", False)  # a second "~" restarts the match
    assert esc(b".rest") == (b"", True)  # complete: detach, the rest is never sent


def test_single_byte_escape_detaches_immediately() -> None:
    assert EscapeFilter(b"\x1d")(b"ls\x1d") == (b"ls", True)


# --- exec ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [0, 3, 127])
def test_exec_returns_the_remote_exit_code(code: int) -> None:
    kube = FakeKube(exit_code=code)
    result = app_exec(kube, NAMES, ["sh", "-c", f"exit {code}"], stdout=io.BytesIO(), container="gitea")  # type: ignore[arg-type]
    assert result.exit_code == code and result.message == ""
    assert kube.calls[0] == ("find_pod", (NAMES.namespace, "app=gitea-app", "exec", "gitea"))
    _, (pod_name, command, kwargs) = kube.calls[1]
    assert pod_name == "gitea-app-1" and command == ["sh", "-c", f"exit {code}"]
    assert kwargs["container"] == "gitea" and kwargs["stdin_filter"] is None and not kwargs["tty"]


def test_exec_detach_is_success() -> None:
    result = app_exec(  # type: ignore[arg-type]
        FakeKube(exit_code=9, detached=True), NAMES, ["sh"], stdout=io.BytesIO(), stdin=io.BytesIO(), tty=True
    )
    assert (result.exit_code, result.message) == (0, "detached")


def test_escape_filter_only_with_stdin_and_tty() -> None:
    kube = FakeKube()
    app_exec(kube, NAMES, ["sh"], stdout=io.BytesIO(), stdin=io.BytesIO(), tty=True, escape="^]")  # type: ignore[arg-type]
    app_exec(kube, NAMES, ["sh"], stdout=io.BytesIO(), tty=True)  # type: ignore[arg-type]
    app_exec(kube, NAMES, ["sh"], stdout=io.BytesIO(), stdin=io.BytesIO(), tty=True, escape="none")  # type: ignore[arg-type]
    filters = [call[1][2]["stdin_filter"] for call in kube.calls if call[0] == "exec"]
    assert isinstance(filters[0], EscapeFilter) and filters[0].sequence == b"\x1d"
    assert filters[1:] == [None, None]


@pytest.mark.parametrize("command", [[], [""], ["  "]])
def test_exec_requires_a_command(command: list[str]) -> None:
    kube = FakeKube()
    with pytest.raises(ValidationError, match="command is required after --"):
        app_exec(kube, NAMES, command, stdout=io.BytesIO())  # type: ignore[arg-type]
    assert kube.calls == []


def test_exec_without_a_pod_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="app pod not found"):
        app_exec(FakeKube(pods=[None]), NAMES, ["ls"], stdout=io.BytesIO())  # type: ignore[arg-type]


# --- tunnel: input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("8080:80", PortSpec(8080, 80)),
        ("5432", PortSpec(5432, 5432)),
        (":22", PortSpec(0, 22)),
        ("0:80", PortSpec(0, 80)),
    ],
)
def test_port_specs(spec: str, expected: PortSpec) -> None:
    assert parse_port_spec(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("x:80", 'invalid local port "x"'),
        ("80:y", 'invalid remote port "y"'),
        (":", 'remote port is required: ":"'),
        ("0", "port must be positive: 0"),
        ("-1:80", 'port out of range: "-1:80"'),
        ("70000", 'port out of range: "70000"'),
    ],
)
def test_bad_port_specs(spec: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_port_spec(spec)


def test_ports_addresses_and_service() -> None:
    with pytest.raises(ValidationError, match="at least one --port is required"):
        parse_port_specs([])
    assert parse_addresses(" , 127.0.0.1,,::1 ") == ["127.0.0.1", "::1"]
    assert parse_addresses("") == ["localhost"]
    assert choose_service(["postgres", "gitea"], "") == "gitea"
    assert choose_service(["postgres", "gitea"], "postgres") == "postgres"
    with pytest.raises(ValidationError, match='service "redis" not found in compose project'):
        choose_service(["gitea"], "redis")
    with pytest.raises(ValidationError, match="compose project has no services"):
        choose_service([], "")


# --- tunnel: behaviour --------------------------------------------------------------------------


@dataclass
class Recorder:
    lines: list[str] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)
    runs: list[tuple[list[str], dict[str, str]]] = field(default_factory=list)
    code: int = 0

    def io(self) -> TunnelIO:
        def run(argv: Sequence[str], env: Mapping[str, str]) -> int:
            self.runs.append((list(argv), dict(env)))
            return self.code

        return TunnelIO(announce=self.lines.append, run=run, sleep=self.sleeps.append)


def test_tunnel_runs_the_command_with_the_tunnel_env_and_returns_its_code() -> None:
    forward = FakeForward([], [])
    kube = FakeKube(forwards=[forward])
    rec = Recorder(code=42)

    code = app_tunnel(  # type: ignore[arg-type]
        kube, NAMES, [PortSpec(15432, 5432), PortSpec(0, 22)], rec.io(), addresses=["127.0.0.1"], command=["psql"]
    )

    assert code == 42
    assert rec.lines == ["Forwarding from 127.0.0.1:15432 -> 5432", "Forwarding from 127.0.0.1:40022 -> 22"]
    assert rec.runs == [
        (
            ["psql"],
            {"KOMPOX_TUNNEL_HOST": "127.0.0.1", "KOMPOX_TUNNEL_PORT_5432": "15432", "KOMPOX_TUNNEL_PORT_22": "40022"},
        )
    ]
    assert forward.stopped
    assert kube.calls[0] == ("find_pod", (NAMES.namespace, "app=gitea-app", "tunnel", ""))


def test_tunnel_reconnects_on_the_same_local_ports_with_backoff() -> None:
    first = FakeForward([], [None, "lost connection to pod gitea-app-1: pod deleted"])
    refused = FakeForward([], [], fail='port forward: pod "gitea-app-2" is not running (phase Pending)')
    second = FakeForward([], ["lost connection to pod gitea-app-2: pod terminating"])
    third = FakeForward([], [""])  # stopped (Ctrl-C) → success
    kube = FakeKube(
        pods=[pod("gitea-app-1"), pod("gitea-app-2"), pod("gitea-app-2"), pod("gitea-app-3")],
        forwards=[first, refused, second, third],
    )
    rec = Recorder()

    code = app_tunnel(kube, NAMES, [PortSpec(0, 3000)], rec.io(), quiet=True)  # type: ignore[arg-type]

    assert code == 0
    assert rec.lines == []  # quiet
    forwards = [args for name, args in kube.calls if name == "port_forward"]
    assert forwards == [
        ("gitea-app-1", [(0, 3000)], ["localhost"]),
        ("gitea-app-2", [(43000, 3000)], ["localhost"]),
        ("gitea-app-2", [(43000, 3000)], ["localhost"]),
        ("gitea-app-3", [(43000, 3000)], ["localhost"]),
    ]
    assert rec.sleeps == [1.0, 2.0, 1.0]  # doubled after a failed reconnect, reset once established


def test_tunnel_other_end_reasons_are_errors() -> None:
    forward = FakeForward([], ["websocket protocol error"])
    with pytest.raises(AppOperationError, match="port forward ended: websocket protocol error"):
        app_tunnel(FakeKube(forwards=[forward]), NAMES, [PortSpec(0, 80)], Recorder().io())  # type: ignore[arg-type]


def test_tunnel_first_connection_failure_is_not_retried() -> None:
    forward = FakeForward([], [], fail='port forward: pod "gitea-app-1" is not running (phase Pending)')
    rec = Recorder()
    with pytest.raises(AppOperationError, match=r"port forward failed: .*is not running"):
        app_tunnel(FakeKube(forwards=[forward]), NAMES, [PortSpec(0, 80)], rec.io())  # type: ignore[arg-type]
    assert rec.sleeps == []


def test_tunnel_without_a_pod() -> None:
    with pytest.raises(AppOperationError, match="port forward failed: find target pod: app pod not found"):
        app_tunnel(FakeKube(pods=[None]), NAMES, [PortSpec(0, 80)], Recorder().io())  # type: ignore[arg-type]
