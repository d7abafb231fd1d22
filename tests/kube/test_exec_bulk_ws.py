"""The real :func:`exec_in_pod` against a websocket server that runs the command (see ``ws_server.ExecRun``).

Multi-megabyte binary payloads in both directions, the remote exit code, and
the end of stdin as a v4 kubelet treats it (an empty frame does not close the
process's stdin; commands that read stdin must know its length, as ``head -c``).
"""

from __future__ import annotations

import io
import os
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from ws_server import WSThread

from kompox.kube.client import KubeClient
from kompox.kube.streams import exec_in_pod
from kompox.kube.transport import KubeAPIError

SIZE = 3 * 1024 * 1024 + 12345  # not a multiple of a frame or of a pipe buffer


def payload(size: int = SIZE) -> bytes:
    data = bytes(range(256)) + random.Random(7).randbytes(size - 256)
    assert len(set(data)) == 256
    return data


@pytest.fixture()
def ws(tmp_path: Path) -> Iterator[WSThread]:
    srv = WSThread().start()
    srv.exec_roots["p1"] = tmp_path
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture()
def wsclient(ws: WSThread) -> Iterator[KubeClient]:
    kc = KubeClient(ws.kubeconfig, timeout=30)
    try:
        yield kc
    finally:
        kc.close()


class Feeder:
    """A pipe whose read end is the exec's stdin; a thread writes ``data`` and closes the write end."""

    def __init__(self, data: bytes) -> None:
        read_fd, self._write_fd = os.pipe()
        self.stdin: BinaryIO = os.fdopen(read_fd, "rb", buffering=0)
        self._thread = threading.Thread(target=self._write, args=(data,), daemon=True)

    def _write(self, data: bytes) -> None:
        with os.fdopen(self._write_fd, "wb") as out:
            out.write(data)

    def __enter__(self) -> BinaryIO:
        self._thread.start()
        return self.stdin

    def __exit__(self, *_: object) -> None:
        self._thread.join()
        self.stdin.close()


def test_pod_to_stdout_is_byte_identical(ws: WSThread, wsclient: KubeClient, tmp_path: Path) -> None:
    data = payload()
    (tmp_path / "blob").write_bytes(data)
    out, err = io.BytesIO(), io.BytesIO()

    result = exec_in_pod(wsclient, "ns", "p1", ["cat", "blob"], stdout=out, stderr=err)

    assert result.exit_code == 0
    assert out.getvalue() == data
    assert err.getvalue() == b""
    assert ws.runs[0].argv == ["cat", "blob"] and ws.runs[0].exit_code == 0


def test_stdin_to_pod_is_byte_identical(ws: WSThread, wsclient: KubeClient, tmp_path: Path) -> None:
    data = payload()
    out = io.BytesIO()

    with Feeder(data) as stdin:
        result = exec_in_pod(wsclient, "ns", "p1", ["sh", "-c", f"head -c {SIZE} > got"], stdin=stdin, stdout=out)

    assert result.exit_code == 0
    assert (tmp_path / "got").read_bytes() == data
    (run,) = ws.runs
    assert run.stdin_bytes == SIZE
    assert run.exit_code == 0
    # the end of the client's stdin reached the server as one empty frame, which (v4) did not end the
    # process's stdin: head -c ended by itself, before the client closed the websocket
    assert run.empty_stdin_frames <= 1
    assert not run.stdin_closed_by_client


def test_round_trip_through_one_exec(ws: WSThread, wsclient: KubeClient) -> None:
    """stdin streams in while stdout streams out of the same command (neither side may wait for the other)."""
    data = payload()
    out = io.BytesIO()

    with Feeder(data) as stdin:
        result = exec_in_pod(wsclient, "ns", "p1", ["head", "-c", str(SIZE)], stdin=stdin, stdout=out)

    assert result.exit_code == 0
    assert out.getvalue() == data


@pytest.mark.parametrize("code", [1, 7, 15])
def test_a_non_zero_exit_code_is_returned(ws: WSThread, wsclient: KubeClient, code: int) -> None:
    out, err = io.BytesIO(), io.BytesIO()

    result = exec_in_pod(
        wsclient, "ns", "p1", ["sh", "-c", f"echo out; echo oops >&2; exit {code}"], stdout=out, stderr=err
    )

    assert result.exit_code == code
    assert out.getvalue() == b"out\n" and err.getvalue() == b"oops\n"
    assert ws.runs[0].exit_code == code


def test_a_connection_ending_without_a_status_is_an_error_not_success(ws: WSThread, wsclient: KubeClient) -> None:
    """A kubelet always sends a Status (also ``Success``); without one the outcome is unknown."""
    ws.cut.add("p1")
    out = io.BytesIO()

    with pytest.raises(KubeAPIError, match=r'exec in pod "p1" in namespace "ns": the connection ended without'):
        exec_in_pod(wsclient, "ns", "p1", ["sh", "-c", "echo partial; exit 3"], stdout=out)

    assert out.getvalue() == b"partial\n"  # what came is still delivered
    assert ws.runs[0].exit_code == 3


def test_v5_the_end_of_stdin_ends_the_process_stdin(ws: WSThread, wsclient: KubeClient) -> None:
    """With v5.channel.k8s.io (API servers since 1.30) the client closes channel 0: ``cat`` sees its end."""
    ws.exec_protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"]
    data = payload()
    out = io.BytesIO()

    with Feeder(data) as stdin:
        result = exec_in_pod(wsclient, "ns", "p1", ["cat"], stdin=stdin, stdout=out)

    assert result.exit_code == 0
    assert out.getvalue() == data
    (run,) = ws.runs
    assert run.protocol == "v5.channel.k8s.io"
    assert run.stdin_closed_by_signal and not run.stdin_closed_by_client
