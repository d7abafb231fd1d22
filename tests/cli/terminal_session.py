"""An interactive bash in a real pseudo-terminal, driven as a user would (issue #17).

:class:`TerminalSession` starts ``bash --norc --noprofile -i`` on a pty (so
``isatty()`` is true for everything it runs, and readline handles the keys),
with a private ``HOME`` and ``PATH`` starting at this interpreter's
``bin/`` (where ``kompoxops`` is installed).  :meth:`run` types one command
line and returns its exit status and what the terminal showed;
:meth:`keys` types raw keys (e.g. a word and ``\\t``) and returns what the
terminal showed in reply, for completion checks; :meth:`finish` then runs
the completed line.  No tmux, no new dependency:
``pty.fork`` and ``select`` only.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")
PROMPT = "pty$ "
# printf's format keeps the echoed command line from matching the marker itself
MARK = re.compile(r"__DONE_(\d+)__")
WAIT = 120.0  # a guard against a hung child only; nothing here measures speed


def screen_text(raw: bytes) -> str:
    """What a user reads: UTF-8, escape sequences dropped, CR-LF as LF."""
    text = ANSI.sub("", raw.decode("utf-8", "replace"))
    return text.replace("\r\n", "\n").replace("\r", "")


class TerminalSession:
    def __init__(self, cwd: Path, home: Path, env: dict[str, str] | None = None) -> None:
        home.mkdir(parents=True, exist_ok=True)
        bin_dir = str(Path(sys.executable).parent)
        base = {
            "HOME": str(home),
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "TERM": "xterm",
            "LANG": "C.UTF-8",
            "PS1": PROMPT,
            "HISTFILE": "/dev/null",
            "INPUTRC": "/dev/null",
        }
        base.update(env or {})
        pid, fd = pty.fork()
        if pid == 0:  # the child: a login-less interactive bash in cwd
            os.chdir(cwd)
            os.execve("/bin/bash", ["bash", "--norc", "--noprofile", "-i"], base)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 250, 0, 0))  # wide: no wrapped echo
        self._read_until(lambda seen: seen.endswith(PROMPT.encode()))

    def _read_until(self, done: object, wait: float = WAIT) -> bytes:
        assert callable(done)
        seen = b""
        deadline = time.monotonic() + wait
        while not done(seen):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"terminal: no reply; it showed so far: {screen_text(seen)!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # the shell exited
                    break
                if not chunk:
                    break
                seen += chunk
        return seen

    def run(self, command: str) -> tuple[int, str]:
        """Type ``command`` and Enter; its exit status and the lines it printed (stdout and stderr, as shown)."""
        return self.finish(command)

    def finish(self, rest: str = "") -> tuple[int, str]:
        """Type ``rest`` and Enter to finish the line being edited (e.g. after a completion); as :meth:`run`."""
        line = f"{rest}; printf '__%s_%s__\\n' DONE $?\n"
        os.write(self.fd, line.encode())

        def finished(seen: bytes) -> bool:
            text = screen_text(seen)
            match = MARK.search(text)
            return match is not None and text.endswith(PROMPT)  # the status, then the next prompt

        text = screen_text(self._read_until(finished))
        match = MARK.search(text)
        assert match is not None
        echoed_end = text.index("\n") + 1  # readline shows the typed line first
        return int(match.group(1)), text[echoed_end : match.start()]

    def keys(self, typed: str, settle: str) -> str:
        """Type raw keys (no Enter); returns what the terminal showed until ``settle`` appears in it."""
        os.write(self.fd, typed.encode())
        return screen_text(self._read_until(lambda seen: settle in screen_text(seen)))

    def close(self) -> None:
        try:
            os.write(self.fd, b"exit\n")
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                time.sleep(0.05)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        finally:
            os.close(self.fd)
