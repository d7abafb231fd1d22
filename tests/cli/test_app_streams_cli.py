"""``kompoxops app exec|tunnel|kubectl`` in-process: exit codes propagate, no shell, no kubeconfig leaks.

``exec`` and ``tunnel`` run against the websocket fake (``tests/kube/ws_server.py``)
through the K3s driver's ``KUBECONFIG`` cluster setting; ``kubectl`` runs a fake
``kubectl`` program placed first on ``PATH`` that records how it was called.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from app_cli_project import NAMES, NS, ws_app_project
from cli_project import KubeProject, one_error
from ws_server import WSThread  # tests/kube, on sys.path through cli_project


@pytest.fixture
def ws() -> Iterator[WSThread]:
    srv = WSThread().start()
    srv.pod["metadata"]["labels"] = {"app": "web-app"}
    srv.pod["status"]["containerStatuses"] = [{"name": "web", "ready": True}]
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ws: WSThread
) -> Iterator[KubeProject]:
    with ws_app_project(tmp_path, monkeypatch, capsys, ws.kubeconfig) as p:
        yield p


# --- exec -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [0, 3])
def test_exec_exits_with_the_remote_exit_code(
    project: KubeProject, ws: WSThread, code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.exit_code = code
    log_file = tmp_path / "run.log"
    monkeypatch.setenv("KOMPOX_LOG_OUTPUT", str(log_file))

    result = project.run("app", "exec", "-c", "web", "--", "sh", "-c", f"exit {code}")

    assert result.code == code
    assert (result.out, result.err) == ("hello from p1\n", "warning\n")  # no Error: line
    last = [json.loads(line) for line in log_file.read_text().splitlines()][-1]
    assert last["msg"] == "CMD" and last["exitCode"] == code  # the run log records the propagated code
    pods, execs = ws.requests[0], ws.requests[1]
    assert pods["path"] == f"/api/v1/namespaces/{NS}/pods" and ("labelSelector", "app=web-app") in pods["query"]
    assert execs["path"] == f"/api/v1/namespaces/{NS}/pods/p1/exec"
    assert [v for k, v in execs["query"] if k == "command"] == ["sh", "-c", f"exit {code}"]
    assert ("container", "web") in execs["query"]


def test_exec_refused_by_the_server_prints_its_message(project: KubeProject, ws: WSThread) -> None:
    ws.refusal = (
        400,
        {"kind": "Status", "status": "Failure", "reason": "BadRequest", "code": 400,
         "message": "pod p1 does not have a host assigned"},
    )  # fmt: skip
    line = one_error(project.run("app", "exec", "-c", "web", "--", "sh"), 6, "exec in pod")
    assert line == (
        f'Error: exec in pod "p1" in namespace "{NS}": 400 BadRequest: pod p1 does not have a host assigned'
    )


def test_exec_needs_a_command(project: KubeProject, ws: WSThread) -> None:
    one_error(project.run("app", "exec", "-c", "web"), 3, "command is required after --")
    assert ws.requests == []


# --- tunnel ---------------------------------------------------------------------------------------

CLIENT = textwrap.dedent(
    """
    import os, socket, sys
    host = os.environ["KOMPOX_TUNNEL_HOST"]
    port = int(os.environ["KOMPOX_TUNNEL_PORT_5432"])
    with socket.create_connection((host, port), timeout=5) as conn:
        conn.sendall(b"ping")
        data = conn.recv(100)
    sys.exit(7 if data == b"PING" else 1)
    """
)


def test_tunnel_runs_the_command_through_the_forward_and_returns_its_code(project: KubeProject, ws: WSThread) -> None:
    result = project.run("app", "tunnel", "-p", ":5432", "--address", "127.0.0.1", "--", sys.executable, "-c", CLIENT)

    assert result.code == 7, result.err
    (line,) = result.err.splitlines()
    assert line.startswith("Forwarding from 127.0.0.1:") and line.endswith(" -> 5432")
    paths = [r["path"] for r in ws.requests]
    assert f"/api/v1/namespaces/{NS}/pods/p1/portforward" in paths
    assert [r["query"] for r in ws.requests if r["path"].endswith("/portforward")] == [[("ports", "5432")]]


def test_tunnel_input_errors(project: KubeProject, ws: WSThread) -> None:
    one_error(project.run("app", "pf", "--address", "127.0.0.1"), 3, "at least one --port is required")
    one_error(project.run("app", "port-forward", "-p", "x:80"), 3, 'invalid local port "x"')
    one_error(project.run("app", "tunnel", "-p", "80", "-S", "db"), 3, 'service "db" not found in compose project')
    assert ws.requests == []


# --- kubectl --------------------------------------------------------------------------------------

FAKE_KUBECTL = """#!{python}
import json, os, sys
with open(os.environ["FAKE_KUBECTL_LOG"], "a") as log:
    log.write(json.dumps({{"argv": sys.argv[1:], "kubeconfig": os.environ.get("KUBECONFIG", "")}}) + "\\n")
