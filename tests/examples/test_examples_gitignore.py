"""Every example's ``.kompox/.gitignore`` keeps what kompoxops writes there out of git."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompox.cli.app_kubectl import KUBECONFIG_FILE
from kompox.cli.init_templates import GITIGNORE

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
IGNORED = {"/logs", f"/{KUBECONFIG_FILE}"}  # the run logs and the admin kubeconfig `app kubectl` writes


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if (p / ".kompox").is_dir()))
def test_example_gitignore_covers_logs_and_kubeconfig(example: str) -> None:
    lines = set((EXAMPLES / example / ".kompox" / ".gitignore").read_text(encoding="utf-8").splitlines())
    assert lines >= IGNORED


def test_init_writes_the_same_entries() -> None:
    assert set(GITIGNORE.splitlines()) >= IGNORED
