"""A throwaway PostgreSQL server for tests: ``initdb`` + ``pg_ctl`` on a Unix socket in a temp dir.

The server binaries come from the machine (Debian's ``postgresql`` package puts them under
``/usr/lib/postgresql/<major>/bin``; ``.ci/run`` installs it where absent).  ``initdb`` refuses to
run as root, so as root the server runs as the ``postgres`` user (else ``nobody``) via ``runuser``.
Password authentication (scram-sha-256) is on, so tests can also present a wrong password.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

PASSWORD = "pg-test-Secr3t-8d1f"
SUPERUSER = "kompox"


class PgUnavailable(RuntimeError):
    pass


def find_bin_dir() -> Path:
    root = Path("/usr/lib/postgresql")
    majors = sorted(root.glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    for candidate in reversed(majors):
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    raise PgUnavailable("PostgreSQL server binaries (initdb, pg_ctl) not found; install Debian's postgresql package")


def _run_as() -> tuple[list[str], int | None, int | None]:
    if os.geteuid() != 0:
        return [], None, None
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PgUnavailable("running as root and runuser is missing: cannot start initdb as a non-root user")
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return [runuser, "-u", name, "--"], entry.pw_uid, entry.pw_gid
    raise PgUnavailable("running as root and neither user postgres nor nobody exists")


class PgServer:
    def __init__(self) -> None:
        if not Path("/dev/null").is_char_device():
            raise PgUnavailable("/dev/null is not a character device (replaced by a regular file?); initdb needs it")
        self.bin = find_bin_dir()
        self.prefix, uid, gid = _run_as()
        self.dir = Path(tempfile.mkdtemp(prefix="kpg-"))
        if uid is not None and gid is not None:
            os.chown(self.dir, uid, gid)
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.started = False
        self._counter = 0
        pwfile = self.dir / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if uid is not None and gid is not None:
            os.chown(pwfile, uid, gid)

    def _run(self, *args: str) -> None:
        proc = subprocess.run([*self.prefix, *args], capture_output=True, text=True, timeout=120, check=False)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            raise PgUnavailable(f"{Path(args[0]).name} failed (exit {proc.returncode}): {' | '.join(tail)}")

    def start(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "-A",
            "scram-sha-256",
            f"--pwfile={self.dir / 'pw'}",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        )
        options = f"-k {self.dir} -c listen_addresses='' -F"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "start",
        )
        self.started = True

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{SUPERUSER}:{password}@/{database}?host={self.dir}"

    def new_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg

        self._counter += 1
        name = f"t{os.getpid()}_{self._counter}"
        with psycopg.connect(
            host=str(self.dir), user=SUPERUSER, password=PASSWORD, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            if self.started:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
