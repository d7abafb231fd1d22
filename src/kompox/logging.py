"""Per-run structured logging: one log file per invocation, run id, spans, secret masking.

Records follow upstream's shapes (cli.md §7, kube-and-ops.md §15): JSON lines
``{"time", "level", "msg", "runId", ...attributes}`` or ``key=value`` text.
Every module logs through the stdlib ``logging`` package under the
``kompox`` logger; :func:`setup_run_logging` attaches the run's sink.
Attributes go in ``extra={"attrs": {...}}``.  Values of sensitive keys and
any string registered with :func:`register_secret` are masked.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import stat
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from kompox.domain.errors import ValidationError
from kompox.domain.naming import new_compact_id
from kompox.domain.timefmt import rfc3339_nano

LOGGER_NAME = "kompox"
LOG_FORMATS = ("json", "human", "text")
DEFAULT_RETENTION_DAYS = 7
MASK = "***"

_SENSITIVE_KEY = re.compile(r"(password|passwd|secret|token|credential|kubeconfig|apikey|api_key|private)", re.I)
_registered_secrets: set[str] = set()


def register_secret(value: str) -> None:
    """Mask ``value`` wherever it would appear in a log record (min. 4 characters)."""
    if len(value) >= 4:
        _registered_secrets.add(value)


def mask_text(text: str) -> str:
    for secret in sorted(_registered_secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def mask_value(key: str, value: Any) -> Any:
    if _SENSITIVE_KEY.search(key) and value not in (None, ""):
        return MASK
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {str(k): mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(key, v) for v in value]
    return value


_SECRET_FLAG = re.compile(r"^--?[\w-]*(password|passwd|secret|token|credential|apikey|api-key|private)", re.I)
_URL_FLAGS = ("--db-url",)
_URL_PASSWORD = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*:)[^/]*@")


def _redact_flag_value(value: str, is_url: bool) -> str:
    return _URL_PASSWORD.sub(rf"\1{MASK}@", value) if is_url else MASK


def redact_argv(argv: Sequence[str]) -> list[str]:
    """``argv`` as it may appear in a log: no secret flag values, nothing after ``--``.

    Everything after the first ``--`` (a remote command such as ``PGPASSWORD=… psql``)
    becomes :data:`MASK`, one per word; so does the value of every flag whose name
    says it holds a secret (``--token X``, ``--password=X``); a URL flag keeps
    everything but the password of its ``user:password@`` part.
    """
    out: list[str] = []
    words = list(argv)
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--":
            out.append(word)
            out.extend(MASK for _ in words[i + 1 :])
            break
        name, eq, value = word.partition("=")
        if name.startswith("-") and (_SECRET_FLAG.match(name) or name in _URL_FLAGS):
            is_url = name in _URL_FLAGS
            if eq:
                out.append(f"{name}={_redact_flag_value(value, is_url)}")
            else:
                out.append(word)
                if i + 1 < len(words):
                    i += 1
                    out.append(_redact_flag_value(words[i], is_url))
        else:
            out.append(word)
        i += 1
    return out


def parse_level(text: str) -> int:
    """Upstream's lenient level parsing: unknown values mean INFO."""
    value = text.strip().lower()
    if value == "debug":
        return logging.DEBUG
    if value in ("warn", "warning"):
        return logging.WARNING
    if value in ("error", "err"):
        return logging.ERROR
    return logging.INFO


_LEVEL_NAMES = {logging.DEBUG: "DEBUG", logging.INFO: "INFO", logging.WARNING: "WARN", logging.ERROR: "ERROR"}


