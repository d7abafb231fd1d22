"""Kompox-specific named-volume rules, deliberately different from docker compose (converter.md §8.1, §20).

Kompox mounts sub-paths of an App volume as ``<volume>/<sub/path>``, and upstream
loads compose files without a top-level ``volumes:`` section: the converter
checks volume names against the App's volumes instead.  docker compose rejects
both, so these cases live here rather than in the differential suite.
"""

from __future__ import annotations

import pytest

from kompox.compose import load_project
from kompox.domain.errors import ConfigError


def test_sub_path_of_a_declared_volume_is_accepted() -> None:
    text = "services:\n  db:\n    image: postgres\n    volumes: ['db/data:/var/lib/pg']\nvolumes:\n  db: {}\n"
    project = load_project(text)
    mount = project.services["db"].volumes[0]
    assert (mount.type, mount.source, mount.target) == ("volume", "db/data", "/var/lib/pg")


def test_volumes_without_a_top_level_section_are_left_to_the_converter() -> None:
    project = load_project("services:\n  db:\n    image: postgres\n    volumes: ['db/data:/x', 'default:/y']\n")
    assert [v.source for v in project.services["db"].volumes] == ["db/data", "default"]


def test_undeclared_name_is_rejected_when_volumes_are_declared() -> None:
    with pytest.raises(ConfigError, match="refers to undefined volume dbx/data"):
        load_project("services:\n  db:\n    image: postgres\n    volumes: ['dbx/data:/x']\nvolumes:\n  db: {}\n")
