"""``cluster install --wait/--no-wait --timeout`` and ``cluster uninstall`` waiting for its namespace (K3s, kmock).

kmock's fake controller can leave the Traefik Deployment unavailable
(``rollout = "stuck"``) and keep a deleted namespace Terminating for a few
reads (``strict(linger=N)``); the poll sleeps are recorded, not slept.
"""

from __future__ import annotations

from cli_project import KubeProject, one_error

TRAEFIK_NS = ("v1/namespaces", None, "traefik")


def traefik_reads(project: KubeProject) -> int:
    return len([r for r in project.server.kube_requests() if r.method == "GET" and r.resource.plural == "deployments"])


def test_install_no_wait_returns_once_applied(project: KubeProject) -> None:
    project.server.rollout = "stuck"

    result = project.ok("cluster", "install", "--no-wait")

    assert "waiting up to" not in result.err
    assert ("apps/v1/deployments", "traefik", "traefik") in project.server.objects()
    assert traefik_reads(project) == 0  # the rollout was never polled


def test_install_wait_is_bounded_by_timeout(project: KubeProject, sleeps: list[float]) -> None:
    project.server.rollout = "stuck"

    result = project.run("cluster", "install", "--timeout", "0.001")

    line = one_error(result, 6, "timed out after 0.001s")
    assert line.startswith("Error: failed to install cluster resources for home: ")
    assert "waiting up to 0.001s for deployment traefik/traefik" in result.err.splitlines()


def test_install_timeout_is_shown_and_used(project: KubeProject) -> None:
    result = project.ok("cluster", "install", "--timeout", "10m")

    assert "waiting up to 600s for deployment traefik/traefik" in result.err.splitlines()


def test_bad_timeout_is_a_usage_error_before_the_cluster(project: KubeProject) -> None:
    one_error(project.run("cluster", "install", "--timeout", "soon"), 3, 'invalid duration "soon"')
    assert project.server.kube_requests() == []


def test_uninstall_waits_until_the_namespace_is_gone(project: KubeProject, sleeps: list[float]) -> None:
    project.ok("cluster", "install")
    project.server.strict(namespaces=False, linger=2)

    result = project.ok("cluster", "uninstall")

    assert "waiting up to 300s for namespace traefik to be deleted" in result.err.splitlines()
    assert "namespace traefik deleted" in result.err.splitlines()
    assert TRAEFIK_NS not in project.server.objects()
    assert sleeps == [2.0, 2.0]
    project.ok("cluster", "install")  # can follow at once


def test_uninstall_no_wait_leaves_it_terminating(project: KubeProject, sleeps: list[float]) -> None:
    project.ok("cluster", "install")
    project.server.strict(namespaces=False, linger=2)

    result = project.ok("cluster", "uninstall", "--no-wait")

    assert "waiting up to" not in result.err
    assert project.server.objects()[TRAEFIK_NS]["status"] == {"phase": "Terminating"}
    assert sleeps == []


def test_uninstall_wait_is_bounded_by_timeout(project: KubeProject, sleeps: list[float]) -> None:
    project.ok("cluster", "install")
    project.server.strict(namespaces=False, linger=1000)

    line = one_error(project.run("cluster", "uninstall", "--timeout", "0.001"), 6, "traefik")

    assert 'namespace "traefik" still exists after 0.001s (phase Terminating)' in line
