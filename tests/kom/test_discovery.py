"""KOM path sources, precedence, directory expansion and mode selection."""

from __future__ import annotations

import os
from pathlib import Path

from kompox.kom import Mode, initialize_kom, resolve_project

HEAD = "apiVersion: ops.kompox.dev/v1alpha1\n"


def ws(name: str) -> str:
    return f"{HEAD}kind: Workspace\nmetadata: {{name: {name}, annotations: {{ops.kompox.dev/id: /ws/{name}}}}}\n"


def project(tmp_path: Path, config: str = "") -> Path:
    (tmp_path / ".kompox").mkdir()
    if config:
        (tmp_path / ".kompox" / "config.yml").write_text(config)
    return tmp_path


def names(root: Path, env: dict[str, str] | None = None, **kwargs: object) -> list[str]:
    env = env or {}
    state = initialize_kom(resolve_project(root, env), root, env, **kwargs)  # type: ignore[arg-type]
    assert state.resources is not None
    return [w.name for w in state.resources.workspaces]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_level_precedence_first_source_wins_without_merging(tmp_path: Path) -> None:
    root = project(tmp_path, "komPath: [cfg]\n")
    for level in ("flag", "env", "defaults"):
        write(root / level / "ws.yml", ws(f"ws-{level}"))
    write(root / ".kompox" / "cfg" / "ws.yml", ws("ws-cfg"))
    write(root / ".kompox" / "kom" / "ws.yml", ws("ws-default"))
    write(root / "kompoxapp.yml", f"{HEAD}kind: Defaults\nmetadata: {{name: d}}\nspec: {{komPath: [defaults]}}\n")
    env = {"KOMPOX_KOM_PATH": "env"}
    assert names(root, env, kom_paths=["flag"]) == ["ws-flag"]
    assert names(root, env) == ["ws-env"]
    assert names(root) == ["ws-defaults"]
    (root / "kompoxapp.yml").unlink()
    assert names(root) == ["ws-cfg"]
    (root / ".kompox" / "config.yml").unlink()
    assert names(root) == ["ws-default"]


def test_env_kom_path_uses_os_list_separator_and_trims(tmp_path: Path) -> None:
    root = project(tmp_path)
    write(root / "a" / "ws.yml", ws("wa"))
    write(root / "b" / "ws.yml", ws("wb"))
    env = {"KOMPOX_KOM_PATH": f" a {os.pathsep}{os.pathsep} b "}
    assert names(root, env) == ["wa", "wb"]


def test_config_kom_path_is_relative_to_kompox_dir_and_expands_vars(tmp_path: Path) -> None:
    root = project(tmp_path, "komPath: [shared, $KOMPOX_ROOT/top]\n")
    write(root / ".kompox" / "shared" / "ws.yml", ws("wshared"))
    write(root / "top" / "ws.yml", ws("wtop"))
    assert names(root) == ["wshared", "wtop"]


def test_missing_default_dir_and_no_documents_fall_back_to_legacy(tmp_path: Path) -> None:
    root = project(tmp_path)
    state = initialize_kom(resolve_project(root, {}), root, {})
    assert state.mode is Mode.LEGACY and state.resources is None
    assert state.kom_path_source == "default path"


def test_directory_scan_order_ignore_list_and_non_yaml(tmp_path: Path) -> None:
    root = project(tmp_path)
    kom = root / "kom"
    write(kom / "b.yaml", ws("wb"))
    write(kom / "a" / "z.yml", ws("waz"))
    write(kom / "node_modules" / "x.yml", ws("ignored"))
    write(kom / "notes.txt", "not yaml")
    write(kom / "C.YML", ws("upper"))  # suffix is case-sensitive
    state = initialize_kom(resolve_project(root, {}), root, {}, kom_paths=["kom"])
    assert state.files == [str(kom / "a" / "z.yml"), str(kom / "b.yaml")]


def test_same_file_through_two_paths_is_loaded_once(tmp_path: Path) -> None:
    root = project(tmp_path)
    write(root / "kom" / "ws.yml", ws("w1"))
    (root / "link").symlink_to(root / "kom")
    state = initialize_kom(resolve_project(root, {}), root, {}, kom_paths=["kom", "link", "kom/ws.yml"])
    assert state.files == [str(root / "kom" / "ws.yml")]


def test_apps_from_kom_paths_have_no_ref_base(tmp_path: Path) -> None:
    root = project(tmp_path)
    body = (
        ws("w")
        + f"---\n{HEAD}kind: Provider\nmetadata: {{name: p, annotations: {{ops.kompox.dev/id: /ws/w/prv/p}}}}\n"
        + f"---\n{HEAD}kind: Cluster\nmetadata: {{name: c, annotations: {{ops.kompox.dev/id: /ws/w/prv/p/cls/c}}}}\n"
    )
    write(root / "kom" / "infra.yml", body)
    app = f"{HEAD}kind: App\nmetadata: {{name: a, annotations: {{ops.kompox.dev/id: /ws/w/prv/p/cls/c/app/%s}}}}\n"
    write(root / "kom" / "other.yml", (app % "a").replace("name: a", "name: b").replace("app/a", "app/b"))
    write(root / "sub" / "kompoxapp.yml", app % "a")
    state = initialize_kom(resolve_project(root, {}), root, {}, kom_paths=["../kom"], kom_app="sub/kompoxapp.yml")
    assert state.resources is not None
    refs = {a.name: a.ref_base for a in state.resources.apps}
    assert refs == {"a": f"file://{root / 'sub'}/", "b": ""}
    assert state.default_app_id == "/ws/w/prv/p/cls/c/app/a"


def test_kom_app_env_is_used_when_flag_absent(tmp_path: Path) -> None:
    root = project(tmp_path)
    write(root / "x" / "app.yaml", ws("from-env"))
    assert names(root, {"KOMPOX_KOM_APP": "x/app.yaml"}) == ["from-env"]
    assert names(root, {"KOMPOX_KOM_APP": "missing.yml"}, kom_paths=["x"]) == ["from-env"]


def test_json_stream_documents(tmp_path: Path) -> None:
    root = project(tmp_path)
    write(
        root / "kom" / "ws.yaml",
        '{"apiVersion": "ops.kompox.dev/v1alpha1", "kind": "Workspace",'
        ' "metadata": {"name": "j1", "annotations": {"ops.kompox.dev/id": "/ws/j1"}}}\n'
        '{"apiVersion": "ops.kompox.dev/v1alpha1", "kind": "Workspace",'
        ' "metadata": {"name": "j2", "annotations": {"ops.kompox.dev/id": "/ws/j2"}}}\n',
    )
    assert names(root, kom_paths=["kom"]) == ["j1", "j2"]
