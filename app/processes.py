"""Start, supervise and stop the action server, the Rasa server and the inbox (child processes).

- A server already answering on a port is used only if it proves that it holds this instance's
  secret (authenticated health check with a challenge); anything else on the port stops the
  start with a message naming the port (audit L5, M1).
- A child that dies is restarted after a growing delay, at most `MAX_RESTARTS` times in
  `RESTART_WINDOW` seconds; each exit and restart is logged without contents.
- Children get a minimal environment: what they need, no Telegram token (audit M5), and Rasa
  telemetry off.
- Their output goes through `ChildOutput` into `<role>.log`: 0600, rotated by size (L11).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from app.config import REPO_ROOT, Settings
from app.log_redaction import ChildOutput
from app.logging_setup import PrivateRotatingFileHandler
from core import sentence_vectors
from rasa_components import auth

logger = logging.getLogger(__name__)

ROLES = ("actions", "engine")
WITH_INBOX = (*ROLES, "inbox", "webchat")  # what `run` starts: the inbox and the web chat too
CHILD_COMMANDS = {"inbox": ("inbox", "serve"), "webchat": ("webchat", "serve")}
BASE_VARIABLES = ("PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TMPDIR", "TZ")
# The meaning vector engine's settings, for the Rasa server only (core.sentence_vectors).
ENGINE_VARIABLES = (sentence_vectors.SWITCH_SETTING, sentence_vectors.THREADS_SETTING)
FIXED_VARIABLES = {
    "RASA_TELEMETRY_ENABLED": "false",
    "PYTHONWARNINGS": "ignore",
    "PYTHONUNBUFFERED": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}
PROBE_TIMEOUT = 3.0
WATCH_INTERVAL = 0.5
FIRST_DELAY, MAX_DELAY = 1.0, 30.0
MAX_RESTARTS, RESTART_WINDOW = 5, 600.0
STOP_GRACE = 15.0


class EngineStartError(RuntimeError):
    """A child process exited, did not become ready in time, or its port is taken."""


class Health(enum.Enum):
    """What answers on a server's port."""

    ABSENT = "nothing listens"
    FOREIGN = "a server that cannot prove it holds this instance's secret"
    STARTING = "this instance's server, still loading"
    READY = "this instance's server, ready"


@dataclass(frozen=True)
class Role:
    """How to reach and check one of the two servers."""

    name: str
    label: str
    port_setting: str
    port: int
    health_url: str
    header: str
    secret: str


def role_of(settings: Settings, name: str) -> Role:
    """The action server ("actions"), the Rasa server ("engine") or the inbox of these settings."""
    if name == "inbox":
        url = f"http://127.0.0.1:{settings.inbox_port}/health"
        return Role(name, "association inbox", "INBOX_PORT", settings.inbox_port, url,
                    auth.INBOX_SECRET_HEADER, settings.inbox_secret)  # fmt: skip
    if name == "webchat":
        url = f"http://127.0.0.1:{settings.webchat_port}/health"
        return Role(name, "web chat", "WEBCHAT_PORT", settings.webchat_port, url,
                    auth.WEBCHAT_SECRET_HEADER, settings.webchat_secret)  # fmt: skip
    if name == "actions":
        url = f"http://127.0.0.1:{settings.actions_port}/health"
        return Role(name, "action server", "ACTIONS_PORT", settings.actions_port, url,
                    auth.ACTIONS_SECRET_HEADER, settings.actions_secret)  # fmt: skip
    url = f"{settings.local_rasa_url}/webhooks/bot/health"
    return Role(
        name,
        "Rasa server",
        "RASA_PORT",
        settings.rasa_port,
        url,
        auth.ENGINE_SECRET_HEADER,
        settings.rasa_token,
    )


