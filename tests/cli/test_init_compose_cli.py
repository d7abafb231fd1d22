"""``kompoxops init`` next to an existing compose file writes a first App (issue #20)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cli_project import isolate_env, run_cli

COMPOSE = """\
services:
  web:
    image: ghost:5-alpine
    ports: ["8080:2368"]
    volumes:
      - ghost_content:/var/lib/ghost/content
  db:
    image: mysql:8.4
    ports: ["3306:3306"]
    volumes:
      - dbdata:/var/lib/mysql
volumes:
  ghost_content:
  dbdata:
"""


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "my_blog"
    root.mkdir()
    (root / "compose.yml").write_text(COMPOSE)
    isolate_env(monkeypatch, home=tmp_path / "home")
    monkeypatch.chdir(root)
    return root


def test_init_writes_an_app_that_validates(blog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "init")
    assert result.code == 0, result.err
    assert f"  - {blog}/kompoxapp.yml (App my-blog from compose.yml)" in result.out
    assert "  - port 3306 of service db: no ingress rule (MySQL, not HTTP)" in result.out
    text = (blog / "kompoxapp.yml").read_text()
    assert "# compose volume ghost_content; 10Gi is a default size" in text
    app = yaml.safe_load(text)
    assert app["metadata"]["annotations"]["ops.kompox.dev/id"] == "/ws/ws1/prv/k3s1/cls/cluster1/app/my-blog"
    assert app["spec"] == {
        "compose": "file:compose.yml",
        "ingress": {"rules": [{"name": "web", "port": 8080, "hosts": []}]},
        "volumes": [{"name": "dbdata", "size": "10Gi"}, {"name": "ghost-content", "size": "10Gi"}],
    }
    validated = run_cli(capsys, "app", "validate", "--out-manifest", "-")
    assert validated.code == 0, validated.err
    objects = [o for o in yaml.safe_load_all(validated.out) if o]
    deployment = next(o for o in objects if o["kind"] == "Deployment")
    mounts = {c["name"]: c["volumeMounts"] for c in deployment["spec"]["template"]["spec"]["containers"]}
    assert mounts == {
        "db": [{"name": "dbdata", "mountPath": "/var/lib/mysql"}],
        "web": [{"name": "ghost-content", "mountPath": "/var/lib/ghost/content"}],
    }
    ingress = next(o for o in objects if o["kind"] == "Ingress")
    assert ingress["spec"]["rules"][0]["host"].endswith("-8080.apps.example.com")


def test_init_keeps_an_existing_app_file(blog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (blog / "kompoxapp.yml").write_text("# mine\n")
    result = run_cli(capsys, "init")
    assert result.code == 0 and f"Kept: {blog}/kompoxapp.yml" in result.out
    assert (blog / "kompoxapp.yml").read_text() == "# mine\n"


def test_init_lists_what_the_converter_refuses(blog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long_names = COMPOSE.replace("image: mysql:8.4", "build: ./db").replace("dbdata", "database_storage_volume")
    (blog / "compose.yml").write_text(long_names + "  db_data:\n  db-data:\n")
    result = run_cli(capsys, "init")
    assert result.code == 0, result.err
    assert "the converter refuses the project as it is: service db has build: but no image:" in result.out
    app = yaml.safe_load((blog / "kompoxapp.yml").read_text())
    assert app["spec"]["composeVolumes"] == {
        "database_storage_volume": "database-storage",
        "db-data": "db-data",
        "db_data": "db-data-2",
    }
    refused = run_cli(capsys, "app", "validate")
    assert refused.code == 3 and "service db has build: but no image:" in refused.err


def test_init_reports_a_compose_file_that_does_not_load(blog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (blog / "compose.yml").write_text("services: [1]\n")
    result = run_cli(capsys, "init")
    assert result.code == 0, result.err
    assert f"Not written: {blog}/kompoxapp.yml (compose.yml does not load: validating compose.yml" in result.out
    assert not (blog / "kompoxapp.yml").exists()


SELF_HOSTED = """\
services:
  answer:
    image: apache/answer:1.3.6
    ports: ["9080:80"]
    volumes:
      - /mnt/docker-volumes/answer/data:/data
      - /etc/localtime:/etc/localtime:ro
  mysql:
    image: mysql:8.4
    volumes:
      - /mnt/docker-volumes/answer/db:/var/lib/mysql
"""


def test_init_maps_absolute_binds_through_host_paths(blog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (blog / "compose.yml").write_text(SELF_HOSTED)
    result = run_cli(capsys, "init")
    assert result.code == 0, result.err
    assert "service answer: host /etc/localtime is not mounted" in result.out
    spec = yaml.safe_load((blog / "kompoxapp.yml").read_text())["spec"]
    assert spec["volumes"] == [{"name": "data", "size": "10Gi"}]
    assert spec["hostPaths"] == {"/mnt/docker-volumes/answer": "data"}
    validated = run_cli(capsys, "app", "validate", "--out-manifest", "-")
    assert validated.code == 0, validated.err
    deployment = next(o for o in yaml.safe_load_all(validated.out) if o and o["kind"] == "Deployment")
    mounts = {c["name"]: c["volumeMounts"] for c in deployment["spec"]["template"]["spec"]["containers"]}
    assert mounts == {
        "answer": [{"name": "data", "mountPath": "/data", "subPath": "data"}],
        "mysql": [{"name": "data", "mountPath": "/var/lib/mysql", "subPath": "db"}],
    }
