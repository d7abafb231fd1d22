"""Issue #14 point 10 through the real CLI: values the server or docker compose refuses fail ``app validate``.

Each case is exit 3 with one ``Error:`` line naming the file (compose file,
KOM file or KOM document) and the field; an unset variable is a warning as
in docker compose, and the image reference it leaves behind is an error.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from cli_project import KubeProject, k3s_kom, kube_project, one_error

APP = """\
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
        hosts: [<host>]
  volumes:
    - name: <vol0>
      size: 1Gi
    - name: <vol1>
      size: <size1>
"""

COMPOSE = """\
services:
  web:
    image: <image>
    ports: ["<ports>"]
    volumes:
      - data:/data
"""

DEFAULTS = {"<host>": "www.example.org", "<vol0>": "data", "<vol1>": "db", "<size1>": "2Gi",
            "<image>": "nginx:1.27", "<ports>": "8080:80"}


def _fill(template: str, values: dict[str, str]) -> str:
    for key, value in {**DEFAULTS, **values}.items():
        template = template.replace(key, value)
    return template


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *,
             values: dict[str, str], compose: str | None = None,
             driver: str = "k3s") -> AbstractContextManager[KubeProject]:
    """The project against a kmock API server (the k3s driver lists volume disks through it)."""
    kom = k3s_kom("domain: home.example.com").replace("driver: k3s", f"driver: {driver}")
    return kube_project(tmp_path, monkeypatch, capsys, kom=kom, app=_fill(APP, values),
                        compose=compose or _fill(COMPOSE, values))


def test_the_baseline_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    with _project(tmp_path, monkeypatch, capsys, values={}) as cli:
        r = cli.run("app", "validate")
    assert r.code == 0, r.err


CASES = {
    "container port 70000": ({"<ports>": "8080:70000"},
                             "compose.yml: services.web.ports.0: service web: invalid containerPort: 70000"),
    "host port 99999": ({"<ports>": "99999:80"},
                        "compose.yml: services.web.ports.0: service web: invalid hostPort: 99999"),
    "ingress host": ({"<host>": '"bad host!"'}, 'App/web: spec.ingress.rules[0].hosts[0]: ingress host "bad host!"'),
    "volume name": ({"<vol1>": "Data_Vol!"}, 'kompoxapp.yml:17: document 1 (App/web): spec.volumes[1].name: app "web": '
                    'invalid volume name "Data_Vol!"'),
    "duplicate volume names": ({"<vol1>": "data"}, 'spec.volumes[1].name: app "web": duplicate volume name "data" '
                               "(first at spec.volumes[0])"),
    "negative size": ({"<size1>": "-5Gi"},
                      'spec.volumes[1].size: invalid volume size for volume "db": -5Gi is negative'),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_point10_refused_values(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    values, expected = CASES[case]
    with _project(tmp_path, monkeypatch, capsys, values=values) as cli:
        r = cli.run("app", "validate", "--out-manifest", "m.yaml")
    one_error(r, 3, expected)
    assert not (tmp_path / "proj" / "m.yaml").exists()


def test_point10_service_without_image_or_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    compose = 'services:\n  web:\n    ports: ["8080:80"]\n'
    with _project(tmp_path, monkeypatch, capsys, values={}, compose=compose) as cli:
        r = cli.run("app", "validate")
    one_error(r, 3, 'compose.yml: services.web: service "web" has neither an image nor a build context specified')


def test_point10_expose_negative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    compose = 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n    expose: ["-5"]\n'
    with _project(tmp_path, monkeypatch, capsys, values={}, compose=compose) as cli:
        r = cli.run("app", "validate")
    one_error(r, 3, 'compose.yml: services.web.expose.0: service web: invalid expose port "-5"')


def test_point10_unset_variable_warns_and_the_empty_tag_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TAG", raising=False)
    with _project(tmp_path, monkeypatch, capsys, values={"<image>": '"nginx:${TAG}"'}) as cli:
        r = cli.run("app", "validate")
    assert 'Warning: The "TAG" variable is not set. Defaulting to a blank string.' in r.err
    line = one_error(r, 3, 'compose.yml: services.web.image: service web image is refused by Kubernetes')
    assert '"nginx:"' in line and "invalid reference format" in line


def test_point10_unknown_provider_driver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    with _project(tmp_path, monkeypatch, capsys, values={}, driver="gke") as cli:
        r = cli.run("app", "validate")
    one_error(r, 3, 'Provider/k3s1: spec.driver: unknown provider driver "gke" (known drivers: aks, k3s)')


def test_point10_bind_mount_climbing_out_of_the_volume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    compose = _fill(COMPOSE, {}) + "      - ../../etc:/host-etc\n"
    with _project(tmp_path, monkeypatch, capsys, values={}, compose=compose) as cli:
        r = cli.run(
        "app", "validate", "--out-manifest", "m.yaml")
    line = one_error(r, 3, "compose.yml: services.web.volumes: ")
    assert 'subPath: "../../etc": must be a valid relative path: must not contain \'..\'' in line
    assert not (tmp_path / "proj" / "m.yaml").exists()