def health(role: Role) -> Health:
    """Ask the server on the role's port to prove it holds the secret, and whether it is ready."""
    challenge = auth.new_challenge()
    headers = {role.header: role.secret, auth.CHALLENGE_HEADER: challenge}
    try:
        response = httpx.get(role.health_url, headers=headers, timeout=PROBE_TIMEOUT)
        body = response.json() if response.status_code == 200 else {}
    except (httpx.ConnectError, httpx.ConnectTimeout):
        return Health.ABSENT
    except (httpx.HTTPError, ValueError):
        return Health.FOREIGN
    if not isinstance(body, dict) or not auth.proves(role.secret, challenge, body.get("proof")):
        return Health.FOREIGN
    return Health.READY if role.name != "engine" or body.get("model_loaded") else Health.STARTING


def port_in_use(port: int) -> bool:
    """True when something accepts connections on the loopback port."""
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def foreign_error(role: Role) -> EngineStartError:
    """The refusal to use, or start beside, a server we cannot trust."""
    return EngineStartError(
        f"port {role.port} ({role.port_setting}) is taken by {Health.FOREIGN.value} for the {role.label} "
        f"(another checkout, an older run with other secrets, or another program): stop it, or set "
        f"{role.port_setting} to a free port"
    )


def child_environment(settings: Settings, role: str) -> dict[str, str]:
    """The whole environment of a child: system basics, its settings and only its own secrets."""
    env = {name: os.environ[name] for name in BASE_VARIABLES if name in os.environ}
    env.update(FIXED_VARIABLES)
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        INSTANCE_DIR=str(settings.instance_dir),
        LOG_DIR=str(settings.log_dir),
        RASA_PORT=str(settings.rasa_port),
        ACTIONS_PORT=str(settings.actions_port),
        CONVERSATION_TTL_SECONDS=str(settings.conversation_ttl_seconds),
        LOG_MAX_BYTES=str(settings.log_max_bytes),
        LOG_BACKUPS=str(settings.log_backups),
        ACTIONS_SECRET=settings.actions_secret,
    )
    if role == "engine":
        env.update(MODEL_PATH=str(settings.model_path), RASA_TOKEN=settings.rasa_token)
        env.update({name: os.environ[name] for name in ENGINE_VARIABLES if name in os.environ})
    else:
        env.update(action_server_settings(settings))
    if role == "inbox":
        env.update(
            INBOX_SECRET=settings.inbox_secret,
            INBOX_LISTEN=settings.inbox_listen,
            INBOX_PORT=str(settings.inbox_port),
            INBOX_PUBLIC_URL=settings.inbox_public_url,
        )
        env.pop("ACTIONS_SECRET")
    if role == "webchat":
        env.update(webchat_settings(settings))
        env.pop("ACTIONS_SECRET")
    return env


def webchat_settings(settings: Settings) -> dict[str, str]:
    """What the web chat runs with besides the database: the engine, its page, the limits."""
    return {
        "RASA_TOKEN": settings.rasa_token,
        "ENGINE_TIMEOUT": str(settings.engine_timeout),
        "WEBCHAT_SECRET": settings.webchat_secret,
        "WEBCHAT_LISTEN": settings.webchat_listen,
        "WEBCHAT_PORT": str(settings.webchat_port),
        "WEBCHAT_TITLE": settings.webchat_title,
        "WEBCHAT_EXIT_URL": settings.webchat_exit_url,
        "WEBCHAT_PUBLIC_URL": settings.webchat_public_url,
        "WEBCHAT_ADDRESS_LIMIT": str(settings.webchat_address_limit),
        "FLOOD_MAX_MESSAGES": str(settings.flood_max_messages),
        "FLOOD_WINDOW_SECONDS": str(settings.flood_window_seconds),
        "ERASE_SWEEP_SECONDS": str(settings.erase_sweep_seconds),
        "DELIVERY_SWEEP_SECONDS": str(settings.delivery_sweep_seconds),
        "QUICK_EXIT_LINE": settings.quick_exit_line,
        "INBOX_PUBLIC_URL": settings.inbox_public_url,
        "INBOX_PORT": str(settings.inbox_port),
    }


