"""``kompoxops box``: deploy/status/destroy against kmock; exec and ssh/scp/rsync against the websocket fake.

The ssh, scp and rsync clients are fake programs first on ``PATH`` that record their command line,
talk through the port-forward (the fake pod answers on port 22) and exit with a chosen code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_cli_project import NS, app_project, ws_app_project
from cli_project import KubeProject, one_error, writes
from output_matrix import cells, check_read_outputs
from ws_server import WSThread

KEY = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBoxTestKeyOnly box@test\n"
BOX = "web-box"
COMPONENT_LABELS = {
    "app": BOX,
    "app.kubernetes.io/component": "box",
}
OPTS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "Hostname=localhost"]
OPTS += ["-o", "LogLevel=ERROR"]


def put_key(home: Path, key: bytes = KEY) -> None:
    (home / ".ssh").mkdir(parents=True, exist_ok=True)
    (home / ".ssh" / "id_ed25519.pub").write_bytes(key)


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[KubeProject]:
    with app_project(tmp_path, monkeypatch, capsys, rollout="ready") as p:
        put_key(tmp_path / "home")
        yield p


def objects(project: KubeProject, plural: str) -> dict[str, dict]:
    return {name: obj for (pl, ns, name), obj in project.server.objects().items() if pl == plural and ns == NS}


def test_deploy_status_redeploy_destroy(project: KubeProject) -> None:
    r = project.ok("box", "deploy")
    assert r.out == "" and f"deployment {BOX} in namespace {NS}" in r.err
    dep = objects(project, "apps/v1/deployments")[BOX]
    labels = dep["metadata"]["labels"]
    assert labels.items() >= COMPONENT_LABELS.items()
    assert dep["spec"]["selector"]["matchLabels"] == labels  # all component labels, as upstream
    assert dep["spec"]["strategy"] == {"type": "Recreate"} and dep["spec"]["replicas"] == 1
    template = dep["spec"]["template"]
    assert template["metadata"]["annotations"]["kompox.dev/box-ssh-pubkey-hash"] == hashlib.sha256(KEY).hexdigest()
    (container,) = template["spec"]["containers"]
    assert (container["name"], container["image"], container["imagePullPolicy"]) == (
        "box",
        "ghcr.io/kompox/kompox/box",
        "IfNotPresent",
    )
    assert {"name": "authorized-keys", "mountPath": "/etc/ssh/authorized_keys", "subPath": "authorized_keys"} in (
        container["volumeMounts"]
    )
    secret = objects(project, "v1/secrets")[BOX]
    assert base64.b64decode(secret["data"]["authorized_keys"]) == KEY
    patches = [w for w in writes(project.server) if w.method == "PATCH"]
    forced = sorted(str(w.url).split("?")[0].rsplit("/", 2)[-2] for w in patches if "force=true" in str(w.url))
    assert forced == ["deployments", "secrets"]  # head objects are applied without force (upstream's split)

    status = project.ok("box", "status").json()
    assert list(status) == [
        "app_id", "app_name", "cluster_id", "cluster_name", "ready", "image", "namespace", "node",
        "deployment", "pod", "container", "command", "args", "waiting_for",
    ]  # fmt: skip
    assert (status["ready"], status["deployment"], status["container"]) == (True, BOX, "box")
    assert status["waiting_for"] is None  # ready: the latest generation is rolled out
    assert status["pod"].startswith(f"{BOX}-")

    before = project.server.objects()
    project.ok("box", "deploy")
    assert project.server.objects() == before  # idempotent

    project.ok("box", "destroy")
    assert BOX not in objects(project, "apps/v1/deployments")
    assert BOX in objects(project, "v1/secrets")  # the key Secret is kept
    gone = project.ok("box", "status").json()
    assert (gone["ready"], gone["deployment"], gone["container"], gone["image"], gone["pod"]) == (
        False, BOX, "box", "", ""
    )  # fmt: skip
    assert "deleted nothing (not deployed)" in project.ok("box", "destroy").err  # idempotent


def test_destroy_before_any_deploy_is_fine(project: KubeProject) -> None:
    r = project.ok("box", "destroy")
    assert "nothing (not deployed)" in r.err


def test_flags_and_kom_box_defaults(project: KubeProject) -> None:
    kom = project.root / ".kompox" / "kom" / "cluster.yml"
    kom.write_text(
        kom.read_text()
        + "---\napiVersion: ops.kompox.dev/v1alpha1\nkind: Box\nmetadata:\n  name: box\n  annotations:\n"
        + "    ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/home/app/web/box/box\n"
        + "spec:\n  image: busybox:1.36\n  command: [sleep]\n  args: [infinity]\n"
    )
    project.ok("box", "deploy")
    (c,) = objects(project, "apps/v1/deployments")[BOX]["spec"]["template"]["spec"]["containers"]
    assert (c["image"], c["command"], c["args"]) == ("busybox:1.36", ["sleep"], ["infinity"])
    project.ok("box", "deploy", "--image", "alpine:3", "--command", "sh", "-a", "-c", "-a", "sleep 1d", "--always-pull")
    (c,) = objects(project, "apps/v1/deployments")[BOX]["spec"]["template"]["spec"]["containers"]
    assert (c["image"], c["command"], c["args"], c["imagePullPolicy"]) == (
        "alpine:3", ["sh"], ["-c", "sleep 1d"], "Always"
    )  # fmt: skip


def test_deploy_input_errors_before_the_cluster(project: KubeProject, tmp_path: Path) -> None:
    before = len(project.server.kube_requests())
    old = project.run("box", "deploy", "-V", "db:d1:relative")  # the deprecated short spelling still works
    one_error(old, 3, "invalid volume spec 'db:d1:relative'")
    assert "Warning: -V for --volume is deprecated; use --volume (-V is --vol-name elsewhere)" in old.err
    one_error(
        project.run("box", "deploy", "--volume", "db:d1:/mnt"), 4, "volume not found: db (volumes of app web: none)"
    )
    one_error(project.run("box", "deploy", "--ssh-pubkey", "nope.pub"), 3, "nope.pub: cannot read SSH public key")
    (tmp_path / "home" / ".ssh" / "id_ed25519.pub").unlink()
    one_error(project.run("box", "deploy"), 3, "SSH public key not found: specify --ssh-pubkey or place one of [")
    assert len(project.server.kube_requests()) == before


# --- exec and the SSH clients (websocket fake) ---------------------------------------------------


@pytest.fixture
def ws() -> Iterator[WSThread]:
    srv = WSThread().start()
    srv.pod["metadata"]["labels"] = {"app": BOX}
    srv.pod["status"]["containerStatuses"] = [{"name": "box", "ready": True}]
    key_hash = hashlib.sha256(KEY).hexdigest()
    srv.deployments = [
        {
            "metadata": {"name": BOX, "namespace": NS, "labels": {"app": BOX}},
            "spec": {"template": {"metadata": {"annotations": {"kompox.dev/box-ssh-pubkey-hash": key_hash}}}},
        }
    ]
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def wsproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ws: WSThread
) -> Iterator[KubeProject]:
    with ws_app_project(tmp_path, monkeypatch, capsys, ws.kubeconfig) as p:
        yield p


def test_exec_true_in_the_box_container(wsproject: KubeProject, ws: WSThread) -> None:
    r = wsproject.run("box", "exec", "--", "true")
    assert r.code == 0, r.err
    execs = [q for q in ws.requests if q["path"].endswith("/exec")]
    assert execs and ("container", "box") in execs[0]["query"]
    assert [v for k, v in execs[0]["query"] if k == "command"] == ["true"]
    ws.exit_code = 4
    assert wsproject.run("box", "exec", "--", "false").code == 4


def test_exec_when_not_deployed_is_one_line(wsproject: KubeProject, ws: WSThread) -> None:
    ws.pod["metadata"]["labels"] = {"app": "web-app"}
    one_error(wsproject.run("box", "exec", "--", "true"), 4, "kompox box pod not found")


FAKE_CLIENT = """#!{python}
import json, os, socket, sys
argv = sys.argv[1:]
flag = "-P" if os.path.basename(sys.argv[0]) == "scp" else "-p"
if os.path.basename(sys.argv[0]) == "rsync":
    ssh = argv[argv.index("-e") + 1].split()
    port = int(ssh[ssh.index("-p") + 1])