sys.exit(5)
"""


@pytest.fixture
def fake_kubectl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "kubectl"
    program.write_text(FAKE_KUBECTL.format(python=sys.executable))
    program.chmod(0o755)
    log = tmp_path / "kubectl.log"
    monkeypatch.setenv("FAKE_KUBECTL_LOG", str(log))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return log


def test_kubectl_gets_the_app_context_and_its_exit_code_is_ours(
    project: KubeProject, fake_kubectl: Path, ws: WSThread
) -> None:
    import json

    result = project.run("app", "kubectl", "--", "get", "pods", "-o", "name")

    assert result.code == 5 and "Error" not in result.err
    context = f"web-{NAMES.hashes.app_instance}"
    path = project.root / ".kompox" / "kubeconfig"
    (call,) = [json.loads(line) for line in fake_kubectl.read_text().splitlines()]
    assert call == {"argv": ["--context", context, "get", "pods", "-o", "name"], "kubeconfig": str(path)}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    doc = yaml.safe_load(path.read_text())
    (ctx,) = doc["contexts"]
    assert ctx == {"name": context, "context": {"cluster": context, "user": context, "namespace": NS}}
    assert doc["clusters"][0]["cluster"]["server"] == ws.url
    assert doc["users"][0]["user"] == {"token": "ws-token"}

    # the context is current: the next run does not ask the driver again, -R does
    project.configure("kube/config.yaml")
    project.run("app", "kubectl", "--", "version")
    assert yaml.safe_load(path.read_text()) == doc
    project.run("app", "kubectl", "-R", "--", "version")
    refreshed = yaml.safe_load(path.read_text())
    assert refreshed["clusters"][0]["cluster"]["server"] == project.server.url
    assert len(fake_kubectl.read_text().splitlines()) == 3


def test_kubectl_keeps_other_entries_of_the_file(project: KubeProject, fake_kubectl: Path) -> None:
    path = project.root / ".kompox" / "kubeconfig"
    other = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "other", "cluster": {"server": "https://other.example"}}],
        "users": [{"name": "other", "user": {"token": "t"}}],
        "contexts": [{"name": "other", "context": {"cluster": "other", "user": "other"}}],
        "current-context": "other",
    }
    path.write_text(yaml.safe_dump(other))

    project.run("app", "kubectl", "--", "get", "pods")

    doc = yaml.safe_load(path.read_text())
    assert [c["name"] for c in doc["contexts"]] == ["other", f"web-{NAMES.hashes.app_instance}"]
    assert doc["current-context"] == "other"


def test_kubectl_usage_errors(project: KubeProject, fake_kubectl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one_error(project.run("app", "kubectl", "get", "pods"), 3, "'--' is required before kubectl arguments")
    one_error(project.run("app", "kubectl", "--"), 3, "kubectl arguments are required after --")
    monkeypatch.setenv("PATH", "/nonexistent")
    one_error(project.run("app", "kubectl", "--", "get", "pods"), 4, "kubectl not found in PATH")
    assert not fake_kubectl.exists()


def test_tunnel_forwards_until_sigterm_then_exits_zero(project: KubeProject, ws: WSThread) -> None:
    import signal
    import socket
    import threading
    import time

    from kompox.kube.streams import free_port

    port = free_port()
    echoed: list[bytes] = []

    def client_then_terminate() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not echoed:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
                    conn.sendall(b"abc")
                    echoed.append(conn.recv(100))
            except OSError:
                time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.getsignal(signal.SIGTERM)
    helper = threading.Thread(target=client_then_terminate, daemon=True)
    helper.start()
    result = project.run("app", "tunnel", "-p", f"{port}:8080", "--address", "127.0.0.1")
    helper.join(5)

    assert result.code == 0, result.err
    assert result.err == f"Forwarding from 127.0.0.1:{port} -> 8080\n"
    assert echoed == [b"ABC"]
    assert signal.getsignal(signal.SIGTERM) == previous  # the handler is restored
