"""``app destroy --delete-namespace`` returns only when the namespace is gone (bounded by ``--timeout``).

The kmock server keeps a deleted namespace ``Terminating`` for a few reads, as
a real API server does while it empties it; an immediate ``app deploy`` into a
terminating namespace would fail with "being terminated".
"""

from __future__ import annotations

from app_cli_project import NS
from cli_project import KubeProject, one_error


def namespace_reads(project: KubeProject) -> list[str]:
    return [
        r.method
        for r in project.server.kube_requests()
        if r.resource.plural == "namespaces" and r.name == NS and r.method in ("GET", "DELETE")
    ]


def test_destroy_delete_namespace_waits_until_it_is_gone(project: KubeProject, sleeps: list[float]) -> None:
    project.ok("app", "deploy")
    project.server.strict(namespaces=False, linger=3)

    result = project.ok("app", "destroy", "--delete-namespace")

    assert f"app destroy: waiting for namespace {NS} to be deleted" in result.err
    assert ("v1/namespaces", None, NS) not in project.server.objects()
    assert namespace_reads(project) == ["DELETE", "GET", "GET", "GET", "GET"]  # 3 x Terminating, then 404
    assert sleeps == [2.0, 2.0, 2.0]
    project.ok("app", "deploy")  # the namespace is gone: a deploy can follow at once


def test_destroy_wait_is_bounded_by_timeout(project: KubeProject, sleeps: list[float]) -> None:
    project.ok("app", "deploy")
    project.server.strict(namespaces=False, linger=1000)

    line = one_error(project.run("app", "destroy", "--delete-namespace", "--timeout", "0.001"), 6, NS)

    assert "still exists after 0.001s (phase Terminating)" in line
    assert line.startswith(f"Error: delete namespace {NS}: ")


def test_destroy_without_delete_namespace_does_not_wait(project: KubeProject, sleeps: list[float]) -> None:
    project.ok("app", "deploy")
    project.server.strict(namespaces=False, linger=3)

    result = project.ok("app", "destroy")

    assert "waiting for namespace" not in result.err
    assert ("v1/namespaces", None, NS) in project.server.objects()
    assert namespace_reads(project) == [] and sleeps == []
