"""Exec and port-forward through the real client's websocket transport against a local fake."""

from __future__ import annotations

import io
import os
import socket
from collections.abc import Iterator

import pytest
from ws_server import WSThread

from kompox.kube.client import KubeClient
from kompox.kube.streams import PortForward, exec_in_pod, exit_code_from_status
from kompox.kube.transport import KubeAPIError


@pytest.fixture()
def ws() -> Iterator[WSThread]:
    srv = WSThread().start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture()
def wsclient(ws: WSThread) -> Iterator[KubeClient]:
    kc = KubeClient(ws.kubeconfig, timeout=5)
    try:
        yield kc
    finally:
        kc.close()


@pytest.mark.parametrize("code", [0, 3])
def test_exec_returns_the_remote_exit_code(ws: WSThread, wsclient: KubeClient, code: int) -> None:
    ws.exit_code = code
    out, err = io.BytesIO(), io.BytesIO()

    result = exec_in_pod(wsclient, "ns", "p1", ["sh", "-c", "exit 3"], container="web", stdout=out, stderr=err)

    assert result.exit_code == code
    assert out.getvalue() == b"hello from p1\n"
    assert err.getvalue() == b"warning\n"
    (req,) = ws.requests
    assert req["path"] == "/api/v1/namespaces/ns/pods/p1/exec"
    assert req["query"] == [
        ("command", "sh"),
        ("command", "-c"),
        ("command", "exit 3"),
        ("stdin", "false"),
        ("stdout", "true"),
        ("stderr", "true"),
        ("tty", "false"),
        ("container", "web"),
    ]
    assert req["authorization"] == "Bearer ws-token"
    assert "v4.channel.k8s.io" in req["protocol"]


def test_exec_sends_stdin(ws: WSThread, wsclient: KubeClient) -> None:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"ping\n")
    out = io.BytesIO()
    with os.fdopen(read_fd, "rb", buffering=0) as stdin:
        result = exec_in_pod(wsclient, "ns", "p1", ["cat"], stdin=stdin, stdout=out, tty=True)
    os.close(write_fd)
    assert result.exit_code == 0
    # no stderr sink: stderr goes to stdout; channels 1 and 2 of one read may interleave either way
    assert out.getvalue().startswith(b"hello from p1\n")
    assert sorted(out.getvalue().splitlines()) == [b"echo:ping", b"hello from p1", b"warning"]
    assert ("tty", "true") in ws.requests[0]["query"]


def test_exit_code_from_status_rejects_other_failures() -> None:
    assert exit_code_from_status('{"status": "Success"}') == 0
    with pytest.raises(KubeAPIError, match="container not found"):
        exit_code_from_status('{"status": "Failure", "reason": "BadRequest", "message": "container not found"}')


def test_port_forward_tunnels_a_connection(ws: WSThread, wsclient: KubeClient) -> None:
    errors: list[str] = []
    forward = PortForward(wsclient, "ns", "p1", [(0, 5432)], addresses=["127.0.0.1"], errors=errors.append)
    ((local, remote),) = forward.start()
    try:
        assert remote == 5432 and local > 0
        with socket.create_connection(("127.0.0.1", local), timeout=5) as conn:
            conn.sendall(b"hello")
            assert conn.recv(100) == b"HELLO"
    finally:
        forward.stop()
    assert errors == []
    assert [r["path"] for r in ws.requests] == [
        "/api/v1/namespaces/ns/pods/p1",
        "/api/v1/namespaces/ns/pods/p1/portforward",
    ]
    assert ws.requests[1]["query"] == [("ports", "5432")]


NO_NODE = {
    "kind": "Status",
    "apiVersion": "v1",
    "metadata": {},
    "status": "Failure",
    "message": "pod p1 does not have a host assigned",
    "reason": "BadRequest",
    "code": 400,
}


