"""Copy a snapshot archive between two held helper pods (``app move`` between K3s clusters).

``send`` in the source pod is piped into ``receive`` in the target pod
through an OS pipe and a thread, never a local file; ``receive`` checks the
recorded SHA-256 before renaming the archive into place.  A failing sender
aborts the receiver (it would wait for bytes that never come) and is the
error reported.
"""

from __future__ import annotations

import io
import os
import threading
from typing import TYPE_CHECKING

from kompox.domain.errors import DataCorruptError, KompoxError
from kompox.providers.k3s.localpath_script import parse_result

if TYPE_CHECKING:
    from kompox.providers.k3s.helper_pod import HelperPods
    from kompox.providers.k3s.localpath_records import Record


def pipe_archive(
    senders: HelperPods, sender: str, origin: Record, receivers: HelperPods, receiver: str, record: Record
) -> None:
    """``send`` in pod ``sender`` piped into ``receive`` in pod ``receiver`` (the sender runs in a thread)."""
    read_fd, write_fd = os.pipe()
    failed: list[BaseException] = []

    def send() -> None:
        try:
            with os.fdopen(write_fd, "wb") as out:
                senders.exec(sender, origin.node, "send", origin.rel, stdout=out)
        except BaseException as err:  # reported by the caller's thread
            failed.append(err)
            if isinstance(err, KompoxError):  # the receiver may wait for bytes that never come: end it
                receivers.abort(receiver)

    thread = threading.Thread(target=send, name="kompox-snapshot-send", daemon=True)
    thread.start()
    answer = io.BytesIO()
    try:
        with os.fdopen(read_fd, "rb") as inp:
            receivers.exec(
                receiver, record.node, "receive", record.rel, record.sha256, str(record.size), stdin=inp, stdout=answer
            )
    except KompoxError:
        thread.join()
        cause = next((e for e in failed if isinstance(e, KompoxError)), None)
        if cause is not None:  # the sending side failed first: that is the reason
            raise cause from None
        raise
    thread.join()
    if failed:
        raise failed[0]
    got = parse_result(answer.getvalue().decode("utf-8", "replace"))
    if got.get("sha256") != record.sha256:
        raise DataCorruptError(
            f"copy of {origin.path} to node {record.node} reported checksum {got.get('sha256') or 'none'}, "
            f"recorded {record.sha256}"
        )
