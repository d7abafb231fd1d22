"""Differential tests: our loader versus ``docker compose config`` on the fixture corpus.

Each directory under ``fixtures/`` is one compose project (``compose.yml`` plus
whatever files it references).  It is copied into a temporary directory named
``kompox-compose`` (the oracle's default project name is the directory name,
which then equals upstream Kompox's default) and loaded by both sides.

A directory with an ``expect-error`` file is an error case: both sides must
refuse it, and our one-line message must contain the file's text.

Intentional differences, applied as explicit normalisations below:

N1 paths: the oracle prints absolute paths; Kompox keeps them relative to the
   working directory (converter.md §3.2.6), so ours are joined to the temp dir.
N2 env_file: the oracle inlines env-file variables into ``environment``;
   Kompox keeps ``env_file`` references (the converter reads them, §13.1).
   We merge our parse of the env files under our environment before comparing.
N3 deploy.resources: the oracle converts ``cpus`` to a number and ``memory``
   to a byte count; Kompox keeps the compose text.  We convert ours likewise,
   and so for the v2 fields ``cpus``/``mem_limit``/``mem_reservation``/
   ``memswap_limit``, which the oracle omits when 0.
N4 healthcheck: the oracle casts ``retries`` to an int (we do too when it is
   a string after interpolation); durations are compared as text.
N5 profiles: the oracle runs with ``--profile '*'`` because Kompox deploys
   every service regardless of profiles (§3.2.9).
N6 top-level configs/secrets: the oracle prints only those some service
   references; we compare those entries.
N8 secret target: the oracle fills the default ``/run/secrets/<source>``;
   Kompox leaves it unset and the converter applies the same default (§13.4).
N7 config/secret mode: the oracle prints the mode as an octal string, Kompox
   holds the integer; ours is printed in octal for comparison.
"""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path
from typing import Any

import pytest
from compose_oracle import ORACLE_HOME, OracleError, oracle_unavailable_reason, run_oracle

from kompox.compose import Project, Service, load_project, local_file_reader
from kompox.compose.dotenv import read_project_env
from kompox.compose.resources import ram_bytes
from kompox.domain.errors import ConfigError
from kompox.kube.convert import parse_env_file

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
_REASON = oracle_unavailable_reason()

pytestmark = [pytest.mark.oracle, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]


def _bytes(value: Any) -> str:
    """N3: compose unit strings (``512M``, ``1.5g``) as the oracle's byte count."""
    return str(ram_bytes(value))


_V2 = ("cpus", "mem_limit", "mem_reservation", "memswap_limit")


def _v2(raw: dict[str, Any]) -> dict[str, Any]:
    """N3: v2 resource fields as the oracle prints them (cpus a number, sizes byte counts, 0 left out)."""
    out: dict[str, Any] = {}
    for key in _V2:
        value = raw.get(key)
        if value in (None, ""):
            continue
        converted: Any = float(value) if key == "cpus" else _bytes(value)
        if converted not in (0, "0"):
            out[key] = converted
    return out


def _abs(root: Path, path: str) -> str:
    """N1: a Kompox path (relative to the working dir) as the oracle prints it."""
    if path.startswith("/"):
        return path
    return posixpath.normpath(posixpath.join(str(root), path))


