"""``kompoxops init --driver k3s|aks`` in an empty directory scaffolds a project that validates (issue #17)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from cli_project import isolate_env, run_cli

from kompox.cli.init_templates import GITIGNORE

SCAFFOLD = [".kompox/.gitignore", ".kompox/config.yml", ".kompox/kom/cluster.yml", "compose.yml", "kompoxapp.yml"]


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "shop"
    root.mkdir()
    isolate_env(monkeypatch, home=tmp_path / "home")  # no kubeconfig anywhere
    monkeypatch.chdir(root)
    return root


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "logs" not in p.parts
    }


def _steps(out: str) -> list[str]:
    block = out.split("\nNext steps:\n", 1)[1]
    return [m.group(1).split("  #", 1)[0].strip() for m in re.finditer(r"^  \d\. (.*)$", block, re.M)]


@pytest.mark.parametrize(
    ("driver", "provider", "last_step"),
    [
        ("k3s", {"driver": "k3s"}, "kompoxops cluster install && kompoxops app deploy"),
        (
            "aks",
            {
                "driver": "aks",
                "settings": {
                    "AZURE_SUBSCRIPTION_ID": "FILL-IN-subscription-id",
                    "AZURE_LOCATION": "japaneast",
                    "AZURE_AUTH_METHOD": "azure_cli",
                },
            },
            "kompoxops cluster provision && kompoxops cluster install && kompoxops app deploy",
        ),
    ],
)
def test_init_scaffolds_a_project_whose_first_validate_is_clean(
    empty: Path, capsys: pytest.CaptureFixture[str], driver: str, provider: dict[str, object], last_step: str
) -> None:
    result = run_cli(capsys, "init", "--driver", driver)
    assert result.code == 0, result.err
    files = _files(empty)
    assert sorted(files) == SCAFFOLD
    assert files[".kompox/.gitignore"] == GITIGNORE == "/logs\n/kubeconfig\n"
    kom = list(yaml.safe_load_all(files[".kompox/kom/cluster.yml"]))
    assert [d["kind"] for d in kom] == ["Workspace", "Provider", "Cluster"]
    assert kom[1]["metadata"]["annotations"]["ops.kompox.dev/id"] == f"/ws/ws1/prv/{driver}1"
    assert kom[1]["spec"] == provider
    assert "FILL IN" in files[".kompox/kom/cluster.yml"]
    app = yaml.safe_load(files["kompoxapp.yml"])
    assert app["metadata"]["annotations"]["ops.kompox.dev/id"] == f"/ws/ws1/prv/{driver}1/cls/cluster1/app/shop"
    assert app["spec"]["ingress"]["rules"] == [{"name": "web", "port": 8080, "hosts": []}]
    assert f"  - {empty}/kompoxapp.yml (App shop from compose.yml)" in result.out
    assert _steps(result.out) == ["kompoxops app validate", "${EDITOR:-vi} .kompox/kom/cluster.yml", last_step]

    validated = run_cli(capsys, "app", "validate")
    assert validated.code == 0, validated.err
    assert validated.err.splitlines() == [
        "app validate: app shop is valid: 9 Kubernetes objects (1 Namespace, 1 ServiceAccount, 1 Role, "
        "1 RoleBinding, 1 NetworkPolicy, 1 Deployment, 2 Service, 1 Ingress), 0 warnings"
    ]
    assert "kompoxops.yml" not in validated.out + validated.err


def test_aks_placeholders_are_refused_before_any_azure_call(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "init", "--driver", "aks").code == 0
    status = run_cli(capsys, "cluster", "status")
    assert status.code == 3
    assert "AZURE_SUBSCRIPTION_ID must be a GUID, got 'fill-in-subscription-id'" in status.err


def test_a_second_init_refuses_and_writes_nothing(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "init").code == 0
    (empty / "compose.yml").write_text("services: {mine: {image: nginx}}\n")
    before = _files(empty)
    again = run_cli(capsys, "init", "--driver", "aks")
    assert again.code == 3
    assert again.err.splitlines()[0] == f"Error: {empty}/.kompox/config.yml already exists (use --force to overwrite)"
    assert _files(empty) == before


def test_force_rewrites_only_config_and_keeps_the_rest(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "init").code == 0
    (empty / ".kompox" / "config.yml").write_text("version: 1\n# mine\n")
    (empty / "kompoxapp.yml").write_text((empty / "kompoxapp.yml").read_text() + "# mine\n")
    before = _files(empty)
    forced = run_cli(capsys, "init", "--force", "--driver", "aks")
    assert forced.code == 0, forced.err
    after = _files(empty)
    assert after.pop(".kompox/config.yml") == "version: 1\nstore:\n  type: local\n"
    before.pop(".kompox/config.yml")
    assert after == before  # the K3s cluster stays: .kompox/kom was not empty
    assert f"Kept: {empty}/kompoxapp.yml (exists; compose.yml not scanned)" in forced.out
    assert _steps(forced.out) == ["kompoxops app validate", "kompoxops cluster status", "kompoxops app deploy"]


def test_a_target_in_the_way_is_named_and_nothing_is_written(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (empty / "compose.yml").mkdir()  # not a compose file: the sample would go there
    result = run_cli(capsys, "init")
    assert result.code == 3
    assert result.err.splitlines()[0] == (
        f"Error: {empty}/compose.yml already exists; init never overwrites it, and nothing was written"
    )
    assert [p.name for p in empty.iterdir()] == ["compose.yml"]


def test_an_app_without_parents_gets_them_named_after_its_id(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (empty / "compose.yml").write_text("services: {web: {image: nginx, ports: ['80:80']}}\n")
    (empty / "kompoxapp.yml").write_text(
        "apiVersion: ops.kompox.dev/v1alpha1\nkind: App\nmetadata:\n  name: web\n  annotations:\n"
        "    ops.kompox.dev/id: /ws/acme/prv/edge/cls/lab/app/web\nspec:\n  compose: file:compose.yml\n"
    )
    nowhere = run_cli(capsys, "app", "validate")
    assert nowhere.code == 3 and nowhere.err.endswith(f'ancestors of "{empty}" (kompoxops init creates a project)\n')
    assert run_cli(capsys, "init", "--bare").code == 0
    refused = run_cli(capsys, "app", "validate")  # .kompox/kom is empty: only the App is loaded
    assert refused.code == 3
    assert 'parent "/ws/acme/prv/edge/cls/lab" does not exist: add a Cluster resource' in refused.err
    assert "kompoxops init --driver k3s|aks" in refused.err
    result = run_cli(capsys, "init", "--force")
    assert result.code == 0, result.err
    assert "(Workspace acme, Provider edge (driver k3s), Cluster lab; edit it)" in result.out
    validated = run_cli(capsys, "app", "validate")
    assert validated.code == 0, validated.err
    assert "app web is valid" in validated.err


def test_bare_is_upstreams_init(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "init", "--bare")
    assert result.code == 0, result.err
    assert sorted(_files(empty)) == [".kompox/.gitignore", ".kompox/config.yml"]
    assert "Next steps" not in result.out
    validate = run_cli(capsys, "app", "validate")
    assert validate.code == 3
    assert validate.err.splitlines()[0] == (
        "Error: no KOM resources found (none in the KOM path, .kompox/kom/ by default, nor in kompoxapp.yml) "
        "and no legacy kompoxops.yml: add Workspace, Provider, Cluster and App resources, "
        "or run kompoxops init in an empty directory to scaffold a project"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--driver", "gke"), "Invalid value for '--driver': 'gke' is not one of 'k3s', 'aks'."),
        (("--bare", "--driver", "aks"), "--driver has no effect with --bare (which writes no cluster)"),
    ],
)
def test_bad_flags_are_usage_errors(
    empty: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    result = run_cli(capsys, "init", *args)
    assert result.code == 2 and message in result.err
    assert list(empty.iterdir()) == []


def test_chdir_puts_cd_before_the_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    isolate_env(monkeypatch, home=tmp_path / "home")
    monkeypatch.chdir(tmp_path)
    result = run_cli(capsys, "init", "-C", "new project")
    assert result.code == 0, result.err
    block = result.out.split("\nNext steps:\n", 1)[1].splitlines()
    assert block[0] == "     cd 'new project'"
    assert (tmp_path / "new project" / "kompoxapp.yml").is_file()


def test_an_old_gitignore_is_kept_with_a_note_on_its_gaps(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (empty / ".kompox").mkdir()
    (empty / ".kompox" / ".gitignore").write_text("/logs\n")  # what upstream's init writes
    result = run_cli(capsys, "init")
    assert result.code == 0, result.err
    assert (empty / ".kompox" / ".gitignore").read_text() == "/logs\n"
    notes = [line for line in result.out.splitlines() if line.startswith("Note: ")]
    assert notes == [
        f"Note: {empty}/.kompox/.gitignore does not ignore /kubeconfig "
        "(the admin credential app kubectl writes); add the line /kubeconfig"
    ]


def test_an_old_gitignore_naming_the_entries_unanchored_gets_no_note(
    empty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (empty / ".kompox").mkdir()
    (empty / ".kompox" / ".gitignore").write_text("logs\nkubeconfig\n")  # unanchored: git ignores them too
    result = run_cli(capsys, "init")
    assert result.code == 0, result.err
    assert (empty / ".kompox" / ".gitignore").read_text() == "logs\nkubeconfig\n"
    assert [line for line in result.out.splitlines() if line.startswith("Note: ")] == []
