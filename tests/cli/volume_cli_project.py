"""A KOM project in tmp_path whose provider is the reference driver, run in-process.

The reference driver is registered under a test-only id for the duration of
one test; production code never registers it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from contract.volume.reference_cloud import ReferenceCloud  # noqa: E402
from contract.volume.reference_driver import reference_factory  # noqa: E402
from kompox.cli.main import run  # noqa: E402
from kompox.providers import registry  # noqa: E402

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
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class VolumeProject:
    root: Path
    cloud: ReferenceCloud
    capsys: pytest.CaptureFixture[str]

    def run(self, *args: str) -> Result:
        self.capsys.readouterr()
        code = run(list(args))
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.code == 0, result.err
        return result


@pytest.fixture(name="volume_project")
def volume_project_fixture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[VolumeProject]:
    root = tmp_path / "proj"
    (root / ".kompox" / "kom").mkdir(parents=True)
    (root / ".kompox" / "config.yml").write_text("version: 1\nstore:\n  type: local\n")
    (root / ".kompox" / "kom" / "cluster.yml").write_text(KOM)
    (root / "kompoxapp.yml").write_text(APP)
    (root / "compose.yml").write_text(COMPOSE)
    import os

    for key in [k for k in os.environ if k.startswith("KOMPOX_")]:
        monkeypatch.delenv(key)
    for key in ("KOMPOX_ROOT", "KOMPOX_DIR"):  # set by the pre-run hook; recorded so they are removed after
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    monkeypatch.setenv("KOMPOX_LOG_OUTPUT", "none")
    monkeypatch.chdir(root)
    cloud = ReferenceCloud()
    registry.register(DRIVER_ID, reference_factory(cloud))
    try:
        yield VolumeProject(root, cloud, capsys)
    finally:
        registry._REGISTRY.pop(DRIVER_ID, None)


def one_error(r: Result, code: int, text: str) -> None:
    """Exit ``code``, exactly one ``Error:`` line containing ``text``, no traceback, nothing on stdout."""
    assert r.code == code, (r.code, r.err)
    errors = [line for line in r.err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in r.err, r.err
    assert text in errors[0], errors[0]
    assert r.out == ""
