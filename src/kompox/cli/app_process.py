"""Local process plumbing of the ``app`` commands: child processes, raw terminals, exit codes.

* :func:`run_child` runs a program the user asked for (the ``app tunnel``
  command, ``kubectl`` for ``app kubectl``) directly — no shell — with
  inherited stdio; while it runs, Ctrl-C belongs to the child.
* :func:`raw_terminal` puts the local terminal in raw mode for ``app exec -it``
  and always restores it.
* :func:`exit_with` ends the command with a propagated exit code and no
  ``Error:`` line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from typing import TextIO

from kompox.domain.errors import NotFoundError


def exit_with(code: int) -> None:
    """End the command with ``code`` (a child's or the remote exit code); no message.

    ``SystemExit`` passes through click and ``main.run`` untouched, so the
    process exits with exactly this code.
    """
    if code:
        raise SystemExit(code)


def run_child(argv: Sequence[str], env: Mapping[str, str] | None, *, errors: TextIO) -> int:
    """Run ``argv`` with inherited stdio plus ``env``; its exit code (1 if it cannot start).

    SIGINT is ignored here while the child runs, so Ctrl-C reaches only the
    child (as with a shell); a child killed by a signal gives ``128 + signal``.
    """
    try:
        child = subprocess.Popen(list(argv), env={**os.environ, **(env or {})})
    except OSError as err:
        errors.write(f"Error: cannot run {argv[0]}: {err.strerror or err}\n")
        return 1
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        code = child.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return 128 - code if code < 0 else code


def find_program(name: str, path: str | None = None) -> str:
    """Absolute path of ``name`` on ``PATH``; :class:`NotFoundError` naming it otherwise."""
    import shutil

    found = shutil.which(name, path=path)
    if not found:
        raise NotFoundError(f"{name} not found in PATH")
    return found


@contextlib.contextmanager
def raw_terminal(fd: int) -> Iterator[None]:
    """Raw mode on terminal ``fd`` for the duration (no-op when ``fd`` is not a terminal)."""
    if not os.isatty(fd):
        yield
        return
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C (``KeyboardInterrupt``) for the duration (``app tunnel``)."""

    def handler(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
