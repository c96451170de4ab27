"""Logging without message contents, raw ids or tokens in URLs."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries that log request URLs (bot token, Rasa token) or update contents at INFO/DEBUG.
QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "sanic.access", "urllib3", "asyncio")


def configure_logging(level: int = logging.INFO, log_file: Path | None = None) -> None:
    """Send logs to stderr (stdout is reserved for console replies) and optionally a file."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers = [logging.FileHandler(log_file, encoding="utf-8")]
    logging.basicConfig(level=level, format=FORMAT, handlers=handlers, force=True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
