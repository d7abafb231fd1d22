"""The ``snapshot prune`` lease (issue #18) on a real API-server protocol: kmock + the real kubernetes client.

:class:`~kompox.usecase.prune_lease.PruneLease` over
:class:`~kompox.kube.lease.KubeLease`: create, refuse while held, take over
once expired, renew, lose to a takeover, release.  The harness answers a
stale ``metadata.resourceVersion`` in a patch with 409 Conflict, as the API
server does, so the races are decided by the server, not by the test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import kubernetes_validate
import pytest
from kmock_server import KMockThread

from kompox.domain.errors import ExitCode, LeaseHeldError
from kompox.kube.client import KubeClient
from kompox.kube.lease import KubeLease
from kompox.usecase.prune_lease import LEASE_NAMESPACE, PruneLease, prune_lease_name

K8S_VERSION = kubernetes_validate.latest_version()
LEASE_KEY = ("coordination.k8s.io/v1/leases", "default", "kompox-snapshot-prune.k4x-abc-app1-xyz")
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def lease_for(client: KubeClient, holder: str, clock: Clock, notes: list[str] | None = None) -> PruneLease:
    store = KubeLease(client, LEASE_NAMESPACE, prune_lease_name("k4x-abc-app1-xyz"))
    return PruneLease(store, holder, clock=clock, note=(notes.append if notes is not None else None))


def stored(server: KMockThread) -> dict[str, object]:
    return server.objects()[LEASE_KEY]


def lease_writes(server: KMockThread) -> list[tuple[str, str | None]]:
    """(method, lease name) of every write to a Lease (``None``: the collection, a POST)."""
    return [
        (r.method.upper(), r.name)
        for r in server.kube_requests()
        if r.resource.plural == "leases" and r.method.upper() in ("POST", "PATCH", "PUT", "DELETE")
    ]


def test_first_run_creates_the_lease_and_a_second_run_is_refused_with_exit_10(
    client: KubeClient, server: KMockThread
) -> None:
    clock = Clock()
    first = lease_for(client, "host-a/100/aaaa", clock)
    first.acquire()
    obj = stored(server)
    assert obj["spec"] == {
        "holderIdentity": "host-a/100/aaaa",
        "leaseDurationSeconds": 300,
        "acquireTime": "2026-03-01T12:00:00.000000Z",
        "renewTime": "2026-03-01T12:00:00.000000Z",
        "leaseTransitions": 0,
    }
    assert obj["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "kompox"}
    kubernetes_validate.validate(first.store.manifest(first.state), K8S_VERSION, strict=True)  # type: ignore[attr-defined,arg-type]

    clock.advance(299)  # one second before expiry
    second = lease_for(client, "host-b/200/bbbb", clock)
    with pytest.raises(LeaseHeldError) as err:
        second.acquire()
    assert err.value.exit_code == ExitCode.CONFLICT == 10
    assert str(err.value) == (
        "snapshot prune: another run holds Lease default/kompox-snapshot-prune.k4x-abc-app1-xyz "
        "(held by host-a/100/aaaa, last renewed 2026-03-01T12:00:00Z, lease duration 300s, expires in 1s); "
        "nothing was deleted"
    )
    assert stored(server)["spec"]["holderIdentity"] == "host-a/100/aaaa"  # type: ignore[index]

    clock.advance(1)  # at renewTime + leaseDurationSeconds exactly the lease is expired: taken over
    second.acquire()
    assert stored(server)["spec"]["holderIdentity"] == "host-b/200/bbbb"  # type: ignore[index]


def test_an_expired_lease_is_taken_over_and_its_old_holder_stops_before_its_next_delete(
    client: KubeClient, server: KMockThread
) -> None:
    clock = Clock()
    crashed = lease_for(client, "host-a/100/aaaa", clock)
    crashed.acquire()
    clock.advance(301)  # the holder stopped renewing: expired
    notes: list[str] = []
    taker = lease_for(client, "host-b/200/bbbb", clock, notes)
    taker.acquire()
    spec = stored(server)["spec"]
    assert spec["holderIdentity"] == "host-b/200/bbbb"  # type: ignore[index]
    assert spec["leaseTransitions"] == 1  # type: ignore[index]
    assert spec["acquireTime"] == "2026-03-01T12:05:01.000000Z"  # type: ignore[index]
    assert notes == [
        "snapshot prune: taking over the expired lease Lease default/kompox-snapshot-prune.k4x-abc-app1-xyz "
        "(held by host-a/100/aaaa, last renewed 2026-03-01T12:00:00Z, lease duration 300s)"
    ]
    # the old holder wakes up: its renewal carries a stale resourceVersion → 409 → it stops
    with pytest.raises(LeaseHeldError, match=r"lost the lease .* stopped before the next delete"):
        crashed.check()
    assert stored(server)["spec"]["holderIdentity"] == "host-b/200/bbbb"  # type: ignore[index]
    crashed.release()  # nothing to release: it no longer holds the lease
    assert stored(server)["spec"]["holderIdentity"] == "host-b/200/bbbb"  # type: ignore[index]


def test_check_renews_only_after_a_third_of_the_duration_and_release_frees_the_lease(
    client: KubeClient, server: KMockThread
) -> None:
    clock = Clock()
    run = lease_for(client, "host-a/100/aaaa", clock)
    run.acquire()
    clock.advance(60)
    run.check()  # within 100 s of the last renewal: no request
    assert lease_writes(server) == [("POST", None)]
    clock.advance(40)
    run.check()  # 100 s: renewed
    assert stored(server)["spec"]["renewTime"] == "2026-03-01T12:01:40.000000Z"  # type: ignore[index]
    run.release()
    spec = stored(server)["spec"]
    assert "holderIdentity" not in spec  # type: ignore[operator]
    name = "kompox-snapshot-prune.k4x-abc-app1-xyz"
    assert lease_writes(server)[1:] == [("PATCH", name), ("PATCH", name)]
    # a released lease is free at once, without waiting for the expiry
    lease_for(client, "host-b/200/bbbb", clock).acquire()
    assert stored(server)["spec"]["holderIdentity"] == "host-b/200/bbbb"  # type: ignore[index]


def test_two_runs_racing_between_read_and_write_one_wins(client: KubeClient, server: KMockThread) -> None:
    """Both read "expired", both write: the server's resourceVersion check lets exactly one through."""
    clock = Clock()
    lease_for(client, "host-a/100/aaaa", clock).acquire()
    clock.advance(400)
    b = lease_for(client, "host-b/200/bbbb", clock)
    c = lease_for(client, "host-c/300/cccc", clock)
    seen = b.store.read()
    assert seen is not None and seen.expired(clock())
    real_read = c.store.read
    c.store.read = lambda: seen  # type: ignore[method-assign]  # c read before b wrote
    b.acquire()
    with pytest.raises(LeaseHeldError, match="another run took it between our read and our write"):
        c.acquire()
    c.store.read = real_read  # type: ignore[method-assign]
    assert stored(server)["spec"]["holderIdentity"] == "host-b/200/bbbb"  # type: ignore[index]
