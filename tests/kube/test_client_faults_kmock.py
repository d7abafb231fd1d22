"""Kube client faults against kmock on 127.0.0.1: retries, backoff, clear one-line errors, no retry on refusals."""

from __future__ import annotations

import io
import re

import pytest
from kmock_server import KMockThread, without_server_fields
from manifests import NS, SELECTOR, app_objects, key_of

from kompox.domain.errors import ProviderAPIError
from kompox.kube.client import KubeClient
from kompox.kube.transport import RetryPolicy


@pytest.mark.parametrize(
    ("status", "reason"),
    [(500, "InternalError"), (503, "ServiceUnavailable"), (409, "Conflict"), (429, "TooManyRequests")],
)
def test_apply_retries_transient_statuses(
    server: KMockThread, client: KubeClient, sleeps: list[float], status: int, reason: str
) -> None:
    server.inject("patch", status, times=2, reason=reason)
    objects = app_objects()[:2]

    client.apply(objects)

    assert len(server.kube_requests()) == len(objects) + 2
    assert sleeps == [0.25, 0.5]
    assert without_server_fields(server.objects()[key_of(objects[1])]) == objects[1]


def test_retry_after_is_honoured_up_to_the_cap(server: KMockThread, client: KubeClient, sleeps: list[float]) -> None:
    server.inject("patch", 429, times=2, reason="TooManyRequests", headers={"Retry-After": "3"})
    client.apply(app_objects()[:1])
    assert sleeps == [3.0, 3.0]


def test_apply_survives_a_connection_reset(server: KMockThread, client: KubeClient, sleeps: list[float]) -> None:
    server.inject("patch", reset=True)
    objects = app_objects()[:1]

    client.apply(objects)

    assert len(server.kube_requests()) == 2
    assert len(sleeps) == 1
    assert without_server_fields(server.objects()[key_of(objects[0])]) == objects[0]


def test_persistent_500_gives_a_clear_error_naming_the_object(server: KMockThread, client: KubeClient) -> None:
    server.inject("patch", 500, times=100, reason="InternalError")
    deployment = app_objects()[5]

    with pytest.raises(ProviderAPIError) as info:
        client.apply([deployment])

    message = str(info.value)
    assert message.startswith("apply Deployment demo-app: patch deployments")
    assert f'in namespace "{NS}"' in message
    assert "500 InternalError: injected" in message
    assert "gave up after 5 attempts" in message
    assert "\n" not in message
    assert info.value.status_code == 500
    assert len(server.kube_requests()) == 5


def test_apply_stops_at_the_first_failure(server: KMockThread, client: KubeClient) -> None:
    server.inject("patch", 422, times=100, reason="Invalid", plural="deployments")
    objects = app_objects()
    with pytest.raises(ProviderAPIError, match="apply Deployment demo-app"):
        client.apply(objects)
    # everything before the Deployment is applied, nothing after it was attempted
    assert len(server.kube_requests()) == 6
    assert key_of(objects[6]) not in server.objects()


@pytest.mark.parametrize(("status", "word"), [(401, "unauthorized"), (403, "forbidden")])
def test_refusals_name_verb_and_resource_without_retry(
    server: KMockThread, client: KubeClient, sleeps: list[float], status: int, word: str
) -> None:
    server.inject("get", status, times=100, reason="Forbidden")
    with pytest.raises(ProviderAPIError) as info:
        client.list_pods(NS, SELECTOR)
    message = str(info.value)
    assert f'refused to list pods in namespace "{NS}": {status} {word}' in message
    assert server.url in message
    assert info.value.status_code == status
    assert sleeps == []
    assert len(server.kube_requests()) == 1


def test_unreachable_server_names_url_and_the_time_spent(server: KMockThread, sleeps: list[float]) -> None:
    dead = server.kubeconfig.replace(server.url.encode(), b"http://127.0.0.1:1")
    with (
        KubeClient(dead, timeout=7, retry=RetryPolicy(attempts=3, sleep=sleeps)) as kc,
        pytest.raises(ProviderAPIError) as info,
    ):
        kc.ensure_namespace("x")
    message = str(info.value)
    assert message.startswith('cannot reach Kubernetes API server http://127.0.0.1:1 to get namespaces "x": ')
    # the sleeps between attempts are faked here, so the time really spent is (almost) nothing, not "7s"
    assert re.search(r"\(gave up after 0\.\ds, 3 attempts\)$", message), message
    assert info.value.status_code is None
    assert len(sleeps) == 2


def test_logs_refused_name_the_servers_message(server: KMockThread, client: KubeClient) -> None:
    """Issue #14 point 7 for ``app logs``: a refused log stream is one line with the ``Status.message``."""
    server.inject("get", 400, reason="BadRequest", plural="pods")
    with pytest.raises(ProviderAPIError) as info:
        client.stream_logs(NS, "p1", io.BytesIO())
    message = str(info.value)
    assert message.endswith(": 400 BadRequest: injected") and "\n" not in message
    assert info.value.status_code == 400
