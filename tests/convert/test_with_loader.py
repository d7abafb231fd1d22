"""The worked example (converter.md §20) from compose text through the compose loader."""

from __future__ import annotations

import pytest

from kompox.kube.convert import convert, to_yaml

from .helpers import WORKDIR, bind, context, k8s_validate, worked_example, worked_example_app, worked_example_files

loader = pytest.importorskip("kompox.compose.loader")

COMPOSE = """
services:
  app:
    image: ghcr.io/kompox/app
    env_file: [env.yml]
    environment:
      TZ: Asia/Tokyo
    configs:
      - source: nginx-conf
        target: /etc/nginx/nginx.conf
        mode: 0444
    secrets:
      - source: api-key
        target: /run/secrets/api-key
        mode: 0444
    ports: ["8080:80", "8081:8080"]
    volumes: ["./data/app:/data"]
  postgres:
    image: postgres
    environment:
      POSTGRES_PASSWORD: secret
    volumes: ["db/data:/var/lib/postgresql/data"]
configs:
  nginx-conf:
    file: ./nginx/nginx.conf
secrets:
  api-key:
    file: ./secrets/api-key.txt
"""


def test_loaded_compose_gives_the_worked_example() -> None:
    files = worked_example_files()
    project = loader.load_project(COMPOSE, working_dir=WORKDIR, read_file=lambda p: files.read(f"{WORKDIR}/{p}"))
    app = worked_example_app()
    ws, prv, cls, _ = context(app, cert_resolver="staging")
    objects = convert(ws, prv, cls, app, project, bind(app), files=files).objects
    k8s_validate(objects)
    assert to_yaml(objects) == to_yaml(worked_example().objects)


def test_loaded_compose_without_subpath_volume() -> None:
    """Same text with the postgres volume declared plainly: everything else must match §20."""
    files = worked_example_files()
    text = (
        COMPOSE.replace('"db/data:/var/lib/postgresql/data"', '"db:/var/lib/postgresql/data"') + "volumes:\n  db: {}\n"
    )
    project = loader.load_project(text, working_dir=WORKDIR, read_file=lambda p: files.read(f"{WORKDIR}/{p}"))
    app = worked_example_app()
    ws, prv, cls, _ = context(app, cert_resolver="staging")
    objects = convert(ws, prv, cls, app, project, bind(app), files=files).objects
    k8s_validate(objects)
    got = to_yaml(objects)
    assert "subPath: data\n" not in got.split("name: postgres")[1].split("- name:")[0]
    by_kind = {(o["kind"], o["metadata"]["name"]) for o in objects}
    assert by_kind == {(o["kind"], o["metadata"]["name"]) for o in worked_example().objects}
    for kind in ("ConfigMap", "Secret", "Service", "Ingress", "NetworkPolicy", "PersistentVolume"):
        assert [o for o in objects if o["kind"] == kind] == [o for o in worked_example().objects if o["kind"] == kind]
