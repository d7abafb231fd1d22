"""Issue #20: compose files as people write them are converted, or refused with a message that says what to do.

One test per pattern of the issue's problem list, on the corpus projects
under ``tests/convert/corpus`` (written for these tests).  Every manifest
produced is checked with kubernetes-validate in strict mode.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kompox.kube.convert import ConversionError

from .helpers import k8s_validate
from .realworld import app_for, convert_dir, corpus_dir, load


def _containers(objects: list[dict]) -> dict[str, dict]:  # type: ignore[type-arg]
    deployment = next(o for o in objects if o["kind"] == "Deployment")
    return {c["name"]: c for c in deployment["spec"]["template"]["spec"]["containers"]}


def test_build_only_service_is_an_error_naming_service_and_fix(tmp_path: Path) -> None:
    root = corpus_dir("build-only", tmp_path)
    with pytest.raises(ConversionError) as info:
        convert_dir(root, app_for(root))
    message = info.value.message
    assert message.startswith("service api has build: but no image:")
    assert "add image: <registry>/<name>:<tag>" in message and "cluster can pull from" in message
    assert "worker" not in message  # build + image is fine


def test_build_with_image_converts_to_that_image(tmp_path: Path) -> None:
    root = corpus_dir("build-only", tmp_path)
    text = (root / "compose.yml").read_text().replace("build: ./api", "build: ./api\n    image: r.example.com/api:1")
    (root / "compose.yml").write_text(text)
    objects = convert_dir(root, app_for(root)).objects
    k8s_validate(objects)
    assert {n: c["image"] for n, c in _containers(objects).items()} == {
        "api": "r.example.com/api:1",
        "worker": "registry.example.com/shop/worker:2.1",
    }


def test_dotenv_duplicates_and_indented_env_file_comments(tmp_path: Path) -> None:
    root = corpus_dir("dotenv-env-files", tmp_path)
    project = load(root)
    assert project.warnings == ['The "SMTP_HOST" variable is not set. Defaulting to a blank string.']
    objects = convert_dir(root, app_for(root)).objects
    k8s_validate(objects)
    app = _containers(objects)["app"]
    assert app["image"] == "ghcr.io/example/notes:3.2.1"
    assert app["env"] == [
        {"name": "FEATURE_X", "value": "on"},
        {"name": "LOG_LEVEL", "value": "info"},
        {"name": "SITE_URL", "value": "https://notes.example.org"},
        {"name": "SMTP_HOST", "value": ""},
    ]
    base = next(o for o in objects if o["kind"] == "Secret" and o["metadata"]["name"] == "app1-app-app-base")
    assert sorted(base["data"]) == ["DB_HOST", "DB_PORT"]
