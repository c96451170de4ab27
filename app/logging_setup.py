"""Logging without message contents, raw ids or tokens, into private files that are rotated.

Every handler carries `ContentFilter` (app/log_redaction.py), so the bot, the Rasa server and
the action server can log exceptions (`exc_info`) safely: only types and frames are kept. Log
files are created 0600 and rotated by size with a bounded number of backups (audit L11).
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import threading
import warnings
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from app.log_redaction import ContentFilter, strip_event, to_stdlib

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries that log request URLs (bot token) or update contents at INFO/DEBUG.
QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "sanic.access", "urllib3", "asyncio")
# Libraries of the engine and action server that are chatty below WARNING.
ENGINE_LOGGERS = ("rasa", "rasa_sdk", "sanic", "tensorflow", "absl", "alembic", "matplotlib", "h5py")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_BACKUPS = 3
PRIVATE_FILE = 0o600
crash_logger = logging.getLogger("app.crash")


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A log file readable by its owner only, rotated by size with a bounded number of backups."""

    def __init__(
        self, path: Path, max_bytes: int = DEFAULT_MAX_BYTES, backups: int = DEFAULT_BACKUPS
    ) -> None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        super().__init__(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")

    def _open(self) -> IO[str]:  # type: ignore[override]  # typeshed names TextIOWrapper; any text stream works
        """Open for appending with 0600 rights, tightening a file created earlier with wider ones."""
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
        os.fchmod(descriptor, PRIVATE_FILE)
        return os.fdopen(descriptor, "a", encoding=self.encoding, errors=self.errors)


def filtered(handler: logging.Handler) -> logging.Handler:
    """The handler with the project's format and the content filter."""
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(ContentFilter())
    return handler


def configure_logging(
    level: int = logging.INFO,
    log_file: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    backups: int = DEFAULT_BACKUPS,
) -> None:
    """Send filtered logs to stderr (stdout is reserved for console replies), or to a private file."""
    handler: logging.Handler = (
        PrivateRotatingFileHandler(log_file, max_bytes, backups)
        if log_file is not None
        else logging.StreamHandler(sys.stderr)
    )
    logging.basicConfig(level=level, handlers=[filtered(handler)], force=True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    install_crash_hooks()


def configure_server_logging(level: int = logging.WARNING) -> None:
    """Logging of the engine and action server: filtered, on stderr, which the supervisor keeps.

    Python warnings are silenced (Rasa's quote the user's text), Rasa's structlog events go
    through the same filter without their fields, and a crash is logged as frames only.
    """
    silence_warnings()
    configure_logging(level)
    for name in ENGINE_LOGGERS:
        library = logging.getLogger(name)
        library.setLevel(max(level, logging.WARNING))
        library.propagate = True
        library.handlers.clear()
    configure_structlog(level)
    faulthandler.enable()


def silence_warnings() -> None:
    """Ignore Python warnings; any shown anyway is reduced to its category and place."""
    warnings.simplefilter("ignore")
    warnings.showwarning = _show_warning_safely


def _show_warning_safely(
    message: Warning | str, category: type[Warning], filename: str, lineno: int, *args: Any, **kwargs: Any
) -> None:
    """Log a warning (at DEBUG) by category and place only: its message may quote a user's text."""
    logging.getLogger("app.warnings").debug("%s at %s:%d", category.__name__, filename, lineno)


def configure_structlog(level: int) -> None:
    """Rasa's structured events: the event name only, through the standard handlers."""
    import structlog

    structlog.configure(
        processors=[strip_event, to_stdlib],
        context_class=dict,
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )


def install_crash_hooks() -> None:
    """Uncaught exceptions, in any thread, are logged as types and frames only."""
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook: log the crash without its message."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    crash_logger.critical("uncaught %s", kind.__name__, exc_info=(kind, error, tb))


def _log_uncaught_in_thread(hook: threading.ExceptHookArgs) -> None:
    """threading.excepthook: log the crash of a thread without its message."""
    if hook.exc_value is not None:
        crash_logger.critical("uncaught %s in a thread", hook.exc_type.__name__, exc_info=hook.exc_value)
