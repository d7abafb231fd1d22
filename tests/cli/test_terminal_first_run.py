"""A first run in a real terminal: ``kompoxops init`` in an empty directory, then its printed next steps (issue #17).

Each scenario types into an interactive bash on a pseudo-terminal
(:mod:`terminal_session`) what a new user would: ``kompoxops init``, then
every command of the "Next steps" block as printed.  The editor step runs with
``EDITOR=true`` (the file is "edited" without change); ``app validate`` must
then succeed offline with nothing but its one-line summary; in the same shell,
``source <(kompoxops completion bash)`` makes TAB complete the new app's name
and Resource ID after ``-A``, and the completed line validates; the last step
needs a real cluster (or Azure), so it must stop at once with one clear error
line naming what to fill in, and no traceback.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal_session import SCRIPT, Terminal

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals"),
    pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed"),
    pytest.mark.skipif(not SCRIPT.exists(), reason="kompoxops console script not installed next to python"),
]

STEP = re.compile(r"^  (\d)\. (.+?)(?:\s+# .*)?$")
SUMMARY = re.compile(
    r"^app validate: app (?P<app>[a-z0-9-]+) is valid: "
    r"(?P<objects>\d+) Kubernetes objects \(.*\), (?P<warnings>\d+) warnings$"
)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    project = tmp_path / "hello"
    project.mkdir()
    term = Terminal(project, tmp_path / "home", env={"EDITOR": "true"})  # HOME has no kubeconfig
    try:
        yield term
    finally:
        term.close()


def next_steps(init_output: str) -> list[str]:
    """The numbered commands under "Next steps:", comments removed, as a user would copy them."""
    matches = [m for m in map(STEP.match, init_output.split("\nNext steps:\n", 1)[1].splitlines()) if m]
    assert [m.group(1) for m in matches] == ["1", "2", "3"], init_output
    return [m.group(2) for m in matches]


@pytest.mark.parametrize(
    ("driver", "refusal"),
    [
        ("k3s", "cluster 'cluster1': no kubeconfig: spec.settings.KUBECONFIG is not set, $KUBECONFIG is empty"),
        ("aks", "AZURE_SUBSCRIPTION_ID must be a GUID, got 'fill-in-subscription-id'"),
    ],
)
def test_init_then_the_printed_steps_up_to_a_valid_app(terminal: Terminal, driver: str, refusal: str) -> None:
    code, shown = terminal.run(f"kompoxops init --driver {driver}")
    assert code == 0, shown
    assert shown.startswith("Initialized Kompox CLI Env in ")
    validate, edit, deploy = next_steps(shown)
    assert validate == "kompoxops app validate"
    assert edit == "${EDITOR:-vi} .kompox/kom/cluster.yml"

    code, shown = terminal.run(validate)
    assert code == 0, shown
    lines = shown.splitlines()
    assert len(lines) == 1, shown  # nothing but the summary: no legacy kompoxops.yml complaint, no warning
    summary = SUMMARY.match(lines[0])
    assert summary is not None, shown
    assert (summary["app"], summary["objects"], summary["warnings"]) == ("hello", "9", "0")

    code, shown = terminal.run(edit)
    assert (code, shown) == (0, "")

    assert terminal.run("source <(kompoxops completion bash)") == (0, "")
    terminal.send("kompoxops app validate -A h\t")  # one app: bash inserts its name and a space
    terminal.expect(r"kompoxops app validate -A hello $")
    terminal.mark()
    code, shown = terminal.finish()
    assert code == 0 and SUMMARY.match(shown.splitlines()[0]), shown
    app_id = f"/ws/ws1/prv/{driver}1/cls/cluster1/app/hello"
    terminal.send("kompoxops app validate -A /\t")
    terminal.expect(rf"kompoxops app validate -A {re.escape(app_id)} $")
    terminal.mark()
    assert terminal.finish()[0] == 0

    code, shown = terminal.run(deploy)
    assert code == 3, shown
    errors = [line for line in shown.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and refusal in errors[0], shown
    assert "Traceback" not in shown


def test_a_second_init_in_the_same_terminal_refuses(terminal: Terminal) -> None:
    assert terminal.run("kompoxops init")[0] == 0
    code, shown = terminal.run("kompoxops init")
    assert code == 3
    expected = r"Error: /.*/hello/\.kompox/config\.yml already exists \(use --force to overwrite\)\n"
    assert re.fullmatch(expected, shown), shown