def action_server_settings(settings: Settings) -> dict[str, str]:
    """What the action server needs besides the common settings: the database and its keys."""
    policy = settings.handover_policy
    return {
        "DATABASE_URL": settings.database_url,
        "PSEUDONYM_KEY": settings.pseudonym_key,
        "DATA_KEY": settings.data_key,
        "ASSOCIATION_LANGUAGE": settings.association_language,
        "HANDOVER_ANSWER_HOURS": str(policy.answer_delay.total_seconds() / 3600),
        "HANDOVER_RETENTION_DAYS": str(policy.retention.total_seconds() / 86400),
        "OUTBOX_MAX_ATTEMPTS": str(policy.max_attempts),
        "OUTBOX_LEASE_SECONDS": str(policy.lease.total_seconds()),
    }


class RestartBudget:
    """A growing delay between restarts, and a bound on how many happen in a window."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._recent: deque[float] = deque()

    def next_delay(self) -> float | None:
        """Seconds to wait before the next restart, or None when the budget is spent."""
        now = self._clock()
        while self._recent and now - self._recent[0] > RESTART_WINDOW:
            self._recent.popleft()
        if len(self._recent) >= MAX_RESTARTS:
            return None
        delay = min(MAX_DELAY, FIRST_DELAY * 2 ** len(self._recent))
        self._recent.append(now)
        return delay


class ChildLog:
    """A child's output, cleaned line by line into its private, rotated log file."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        self._handler = PrivateRotatingFileHandler(path, max_bytes, backups)
        self._handler.setFormatter(logging.Formatter("%(message)s"))
        self._lock = threading.Lock()

    def write(self, entry: str) -> None:
        """Append one already safe line."""
        record = logging.LogRecord("app.child", logging.INFO, __file__, 0, entry, None, None)
        with self._lock:
            self._handler.handle(record)

    def note(self, entry: str, level: str = "WARNING") -> None:
        """Append a line from the supervisor, formatted as the children's own log lines."""
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
        self.write(f"{stamp},000 {level} app.processes: {entry}")

    def pump(self, stream: IO[bytes]) -> None:
        """Copy a child's output until it closes, keeping only what is safe."""
        cleaner = ChildOutput()
        for chunk in iter(stream.readline, b""):
            kept = cleaner.clean(chunk.decode("utf-8", errors="replace"))
            if kept is not None:
                self.write(kept)
        stream.close()

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._handler.close()


