"""A KOM project in tmp_path whose provider is the reference driver, run in-process.

The reference driver is registered under a test-only id for the duration of
one test; production code never registers it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_project import ROOT, CliProject, isolate_env, write_project

if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from kmock_server import KMockThread

from contract.volume.reference_cloud import ReferenceCloud
from contract.volume.reference_driver import reference_factory
from kompox.providers import registry

DRIVER_ID = "reference-cli-test"

KOM = f"""\
apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata:
  name: ws1
  annotations:
    ops.kompox.dev/id: /ws/ws1
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata:
  name: ref1
  annotations:
    ops.kompox.dev/id: /ws/ws1/prv/ref1
spec:
  driver: {DRIVER_ID}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata:
  name: c1
  annotations:
    ops.kompox.dev/id: /ws/ws1/prv/ref1/cls/c1
spec:
  existing: true
"""

APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata:
  name: app1
  annotations:
    ops.kompox.dev/id: /ws/ws1/prv/ref1/cls/c1/app/app1
spec:
  compose: file:compose.yml
  volumes:
    - name: db
      size: 10Gi
      options:
        sku: Premium_LRS
    - name: share
      size: 1Gi
      type: files
  deployment:
    zone: "1"
"""

COMPOSE = """\
services:
  web:
    image: nginx
    volumes:
      - db:/var/lib/db
      - share:/srv
"""


@dataclass
class VolumeProject(CliProject):
    cloud: ReferenceCloud
    server: KMockThread  # the cluster's API server (the snapshot prune lease lives there)


@pytest.fixture(name="volume_project")
def volume_project_fixture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[VolumeProject]:
    root = tmp_path / "proj"
    write_project(root, kom=KOM, app=APP, compose=COMPOSE, config="version: 1\nstore:\n  type: local\n")
    isolate_env(monkeypatch)
    monkeypatch.chdir(root)
    cloud = ReferenceCloud()
    server = KMockThread().start()
    cloud.kubeconfig = server.kubeconfig
    registry.register(DRIVER_ID, reference_factory(cloud))
    try:
        yield VolumeProject(root, capsys, cloud, server)
    finally:
        registry._REGISTRY.pop(DRIVER_ID, None)
        server.stop()