else:
    port = int(argv[argv.index(flag) + 1])
with socket.create_connection(("localhost", port), timeout=5) as conn:
    conn.sendall(b"ssh-2.0")
    echoed = conn.recv(100)
with open(os.environ["FAKE_CLIENT_LOG"], "a") as log:
    log.write(json.dumps({{"argv": sys.argv, "echo": echoed.decode()}}) + "\\n")
sys.exit(int(os.environ.get("FAKE_CLIENT_EXIT", "0")))
"""


@pytest.fixture
def clients(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("ssh", "scp", "rsync"):
        program = bin_dir / tool
        program.write_text(FAKE_CLIENT.format(python=sys.executable))
        program.chmod(0o755)
    log = tmp_path / "clients.log"
    monkeypatch.setenv("FAKE_CLIENT_LOG", str(log))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return log


def test_ssh_runs_the_users_client_through_the_forward(
    wsproject: KubeProject, ws: WSThread, clients: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_CLIENT_EXIT", "3")
    r = wsproject.run("box", "ssh", "--", "kompox@box", "uname", "-a")
    assert r.code == 3, r.err  # the client's exit code comes back
    (call,) = [json.loads(line) for line in clients.read_text().splitlines()]
    argv = call["argv"]
    port = argv[argv.index("-p") + 1]
    assert argv[1:] == [*OPTS, "-p", port, "kompox@box", "uname", "-a"]
    assert int(port) > 0 and call["echo"] == "SSH-2.0"  # the bytes went through the forward to the pod
    forwards = [q for q in ws.requests if q["path"].endswith("/portforward")]
    assert forwards and forwards[0]["query"] == [("ports", "22")]


def test_scp_alias_cp_and_rsync_command_lines(wsproject: KubeProject, ws: WSThread, clients: Path) -> None:
    assert wsproject.run("box", "cp", "--", "-r", "dir", "kompox@box:/tmp/").code == 0
    assert wsproject.run("box", "rsync", "--", "-av", "dir/", "kompox@box:/tmp/dir/").code == 0
    scp, rsync = [json.loads(line)["argv"] for line in clients.read_text().splitlines()]
    assert scp[1:] == [*OPTS, "-P", scp[scp.index("-P") + 1], "-r", "dir", "kompox@box:/tmp/"]
    port = rsync[2].split()[-1]
    assert rsync[1:] == ["-e", " ".join(["ssh", *OPTS, "-p", port]), "-av", "dir/", "kompox@box:/tmp/dir/"]


def test_ssh_errors(wsproject: KubeProject, ws: WSThread, clients: Path) -> None:
    one_error(wsproject.run("box", "ssh"), 3, "box ssh needs the client's arguments after --")
    ws.deployments[0]["spec"]["template"]["metadata"]["annotations"] = {}
    one_error(wsproject.run("box", "ssh", "--", "kompox@box"), 3, f"the box {BOX} has no SSH public key configured")
    ws.deployments = []
    one_error(wsproject.run("box", "ssh", "--", "kompox@box"), 4, "the box is not deployed; run kompoxops box deploy")
    assert not clients.exists()


# --- standalone KOM Boxes (--box NAME) -------------------------------------------------------------

KOM_BOXES = """---
apiVersion: ops.kompox.dev/v1alpha1
kind: Box
metadata:
  name: worker
  annotations:
    ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/home/app/web/box/worker
