"""Faults during ``app deploy`` of the Gitea example: retried, reported, or repaired by a re-run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pytest
from kmock_fixtures import Sleeps
from kmock_server import KMockThread, without_server_fields

from kompox.domain.errors import ExitCode, KompoxError
from kompox.kube.client import ApplyResult, KubeClient
from kompox.kube.transport import RetryPolicy
from kompox.usecase.app_deploy import deploy_app
from kompox.usecase.app_target import AppOperationError

from .conftest import Gitea


def content(server: KMockThread) -> dict[tuple[str, str | None, str], dict[str, Any]]:
    """What the server holds, without server-maintained fields, pods excluded (names follow the template)."""
    return {k: without_server_fields(v) for k, v in server.objects().items() if k[0] != "v1/pods"}


def clean_state(gitea: Gitea) -> dict[tuple[str, str | None, str], dict[str, Any]]:
    fresh = KMockThread(rollout="ready").start()
    try:
        with KubeClient(fresh.kubeconfig, timeout=5) as kc:
            deploy_app(kc, gitea.plan, wait=True, timeout=30)
        return content(fresh)
    finally:
        fresh.stop()


@pytest.mark.parametrize(
    ("status", "reason", "plural"),
    [
        (409, "Conflict", "deployments"),
        (500, "InternalError", "namespaces"),
        (503, "ServiceUnavailable", "persistentvolumeclaims"),
        (429, "TooManyRequests", "ingresses"),
    ],
)
def test_transient_apply_failures_are_retried_with_backoff(
    server: KMockThread, kube: KubeClient, gitea: Gitea, sleeps: Sleeps, status: int, reason: str, plural: str
) -> None:
    server.inject("patch", status, times=2, reason=reason, plural=plural)

    result = deploy_app(kube, gitea.plan, wait=True, timeout=30)

    assert result.applied_count == len(gitea.plan.objects)
    assert sleeps == [0.25, 0.5]
    assert content(server) == clean_state(gitea)


def test_connection_reset_during_apply_is_survived(
    server: KMockThread, kube: KubeClient, gitea: Gitea, sleeps: Sleeps
) -> None:
    server.inject("patch", reset=True, plural="deployments")

    deploy_app(kube, gitea.plan, wait=True, timeout=30)

    assert len(sleeps) == 1
    assert content(server) == clean_state(gitea)


@pytest.mark.parametrize(("status", "reason"), [(500, "InternalError"), (409, "Conflict")])
def test_persistent_failure_fails_naming_the_object_after_retries(
    server: KMockThread, kube: KubeClient, gitea: Gitea, sleeps: Sleeps, status: int, reason: str
) -> None:
    server.inject("patch", status, times=100, reason=reason, plural="deployments")

    with pytest.raises(AppOperationError) as info:
        deploy_app(kube, gitea.plan, wait=False)

    message = str(info.value)
    assert message == (
        "apply objects failed: apply Deployment gitea-app: patch deployments "
        f'"gitea-app" in namespace "{gitea.namespace}": {status} {reason}: injected (gave up after 5 attempts)'
    )
    assert info.value.exit_code == ExitCode.PROVIDER
    assert len(sleeps) == 4
    held = server.objects()
    assert ("apps/v1/deployments", gitea.namespace, "gitea-app") not in held
    assert ("v1/services", gitea.namespace, "gitea-app") not in held  # nothing after the failed object


@pytest.mark.parametrize(("status", "word"), [(401, "unauthorized"), (403, "forbidden")])
def test_refused_apply_names_verb_and_resource(
    server: KMockThread, kube: KubeClient, gitea: Gitea, sleeps: Sleeps, status: int, word: str
) -> None:
    server.inject("patch", status, times=100, reason="Forbidden", plural="roles")

    with pytest.raises(AppOperationError) as info:
        deploy_app(kube, gitea.plan, wait=False)

    message = str(info.value)
    assert message.startswith("apply objects failed: apply Role gitea-access: Kubernetes API server ")
    assert f'refused to patch roles "gitea-access" in namespace "{gitea.namespace}": {status} {word}' in message
    assert sleeps == []  # a refusal is not retried


def test_unreachable_server_is_one_line_with_url_and_timeout(server: KMockThread, gitea: Gitea) -> None:
    dead = server.kubeconfig.replace(server.url.encode(), b"http://127.0.0.1:1")
    with (
        KubeClient(dead, timeout=4, retry=RetryPolicy(attempts=2, sleep=lambda _s: None)) as kc,
        pytest.raises(AppOperationError) as info,
    ):
        deploy_app(kc, gitea.plan, wait=False)
    message = str(info.value)
    assert message.startswith(
        "apply objects failed: apply Namespace "
        f"{gitea.namespace}: cannot reach Kubernetes API server http://127.0.0.1:1 to "
    )
    assert "\n" not in message
    assert info.value.exit_code == ExitCode.PROVIDER


class InterruptingKube:
    """The real client, but Ctrl-C arrives after ``after`` objects of the next apply."""

    def __init__(self, kube: KubeClient, after: int) -> None:
        self.kube = kube
        self.after = after

    def apply(self, objects: Iterable[Mapping[str, Any]], **kwargs: Any) -> ApplyResult:
        def feed() -> Iterator[Mapping[str, Any]]:
            for index, obj in enumerate(objects):
                if index == self.after:
                    raise KeyboardInterrupt
                yield obj

        return self.kube.apply(feed(), **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.kube, name)


@pytest.mark.parametrize("after", [1, 5, 9, 10, 14])
def test_interrupted_deploy_is_repaired_by_the_next_one(
    server: KMockThread, kube: KubeClient, gitea: Gitea, after: int
) -> None:
    with pytest.raises(KeyboardInterrupt):
        deploy_app(InterruptingKube(kube, after), gitea.plan, wait=True, timeout=30)  # type: ignore[arg-type]
    assert len([k for k in server.objects() if k[0] != "v1/pods"]) == after

    deploy_app(kube, gitea.plan, wait=True, timeout=30)

    assert content(server) == clean_state(gitea)


def test_interrupt_while_waiting_for_the_rollout_leaves_a_deployed_app(
    server: KMockThread, kube: KubeClient, gitea: Gitea
) -> None:
    server.rollout = "stuck"

    def interrupt(_message: str) -> None:
        if "waiting" in _message:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        deploy_app(kube, gitea.plan, wait=True, timeout=30, progress=interrupt)
    before = server.objects()
    seen = len(server.kube_requests())

    deploy_app(kube, gitea.plan, wait=False)

    assert server.objects() == before  # the re-run has nothing left to write
    assert all(r.method in ("GET", "PATCH") for r in server.kube_requests()[seen:])
    assert content(server) == clean_state(gitea)


def test_rollout_that_never_completes_times_out_with_the_last_state(
    server: KMockThread, kube: KubeClient, gitea: Gitea
) -> None:
    server.rollout = "stuck"

    with pytest.raises(AppOperationError) as info:
        deploy_app(kube, gitea.plan, wait=True, timeout=0)

    assert str(info.value) == (
        "app gitea applied, but deployment gitea-app is not ready: timed out after 0s "
        'waiting for deployment "gitea-app" rollout: 0 of 1 updated replicas available'
    )
    assert isinstance(info.value, KompoxError)
