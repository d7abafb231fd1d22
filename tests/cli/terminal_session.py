"""An interactive shell on a pseudo-terminal, driven as a user would (shared by the terminal tests).

:class:`Terminal` starts ``bash --norc --noprofile -i`` (or ``argv``) on a pty (so
``isatty()`` is true for everything it runs and readline handles the keys)
with a private ``HOME`` and ``PATH`` starting at the test interpreter's
``bin/``, where the ``kompoxops`` console script is installed.

- :meth:`Terminal.send` types raw keys (``\\t`` for TAB, ``\\x15`` to discard
  the line); :meth:`Terminal.expect` reads until a pattern shows on the
  screen text; :meth:`Terminal.mark` forgets what was read.
- :meth:`Terminal.run` types a whole command line and returns its exit status
  and what it printed; :meth:`Terminal.finish` does the same for the line
  being edited (e.g. after a completion).

No tmux and no new dependency: ``pty``, ``select`` and ``subprocess`` only.
"""

from __future__ import annotations

import os
import re
import select
import struct
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "kompoxops"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x07|\r")
# printf's format keeps the echoed command line from matching the status marker itself
STATUS = r"__DONE_(\d+)__"


class Terminal:
    """An interactive shell on a pty; :meth:`expect` reads until a pattern shows on the screen text."""

    def __init__(
        self,
        cwd: Path,
        home: Path,
        argv: tuple[str, ...] = ("bash", "--norc", "--noprofile", "-i"),
        env: dict[str, str] | None = None,
    ) -> None:
        import fcntl  # POSIX only: imported here so that the module loads (and its tests skip) elsewhere
        import pty
        import termios

        self.master, slave = pty.openpty()
        # wide, so that long command lines are echoed on one line
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 250, 0, 0))
        home.mkdir(parents=True, exist_ok=True)
        (home / "inputrc").write_text("set show-all-if-ambiguous on\nset bell-style none\n")
        variables = {
            "PATH": f"{SCRIPT.parent}{os.pathsep}/usr/bin{os.pathsep}/bin",
            "HOME": str(home),
            "TERM": "dumb",
            "PS1": "$ ",
            "INPUTRC": str(home / "inputrc"),
            "LANG": "C.UTF-8",
            "HISTFILE": "/dev/null",
            **(env or {}),
        }
        self.proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=variables,
            start_new_session=True,
        )
        os.close(slave)
        self.screen = b""

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def expect(self, pattern: str, limit: float = 30.0) -> str:
        """The text read so far once ``pattern`` matches it (escape sequences and CRs removed).

        ``limit`` only guards against a hung shell; nothing here measures speed.
        """
        deadline = time.monotonic() + limit
        while True:
            text = ANSI.sub(b"", self.screen).decode(errors="replace")
            if re.search(pattern, text):
                return text
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"terminal never showed {pattern!r}; it showed:\n{text}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536)
                except OSError:  # the shell exited
                    raise AssertionError(f"terminal closed before {pattern!r}; it showed:\n{text}") from None

    def mark(self) -> None:
        """Forget what was read: the next :meth:`expect` looks only at new output."""
        self.screen = b""

    def run(self, command: str, limit: float = 120.0) -> tuple[int, str]:
        """Type ``command`` and Enter: its exit status and the lines it printed (stdout and stderr, as shown)."""
        self.mark()
        return self.finish(command, limit)

    def finish(self, rest: str = "", limit: float = 120.0) -> tuple[int, str]:
        """Type ``rest`` and Enter to end the line being edited; as :meth:`run`, from the line's own echo on."""
        self.send(f"{rest}; printf '__%s_%s__\\n' DONE $?\n")
        text = self.expect(STATUS + r"\n\$ $", limit)  # the status, then the next prompt
        self.mark()
        match = re.search(STATUS, text)
        assert match is not None
        # the typed line is shown first, ending with what this method typed (twice when it was typed
        # before the shell was ready: by the terminal, then by readline); the output follows the last one
        echoed = "DONE $?\n"
        return int(match.group(1)), text[text.rindex(echoed, 0, match.start()) + len(echoed) : match.start()]

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)
        os.close(self.master)