spec:
  image: busybox:1.36
  command: [sleep]
  args: [infinity]
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Box
metadata:
  name: sidecar
  annotations:
    ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/home/app/web/box/sidecar
spec: {}
"""
WORKER = "web-worker"


def add_boxes(project: KubeProject, extra: str = "") -> None:
    kom = project.root / ".kompox" / "kom" / "cluster.yml"
    kom.write_text(kom.read_text() + KOM_BOXES + extra)


def test_standalone_kom_box_deploy_status_destroy(project: KubeProject) -> None:
    add_boxes(project)
    project.ok("box", "deploy")  # the toolbox stays what it was
    r = project.ok("box", "deploy", "--box", "worker")
    assert f"deployment {WORKER} in namespace {NS}" in r.err
    deployments = objects(project, "apps/v1/deployments")
    assert set(deployments) == {BOX, WORKER}
    dep = deployments[WORKER]
    labels = dep["metadata"]["labels"]
    assert labels.items() >= {"app": WORKER, "app.kubernetes.io/component": "worker"}.items()
    assert dep["spec"]["selector"]["matchLabels"] == labels == dep["spec"]["template"]["metadata"]["labels"]
    (c,) = dep["spec"]["template"]["spec"]["containers"]
    assert (c["name"], c["image"], c["command"], c["args"]) == ("worker", "busybox:1.36", ["sleep"], ["infinity"])
    assert objects(project, "v1/secrets")[WORKER]["data"]["authorized_keys"]
    project.ok("box", "deploy", "--box", "worker", "--image", "alpine:3")  # flags still win
    (c,) = objects(project, "apps/v1/deployments")[WORKER]["spec"]["template"]["spec"]["containers"]
    assert (c["image"], c["command"]) == ("alpine:3", ["sleep"])

    status = project.ok("box", "status", "--box", "worker").json()
    assert (status["deployment"], status["container"], status["image"]) == (WORKER, "worker", "alpine:3")

    r = project.ok("box", "destroy", "--box", "worker")
    assert f"Deployment/{WORKER}" in r.err and f"Deployment/{BOX}" not in r.err
    assert set(objects(project, "apps/v1/deployments")) == {BOX}
    status = project.ok("box", "status", "--box", "worker").json()
    assert (status["ready"], status["deployment"], status["container"]) == (False, WORKER, "worker")


def test_standalone_kom_box_errors_before_the_cluster(project: KubeProject) -> None:
    add_boxes(project)
    before = len(project.server.kube_requests())
    for cmd in (["deploy"], ["destroy"], ["status"], ["exec", "--box", "nope", "--", "true"]):
        args = cmd if cmd[0] == "exec" else [*cmd, "--box", "nope"]
        one_error(project.run("box", *args), 4, "KOM Box nope not found in app web (boxes: sidecar, worker)")
    text = one_error(project.run("box", "deploy", "--box", "sidecar"), 5, "Compose Box sidecar of app web")
    assert text.endswith("not implemented yet")
    one_error(project.run("box", "destroy", "--box", "sidecar"), 5, "Compose Box sidecar")
    assert len(project.server.kube_requests()) == before


def test_standalone_kom_box_objects_are_checked(project: KubeProject) -> None:
    bad = KOM_BOXES.split("---\n")[1].replace("worker", "bad").replace("busybox:1.36", '"busy box"')
    add_boxes(project, "---\n" + bad)
    before = len(project.server.kube_requests())
    one_error(project.run("box", "deploy", "--box", "bad"), 3, "--image (or KOM Box spec.image)")
    assert len(project.server.kube_requests()) == before


def test_exec_in_a_standalone_kom_box(wsproject: KubeProject, ws: WSThread) -> None:
    add_boxes(wsproject)
    ws.pod["metadata"]["labels"] = {"app": WORKER}
    ws.pod["status"]["containerStatuses"] = [{"name": "worker", "ready": True}]
    r = wsproject.run("box", "exec", "--box", "worker", "--", "true")
    assert r.code == 0, r.err
    (q,) = [q for q in ws.requests if q["path"].endswith("/exec")]
    assert ("container", "worker") in q["query"]
    assert [k for k in q["query"] if k[0] == "command"] == [("command", "true")]


def test_status_outputs(project: KubeProject) -> None:
    project.ok("box", "deploy")
    outs = check_read_outputs(
        project.ok,
        ["box", "status"],
        kind="box",
        names=["box"],
        headers=("NAME", "READY", "POD", "NODE"),
        wide_headers=("NAMESPACE", "DEPLOYMENT", "CONTAINER", "IMAGE"),
    )
    status = json.loads(outs["json"])
    assert cells(outs["wide"].splitlines()[1]) == [
        "box", "yes", status["pod"], status["node"], NS, BOX, "box", "ghcr.io/kompox/kompox/box"
    ]  # fmt: skip
