"""The App proposal of ``kompoxops init`` (usecase.app_scaffold), without the CLI."""

from __future__ import annotations

from kompox.compose import load_project
from kompox.kube.convert import MemoryFiles
from kompox.usecase.app_scaffold import scaffold_app


def _scaffold(text: str) -> tuple[dict[str, str], list[str], list[str]]:
    project = load_project(text, working_dir="/p")
    result = scaffold_app(
        project, app_name="a", cluster_id="/ws/w/prv/p/cls/c", compose_file="compose.yml",
        ref_base="file:///p/", files=MemoryFiles(),
    )
    return result.app.host_paths, [v.name for v in result.app.volumes], result.notes


def test_scattered_absolute_binds_get_one_host_path_each() -> None:
    host_paths, volumes, notes = _scaffold(
        "services:\n  s:\n    image: x\n    volumes:\n      - /srv/app/conf:/c\n      - /opt/cache:/k\n"
        "      - /var/run/docker.sock:/var/run/docker.sock\n"
    )
    assert host_paths == {"/opt": "data/opt", "/srv/app": "data/srv/app"}
    assert volumes == ["data"]
    assert notes == [
        "the converter refuses the project as it is: service s: bind mount /var/run/docker.sock:/var/run/docker.sock "
        "refused: the Docker socket controls the node's containers (and nodes run no Docker); a pod must not "
        "control its node"
    ]


def test_udp_and_database_ports_get_no_ingress_rule() -> None:
    project = load_project(
        'services:\n  dns:\n    image: x\n    ports: ["53:53/udp", "8080:80", "8081:80"]\n'
        '  db:\n    image: postgres\n    ports: ["5432:5432"]\n',
        working_dir="/p",
    )
    result = scaffold_app(
        project, app_name="a", cluster_id="/ws/w/prv/p/cls/c", compose_file="compose.yml",
        ref_base="file:///p/", files=MemoryFiles(),
    )
    assert [(r.name, r.port) for r in result.app.ingress.rules] == [("dns", 8080)]
    assert result.notes == [
        "port 5432 of service db: no ingress rule (PostgreSQL, not HTTP); it stays reachable inside the cluster",
        "port 53/udp of service dns: no ingress rule (ingress is HTTP)",
        "port 8081 of service dns: no second ingress rule for container port 80",
    ]
