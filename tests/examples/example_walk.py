"""The walk-through harness of the example tests (no tests here): a copied example run in-process against kmock."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kompox.cli.main import run

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "kube"))

from kmock_server import KMockThread  # noqa: E402


@dataclass
class Walk:
    root: Path
    server: KMockThread
    capsys: pytest.CaptureFixture[str]

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = run(["-C", str(self.root), *args])
        out = self.capsys.readouterr()
        return code, out.out, out.err

    def ok(self, *args: str) -> tuple[str, str]:
        code, out, err = self.run(*args)
        assert code == 0, err
        return out, err

    def of(self, plural: str) -> dict[str, dict[str, Any]]:
        return {name: obj for (p, _ns, name), obj in self.server.objects().items() if p == plural}


def copy_example(example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: KMockThread) -> Path:
    """``examples/<example>`` copied unchanged (without local run logs) into ``tmp_path``, its root returned.

    ``$KUBECONFIG`` points at ``server``; no ``KOMPOX_*`` of the caller's
    environment leaks in, run logs are off and ``$HOME`` is empty.
    """
    root = tmp_path / example
    shutil.copytree(ROOT / "examples" / example, root, ignore=shutil.ignore_patterns("logs"))
    kubeconfig = tmp_path / "kubeconfig.yaml"
    kubeconfig.write_bytes(server.kubeconfig)
    for key in [k for k in os.environ if k.startswith("KOMPOX_")]:
        monkeypatch.delenv(key, raising=False)
    for key in ("KOMPOX_ROOT", "KOMPOX_DIR"):  # exported by the pre-run hook; registered for removal
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    monkeypatch.setenv("KOMPOX_LOG_OUTPUT", "none")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return root
