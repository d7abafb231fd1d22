"""Resource IDs, scalar coercion, quantities, stream splitting, project discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompox.domain.errors import ConfigError
from kompox.kom import ResourceIDError, expand_vars, parse_resource_id, resolve_project, validate_resource_id
from kompox.kom.convert import VolumeSizeError, volume_size_bytes
from kompox.kom.resource_id import parent_id
from kompox.kom.scalar import format_float32, scalar_to_string
from kompox.kom.yaml_stream import StreamSyntaxError, split_stream


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ws/ws1", "Resource ID must start with '/': \"ws/ws1\""),
        ("/ws/ws1/prv", 'Resource ID must have kind/name pairs: "/ws/ws1/prv"'),
        ("/", 'Resource ID must have at least one kind/name pair: "/"'),
        ("/ing/i1", 'unknown kind shortname "ing" in Resource ID "/ing/i1"'),
        ("/ws/a.b", 'invalid name "a.b" in Resource ID "/ws/a.b": must not contain dots'),
        ("/ws//prv/p", 'invalid name "" in Resource ID "/ws//prv/p": a lowercase RFC 1123 label must consist'),
    ],
)
def test_parse_resource_id_errors(text: str, message: str) -> None:
    with pytest.raises(ResourceIDError) as info:
        parse_resource_id(text)
    assert str(info.value).startswith(message)


def test_resource_id_accessors() -> None:
    rid = parse_resource_id("/ws/w/prv/p/cls/c/app/a/box/b")
    assert (rid.kind, rid.name, rid.parent) == ("Box", "b", "/ws/w/prv/p/cls/c/app/a")
    assert [rid.name_of(s) for s in ("ws", "prv", "cls", "app", "box")] == ["w", "p", "c", "a", "b"]
    assert parent_id("/ws/w") == ""
    assert parse_resource_id("/prv/p").name_of("ws") == ""


@pytest.mark.parametrize(
    ("text", "kind", "name", "message"),
    [
        ("/ws/w", "Provider", "w", 'Resource ID kind "Workspace" does not match expected kind "Provider"'),
        ("/ws/w", "Workspace", "x", 'Resource ID name "w" does not match metadata.name "x"'),
        ("/prv/p", "Provider", "p", 'kind Provider expects 2 kind/name pairs, got 1 in Resource ID "/prv/p"'),
        ("/ws/a/ws/b/prv/p", "Provider", "p", "kind Provider expects 2 kind/name pairs, got 3"),
        ("/app/x/prv/p", "Provider", "p", 'expected kind "ws" at position 0 in Resource ID "/app/x/prv/p", got "app"'),
    ],
)
def test_validate_resource_id_errors(text: str, kind: str, name: str, message: str) -> None:
    with pytest.raises(ResourceIDError) as info:
        validate_resource_id(text, kind, name)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (64, "64"),
        (0, "0"),
        (3.14, "3.14"),
        (1.23456789, "1.2345679"),
        (1e7, "10000000"),
        (True, "true"),
        (False, "false"),
        (0.5, "0.5"),
        (0.00001, "1e-05"),
        (1234567.5, "1.2345675e+06"),
        (-2.5, "-2.5"),
        ("x", "x"),
    ],
)
def test_scalar_to_string(value: object, text: str) -> None:
    assert scalar_to_string(value) == text


def test_scalar_to_string_rejects_collections() -> None:
    assert scalar_to_string({"a": 1}) is None and scalar_to_string([1]) is None


def test_format_float32_extremes() -> None:
    assert format_float32(1e300) == "+Inf"
    assert format_float32(float("nan")) == "NaN"


@pytest.mark.parametrize(
    ("value", "size"),
    [
        (10737418240, 10737418240),
        (1024, 1024),
        (1024.0, 1024),
        ("10Gi", 10737418240),
        ("500Mi", 524288000),
        ("1024", 1024),
        ("1e3", 1000),
        ("1.5Gi", 1610612736),
        ("2k", 2000),
    ],
)
def test_volume_size_vectors(value: object, size: int) -> None:
    assert volume_size_bytes("v", value) == size


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("invalid", 'invalid quantity string "invalid": quantities must match'),
        (True, "unsupported type bool (expected int64, int, float64, or string)"),
        (None, "unsupported type <nil>"),
        ("100m", 'quantity "100m" is too large for int64'),
        ("10Mk", "unable to parse quantity's suffix"),
        ("99999999999Ei", "too large for int64"),
    ],
)
def test_volume_size_errors(value: object, message: str) -> None:
    with pytest.raises(VolumeSizeError) as info:
        volume_size_bytes("v", value)
    assert str(info.value).startswith('invalid volume size for volume "v": ')
    assert message in str(info.value)


def test_split_stream_index_rules() -> None:
    text = "---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n"
    chunks = split_stream(text)
    assert [(c.index, c.line) for c in chunks] == [(1, 2), (2, 5), (3, 7)]
    assert chunks[1].text == "# only a comment\n"


def test_split_stream_rejects_text_after_separator() -> None:
    with pytest.raises(StreamSyntaxError) as info:
        split_stream("a: 1\n--- b\n")
    assert info.value.line == 2
    assert split_stream("a: 1\n--- # fine\nb: 1\n")[1].text == "b: 1\n"


def test_expand_vars_vector() -> None:
    root, kdir = "/home/user/project", "/home/user/project/.kompox"
    assert expand_vars("$KOMPOX_DIR/kom", root, kdir) == "/home/user/project/.kompox/kom"
    assert expand_vars("${KOMPOX_ROOT}/x", root, kdir) == "${KOMPOX_ROOT}/x"
    assert expand_vars("$KOMPOX_ROOT/a:$KOMPOX_ROOT", root, kdir) == f"{root}/a:{root}"


def test_resolve_project_upward_search_and_config(tmp_path: Path) -> None:
    kdir = tmp_path / ".kompox"
    kdir.mkdir()
    (kdir / "config.yml").write_text(
        "version: 1\nstore:\n  type: local\nkomPath: [kom, $KOMPOX_ROOT/more]\n"
        "logging:\n  dir: $KOMPOX_ROOT/logs\n  format: human\n  level: debug\n  retentionDays: 3\nother: ignored\n"
    )
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    env = resolve_project(sub, {})
    assert (env.root, env.dir) == (tmp_path, kdir)
    cfg = env.config
    assert (cfg.version, cfg.store_type, cfg.kom_path) == (1, "local", ["kom", "$KOMPOX_ROOT/more"])
    assert (env.log_dir, env.log_format, env.log_level, env.retention_days) == (f"{tmp_path}/logs", "human", "debug", 3)
    assert env.environ() == {"KOMPOX_ROOT": str(tmp_path), "KOMPOX_DIR": str(kdir)}


def test_resolve_project_defaults_and_precedence(tmp_path: Path) -> None:
    (tmp_path / "p" / ".kompox").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    env = resolve_project(tmp_path, {"KOMPOX_ROOT": "p"})
    assert env.root == tmp_path / "p"
    assert (env.log_dir, env.log_format, env.log_level, env.retention_days) == (
        f"{tmp_path}/p/.kompox/logs",
        "json",
        "INFO",
        7,
    )
    flagged = resolve_project(tmp_path, {"KOMPOX_ROOT": "nope"}, kompox_root_flag="p", kompox_dir_flag="other")
    assert (flagged.root, flagged.dir) == (tmp_path / "p", tmp_path / "other")


def test_resolve_project_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        resolve_project(tmp_path, {})
    assert str(info.value) == (
        "resolving KOMPOX_ROOT/KOMPOX_DIR: KOMPOX_ROOT not specified and .kompox directory not found in "
        f'ancestors of "{tmp_path}" (kompoxops init creates a project)'
    )
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match=r'KOMPOX_ROOT ".*/file" is not a directory'):
        resolve_project(tmp_path, {"KOMPOX_ROOT": "file"})
    with pytest.raises(ConfigError, match=r'KOMPOX_DIR ".*/missing" does not exist'):
        resolve_project(tmp_path, {"KOMPOX_ROOT": ".", "KOMPOX_DIR": "missing"})
