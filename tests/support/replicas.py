"""Replicas on one machine (issue 17): N action servers, N Rasa servers and N Telegram bot
instances in webhook mode, behind HAProxy with deploy/haproxy.cfg, sharing PostgreSQL (a fresh
database) and Redis (conversations, locks, flood windows, handled updates). Telegram is the local
Bot API stand-in; the webhook calls it would make are made here, retried until answered, as
Telegram does.

Used by the replica test (tests/e2e/test_replicas.py) and its benchmark (scripts/replica_bench.py).
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from app.config import REPO_ROOT, Settings, load_settings
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.ports import free_port

POSTGRES_SERVER = "postgresql+psycopg2://{user}@127.0.0.1:5432/{database}"
POSTGRES_USERS = ("postgres", "root")
REDIS_URL = "redis://127.0.0.1:6379/7"  # a database of its own, emptied before each run
WEBHOOK_SECRET = "replica-webhook-secret-0123456789abcdef"
READY_TIMEOUT = 400.0  # a Rasa server loads its model in about a minute on two busy cores
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


@dataclass
class Replica:
    """One process of the cluster: how to start it, and where it says it is ready."""

    name: str
    command: list[str]
    environment: dict[str, str]
    ready_url: str
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=REPO_ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT
            )

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Cluster:
    """Every process, the balancer, and what the test needs to talk to them."""

    settings: Settings
    replicas: list[Replica]
    webhook_url: str
    monitor_token: str
    database_url: str
    haproxy_environment: dict[str, str] = field(default_factory=dict)
    haproxy: subprocess.Popen[bytes] | None = None
    kills: list[str] = field(default_factory=list)
    killed_at: list[tuple[str, float]] = field(default_factory=list)  # name, time.monotonic()
    rolled_out: list[str] = field(default_factory=list)

    def by_name(self, name: str) -> Replica:
        return next(r for r in self.replicas if r.name == name)

    async def ready(self, replica: Replica, http: httpx.AsyncClient, timeout: float = READY_TIMEOUT) -> None:
        """Wait until the replica answers its readiness check."""
        deadline = time.monotonic() + timeout
        headers = {"Authorization": f"Bearer {self.monitor_token}"}
        while time.monotonic() < deadline:
            if replica.process is not None and replica.process.poll() is not None:
                raise RuntimeError(
                    f"{replica.name} exited with {replica.process.returncode} (see {replica.log})"
                )
            try:
                if (await http.get(replica.ready_url, headers=headers, timeout=3)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)
        raise RuntimeError(f"{replica.name} was not ready after {timeout:.0f} s (see {replica.log})")

    async def roll_out(self, model: Path, http: httpx.AsyncClient) -> None:
        """A new model, one Rasa server at a time: stopped, started on the new model, ready again
        before the next one goes; conversations live in Redis, so none is dropped."""
        for replica in self.replicas:
            if replica.name.startswith("rasa-"):
                await asyncio.to_thread(replica.stop)  # never block the stand-in's loop (Telegram)
                replica.environment["MODEL_PATH"] = str(model)
                replica.start()
                await self.ready(replica, http)
                self.rolled_out.append(replica.name)

    async def chaos(
        self, every: float, stop: asyncio.Event, http: httpx.AsyncClient, seed: int = 17, kills: int = 0
    ) -> None:
        """Kill one process at random, restart it, wait until it is ready, pause; until `stop`, or
        after `kills` kills when given. One failure at a time: a replica covers for one that is down."""
        chooser = random.Random(seed)
        while not stop.is_set() and (not kills or len(self.kills) < kills):
            try:
                await asyncio.wait_for(stop.wait(), timeout=every)
                return
            except asyncio.TimeoutError:
                pass
            victim = chooser.choice(self.replicas)
            self.killed_at.append((victim.name, time.monotonic()))
            await asyncio.to_thread(victim.kill)
            self.kills.append(victim.name)
            victim.start()
            await self.ready(victim, http)


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new PostgreSQL database for one run, dropped afterwards."""
    name = f"replicas_{uuid.uuid4().hex[:12]}"
    for user in POSTGRES_USERS:
        admin = create_engine(
            POSTGRES_SERVER.format(user=user, database="test"), isolation_level="AUTOCOMMIT"
        )
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            break
        except Exception:  # noqa: BLE001 - try the next user
            admin.dispose()
    else:
        raise RuntimeError("no PostgreSQL user could create a database on 127.0.0.1:5432")
    try:
        yield POSTGRES_SERVER.format(user=user, database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def empty_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def cluster_environment(workdir: Path, database_url: str, api: FakeBotAPI) -> dict[str, str]:
    """What every process of the cluster shares."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "RASA_", "ACTIONS_", "ENGINE_", "MONITOR_", "WEBCHAT_", "INBOX_"))
    }
    environment.update(
        INSTANCE_DIR=str(workdir / "instance"),
        LOG_DIR=str(workdir / "logs"),
        DATABASE_URL=database_url,
        CONVERSATION_STORE="redis",
        REDIS_URL=REDIS_URL,
        RASA_TELEMETRY_ENABLED="false",
        ENGINE_TIMEOUT="30",
        DELIVERY_SWEEP_SECONDS="1",
        OUTBOX_LEASE_SECONDS="20",
        FLOOD_MAX_MESSAGES="1000",
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_BASE_URL=api.base_url,
        TELEGRAM_BASE_FILE_URL=api.base_file_url,
        TELEGRAM_BOT_USERNAME="test_bot",
        TELEGRAM_WEBHOOK_URL="https://assistant.example.org/hook",
        TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    return environment


def settings_of(environment: dict[str, str]) -> Settings:
    """The settings the processes will read, without changing this process's environment."""
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(environment)
        return load_settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def build_cluster(workdir: Path, database_url: str, api: FakeBotAPI, count: int) -> Cluster:
    """The processes of `count` replicas of each kind (not started) and the balancer's ports."""
    (workdir / "logs").mkdir(parents=True, exist_ok=True)
    shared = cluster_environment(workdir, database_url, api)
    settings = settings_of(shared)  # makes the instance's secrets once, before any process reads them
    balancer = {"webhook": free_port(), "engine": free_port(), "actions": free_port()}
    python = [sys.executable, "-m", "app"]
    replicas: list[Replica] = []
    for index in range(1, count + 1):
        actions, rasa, webhook, monitor = free_port(), free_port(), free_port(), free_port()
        replicas.append(
            Replica(
                f"actions-{index}",
                [*python, "actions"],
                {**shared, "ACTIONS_PORT": str(actions)},
                f"http://127.0.0.1:{actions}/health/ready",
                workdir / "logs" / f"actions-{index}.out",
            )
        )
        replicas.append(
            Replica(
                f"rasa-{index}",
                [*python, "engine"],
                {
                    **shared,
                    "RASA_PORT": str(rasa),
                    "ACTIONS_URL": f"http://127.0.0.1:{balancer['actions']}/webhook",
                },
                f"http://127.0.0.1:{rasa}/health/ready",
                workdir / "logs" / f"rasa-{index}.out",
            )
        )
        replicas.append(
            Replica(
                f"bot-{index}",
                [*python, "telegram"],
                {
                    **shared,
                    "TELEGRAM_WEBHOOK_PORT": str(webhook),
                    "MONITOR_PORT": str(monitor),
                    "ENGINE_URL": f"http://127.0.0.1:{balancer['engine']}",
                },
                f"http://127.0.0.1:{monitor}/health/ready",
                workdir / "logs" / f"bot-{index}.out",
            )
        )
    cluster = Cluster(
        settings, replicas, f"http://127.0.0.1:{balancer['webhook']}/", settings.monitor_token, database_url
    )
    cluster.haproxy_environment = haproxy_environment(cluster, balancer)
    return cluster


def haproxy_environment(cluster: Cluster, balancer: dict[str, int]) -> dict[str, str]:
    """deploy/haproxy.cfg's variables; with one replica of each, both server lines name it."""

    def replica(kind: str, index: int) -> Replica:
        found = [r for r in cluster.replicas if r.name == f"{kind}-{index}"]
        return found[0] if found else cluster.by_name(f"{kind}-1")

    def address(kind: str, index: int) -> str:
        return replica(kind, index).ready_url.split("/")[2]

    return {
        **os.environ,
        "MONITOR_TOKEN": cluster.monitor_token,
        "WEBHOOK_BIND": f"127.0.0.1:{balancer['webhook']}",
        "ENGINE_BIND": f"127.0.0.1:{balancer['engine']}",
        "ACTIONS_BIND": f"127.0.0.1:{balancer['actions']}",
        "BOT_1": f"127.0.0.1:{replica('bot', 1).environment['TELEGRAM_WEBHOOK_PORT']}",
        "BOT_2": f"127.0.0.1:{replica('bot', 2).environment['TELEGRAM_WEBHOOK_PORT']}",
        "BOT_1_MONITOR_PORT": replica("bot", 1).environment["MONITOR_PORT"],
        "BOT_2_MONITOR_PORT": replica("bot", 2).environment["MONITOR_PORT"],
        "RASA_1": address("rasa", 1),
        "RASA_2": address("rasa", 2),
        "ACTIONS_1": address("actions", 1),
        "ACTIONS_2": address("actions", 2),
    }


async def start_cluster(cluster: Cluster, http: httpx.AsyncClient) -> None:
    """The balancer, then the action servers, the Rasa servers and the bots, each ready in turn."""
    config = REPO_ROOT / "deploy" / "haproxy.cfg"
    environment = cluster.haproxy_environment
    checked = subprocess.run([HAPROXY, "-c", "-q", "-f", str(config)], env=environment, capture_output=True)
    if checked.returncode != 0:
        raise RuntimeError(f"deploy/haproxy.cfg does not check: {checked.stderr.decode()[:500]}")
    log = (cluster.replicas[0].log.parent / "haproxy.out").open("ab")
    cluster.haproxy = subprocess.Popen(
        [HAPROXY, "-db", "-f", str(config)], env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    for kind in ("actions", "rasa", "bot"):
        started = [r for r in cluster.replicas if r.name.startswith(kind)]
        for replica in started:
            replica.start()
        for replica in started:
            await cluster.ready(replica, http)


def stop_cluster(cluster: Cluster) -> None:
    for replica in reversed(cluster.replicas):
        replica.stop()
    if cluster.haproxy is not None:
        cluster.haproxy.terminate()
        cluster.haproxy.wait(timeout=10)


async def post_update(http: httpx.AsyncClient, url: str, update: dict[str, Any], deadline: float) -> int:
    """Deliver an update as Telegram does: again and again until it is acknowledged; the tries."""
    tries = 0
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    while True:
        tries += 1
        try:
            answer = await http.post(url, json=update, headers=headers, timeout=120)
            if answer.status_code == 200:
                return tries
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("an update was never acknowledged")
        await asyncio.sleep(min(0.5 * tries, 5))
