"""A real interactive bash on a pseudo-terminal: ``source <(kompoxops completion bash)``, then TAB.

The installed console script (``kompoxops`` next to the test interpreter) is
what bash calls back, so the whole path is exercised: bash's completion
function, click's protocol, ``kompox.cli.quick.main``'s hand-over and the
project's names.  zsh (on a pty) and fish (its ``complete -C``) are tested
when installed; pwsh is not (its script is covered through the protocol in
``test_completion.py``, as are the others when their shell is missing).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from terminal_session import SCRIPT, Terminal

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals"),
    pytest.mark.skipif(not SCRIPT.exists(), reason="kompoxops console script not installed next to python"),
]


def gitea_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the Gitea example (without local run logs) and an empty home directory."""
    project = tmp_path / "gitea"
    shutil.copytree(EXAMPLES / "gitea", project, ignore=shutil.ignore_patterns("logs"))
    home = tmp_path / "home"
    home.mkdir()
    return project, home


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_tab_completes_app_names_and_volumes(tmp_path: Path) -> None:
    project, home = gitea_copy(tmp_path)
    term = Terminal(project, home)
    try:
        term.send("source <(kompoxops completion bash); echo READY-$((6*7))\n")
        term.expect(r"READY-42")
        term.mark()

        term.send("kompoxops -A \t")  # one app: bash inserts it and a space
        shown = term.expect(r"kompoxops -A gitea $")
        print("--- kompoxops -A <TAB> ---\n" + shown)
        term.send("\x15")  # readline: discard the line
        term.mark()

        term.send("kompoxops disk list -V \t")  # two volumes: bash lists them, then the line again
        shown = term.expect(r"data\s+db\s*\n\$ kompoxops disk list -V d?$")
        print("--- kompoxops disk list -V <TAB> ---\n" + shown)
        term.send("\x15")
        term.mark()

        term.send("kompoxops disk list -V da\t")  # a prefix completes to the one match
        term.expect(r"kompoxops disk list -V data $")
        term.send("\x15")
        term.mark()

        term.send("kompoxops app tunnel -S \t")
        shown = term.expect(r"gitea\s+postgres\s*\n\$ kompoxops app tunnel -S $")
        print("--- kompoxops app tunnel -S <TAB> ---\n" + shown)
        term.send("\x15")
        term.mark()

        # a broken KOM: no candidates and nothing written into the terminal, the line stays as typed
        (project / ".kompox" / "kom" / "broken.yml").write_text("kind: [unclosed\n")
        term.send("kompoxops -A \t\t\x15echo AFTER-$((6*7))\n")
        shown = term.expect(r"AFTER-42")
        assert "Error" not in shown and "Traceback" not in shown and "gitea" not in shown, shown
    finally:
        term.close()
    assert not (project / ".kompox" / "logs").exists()  # TAB never opened a run log


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh not installed")
def test_zsh_tab_completes_app_names_and_volumes(tmp_path: Path) -> None:
    project, home = gitea_copy(tmp_path)
    term = Terminal(project, home, ("zsh", "-f", "-i"))
    try:
        term.send(
            "PS1='$ '; autoload -U compinit && compinit -u && source <(kompoxops completion zsh); echo READY-$((6*7))\n"
        )
        term.expect(r"READY-42")
        term.mark()
        term.send("kompoxops -A \t")
        shown = term.expect(r"kompoxops -A gitea $")
        print("--- zsh: kompoxops -A <TAB> ---\n" + shown)
        term.send("\x15")
        term.mark()
        term.send("kompoxops disk list -V \t\t")  # zsh: the first TAB inserts "d", the second lists
        shown = term.expect(r"data\s+db\s+-- disk volume of app gitea")
        print("--- zsh: kompoxops disk list -V <TAB><TAB> ---\n" + shown)
    finally:
        term.close()


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish not installed")
def test_fish_completes_app_names_volumes_and_services(tmp_path: Path) -> None:
    """fish's own ``complete -C LINE`` runs the sourced script exactly as a TAB would."""
    project = tmp_path / "gitea"
    shutil.copytree(EXAMPLES / "gitea", project, ignore=shutil.ignore_patterns("logs"))  # no local run logs
    script = (
        "kompoxops completion fish | source\n"
        "for line in 'kompoxops -A ' 'kompoxops disk list -V ' 'kompoxops app tunnel -S '\n"
        '  echo "== $line"; complete -C $line\n'
        "end\n"
    )
    env = {"PATH": f"{SCRIPT.parent}{os.pathsep}/usr/bin{os.pathsep}/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    proc = subprocess.run(
        ["fish", "--no-config", "-c", script],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    print(proc.stdout)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        "== kompoxops -A \ngitea\t/ws/demo/prv/k3s1/cls/home/app/gitea\n"
        "== kompoxops disk list -V \ndata\tdisk volume of app gitea\ndb\tdisk volume of app gitea\n"
        "== kompoxops app tunnel -S \ngitea\tservice of app gitea\npostgres\tservice of app gitea\n"
    )
