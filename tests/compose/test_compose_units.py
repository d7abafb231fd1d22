"""Unit tests of the compose loader that need no oracle (dialect, RefBase, errors, order)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kompox.compose import load_project, resolve_compose_source
from kompox.compose.scalars import go_format_float
from kompox.compose.source import check_ref_base
from kompox.compose.yaml_dialect import go_parse_int, load_documents
from kompox.domain.errors import ConfigError


@pytest.mark.parametrize(("text", "expected"), [
    ("yes", "yes"), ("on", "on"), ("No", "No"), ("true", True), ("FALSE", False), ("0444", 292),
    ("0x1F", 31), ("0o17", 15), ("0b101", 5), ("1_000", 1000), ("~", None), ("null", None),
    ("2024-01-02", "2024-01-02"), ("1.5", 1.5), ("089", 89.0), ("-0x10", -16),
])
def test_yaml_scalars_follow_go_yaml_v3(text: str, expected: object) -> None:
    assert load_documents(f"v: {text}\n")[0]["v"] == expected


def test_yaml_special_floats_and_quoted_stay_strings() -> None:
    doc = load_documents('a: .inf\nb: "0444"\nc: \'true\'\nd:\n')[0]
    assert math.isinf(doc["a"])
    assert doc["b"] == "0444"
    assert doc["c"] == "true"
    assert doc["d"] is None


def test_go_parse_int_rejects_bad_underscores() -> None:
    assert go_parse_int("1__0") is None
    assert go_parse_int("_1") is None
    assert go_parse_int("1_0") == 10


@pytest.mark.parametrize(("value", "expected"), [
    (10, "10"), (1.5, "1.5"), (1000000, "1e+06"), (0.00001, "1e-05"), (2.5e-5, "2.5e-05"),
    (-1000000, "-1e+06"), (12345678901234567890, "1.2345678901234567e+19"), (999999.9, "999999.9"),
])
def test_go_float_formatting(value: float, expected: str) -> None:
    assert go_format_float(float(value)) == expected


@pytest.mark.parametrize(("ref_base", "message"), [
    ("relative/dir", "must have a scheme"), ("ftp://x/", 'unsupported scheme "ftp"')])
def test_ref_base_errors(ref_base: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        check_ref_base(ref_base)


def test_compose_file_reference(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "compose.yml").write_text("services: {a: {image: a}}\n")
    source = resolve_compose_source("file:app/compose.yml", f"file://{tmp_path}/",
                                    lambda p: Path(p).read_bytes())
    assert source.working_dir == f"{tmp_path}/app"
    assert "image: a" in source.text
    with pytest.raises(ConfigError, match="must not contain parent directory"):
        resolve_compose_source("file:../x.yml", f"file://{tmp_path}/")
    with pytest.raises(ConfigError, match="must be relative path"):
        resolve_compose_source("file:/x.yml", f"file://{tmp_path}/")
    with pytest.raises(ConfigError, match="reference not allowed"):
        resolve_compose_source("file:x.yml", "https://example.com/")
    assert resolve_compose_source("services: {}", "https://example.com/").working_dir is None


def test_process_environment_never_leaks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEAKY", "secret")
    project = load_project("services:\n  a:\n    image: 'x${LEAKY}'\n    environment: [LEAKY]\n")
    assert project.services["a"].image == "x"
    assert project.services["a"].environment == {"LEAKY": None}


def test_order_is_sorted_and_warnings_collected() -> None:
    text = ("services:\n  b: {image: b, profiles: [x]}\n  a: {image: a}\n"
            "configs:\n  z: {content: z}\n  y: {content: y}\n")
    project = load_project(text)
    assert list(project.services) == ["a", "b"]
    assert list(project.configs) == ["y", "z"]
    assert project.configs["y"].name == "kompox-compose_y"
    assert project.warnings == ["service b: profiles ['x'] are ignored; every service is deployed"]


def test_errors_are_one_line_and_name_the_key() -> None:
    with pytest.raises(ConfigError) as info:
        load_project("services:\n  a:\n    image: '${T:?set T}'\n", file_name="compose.yml")
    assert info.value.field == "services.a.image"
    assert info.value.file == "compose.yml"
    assert str(info.value) == ("compose.yml: services.a.image: error while interpolating services.a.image: "
                               "required variable T is missing a value: set T")


def test_include_without_reader_is_an_error() -> None:
    with pytest.raises(ConfigError, match="no local file access"):
        load_project("include: [x.yml]\nservices: {a: {image: a}}\n")


def test_extends_cycle_across_files(tmp_path: Path) -> None:
    (tmp_path / "other.yml").write_text("services:\n  b:\n    extends: {file: compose.yml, service: a}\n")
    text = "services:\n  a:\n    extends: {file: other.yml, service: b}\n"
    (tmp_path / "compose.yml").write_text(text)
    with pytest.raises(ConfigError, match="circular extends"):
        load_project(text, file_name="compose.yml", read_file=lambda p: (tmp_path / p).read_bytes())
