"""Progress lines of long node-pool operations on stderr.

Drivers report progress through the ``kompox.progress`` logger (records also
reach the run log through the ``kompox`` logger).  While a command runs, this
context manager prints those records on stderr as ``<message>`` lines — unless
the run log itself already goes to stderr (``--log-output -``).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

PROGRESS_LOGGER = "kompox.progress"


class _StderrLines(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(record.getMessage() + "\n")
            sys.stderr.flush()
        except Exception:  # pragma: no cover - never fail an operation over a progress line
            self.handleError(record)


@contextmanager
def progress_on_stderr(enabled: bool = True) -> Iterator[None]:
    if not enabled:
        yield
        return
    logger = logging.getLogger(PROGRESS_LOGGER)
    handler = _StderrLines(level=logging.INFO)
    previous = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
