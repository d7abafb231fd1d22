"""The transfer pipe of ``app move`` over real websockets: ``exec send`` piped into ``exec receive``.

Two websocket servers (two clusters) run the production script verbatim with
``sh`` in a directory per node (``ROOT``, the helper pod's mount of the node's
base path); the sending side, the OS pipe, :class:`HelperPods` and the real
:func:`~kompox.kube.streams.exec_in_pod` are production code.  Complements
test_localpath_transfer.py, where ``exec`` itself is faked.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ws_server import WSThread

from kompox.domain.errors import DataCorruptError, HelperFailedError
from kompox.kube.client import KubeClient
from kompox.kube.transport import KubeAPIError
from kompox.providers.k3s.helper_pod import HelperPods, HelperSettings
from kompox.providers.k3s.localpath_records import KIND_SNAPSHOT, STATE_READY, Record
from kompox.providers.k3s.localpath_script import SCRIPT, ScriptExit
from kompox.providers.k3s.localpath_transfer import pipe_archive

from .script_runner import run_op

DISK = "k4x-abc123-app1-def456/db/disks/d1"
FILE = "k4x-abc123-app1-def456/db/snapshots/mv-1.tar"
SENDER, RECEIVER = "kompox-localpath-send-a1", "kompox-localpath-receive-b2"
SETTINGS = HelperSettings(namespace="kompox-system", image="busybox", timeout=600)


class Side:
    def __init__(self, root: Path, pod: str) -> None:
        self.root = root
        root.mkdir()
        self.server = WSThread().start()
        self.server.exec_roots[pod] = root
        self.kube = KubeClient(self.server.kubeconfig, timeout=30)
        self.helpers = HelperPods(self.kube, SETTINGS)

    def close(self) -> None:
        self.kube.close()
        self.server.stop()


@pytest.fixture()
def sides(tmp_path: Path) -> Iterator[tuple[Side, Side]]:
    src, dst = Side(tmp_path / "node-a", SENDER), Side(tmp_path / "node-b", RECEIVER)
    try:
        yield src, dst
    finally:
        dst.close()
        src.close()


def _records(src: Side) -> tuple[Record, Record, bytes]:
    disk = src.root / DISK
    disk.mkdir(parents=True)
    (disk / "data.bin").write_bytes(bytes(range(256)) + random.Random(3).randbytes(3 * 1024 * 1024))
    run = run_op(src.root, "archive", DISK, FILE)
    assert run.code == 0, run.stderr
    data = (src.root / FILE).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    common = {"kind": KIND_SNAPSHOT, "app_id": "abc", "volume": "db", "name": "mv-1", "base": "/var/lib/kompox"}
    when = datetime(2026, 1, 1, tzinfo=UTC)
    origin = Record(**common, node="a", hostname="a", rel=FILE, created_at=when, size=len(data), state=STATE_READY,
                    sha256=sha)  # fmt: skip
    target = Record(**common, node="b", hostname="b", rel=FILE, created_at=when, size=len(data), state=STATE_READY,
                    sha256=sha)  # fmt: skip
    return origin, target, data


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _flip_at(offset: int) -> Callable[[bytes], bytes]:
    seen = 0

    def rewrite(data: bytes) -> bytes:
        nonlocal seen
        start, seen = seen, seen + len(data)
        if start <= offset < seen:
            i = offset - start
            return data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :]
        return data

    return rewrite


def test_send_piped_into_receive_over_websockets(sides: tuple[Side, Side]) -> None:
    src, dst = sides
    origin, target, data = _records(src)
    before = _files(src.root)

    pipe_archive(src.helpers, SENDER, origin, dst.helpers, RECEIVER, target)

    assert (dst.root / FILE).read_bytes() == data
    assert _files(dst.root) == [FILE]  # no .partial left
    assert _files(src.root) == before
    (send,) = src.server.runs
    (receive,) = dst.server.runs
    assert send.argv == ["sh", "-c", SCRIPT, "kompox-helper", "send", FILE] and send.exit_code == 0
    assert receive.argv == ["sh", "-c", SCRIPT, "kompox-helper", "receive", FILE, origin.sha256, str(len(data))]
    assert receive.exit_code == 0 and receive.stdin_bytes == len(data)
    assert not receive.stdin_closed_by_client  # head -c ended the receive, not the end of the websocket
    assert src.server.requests[0]["query"][-2:] == [("tty", "false"), ("container", "helper")]


def test_a_stream_corrupted_in_transit_is_a_checksum_mismatch(sides: tuple[Side, Side]) -> None:
    src, dst = sides
    origin, target, data = _records(src)
    dst.server.stdin_filters[RECEIVER] = _flip_at(len(data) // 2 + 7)

    with pytest.raises(DataCorruptError, match=r"receive in helper pod .*\(exit code 15.*checksum mismatch"):
        pipe_archive(src.helpers, SENDER, origin, dst.helpers, RECEIVER, target)

    assert dst.server.runs[0].exit_code == ScriptExit.CHECKSUM
    assert _files(dst.root) == []  # the partial file is removed


def test_a_failing_sender_ends_the_waiting_receiver(sides: tuple[Side, Side]) -> None:
    """send exits 13 (no archive): the receiver's pod is deleted, and the sender's failure is the error."""
    src, dst = sides
    origin, target, _ = _records(src)
    (src.root / FILE).unlink()
    src.server.start_after = dst.server.started  # the receiver is already waiting for bytes

    with pytest.raises(HelperFailedError, match=r"send in helper pod .*\(exit code 13.*does not exist"):
        pipe_archive(src.helpers, SENDER, origin, dst.helpers, RECEIVER, target)

    assert dst.server.deleted == [RECEIVER]
    (receive,) = dst.server.runs
    assert receive.exit_code == 137  # killed with its pod
    assert not receive.stdin_closed_by_client
    partial = dst.root / (FILE + ".partial")
    assert set(_files(dst.root)) <= {FILE + ".partial"}  # no archive; at most a partial file for the next run
    assert not partial.exists() or partial.read_bytes() == b""


def test_a_receive_whose_status_is_lost_fails_and_a_rerun_finds_the_archive(sides: tuple[Side, Side]) -> None:
    """No exit status (connection cut): the transfer is not taken as done; the next run completes it."""
    src, dst = sides
    origin, target, data = _records(src)
    dst.server.cut.add(RECEIVER)

    with pytest.raises(KubeAPIError, match="the connection ended without the command's exit status"):
        pipe_archive(src.helpers, SENDER, origin, dst.helpers, RECEIVER, target)

    dst.server.cut.clear()
    pipe_archive(src.helpers, SENDER, origin, dst.helpers, RECEIVER, target)

    assert (dst.root / FILE).read_bytes() == data and _files(dst.root) == [FILE]
    assert [r.exit_code for r in dst.server.runs] == [0, 0]
