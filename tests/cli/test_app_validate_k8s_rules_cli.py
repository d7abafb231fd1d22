"""``kompoxops app validate`` refuses what the API server would refuse (issue #14 points 1 and 2).

Through the real CLI (in-process): exit 3, one ``Invalid:`` line per
compose service or KOM field, each naming its origin, then one ``Error:``
line (a single problem is the ``Error:`` line itself); nothing on stdout and
no manifest written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_project import CliProject, Result, isolate_env, k3s_kom, kube_project, one_error, write_project

KOM = k3s_kom("domain: home.example.com").format(kubeconfig="kube/config.yaml", protection="")

APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata:
  name: {name}
  annotations:
    ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/home/app/{name}
spec:
  compose: file:compose.yml
"""


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *, compose: str,
             name: str = "web") -> CliProject:
    root = tmp_path / "proj"
    write_project(root, kom=KOM, app=APP.format(name=name), compose=compose)
    isolate_env(monkeypatch, home=tmp_path / "home")
    monkeypatch.chdir(root)
    return CliProject(root, capsys)


def _invalid_lines(r: Result) -> list[str]:
    assert r.code == 3, r.err
    assert "Traceback" not in r.err and r.out == ""
    lines = r.err.splitlines()
    errors = [line for line in lines if line.startswith("Error:")]
    assert len(errors) == 1 and lines[-1] == errors[0], r.err
    return [line for line in lines if line.startswith("Invalid: ")]


def test_point1_service_names_kubernetes_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = "services:\n" + "".join(f"  {n}:\n    image: redis:7\n" for n in ("my_db", "Cache", "db.main", "1cache"))
    cli = _project(tmp_path, monkeypatch, capsys, compose=compose)
    r = cli.run("app", "validate", "--out-manifest", "m.yaml")
    lines = _invalid_lines(r)
    assert len(lines) == 4, r.err
    for name, suggestion in (("my_db", "my-db"), ("Cache", "cache"), ("db.main", "db-main"), ("1cache", "svc-1cache")):
        [line] = [x for x in lines if x.startswith(f"Invalid: compose.yml: services.{name}: ")]
        assert f'compose service name "{name}" cannot become a Kubernetes name' in line
        assert f'nearest valid name: "{suggestion}"' in line
    assert "Service/1cache metadata.name" in next(x for x in lines if "services.1cache" in x)
    assert "validation failed (4 errors" in r.err
    assert not (cli.root / "m.yaml").exists()


def test_point1_suggested_names_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ("my-db", "cache", "db-main", "svc-1cache")
    compose = "services:\n" + "".join(f"  {n}:\n    image: redis:7\n" for n in names)
    cli = _project(tmp_path, monkeypatch, capsys, compose=compose)
    assert cli.run("app", "validate").code == 0


def test_point2_app_name_whose_namespace_exceeds_63(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "a" * 46  # k4x-<6>-<name>-<6> = 64 characters
    cli = _project(tmp_path, monkeypatch, capsys, compose="services:\n  web:\n    image: nginx:1.27\n", name=name)
    r = cli.run("app", "validate")
    assert _invalid_lines(r) == []  # a single problem is the Error: line itself
    line = one_error(r, 3, f'App/{name}: metadata.name: app name "{name}" is too long: Namespace/k4x-')
    assert "must be no more than 63 characters" in line and "at most 45 characters fit" in line


def test_point2_longest_app_name_that_fits_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n'
    cli = _project(tmp_path, monkeypatch, capsys, compose=compose, name="a" * 45)
    r = cli.run("app", "validate", "--out-manifest", "-")
    assert r.code == 0, r.err
    assert "k4x-" in r.out


def test_point1_deploy_refuses_before_touching_the_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With ``1cache`` the Deployment and Service used to be applied before the server refused an object."""
    compose = "services:\n" + "".join(f"  {n}:\n    image: redis:7\n" for n in ("web", "my_db", "1cache"))
    with kube_project(tmp_path, monkeypatch, capsys, kom=k3s_kom("domain: home.example.com"),
                      app=APP.format(name="web"), compose=compose) as cli:
        r = cli.run("app", "deploy")
        lines = _invalid_lines(r)
        assert [x.split(": ")[2] for x in lines] == ["services.my_db", "services.1cache"]
        assert [q for q in cli.server.kube_requests() if q.method.upper() != "GET"] == []