@pytest.mark.parametrize(
    ("refusal", "expected"),
    [
        ((400, NO_NODE), '400 BadRequest: pod p1 does not have a host assigned'),
        (
            (403, {**NO_NODE, "reason": "Forbidden", "code": 403, "message": 'pods "p1" is forbidden: no exec'}),
            '403 Forbidden: pods "p1" is forbidden: no exec',
        ),
        ((502, "upstream\nconnect error"), "502 Bad Gateway: upstream"),
    ],
    ids=["no-node", "forbidden", "not-a-status"],
)
def test_exec_refused_names_the_servers_message(
    ws: WSThread, wsclient: KubeClient, refusal: tuple[int, object], expected: str
) -> None:
    ws.refusal = refusal  # type: ignore[assignment]
    with pytest.raises(KubeAPIError) as info:
        exec_in_pod(wsclient, "ns", "p1", ["sh"], stdout=io.BytesIO())
    message = str(info.value)
    assert message == f'exec in pod "p1" in namespace "ns": {expected}'
    assert "Handshake" not in message and "-+-+-" not in message and "\n" not in message
    assert info.value.status_code == refusal[0]


def test_port_forward_refused_reports_the_servers_message(ws: WSThread, wsclient: KubeClient) -> None:
    errors: list[str] = []
    forward = PortForward(wsclient, "ns", "p1", [(0, 5432)], addresses=["127.0.0.1"], errors=errors.append)
    ((local, _),) = forward.start()
    ws.refusal = (400, NO_NODE)
    try:
        with socket.create_connection(("127.0.0.1", local), timeout=5) as conn:
            assert conn.recv(100) == b""  # the local connection is closed at once
    finally:
        forward.stop()
    assert errors == ["port forward 5432: 400 BadRequest: pod p1 does not have a host assigned"]


def test_port_forward_requires_a_running_pod(ws: WSThread, wsclient: KubeClient) -> None:
    ws.pod["status"] = {"phase": "Pending"}
    with pytest.raises(KubeAPIError, match='pod "p1" is not running'):
        PortForward(wsclient, "ns", "p1", [(0, 80)]).start()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"metadata": {"name": "p1", "deletionTimestamp": "2026-01-01T00:00:00Z"}}, "pod terminating"),
        ({"status": {"phase": "Succeeded"}}, "pod succeeded"),
    ],
)
def test_port_forward_ends_when_the_pod_goes_away(
    ws: WSThread, wsclient: KubeClient, change: dict[str, object], reason: str
) -> None:
    forward = PortForward(wsclient, "ns", "p1", [(0, 80)], addresses=["127.0.0.1"], poll_interval=0.05)
    ((local, _),) = forward.start()
    assert forward.wait(0.2) is None  # still forwarding
    ws.pod.update(change)
    ended = forward.wait(5)
    assert ended == f"lost connection to pod p1: {reason}"
    with pytest.raises(OSError):  # the listener is closed
        socket.create_connection(("127.0.0.1", local), timeout=1).close()


def test_port_forward_stop_ends_without_a_reason(ws: WSThread, wsclient: KubeClient) -> None:
    forward = PortForward(wsclient, "ns", "p1", [(0, 80)], addresses=["127.0.0.1"], poll_interval=0.05)
    forward.start()
    forward.stop()
    assert forward.wait(1) == ""


def test_exec_detaches_on_the_escape_sequence(ws: WSThread, wsclient: KubeClient) -> None:
    from kompox.usecase.app_ops import EscapeFilter

    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"hi~.ignored")
    out = io.BytesIO()
    with os.fdopen(read_fd, "rb", buffering=0) as stdin:
        result = exec_in_pod(
            wsclient, "ns", "p1", ["sh"], stdin=stdin, stdout=out, tty=True, stdin_filter=EscapeFilter(b"~.")
        )
    os.close(write_fd)
    assert (result.exit_code, result.detached) == (0, True)


def test_raw_terminal_is_restored() -> None:
    import pty
    import termios

    from kompox.cli.app_process import raw_terminal

    master, slave = pty.openpty()
    try:
        before = termios.tcgetattr(slave)
        with raw_terminal(slave):
            assert not termios.tcgetattr(slave)[3] & termios.ICANON
        assert termios.tcgetattr(slave) == before
        with pytest.raises(RuntimeError), raw_terminal(slave):
            raise RuntimeError("boom")
        assert termios.tcgetattr(slave) == before
    finally:
        os.close(master)
        os.close(slave)
