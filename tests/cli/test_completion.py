"""Dynamic shell completion: names from the local project, through click's protocol for every shell.

Each test plays the shell's side of the protocol (``_KOMPOXOPS_COMPLETE`` and
the words typed so far) against ``kompox.cli.main.run`` or the console script,
and reads the candidates back.  The interactive bash test is in
``test_completion_terminal.py``.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from kompox.cli.main import load_root_command, run
from kompox.cli.quick import ROOT_COMMANDS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PY = sys.executable

KOM_BASE = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata: {name: ws, annotations: {ops.kompox.dev/id: /ws/ws}}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata: {name: k3s1, annotations: {ops.kompox.dev/id: /ws/ws/prv/k3s1}}
spec: {driver: k3s}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata: {name: c1, annotations: {ops.kompox.dev/id: /ws/ws/prv/k3s1/cls/c1}}
spec: {existing: true}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata: {name: c2, annotations: {ops.kompox.dev/id: /ws/ws/prv/k3s1/cls/c2}}
spec: {existing: true}
"""


WEB_COMPOSE = "services: {frontend: {image: nginx}, backend: {image: busybox}}"


def app_doc(
    name: str, cluster: str, volumes: list[str], pool: str = "", compose: str = "services: {}", zone: str = ""
) -> str:
    vols = "".join(f"\n    - {{name: {v}, size: 1Gi}}" for v in volumes)
    deployment = f"\n  deployment: {{pool: {pool}, zone: '{zone}'}}" if pool else ""
    return (
        "---\napiVersion: ops.kompox.dev/v1alpha1\nkind: App\n"
        f"metadata: {{name: {name}, annotations: {{ops.kompox.dev/id: /ws/ws/prv/k3s1/cls/{cluster}/app/{name}}}}}\n"
        f"spec:\n  compose: {compose!r}\n  volumes:{vols}{deployment}\n"
    )


BOXES = """\
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Box
metadata: {name: worker, annotations: {ops.kompox.dev/id: /ws/ws/prv/k3s1/cls/c1/app/web/box/worker}}
spec: {image: "busybox:1.36"}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A KOM project: apps web (c1, volumes files+db, pool user, box worker), api (c1), web again on c2.

    KOM directory files carry no RefBase, so their apps' compose is inline (``file:`` works only from
    kompoxapp.yml, as the examples show).
    """
    root = tmp_path / "proj"
    (root / ".kompox" / "kom").mkdir(parents=True)
    docs = (
        KOM_BASE
        + app_doc("web", "c1", ["files", "db"], pool="user", compose=WEB_COMPOSE, zone="2")
        + app_doc("api", "c1", ["cache"], pool="highmem", compose="services: {api: {image: busybox}}")
        + app_doc("web", "c2", ["other"])
        + BOXES
    )
    (root / ".kompox" / "kom" / "all.yml").write_text(docs)
    return root


