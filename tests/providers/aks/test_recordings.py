"""Recorded ARM exchanges: the format, replay through the driver, and the strict fakes checked against them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from contract.nodepool.agentpool_fake import AgentPoolARM
from contract.volume.harness_aks import make_aks_driver
from kompox.domain.model import App, AppVolume, Cluster

from .fake_arm import FakeARM, Reply
from .fake_arm_volumes import FakeVolumeARM
from .recording import ZERO_SUB, Recording, RecordingAdapter, ReplayARM, conformance

RECORDINGS = Path(__file__).resolve().parent / "recordings"
GIB = 1 << 30


def _fake_for(name: str, *, strict: bool = True) -> FakeARM:
    enforce = None if strict else set()
    if name == "agentpools.json":
        return AgentPoolARM(enforce=enforce).provisioned()
    fake = FakeVolumeARM(enforce=enforce)
    fake.subscriptions = {ZERO_SUB}
    return fake


@pytest.mark.parametrize("name", ["strict_rules.json", "agentpools.json"])
def test_strict_fakes_agree_with_the_recordings(name: str) -> None:
    recording = Recording.load(RECORDINGS / name)
    assert recording.entries
    assert conformance(recording, _fake_for(name)) == []


def test_strict_fakes_agree_with_real_recordings() -> None:
    """Recordings of ``tests/e2e/aks-volumes`` dropped into ``recordings/real/`` are checked on every run."""
    real = sorted((RECORDINGS / "real").glob("*.json"))
    if not real:
        pytest.skip("no recordings of real Azure yet (run tests/e2e/aks-volumes with credentials)")
    for path in real:
        recording = Recording.load(path)
        if "nodepools" in path.name:
            fake: FakeARM = AgentPoolARM()
        else:
            puts = [e.request_body for e in recording.entries if e.method == "PUT" and isinstance(e.request_body, dict)]
            location = next((str(b["location"]) for b in puts if "location" in b), "japaneast")
            fake = FakeVolumeARM(location=location)
            fake.subscriptions = {ZERO_SUB}
        assert conformance(recording, fake) == [], path.name


def test_conformance_catches_a_permissive_fake() -> None:
    """Without its ARM rules the fake disagrees with the recorded refusals, one line per entry."""
    recording = Recording.load(RECORDINGS / "strict_rules.json")
    problems = conformance(recording, _fake_for("strict_rules.json", strict=False))
    codes = {line.split("recorded ")[1].split(",")[0] for line in problems}
    assert codes == {
        "409 InvalidResourceGroupLocation",
        "400 BadRequest",
        "400 InvalidParameter",
        "409 ShareBeingDeleted",
        "404 SubscriptionNotFound",
    }
    assert conformance(Recording.load(RECORDINGS / "agentpools.json"), _fake_for("agentpools.json", strict=False))


def test_driver_replays_a_recorded_disk_and_share_listing() -> None:
    replay = ReplayARM(Recording.load(RECORDINGS / "volume_lists.json"))
    driver = make_aks_driver(replay)  # type: ignore[arg-type]
    app = App(name="app1", volumes=[AppVolume("db", 10 * GIB), AppVolume("files", 100 * GIB, type="files")])
    cluster = Cluster(name="cluster1")

    disks = driver.volume_disk_list(cluster, app, "db")
    shares = driver.volume_disk_list(cluster, app, "files")

    assert [(d.name, d.assigned, d.size) for d in disks] == [("d2", False, 20 * GIB), ("d1", True, 10 * GIB)]
    assert disks[1].handle.endswith(
        "/resourceGroups/K4X-B3WOLD_APP_APP1_5Z5NB0/providers/Microsoft.Compute/disks/k4x-b3wold_disk_db_d1_5z5nb0"
    )
    assert [(s.name, s.assigned, s.size) for s in shares] == [("d1", True, 100 * GIB)]
    assert replay.mismatches == [] and replay.pending == []


def test_replay_reports_a_request_the_recording_does_not_expect() -> None:
    replay = ReplayARM(Recording.load(RECORDINGS / "volume_lists.json"))
    driver = make_aks_driver(replay)  # type: ignore[arg-type]
    app = App(name="app1", volumes=[AppVolume("files", 100 * GIB, type="files")])
    with pytest.raises(Exception, match="ReplayMismatch"):
        driver.volume_disk_list(Cluster(name="cluster1"), app, "files")  # the recording starts with the disk list
    assert replay.mismatches and "shares" in replay.mismatches[0]


def test_recording_adapter_writes_sanitised_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_sub = "12345678-1234-1234-1234-123456789abc"
    body = {"id": f"/subscriptions/{real_sub}/resourceGroups/rg1", "name": "rg1", "location": "japaneast"}

    def send(self: HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        return FakeARM._response(request, Reply(201, body, {"Set-Cookie": "x=1", "Retry-After": "0"}))

    monkeypatch.setattr(HTTPAdapter, "send", send)
    adapter = RecordingAdapter()
    session = requests.Session()
    session.mount("https://", adapter)
    url = f"https://management.azure.com/subscriptions/{real_sub}/resourcegroups/rg1?api-version=2025-04-01"
    answer = session.put(url, json={"location": "japaneast"}, headers={"Authorization": "Bearer secret-token"})
    assert answer.json() == body  # the caller still gets the real answer

    path = tmp_path / "rec.json"
    adapter.recording.save(path)
    text = path.read_text()
    assert real_sub not in text and "secret-token" not in text and "Authorization" not in text
    assert "Set-Cookie" not in text
    (entry,) = Recording.load(path).entries
    assert (entry.method, entry.status, entry.request_body) == ("PUT", 201, {"location": "japaneast"})
    assert (
        entry.uri == f"https://management.azure.com/subscriptions/{ZERO_SUB}/resourcegroups/rg1?api-version=2025-04-01"
    )
    assert entry.response_body["id"] == f"/subscriptions/{ZERO_SUB}/resourceGroups/rg1"
    assert entry.response_headers == {"Content-Type": "application/json", "Retry-After": "0"}