def _record_attrs(record: logging.LogRecord, run_id: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {"runId": run_id}
    raw = getattr(record, "attrs", None)
    if isinstance(raw, Mapping):
        for key, value in raw.items():
            attrs[str(key)] = mask_value(str(key), value)
    if record.exc_info and record.exc_info[1] is not None:
        attrs.setdefault("err", mask_text(str(record.exc_info[1])))
    return attrs


class JSONFormatter(logging.Formatter):
    def __init__(self, run_id: str) -> None:
        super().__init__()
        self.run_id = run_id

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": rfc3339_nano(datetime.fromtimestamp(record.created, UTC)),
            "level": _LEVEL_NAMES.get(record.levelno, record.levelname),
            "msg": mask_text(record.getMessage()),
        }
        out.update(_record_attrs(record, self.run_id))
        return json.dumps(out, ensure_ascii=False, default=str)


def _text_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if text == "" or any(c in text for c in ' ="\n\t'):
        return json.dumps(text, ensure_ascii=False)
    return text


class TextFormatter(logging.Formatter):
    def __init__(self, run_id: str) -> None:
        super().__init__()
        self.run_id = run_id

    def format(self, record: logging.LogRecord) -> str:
        dt = datetime.fromtimestamp(record.created, UTC)
        parts = [
            f"time={dt.strftime('%Y-%m-%dT%H:%M:%S.')}{dt.microsecond // 1000:03d}Z",
            f"level={_LEVEL_NAMES.get(record.levelno, record.levelname)}",
            f"msg={_text_value(mask_text(record.getMessage()))}",
        ]
        parts += [f"{k}={_text_value(v)}" for k, v in _record_attrs(record, self.run_id).items()]
        return " ".join(parts)


@dataclass
class LogSettings:
    """Resolved logging configuration (flag > env > config.yml > default)."""

    format: str = "json"
    level: str = "INFO"
    output: str = ""
    dir: Path = field(default_factory=lambda: Path(".kompox/logs"))
    retention_days: int = DEFAULT_RETENTION_DAYS


def resolve_log_settings(
    *,
    flags: Mapping[str, str],
    env: Mapping[str, str],
    defaults: LogSettings,
) -> LogSettings:
    """Apply environment then flags over ``defaults`` (the project's ``config.yml`` values).

    ``flags`` holds ``format``/``level``/``output`` ("" = not given); the
    directory comes only from ``KOMPOX_LOG_DIR`` or the defaults.
    """
    settings = LogSettings(
        format=defaults.format,
        level=defaults.level,
        output=defaults.output,
        dir=defaults.dir,
        retention_days=defaults.retention_days,
    )
    if env.get("KOMPOX_LOG_DIR"):
        settings.dir = Path(env["KOMPOX_LOG_DIR"])
    for key in ("format", "level", "output"):
        env_value = env.get(f"KOMPOX_LOG_{key.upper()}", "")
        if env_value:
            setattr(settings, key, env_value)
        if flags.get(key):
            setattr(settings, key, flags[key])
    if settings.format not in LOG_FORMATS:
        raise ValidationError(
            f"unsupported log format: {settings.format} (allowed: json, human, text)", field="--log-format"
        )
    if not settings.dir.is_absolute():
        settings.dir = Path.cwd() / settings.dir
    return settings


def cleanup_old_logs(log_dir: Path, retention_days: int, now: float | None = None) -> int:
    """Delete ``kompoxops-*.log`` files older than the retention; returns how many were removed.

    Best effort: an unreadable directory or an undeletable file is skipped silently
    (opening the new log file reports an unusable log directory once).
    """
    try:
        if retention_days <= 0 or not log_dir.is_dir():
            return 0
        candidates = list(log_dir.glob("kompoxops-*.log"))
    except OSError:
        return 0
    limit = (time.time() if now is None else now) - retention_days * 86400
    removed = 0
    for path in candidates:
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
    return removed


@dataclass
class RunLog:
    """The logging state of one invocation."""

    run_id: str
    logger: logging.Logger
    path: Path | None  # the log file, None for stderr / none
    stream: TextIO | None = None
    warning: str = ""  # why the log file could not be opened (logging is then off for this run)

    def close(self) -> None:
        for handler in list(self.logger.handlers):
            handler.flush()
            handler.close()
            self.logger.removeHandler(handler)
        if self.stream is not None and self.stream is not sys.stderr:
            with contextlib.suppress(OSError):  # a full disk must not turn the end of the run into an error
                self.stream.close()


