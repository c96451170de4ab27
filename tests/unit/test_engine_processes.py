"""Children's environment, Rasa telemetry in every entry point, restart budget, engine client."""

from __future__ import annotations

import os

import pytest

from app import cli
from app.config import REPO_ROOT
from app.processes import MAX_RESTARTS, RESTART_WINDOW, RestartBudget, child_environment
from app.training import training_environment, training_files
from bot.engine import EngineClient
from rasa_components import auth
from tests.support.fake_engine import FakeEngine

SECRET = "s" * 40


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def with_secrets_around(monkeypatch):
    """A parent environment holding what children must not inherit."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:telegram-token")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "webhook-secret")
    monkeypatch.setenv("UNRELATED_SECRET", "unrelated")
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "true")


@pytest.mark.parametrize("role", ["engine", "actions"])
def test_children_get_a_minimal_environment(settings, with_secrets_around, role):
    env = child_environment(settings, role)
    assert not [name for name in env if name.startswith("TELEGRAM") or name == "UNRELATED_SECRET"]
    assert "telegram-token" not in str(env)
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert env["RASA_PORT"] == str(settings.rasa_port) and env["ACTIONS_SECRET"] == settings.actions_secret


def test_each_child_gets_only_its_own_secrets(settings):
    engine, actions = child_environment(settings, "engine"), child_environment(settings, "actions")
    assert engine["RASA_TOKEN"] == settings.rasa_token
    assert not {"DATA_KEY", "PSEUDONYM_KEY", "DATABASE_URL"} & engine.keys()
    assert (actions["DATA_KEY"], actions["PSEUDONYM_KEY"]) == (settings.data_key, settings.pseudonym_key)
    assert not {"RASA_TOKEN", "MODEL_PATH"} & actions.keys()


def test_the_engine_alone_gets_the_meaning_vector_settings(settings, monkeypatch):
    monkeypatch.setenv("SENTENCE_VECTORS", "off")
    monkeypatch.setenv("SENTENCE_VECTOR_THREADS", "2")
    engine, actions = child_environment(settings, "engine"), child_environment(settings, "actions")
    assert (engine["SENTENCE_VECTORS"], engine["SENTENCE_VECTOR_THREADS"]) == ("off", "2")
    assert not {"SENTENCE_VECTORS", "SENTENCE_VECTOR_THREADS"} & actions.keys()


def test_the_training_subprocess_runs_without_telemetry(with_secrets_around):
    assert training_environment()["RASA_TELEMETRY_ENABLED"] == "false"


def test_the_training_subprocess_reads_the_examples_meaning_on_every_core(with_secrets_around, monkeypatch):
    monkeypatch.delenv("SENTENCE_VECTOR_THREADS", raising=False)
    assert training_environment()["SENTENCE_VECTOR_THREADS"] == str(os.cpu_count() or 1)
    monkeypatch.setenv("SENTENCE_VECTOR_THREADS", "1")
    assert training_environment()["SENTENCE_VECTOR_THREADS"] == "1"  # an operator's choice stands


def test_a_change_in_the_meaning_vectors_or_their_package_trains_the_model_again():
    names = {str(path.relative_to(REPO_ROOT)) for path in training_files()}
    assert {"core/sentence_vectors.py", "requirements/lock.txt"} <= names


def test_every_command_of_the_launcher_runs_without_telemetry_and_private_files(
    monkeypatch, with_secrets_around, tmp_path
):
    seen: dict[str, object] = {}

    def command(settings, args) -> int:
        seen["telemetry"] = os.environ.get("RASA_TELEMETRY_ENABLED")
        seen["umask"] = os.umask(0o077)
        return 0

    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    monkeypatch.setitem(cli.COMMANDS, "train", command)
    previous = os.umask(0o022)
    try:
        assert cli.main(["train"]) == 0
    finally:
        os.umask(previous)
    assert seen == {"telemetry": "false", "umask": 0o077}


def test_the_tests_run_without_telemetry():
    assert os.environ["RASA_TELEMETRY_ENABLED"] == "false"


def test_restarts_wait_longer_each_time_and_stop_when_too_frequent():
    clock = Clock()
    budget = RestartBudget(clock)
    delays = [budget.next_delay() for _ in range(MAX_RESTARTS)]
    assert delays == sorted(delays) and delays[0] < delays[-1]
    assert budget.next_delay() is None  # too many exits in the window: give up
    clock.now = RESTART_WINDOW + 1
    assert budget.next_delay() == delays[0]


async def test_the_engine_client_sends_the_secret_in_a_header_never_in_the_url():
    async with FakeEngine(replies=[{"text": "ok"}], secret=SECRET) as fake:
        client = EngineClient(fake.url, SECRET, timeout=5)
        try:
            assert [s.text for s in await client.send("p", "bonjour", {}, "fr")] == ["ok"]
            assert await client.forget("p") and await client.is_ready()
        finally:
            await client.close()
    assert fake.secrets_seen == [SECRET] * 3 and fake.forgotten == ["p"]


async def test_the_engine_client_refuses_a_server_that_cannot_prove_the_secret():
    async with FakeEngine(secret=None) as fake:  # answers "model loaded" to anyone, with no proof
        client = EngineClient(fake.url, SECRET, timeout=5)
        try:
            health = await client.health()
        finally:
            await client.close()
    assert health["reachable"] and not health["proven"] and not health["model_loaded"]


def test_secrets_are_compared_and_proven_as_expected():
    assert auth.refusal(None, SECRET) == 401 and auth.refusal("x" * 40, SECRET) == 403
    assert auth.refusal(SECRET, SECRET) is None
    challenge = auth.new_challenge()
    assert auth.proves(SECRET, challenge, auth.proof(SECRET, challenge))
    assert not auth.proves(SECRET, challenge, auth.proof("t" * 40, challenge))