def isolate(monkeypatch: pytest.MonkeyPatch, cwd: Path) -> None:
    for key in list(os.environ):
        if key.startswith(("KOMPOX_", "COMP_", "_KOMPOXOPS")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(cwd)


def complete_raw(monkeypatch: pytest.MonkeyPatch, line: str, shell: str = "bash") -> tuple[int, str]:
    """Play the shell: ``line`` is what was typed, the cursor at its end; returns (exit code, stdout)."""
    words = line.split(" ")
    monkeypatch.setenv("_KOMPOXOPS_COMPLETE", f"{shell}_complete")
    if shell == "powershell":
        monkeypatch.setenv("COMP_LINE", line.rstrip(" "))
        monkeypatch.setenv("COMP_WORD", words[-1])
    elif shell == "fish":
        monkeypatch.setenv("COMP_WORDS", " ".join(words[:-1]))
        monkeypatch.setenv("COMP_CWORD", words[-1])
    else:
        monkeypatch.setenv("COMP_WORDS", line)
        monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    out = io.StringIO()
    code = run([], stdout=out, stderr=io.StringIO())
    return code, out.getvalue()


def complete(monkeypatch: pytest.MonkeyPatch, line: str) -> list[str]:
    """The bash candidates' values (``plain`` ones; others as ``type:value``)."""
    code, text = complete_raw(monkeypatch, line)
    assert code == 0
    values = []
    for row in text.splitlines():
        kind, _, value = row.partition(",")
        values.append(value if kind == "plain" else f"{kind}:{value}")
    return values


# --- names from the examples ------------------------------------------------------


def test_gitea_example_apps_volumes_services_clusters(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, EXAMPLES / "gitea")
    assert complete(monkeypatch, "kompoxops -A ") == ["gitea"]
    assert complete(monkeypatch, "kompoxops app deploy --app-id ") == ["gitea"]
    assert complete(monkeypatch, "kompoxops app deploy -A /") == ["/ws/demo/prv/k3s1/cls/home/app/gitea"]
    assert complete(monkeypatch, "kompoxops disk list -V ") == ["data", "db"]
    assert complete(monkeypatch, "kompoxops snapshot list -V d") == ["data", "db"]
    assert complete(monkeypatch, "kompoxops disk create -V da") == ["data"]
    assert complete(monkeypatch, "kompoxops app tunnel -S ") == ["gitea", "postgres"]
    assert complete(monkeypatch, "kompoxops app logs -c p") == ["postgres"]
    assert complete(monkeypatch, "kompoxops cluster status --cluster-id ") == ["home"]
    assert complete(monkeypatch, "kompoxops cluster status --cluster-name ") == ["home"]
    assert complete(monkeypatch, "kompoxops -K ") == ["home"]
    assert complete(monkeypatch, "kompoxops cluster status -K h") == ["home"]


def test_showcase_example_through_chdir_flag(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)  # no project here: only -C finds one
    showcase = str(EXAMPLES / "showcase")
    assert complete(monkeypatch, "kompoxops disk list -V ") == []
    assert complete(monkeypatch, f"kompoxops -C {showcase} disk list -V ") == ["uploads", "pgdata"]
    assert complete(monkeypatch, f"kompoxops disk list -C {showcase} -V ") == ["uploads", "pgdata"]
    assert complete(monkeypatch, f"kompoxops app exec --chdir={showcase} -c ") == ["web", "api", "db"]
    assert complete(monkeypatch, f"kompoxops -C {showcase} -A ") == ["shop"]


# --- selection by the flags already typed ----------------------------------------------


def test_app_names_ids_and_ambiguous_names(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    isolate(monkeypatch, project)
    # "web" exists on two clusters: its IDs are offered instead of the ambiguous name
    assert complete(monkeypatch, "kompoxops -A ") == [
        "api",
        "/ws/ws/prv/k3s1/cls/c1/app/web",
        "/ws/ws/prv/k3s1/cls/c2/app/web",
    ]
    assert complete(monkeypatch, "kompoxops app status --app-name ") == ["api", "web"]
    assert complete(monkeypatch, "kompoxops app status --app-name /") == []  # a name never starts with "/"
    assert complete(monkeypatch, "kompoxops -A /ws/ws/prv/k3s1/cls/c2") == ["/ws/ws/prv/k3s1/cls/c2/app/web"]
    assert complete(monkeypatch, "kompoxops cluster status --cluster-id ") == ["c1", "c2"]
    assert complete(monkeypatch, "kompoxops cluster status --cluster-id /ws/ws/prv/k3s1/cls/c") == [
        "/ws/ws/prv/k3s1/cls/c1",
        "/ws/ws/prv/k3s1/cls/c2",
    ]


def test_volumes_and_services_follow_the_selected_app(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    isolate(monkeypatch, project)
    web1, web2 = "/ws/ws/prv/k3s1/cls/c1/app/web", "/ws/ws/prv/k3s1/cls/c2/app/web"
    assert complete(monkeypatch, "kompoxops disk list -V ") == []  # no default app, none named
    assert complete(monkeypatch, f"kompoxops disk list -A {web1} -V ") == ["files", "db"]
    assert complete(monkeypatch, f"kompoxops -A {web2} disk list -V ") == ["other"]
    assert complete(monkeypatch, "kompoxops snapshot list --app-name api -V ") == ["cache"]
    assert complete(monkeypatch, "kompoxops -A api disk assign -V ") == ["cache"]
    assert complete(monkeypatch, f"kompoxops app tunnel -A {web1} -S ") == ["frontend", "backend"]
    assert complete(monkeypatch, "kompoxops app exec --app-name api -c ") == ["api"]  # inline compose
    assert complete(monkeypatch, "kompoxops app tunnel --app-name web -S ") == []  # ambiguous name: no app


def test_default_app_from_kompoxapp_yml(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    kom = project / ".kompox" / "kom" / "all.yml"
    text = kom.read_text()
    start = text.index("---\napiVersion: ops.kompox.dev/v1alpha1\nkind: App\nmetadata: {name: api")
    end = text.index("---", start + 4)
    (project / "kompoxapp.yml").write_text(text[start + 4 : end])  # the api App becomes the default app
    kom.write_text(text[:start] + text[end:])
    isolate(monkeypatch, project)
    assert complete(monkeypatch, "kompoxops disk list -V ") == ["cache"]
    assert complete(monkeypatch, "kompoxops cluster nodepool delete --name ") == ["highmem", "user"]


def test_kom_path_flag_selects_the_kom(monkeypatch: pytest.MonkeyPatch, project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yml"
    other.write_text(KOM_BASE + app_doc("solo", "c2", ["v1"], compose="services: {s: {image: x}}"))
    isolate(monkeypatch, project)
    assert complete(monkeypatch, f"kompoxops --kom-path {other} -A ") == ["solo"]
    assert complete(monkeypatch, f"kompoxops disk list --kom-path={other} -A solo -V ") == ["v1"]


def test_node_pools_boxes_and_cluster_selection(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    isolate(monkeypatch, project)
    assert complete(monkeypatch, "kompoxops cluster nodepool delete --cluster-name c1 --name ") == ["highmem", "user"]
    assert complete(monkeypatch, "kompoxops cluster nodepool list --cluster-name c2 --name ") == []
    assert complete(monkeypatch, "kompoxops cluster nodepool delete --name ") == []  # no cluster selected
    assert complete(monkeypatch, "kompoxops box deploy -A /ws/ws/prv/k3s1/cls/c1/app/web --box ") == ["worker"]
    assert complete(monkeypatch, "kompoxops box deploy -A api --box ") == []
    web1 = "/ws/ws/prv/k3s1/cls/c1/app/web"
    assert complete(monkeypatch, f"kompoxops app tunnel -A {web1} --component ") == ["app", "worker"]
    assert complete(monkeypatch, "kompoxops secret env set -A api --component ") == ["app"]
    assert complete(monkeypatch, f"kompoxops disk create -A {web1} -V files -Z ") == ["2"]
    assert complete(monkeypatch, "kompoxops cluster nodepool create --mode ") == ["system", "user"]
    assert complete(monkeypatch, "kompoxops cluster nodepool update --priority s") == ["spot"]


@pytest.mark.parametrize(
    "line",
    [
        "kompoxops cluster nodepool create -f ",
        "kompoxops admin app create -f ",
        "kompoxops app validate --out-manifest ",
        "kompoxops app deploy --env-file ",
        "kompoxops cluster kubeconfig -o ",
        "kompoxops box deploy --ssh-pubkey ",
        "kompoxops config -f ",
    ],
)
def test_file_options_let_the_shell_complete_paths(line: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)
    assert complete(monkeypatch, line) == ["file:"]


def test_choice_options_keep_their_choices(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)
    assert complete(monkeypatch, "kompoxops cluster status -o ") == ["table", "wide", "json", "yaml", "name"]
    assert complete(monkeypatch, "kompoxops cluster kubeconfig --format ") == ["yaml", "json"]


def test_legacy_kompoxops_yml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".kompox").mkdir()
    (tmp_path / "compose.yml").write_text("services:\n  web: {image: nginx}\n  worker: {image: busybox}\n")
    (tmp_path / "kompoxops.yml").write_text(
        "version: v1\nworkspace:\n  name: demo\nprovider:\n  name: k3s1\n  driver: k3s\n"
        "cluster:\n  name: home\n  existing: true\n"
        "app:\n  name: legacyapp\n  compose: file:compose.yml\n  volumes:\n    - name: data\n      size: 1Gi\n"
    )
    isolate(monkeypatch, tmp_path)
    assert complete(monkeypatch, "kompoxops -A ") == ["legacyapp"]
    assert complete(monkeypatch, "kompoxops cluster status -K ") == ["home"]
    assert complete(monkeypatch, "kompoxops disk list -V ") == ["data"]  # the legacy app is the default
    assert complete(monkeypatch, "kompoxops app exec -c w") == ["web", "worker"]


def test_flag_values_after_equals_however_the_shell_splits_them(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, EXAMPLES / "gitea")
    # bash splits at "=" and may report "=" itself as the current word
    assert complete(monkeypatch, "kompoxops --app-id =") == ["gitea"]
    assert complete(monkeypatch, "kompoxops disk list --vol-name = d") == ["data", "db"]
    assert complete(monkeypatch, "kompoxops disk list --app-id = gitea -V ") == ["data", "db"]
    assert complete(monkeypatch, "kompoxops --log-level = w") == ["warn", "warning"]
    # zsh and fish keep the word whole
    monkeypatch.setenv("COMP_WORDS", "kompoxops --app-id=g")
    monkeypatch.setenv("COMP_CWORD", "1")
    monkeypatch.setenv("_KOMPOXOPS_COMPLETE", "zsh_complete")
    out = io.StringIO()
    assert run([], stdout=out) == 0
    assert out.getvalue() == "plain\ngitea\n/ws/demo/prv/k3s1/cls/home/app/gitea\n"


def test_disk_and_snapshot_names_are_not_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the provider knows them; completion never calls it, so the shell gets nothing (and no error)."""
    isolate(monkeypatch, EXAMPLES / "gitea")
    assert complete(monkeypatch, "kompoxops disk assign -V data -N ") == []
    assert complete(monkeypatch, "kompoxops snapshot delete -V data -N ") == []


# --- global flags, commands and options ---------------------------------------------


def test_global_flag_values_and_names(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)
    assert complete(monkeypatch, "kompoxops --log-level w") == ["warn", "warning"]
    assert complete(monkeypatch, "kompoxops app deploy --log-format ") == ["json", "human", "text"]
    assert complete(monkeypatch, "kompoxops -C ") == ["dir:"]
    assert complete(monkeypatch, "kompoxops disk list --kom-path ka") == ["file:ka"]
    assert complete(monkeypatch, "kompoxops disk list --kom") == [
        "--kompox-root",
        "--kompox-dir",
        "--kom-path",
        "--kom-app",
    ]
    assert "--vol-name" in complete(monkeypatch, "kompoxops disk list --")
    assert complete(monkeypatch, "kompoxops d") == ["disk", "dns"]
    assert complete(monkeypatch, "kompoxops completion ") == ["bash", "zsh", "fish", "powershell"]


def test_broken_or_missing_project_gives_no_candidates_and_no_noise(
    monkeypatch: pytest.MonkeyPatch, project: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (project / ".kompox" / "kom" / "broken.yml").write_text("kind: App\nmetadata: [unclosed\n")  # a YAML error
    isolate(monkeypatch, project)
    assert complete_raw(monkeypatch, "kompoxops -A ") == (0, "")
    assert complete_raw(monkeypatch, "kompoxops --log-level bogus disk list -V ") == (0, "")
    assert not (project / ".kompox" / "logs").exists()  # completion never opens a run log
    empty = tmp_path / "empty"
    empty.mkdir()
    isolate(monkeypatch, empty)
    assert complete_raw(monkeypatch, "kompoxops disk list -V ") == (0, "")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


# --- the other shells' formats -------------------------------------------------


def test_zsh_fish_and_powershell_formats(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, EXAMPLES / "gitea")
    app_id = "/ws/demo/prv/k3s1/cls/home/app/gitea"
    assert complete_raw(monkeypatch, "kompoxops -A ", "zsh") == (0, f"plain\ngitea\n{app_id}\n")
    assert complete_raw(monkeypatch, "kompoxops disk list -V d", "fish") == (
        0,
        "plain,data\tdisk volume of app gitea\nplain,db\tdisk volume of app gitea\n",
    )
    assert complete_raw(monkeypatch, "kompoxops app tunnel -S ", "powershell") == (
        0,
        "plain\tgitea\tservice of app gitea\nplain\tpostgres\tservice of app gitea\n",
    )
    assert complete_raw(monkeypatch, "kompoxops disk list -V d", "powershell")[1].splitlines() == [
        "plain\tdata\tdisk volume of app gitea",
        "plain\tdb\tdisk volume of app gitea",
    ]
    assert complete_raw(monkeypatch, "kompoxops -A ", "tcsh") == (1, "")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_completion_scripts_call_back_with_the_protocol(shell: str, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, EXAMPLES / "gitea")
    out = io.StringIO()
    assert run(["completion", shell], stdout=out) == 0
    script = out.getvalue()
    assert "_KOMPOXOPS_COMPLETE" in script and f"{shell}_complete" in script
    if shell == "powershell":
        assert "Register-ArgumentCompleter -Native -CommandName kompoxops" in script
        assert "COMP_LINE" in script and "COMP_WORD" in script


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_script_is_valid_bash(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, EXAMPLES / "gitea")
    out = io.StringIO()
    assert run(["completion", "bash"], stdout=out) == 0
    proc = subprocess.run(["bash", "-n"], input=out.getvalue(), text=True, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr


# --- the console script: quick.main must hand completion over -----------------------


def quick_main(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\nsys.argv = ['kompoxops']\nfrom kompox.cli.quick import main\n"
        "try:\n    main()\nfinally:\n"
        "    heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('kubernetes', 'azure', 'sqlalchemy', 'psycopg', 'websocket'))\n"
        "    sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("KOMPOX_", "COMP_", "_KOMPOXOPS"))}
    return subprocess.run(
        [PY, "-c", code], env={**base, **env}, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def test_console_script_completes_without_heavy_imports() -> None:
    env = {"_KOMPOXOPS_COMPLETE": "bash_complete", "COMP_WORDS": "kompoxops disk list -V ", "COMP_CWORD": "4"}
    proc = quick_main(env, EXAMPLES / "gitea")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "plain,data\nplain,db\n", "HEAVY=")
    proc = quick_main({"_KOMPOXOPS_COMPLETE": "bash_source"}, EXAMPLES / "gitea")
    assert proc.returncode == 0 and "complete -o nosort -F _kompoxops_completion kompoxops" in proc.stdout


# --- the registry covers the tree ---------------------------------------------------

EXPECTED = {
    "app_id": "complete_app_id",
    "app_name": "complete_app_name",
    "cluster_id": "complete_cluster_id",
    "cluster_name": "complete_cluster_name",
    "vol_name": "complete_volume",
    "service": "complete_service",
    "box_name": "complete_box",
}


def _walk(cmd: click.Command, path: str) -> list[tuple[str, click.Command]]:
    found = [(path, cmd)]
    if isinstance(cmd, click.Group):
        for name, child in cmd.commands.items():
            found += _walk(child, f"{path} {name}")
    return found


def test_every_selector_option_in_the_tree_has_its_completer() -> None:
    seen: set[str] = set()
    for root_name in ROOT_COMMANDS:
        cmd = load_root_command(root_name)
        assert cmd is not None
        for path, command in _walk(cmd, root_name):
            for param in command.params:
                custom = param._custom_shell_complete
                name = getattr(custom, "__name__", None)
                if param.name in EXPECTED:
                    seen.add(param.name)
                    assert name == EXPECTED[param.name], f"{path} {param.name}"
                if param.name == "container":
                    want = "complete_service" if path.startswith("app ") else None
                    assert name == want, f"{path} {param.name}"
                if param.name == "name" and path.startswith("cluster nodepool "):
                    assert name == "complete_pool", path
    assert seen == set(EXPECTED)


def test_command_names_complete_without_importing_the_commands() -> None:
    code = (
        "import sys\nsys.argv = ['kompoxops']\nfrom kompox.cli.quick import main\n"
        "try:\n    main()\nfinally:\n"
        "    loaded = sorted(m for m in sys.modules if m.startswith('kompox.cli.commands.'))\n"
        "    sys.stderr.write('COMMANDS=' + ','.join(loaded))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOMPOX_", "COMP_", "_KOMPOXOPS"))}
    env |= {"_KOMPOXOPS_COMPLETE": "zsh_complete", "COMP_WORDS": "kompoxops d", "COMP_CWORD": "1"}
    proc = subprocess.run([PY, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert proc.stdout == (
        "plain\ndisk\nManage the cloud disks (or file shares) of volumes.\n"
        "plain\ndns\nApply or remove the DNS records of the app.\n"
    )
    assert proc.stderr == "COMMANDS="