def log_file_name(now: datetime) -> str:
    return f"kompoxops-{now.strftime('%Y%m%d-%H%M%S')}-{now.microsecond // 1000:03d}.log"


class _LogFileHandler(logging.StreamHandler[TextIO]):
    """A log file handler that never stops the command: the first write failure turns it off with one warning."""

    def __init__(self, stream: TextIO, path: Path) -> None:
        super().__init__(stream)
        self.path = path
        self.failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def flush(self) -> None:
        if not self.failed:
            try:
                super().flush()
            except OSError as err:
                self._fail(err)

    def handleError(self, record: logging.LogRecord) -> None:
        err = sys.exc_info()[1]
        self._fail(err if err is not None else OSError("write failed"))

    def _fail(self, err: BaseException) -> None:
        if not self.failed:
            self.failed = True
            reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            sys.stderr.write(f"Warning: writing the log file {self.path} failed: {reason}; logging is off\n")


def _open_log_file(path: Path, default_dir: Path) -> TextIO:
    """Open ``path`` for appending, mode 0600 when created; only the default log directory is created."""
    if path.parent == default_dir:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return os.fdopen(fd, "a", encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


def setup_run_logging(settings: LogSettings) -> RunLog:
    """Open the sink, attach the formatter, and return the run's logging state.

    A log file that cannot be opened (unwritable or missing directory, not a
    regular file) never stops the command: logging is off for the run and
    :attr:`RunLog.warning` says why, for the caller to show once.
    """
    run_id = new_compact_id()
    logger = logging.getLogger(LOGGER_NAME)
    for old in list(logger.handlers):
        logger.removeHandler(old)
    logger.setLevel(parse_level(settings.level))
    logger.propagate = False
    output = settings.output
    path: Path | None = None
    stream: TextIO | None = None
    warning = ""
    handler: logging.Handler
    if output.lower() == "none":
        handler = logging.NullHandler()
    elif output == "-":
        stream = sys.stderr
        handler = logging.StreamHandler(stream)
    else:
        if output:
            path = Path(output) if Path(output).is_absolute() else settings.dir / output
        else:
            path = settings.dir / log_file_name(datetime.now(UTC))
        try:
            stream = _open_log_file(path, settings.dir)
            handler = _LogFileHandler(stream, path)
        except OSError as err:
            reason = err.strerror or str(err)
            if err.filename and str(err.filename) != str(path):  # e.g. the log directory could not be created
                reason = f"{err.filename}: {reason}"
            warning = f"cannot write the log file {path}: {reason}; logging is off for this run"
            path = None
            handler = logging.NullHandler()
    formatter: logging.Formatter = JSONFormatter(run_id) if settings.format == "json" else TextFormatter(run_id)
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    return RunLog(
        run_id=run_id, logger=logger, path=path.resolve() if path else None, stream=stream, warning=warning
    )


def _short_err(err: BaseException) -> str:
    text = mask_text(str(err))
    return text if len(text) <= 32 else text[:32] + "..."


@contextlib.contextmanager
def span(
    op: str, resource_id: str, *, logger: logging.Logger | None = None, level: int = logging.INFO
) -> Iterator[None]:
    """Emit ``<op>/S`` then ``<op>/EOK`` or ``<op>/EFAIL`` with ``elapsed`` seconds."""
    log = logger or logging.getLogger(LOGGER_NAME)
    log.log(level, f"{op}/S", extra={"attrs": {"resourceId": resource_id}})
    start = time.monotonic()
    try:
        yield
    except BaseException as err:
        elapsed = time.monotonic() - start
        log.log(
            level,
            f"{op}/EFAIL",
            extra={"attrs": {"resourceId": resource_id, "err": _short_err(err), "elapsed": elapsed}},
        )
        raise
    elapsed = time.monotonic() - start
    log.log(level, f"{op}/EOK", extra={"attrs": {"resourceId": resource_id, "err": "", "elapsed": elapsed}})