def _ours_service(root: Path, svc: Service) -> dict[str, Any]:
    env: dict[str, Any] = {}
    for env_file in svc.env_files:  # N2
        full = root / env_file.path
        if full.exists():
            env.update(parse_env_file(env_file.path, full.read_bytes()))
    env.update(svc.environment)
    resources = (svc.deploy or {}).get("resources")
    if resources:  # N3
        resources = {
            kind: {k: (float(v) if k == "cpus" else _bytes(v) if k == "memory" else v) for k, v in limits.items()}
            for kind, limits in resources.items()}
    health = dict(svc.healthcheck) if svc.healthcheck else None
    return {
        "image": svc.image,
        "command": svc.command,
        "entrypoint": svc.entrypoint,
        "environment": env,
        "ports": [(p.target, p.published, p.protocol, p.host_ip) for p in svc.ports],
        "volumes": [(v.type, _abs(root, v.source) if v.type == "bind" else v.source, v.target, v.read_only)
                    for v in svc.volumes],
        "configs": [(c.source, c.target, c.uid, c.gid, None if c.mode is None else f"0{c.mode:o}")  # N7
                    for c in svc.configs],
        "secrets": [(c.source, c.target or f"/run/secrets/{c.source}",  # N8
                     c.uid, c.gid, None if c.mode is None else f"0{c.mode:o}") for c in svc.secrets],
        "healthcheck": health,
        "resources": resources,
        "v2": _v2(svc.raw),
        "labels": dict(svc.labels),
        "depends_on": sorted(svc.depends_on),
    }


def _oracle_service(raw: dict[str, Any]) -> dict[str, Any]:
    def refs(items: list[dict[str, Any]] | None) -> list[tuple[Any, ...]]:
        return [(r["source"], r.get("target"), r.get("uid"), r.get("gid"), r.get("mode")) for r in items or []]

    return {
        "image": raw.get("image", ""),
        "command": raw.get("command"),
        "entrypoint": raw.get("entrypoint"),
        "environment": raw.get("environment") or {},
        "ports": [(p["target"], p.get("published", ""), p.get("protocol", "tcp"), p.get("host_ip", ""))
                  for p in raw.get("ports") or []],
        "volumes": [(v["type"], v.get("source", ""), v["target"], bool(v.get("read_only", False)))
                    for v in raw.get("volumes") or []],
        "configs": refs(raw.get("configs")),
        "secrets": refs(raw.get("secrets")),
        "healthcheck": raw.get("healthcheck"),
        "resources": (raw.get("deploy") or {}).get("resources") or None,
        "v2": {k: raw[k] for k in _V2 if k in raw},
        "labels": raw.get("labels") or {},
        "depends_on": sorted(raw.get("depends_on") or {}),
    }


def _top_level(root: Path, ours: Project, oracle: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    mine: dict[str, Any] = {}
    theirs: dict[str, Any] = {}
    for kind, entries in (("configs", ours.configs), ("secrets", ours.secrets)):
        for key, raw in (oracle.get(kind) or {}).items():  # N6
            theirs[f"{kind}.{key}"] = (raw.get("name"), raw.get("file"), bool(raw.get("external", False)),
                                       raw.get("environment"), raw.get("content"))
            entry = entries.get(key)
            mine[f"{kind}.{key}"] = None if entry is None else (
                entry.name, None if entry.file is None else _abs(root, entry.file), entry.external,
                entry.environment, entry.content)
    return mine, theirs


def _load_ours(root: Path) -> Project:
    text = (root / "compose.yml").read_text(encoding="utf-8")
    reader = local_file_reader(str(root))
    return load_project(text, working_dir=str(root), read_file=reader, file_name="compose.yml",
                        home_dir=ORACLE_HOME, environment=read_project_env(reader, []))


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_fixture_matches_oracle(case: str, tmp_path: Path) -> None:
    root = tmp_path / "kompox-compose"
    shutil.copytree(FIXTURES / case, root)
    expect_error = root / "expect-error"
    if expect_error.exists():
        with pytest.raises(OracleError):
            run_oracle(root)
        with pytest.raises(ConfigError) as info:
            _load_ours(root)
        assert expect_error.read_text().strip() in str(info.value)
        assert "\n" not in str(info.value)
        return
    oracle = run_oracle(root)
    ours = _load_ours(root)
    assert ours.name == oracle["name"]
    assert list(ours.services) == sorted(oracle["services"])
    for name, svc in ours.services.items():
        assert _ours_service(root, svc) == _oracle_service(oracle["services"][name]), name
    mine, theirs = _top_level(root, ours, oracle)
    assert mine == theirs
