"""``app validate`` on compose files as people write them (issue #20): .env, --env-file, --out-compose."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from app_cli_project import app_project
from cli_project import KubeProject, one_error


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[KubeProject]:
    with app_project(tmp_path, monkeypatch, capsys) as p:
        yield p


BUILD_ONLY = """\
services:
  web:
    build: ./web
    ports: ["8080:80"]
"""

WITH_VARS = """\
services:
  web:
    image: "nginx:${NGINX_TAG}"
    ports: ["8080:80"]
    environment: [GREETING, "MISSING=${NOT_SET}"]
"""


def test_out_compose_is_written_when_the_conversion_fails(project: KubeProject) -> None:
    (project.root / "compose.yml").write_text(BUILD_ONLY)
    result = project.run("app", "validate", "--out-compose", "norm.yml", "--out-manifest", "m.yml")
    one_error(result, 3, "service web has build: but no image:")
    written = yaml.safe_load((project.root / "norm.yml").read_text())
    assert written["services"]["web"]["build"]["context"] == "web"
    assert not (project.root / "m.yml").exists()


def test_dotenv_is_read_and_unset_variables_warn(project: KubeProject) -> None:
    (project.root / "compose.yml").write_text(WITH_VARS)
    (project.root / ".env").write_text("NGINX_TAG=1.27\nGREETING=hi\n")
    result = project.ok("app", "validate", "--out-manifest", "-")
    assert "image: nginx:1.27" in result.out
    assert "value: hi" in result.out
    assert 'Warning: The "NOT_SET" variable is not set. Defaulting to a blank string.' in result.err


def test_env_file_option_replaces_dotenv(project: KubeProject) -> None:
    (project.root / "compose.yml").write_text(WITH_VARS)
    (project.root / ".env").write_text("NGINX_TAG=1.27\n")
    (project.root / "prod.env").write_text("NGINX_TAG=1.28\nNOT_SET=x\n")
    result = project.ok("app", "validate", "--env-file", "prod.env", "--out-manifest", "-")
    assert "image: nginx:1.28" in result.out
    assert "variable is not set" not in result.err
    missing = project.run("app", "validate", "--env-file", "nope.env")
    one_error(missing, 3, "env file nope.env not found")


SELF_HOSTED = """\
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    volumes:
      - /mnt/docker-volumes/web/html:/usr/share/nginx/html
      - web_logs:/var/log/nginx
volumes:
  web_logs:
"""


def test_app_host_paths_and_compose_volumes_from_the_kom_file(project: KubeProject) -> None:
    (project.root / "compose.yml").write_text(SELF_HOSTED)
    app = (project.root / "kompoxapp.yml").read_text()
    app += (
        "  volumes:\n    - {name: data, size: 1Gi}\n"
        '  hostPaths:\n    "/mnt/docker-volumes/web": data/site\n'
        "  composeVolumes:\n    web_logs: data/logs\n"
    )
    (project.root / "kompoxapp.yml").write_text(app)
    result = project.ok("app", "validate", "--out-manifest", "-")
    deployment = next(d for d in yaml.safe_load_all(result.out) if d and d["kind"] == "Deployment")
    assert deployment["spec"]["template"]["spec"]["containers"][0]["volumeMounts"] == [
        {"name": "data", "mountPath": "/usr/share/nginx/html", "subPath": "site/html"},
        {"name": "data", "mountPath": "/var/log/nginx", "subPath": "logs"},
    ]
    (project.root / "kompoxapp.yml").write_text(app.replace("data/logs", "logs"))
    refused = project.run("app", "validate")
    one_error(refused, 3, 'spec.composeVolumes.web_logs: app "web": composeVolumes: volume "logs"')
