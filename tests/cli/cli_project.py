"""Shared scaffolding of the in-process CLI tests (no tests here).

* :func:`write_project` — a KOM project on disk (``.kompox/config.yml``, the
  KOM file, ``kompoxapp.yml``, ``compose.yml``).
* :func:`isolate_env` — no ``KOMPOX_*``/``KUBECONFIG`` from the caller, no log
  file, and the variables the pre-run hook exports removed after the test.
* :func:`run_cli` / :class:`CliProject` — ``kompoxops`` run in-process: exit
  code (child/remote exit codes come back as the return value), stdout, stderr.
* :class:`KubeProject` / :func:`kube_project` — a K3s project (KOM from
  :func:`k3s_kom`) whose cluster setting ``KUBECONFIG`` (relative to the
  project root) points at a kmock server on 127.0.0.1.
* :func:`kom_text` — KOM documents, one per (kind, id, spec), named after their id.
* :func:`one_error`, :func:`writes` — the assertions the CLI tests share.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests" / "kube") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests" / "kube"))

from kmock_server import KMockThread  # noqa: E402

from kompox.cli.main import run  # noqa: E402

KOM_FILE = Path(".kompox") / "kom" / "cluster.yml"

_K3S_KOM = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata:
  name: demo
  annotations:
    ops.kompox.dev/id: /ws/demo
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata:
  name: k3s1
  annotations:
    ops.kompox.dev/id: /ws/demo/prv/k3s1
spec:
  driver: k3s
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata:
  name: home
  annotations:
    ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/home
spec:
  existing: true
  ingress:
    <ingress>
{protection}  settings:
    KUBECONFIG: {kubeconfig}
"""


_WEB_APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata:
  name: web
  annotations:
    ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/home/app/web
spec:
  compose: file:compose.yml
  ingress:
    rules:
      - name: http
        port: 8080
        hosts: [<hosts>]
"""


def web_app(*hosts: str) -> str:
    """App ``web`` of cluster ``home`` (see :func:`k3s_kom`): compose.yml, one ingress rule ``http`` on 8080."""
    return _WEB_APP.replace("<hosts>", ", ".join(hosts))


def k3s_kom(ingress: str) -> str:
    """Workspace ``demo``, provider ``k3s1``, existing cluster ``home`` with one ``ingress`` setting line.

    A :class:`KubeProject` template: ``{kubeconfig}`` and ``{protection}`` are filled by ``configure``.
    """
    return _K3S_KOM.replace("<ingress>", ingress)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """``kompoxops ARGS`` in-process; output captured from here on only."""
    capsys.readouterr()
    code = run(list(args))  # child/remote exit codes come back as the return value
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def kom_text(*objects: tuple[str, str, str | None]) -> str:
    """A KOM file of ``(kind, ops.kompox.dev/id, spec as flow YAML or None)`` documents; each named after its id."""
    docs = []
    for kind, resource_id, spec in objects:
        name = resource_id.rsplit("/", 1)[1]
        doc = f"apiVersion: ops.kompox.dev/v1alpha1\nkind: {kind}\n"
        doc += f"metadata: {{name: {name}, annotations: {{ops.kompox.dev/id: {resource_id}}}}}\n"
        docs.append(doc + (f"spec: {spec}\n" if spec is not None else ""))
    return "---\n".join(docs)


def write_project(root: Path, *, kom: str | None, app: str, compose: str, config: str = "version: 1\n") -> None:
    """The project files; ``kom=None`` leaves the KOM file to be written later (``configure``)."""
    (root / KOM_FILE).parent.mkdir(parents=True)
    (root / ".kompox" / "config.yml").write_text(config)
    if kom is not None:
        (root / KOM_FILE).write_text(kom)
    (root / "kompoxapp.yml").write_text(app)
    (root / "compose.yml").write_text(compose)


def isolate_env(monkeypatch: pytest.MonkeyPatch, *, home: Path | None = None) -> None:
    """No ``KOMPOX_*`` or ``KUBECONFIG`` from the caller, logs off, optionally a private ``HOME``."""
    for key in [k for k in os.environ if k.startswith("KOMPOX_")] + ["KUBECONFIG"]:
        monkeypatch.delenv(key, raising=False)
    for key in ("KOMPOX_ROOT", "KOMPOX_DIR"):  # exported by the pre-run hook; registered for removal
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    monkeypatch.setenv("KOMPOX_LOG_OUTPUT", "none")
    if home is not None:
        monkeypatch.setenv("HOME", str(home))


@dataclass
class CliProject:
    root: Path
    capsys: pytest.CaptureFixture[str]

    def run(self, *args: str) -> Result:
        return run_cli(self.capsys, *args)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.code == 0, result.err
        return result


@dataclass
class KubeProject(CliProject):
    server: KMockThread
    kom: str  # template with {kubeconfig} and {protection}

    def configure(self, kubeconfig: str = "kube/config.yaml", *, protection: str = "") -> None:
        """(Re)write the KOM file: the cluster's KUBECONFIG setting and an optional protection block."""
        block = f"  protection:\n{protection}" if protection else ""
        (self.root / KOM_FILE).write_text(self.kom.format(kubeconfig=kubeconfig, protection=block))


@contextmanager
def kube_project(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *,
    kom: str,
    app: str,
    compose: str,
    rollout: str | None = None,
) -> Iterator[KubeProject]:
    """A configured :class:`KubeProject` in ``tmp_path/proj`` (the working directory); the server stops after."""
    server = KMockThread(rollout=rollout).start()
    try:
        root = tmp_path / "proj"
        write_project(root, kom=None, app=app, compose=compose)
        (root / "kube").mkdir()
        (root / "kube" / "config.yaml").write_bytes(server.kubeconfig)
        isolate_env(monkeypatch, home=tmp_path / "home")
        monkeypatch.chdir(root)
        project = KubeProject(root, capsys, server, kom)
        project.configure()
        yield project
    finally:
        server.stop()


def one_error(r: Result, code: int, text: str) -> str:
    """Exit ``code``, exactly one ``Error:`` line containing ``text``, no traceback, nothing on stdout."""
    assert r.code == code, (r.code, r.err)
    errors = [line for line in r.err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in r.err, r.err
    assert text in errors[0], errors[0]
    assert r.out == ""
    return errors[0]


def writes(server: KMockThread) -> list[Any]:
    """The mutating requests the kmock server received."""
    return [r for r in server.kube_requests() if r.method.upper() in ("POST", "PATCH", "PUT", "DELETE")]
