"""Start the action server and the Rasa server as child processes, and wait until ready."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.config import REPO_ROOT, Settings
from bot.engine import EngineClient

logger = logging.getLogger(__name__)


class EngineStartError(RuntimeError):
    """A child process exited or did not become ready in time."""


async def actions_ready(settings: Settings) -> bool:
    """True when the action server answers its health check."""
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            response = await client.get(f"http://127.0.0.1:{settings.actions_port}/health")
            return response.status_code == 200
    except httpx.HTTPError:
        return False


async def engine_ready(settings: Settings) -> bool:
    """True when the Rasa server answers with a model loaded."""
    client = EngineClient(settings.rasa_url, settings.rasa_token, timeout=2)
    try:
        return await client.is_ready()
    finally:
        await client.close()


class EngineStack:
    """The Rasa server and the action server, started only when not already running."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._children: list[subprocess.Popen[bytes]] = []
        self.pids: dict[str, int] = {}

    async def ensure_running(self) -> None:
        """Start whatever is not answering, then wait for both to be ready."""
        if not await actions_ready(self._settings):
            self._spawn("actions")
            await self._wait(actions_ready, "action server")
        if not await engine_ready(self._settings):
            self._spawn("engine")
            await self._wait(engine_ready, "Rasa server")

    def stop(self) -> None:
        """Stop the children this stack started (and only those)."""
        for child in self._children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in self._children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        self._children.clear()

    def _spawn(self, role: str) -> None:
        """Run `python -m app <role>` in its own process group, logging to a file."""
        log_path = self._settings.log_dir / f"{role}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
        env["RASA_TOKEN"] = self._settings.rasa_token
        with log_path.open("ab") as log:
            child = subprocess.Popen(
                [sys.executable, "-m", "app", role],
                cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        self._children.append(child)
        self.pids[role] = child.pid
        logger.info("started %s (log: %s)", role, _relative(log_path))

    async def _wait(self, probe, label: str) -> None:
        """Poll `probe` until it succeeds, a child dies, or the start timeout passes."""
        deadline = time.monotonic() + self._settings.engine_start_timeout
        while time.monotonic() < deadline:
            if await probe(self._settings):
                return
            dead = [c for c in self._children if c.poll() is not None]
            if dead:
                raise EngineStartError(f"{label} exited early; see {self._settings.log_dir}")
            await asyncio.sleep(0.5)
        raise EngineStartError(f"{label} not ready after {self._settings.engine_start_timeout:.0f} s")


def _relative(path: Path) -> str:
    """A path relative to the repository when possible, for readable messages."""
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