class EngineStack:
    """The action server and the Rasa server: started when absent, supervised, stopped."""

    def __init__(self, settings: Settings, roles: tuple[str, ...] = ROLES) -> None:
        self._settings = settings
        self._roles = roles
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: dict[str, ChildLog] = {}
        self._budgets = {role: RestartBudget() for role in roles}
        self._pumps: list[threading.Thread] = []
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        self.pids: dict[str, int] = {}
        self.restarts: dict[str, int] = {role: 0 for role in roles}

    async def ensure_running(self) -> None:
        """Use what proves it is ours, start what is absent, refuse anything else; then supervise."""
        try:
            await self._start_each()
        except BaseException:
            self.stop()
            raise
        self._start_watching()

    async def _start_each(self) -> None:
        """Check, and start when needed, the action server, the Rasa server (then the inbox)."""
        for name in self._roles:
            role = role_of(self._settings, name)
            found = await asyncio.to_thread(health, role)
            if found is Health.FOREIGN:
                raise foreign_error(role)
            if found is Health.ABSENT:
                self._spawn(name)
            else:
                logger.warning("%s already runs on port %d with this instance's secret: using it, "
                               "unsupervised", role.label, role.port)  # fmt: skip
            await asyncio.to_thread(self._wait_ready, name)

    def stop(self) -> None:
        """Stop supervising, then stop the children this stack started (and only those)."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join(timeout=STOP_GRACE)
        with self._lock:
            children = list(self._children.values())
            self._children.clear()
        for child in children:
            terminate(child)
        for pump in self._pumps:
            pump.join(timeout=5)
        for log in self._logs.values():
            log.close()

    def _spawn(self, name: str) -> None:
        """Run `python -m app <name>` in its own process group, its output into its log."""
        log = self._log(name)
        child = subprocess.Popen(
            [sys.executable, "-m", "app", *CHILD_COMMANDS.get(name, (name,))],
            cwd=REPO_ROOT, env=child_environment(self._settings, name), start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        assert child.stdout is not None
        log.note(f"starting the {role_of(self._settings, name).label}", "INFO")
        pump = threading.Thread(target=log.pump, args=(child.stdout,), name=f"{name}-output", daemon=True)
        pump.start()
        with self._lock:
            self._children[name] = child
            self._pumps = [p for p in self._pumps if p.is_alive()] + [pump]
        self.pids[name] = child.pid
        logger.info(
            "started the %s (log: %s)",
            role_of(self._settings, name).label,
            _relative(log_path(self._settings, name)),
        )

    def _log(self, name: str) -> ChildLog:
        """The log file of a role, opened once per stack."""
        if name not in self._logs:
            settings = self._settings
            self._logs[name] = ChildLog(
                log_path(settings, name), settings.log_max_bytes, settings.log_backups
            )
        return self._logs[name]

    def _wait_ready(self, name: str) -> None:
        """Block until the role's server is ready; raise if it dies, is foreign, or is too slow."""
        role = role_of(self._settings, name)
        deadline = time.monotonic() + self._settings.engine_start_timeout
        while time.monotonic() < deadline and not self._stopping.is_set():
            found = health(role)
            if found is Health.READY:
                return
            if found is Health.FOREIGN:
                raise foreign_error(role)
            child = self._children.get(name)
            if child is not None and child.poll() is not None:
                if port_in_use(role.port):
                    raise foreign_error(role)
                raise EngineStartError(f"the {role.label} exited early; see {self._settings.log_dir}")
            time.sleep(WATCH_INTERVAL)
        if not self._stopping.is_set():
            raise EngineStartError(
                f"the {role.label} was not ready after {self._settings.engine_start_timeout:.0f} s"
            )

    def _start_watching(self) -> None:
        """Watch the children in a background thread (the bot runs its own event loops)."""
        if self._watcher is None and self._children:
            self._watcher = threading.Thread(target=self._watch, name="engine-supervisor", daemon=True)
            self._watcher.start()

    def _watch(self) -> None:
        """Restart any child that exits, until the stack stops."""
        while not self._stopping.wait(WATCH_INTERVAL):
            with self._lock:
                exited = [(name, child) for name, child in self._children.items() if child.poll() is not None]
            for name, child in exited:
                self._restart(name, child.returncode)

    def _restart(self, name: str, code: int | None) -> None:
        """Start an exited child again after its delay, or give up once its budget is spent."""
        label = role_of(self._settings, name).label
        delay = self._budgets[name].next_delay()
        if delay is None:
            with self._lock:
                self._children.pop(name, None)
            self.pids.pop(name, None)
            logger.error("the %s exited (code %s) too often: no more restarts", label, code)
            self._log(name).note(f"the {label} exited (code {code}) too often: no more restarts")
            return
        logger.warning("the %s exited (code %s): restarting in %.0f s", label, code, delay)
        self._log(name).note(f"the {label} exited (code {code}): restarting in {delay:.0f} s")
        if self._stopping.wait(delay):
            return
        self._spawn(name)
        self.restarts[name] += 1
        try:
            self._wait_ready(name)
        except EngineStartError as error:
            logger.error("restarting the %s failed: %s", label, error)
            return
        if not self._stopping.is_set():
            logger.warning("the %s is running again", label)


def terminate(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM the child's process group, then SIGKILL it if it lingers."""
    if child.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def log_path(settings: Settings, name: str) -> Path:
    """Where a role's output is kept."""
    return settings.log_dir / f"{name}.log"


def _relative(path: Path) -> str:
    """A path relative to the repository when possible, for readable messages."""
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
