"""The per-invocation runtime: streams, the pre-run hook and the run envelope (cli.md §2 step 4).

``Runtime.prerun()`` applies ``-C``, discovers the project, loads the KOM,
opens the run log and writes the start record; :meth:`Runtime.finish` closes
the command's :class:`~kompox.cli.session.Session` and writes the end record.
Commands receive the runtime through click's context object.

The three standard streams live here (``stdin``/``stdout``/``stderr`` and
whether each is a terminal): every command writes results to ``stdout`` and
progress, warnings and errors to ``stderr`` through them, so tests pass their
own buffers to :func:`kompox.cli.main.run`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, TextIO

from kompox.cli.argv import GlobalFlags
from kompox.domain.errors import ConfigError, KompoxError

if TYPE_CHECKING:
    import logging
    from pathlib import Path

    from kompox.cli.session import Session
    from kompox.kom.loader import KomState
    from kompox.kom.project import ProjectEnv
    from kompox.logging import LogSettings, RunLog


@dataclass
class Runtime:
    """What one command run shares: its flags and argv, the environment, the project, KOM and run log."""

    flags: GlobalFlags
    argv: list[str]
    env: MutableMapping[str, str] = field(default_factory=lambda: os.environ)
    project: ProjectEnv | None = None
    kom: KomState | None = None
    run_log: RunLog | None = None
    started: bool = False
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    _session: Session | None = field(default=None, repr=False)

    # --- streams ------------------------------------------------------------

    def say(self, text: str) -> None:
        """One progress or information line on stderr (flushed: it may precede a long wait)."""
        self.stderr.write(text + "\n")
        self.stderr.flush()

    def warn(self, text: str) -> None:
        """``Warning: <text>`` on stderr."""
        self.say(f"Warning: {text}")

    def out(self, text: str) -> None:
        """Result text on stdout, as given (no newline added)."""
        self.stdout.write(text)
        self.stdout.flush()

    def binary(self, stream: TextIO) -> BinaryIO:
        """The byte stream under a text stream (raw log or exec output must not be re-encoded)."""
        stream.flush()
        return stream.buffer

    # --- the command's session ----------------------------------------------

    def session(self) -> Session:
        """The command's :class:`~kompox.cli.session.Session`, built on first use (after :meth:`prerun`)."""
        if self._session is None:
            from kompox.cli.session import Session

            self._session = Session(self)
        return self._session

    # --- pre-run hook -----------------------------------------------------

    def apply_chdir(self, *, create: bool = False) -> None:
        if not self.flags.chdir:
            return
        from pathlib import Path

        target = Path(self.flags.chdir)
        try:
            if create:
                target.mkdir(parents=True, exist_ok=True, mode=0o755)
            os.chdir(target)
        except OSError as err:
            raise ConfigError(
                f"failed to change directory: {err.strerror}: {self.flags.chdir}", field="--chdir"
            ) from err

    def prerun(self) -> None:
        """Discovery, KOM, logging and the start record, in upstream's order."""
        from pathlib import Path

        from kompox.kom.loader import initialize_kom
        from kompox.kom.project import resolve_project
        from kompox.logging import cleanup_old_logs, redact_argv, setup_run_logging

        self.apply_chdir()
        cwd = Path.cwd()
        self.project = resolve_project(cwd, self.env, self.flags.kompox_root, self.flags.kompox_dir)
        self.env.update(self.project.environ())
        self.kom = initialize_kom(self.project, cwd, self.env, self.flags.kom_path, self.flags.kom_app)
        settings = self._log_settings()
        try:
            cleanup_old_logs(settings.dir, settings.retention_days)
        except OSError as err:  # pragma: no cover - best effort
            self.warn(f"failed to cleanup old log files: {err}")
        self.run_log = setup_run_logging(settings)
        if self.run_log.warning:  # logging never stops a command
            self.warn(self.run_log.warning)
        self.logger.info("CMD", extra={"attrs": {"args": redact_argv(self.argv)}})
        self.started = True
        for warning in self.kom.warnings:
            self.logger.warning(warning, extra={"attrs": {"code": "kom_warning"}})
            self.warn(warning)

    def _log_settings(self) -> LogSettings:
        from kompox.logging import resolve_log_settings

        assert self.project is not None
        return resolve_log_settings(
            flags={"format": self.flags.log_format, "level": self.flags.log_level, "output": self.flags.log_output},
            env=self.env,
            defaults=project_log_defaults(self.project),
        )

    # --- envelope ---------------------------------------------------------

    @property
    def logger(self) -> logging.Logger:
        import logging

        return logging.getLogger("kompox")

    @property
    def log_path(self) -> Path | None:
        return self.run_log.path if self.run_log else None

    def finish(self, exit_code: int) -> None:
        if self._session is not None:
            self._session.close()
        if self.started:
            self.logger.info("CMD", extra={"attrs": {"exitCode": exit_code}})
        if self.run_log is not None:
            self.run_log.close()

    def require_kom(self) -> KomState:
        if self.kom is None:
            raise KompoxError("internal error: KOM not initialised before the command ran")
        return self.kom


def project_log_defaults(project: ProjectEnv) -> LogSettings:
    """The log settings ``.kompox/config.yml`` gives (its defaults and expansion live in ProjectEnv)."""
    from pathlib import Path

    from kompox.logging import LogSettings

    return LogSettings(
        format=project.log_format,
        level=project.log_level,
        dir=Path(project.log_dir),
        retention_days=project.retention_days,
    )
