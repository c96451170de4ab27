"""The bot is the only client of Rasa, and Rasa the only client of the action server (audit M1, M8)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest

from app.runtime import build_stores
from bot.engine import EngineClient
from rasa_components import auth

WRONG = "w" * 64
METADATA = {"channel": "test", "client_language": "fr", "detected_language": None, "guessed_language": None}


def secret_variants(header: str) -> list[tuple[str, dict[str, str], int]]:
    """No secret, a wrong one, and the right one in a query string instead of the header."""
    return [("missing", {}, 401), ("wrong", {header: WRONG}, 403), ("in the URL only", {}, 401)]


@pytest.fixture
async def http():
    async with httpx.AsyncClient(timeout=20) as client:
        yield client


async def existed(settings, http: httpx.AsyncClient, sender: str) -> bool:
    """Whether the engine held a conversation for `sender` (the bot's "forget" says, and removes it)."""
    response = await http.post(
        f"{settings.rasa_url}/webhooks/bot/forget",
        json={"sender": sender},
        headers={auth.ENGINE_SECRET_HEADER: settings.rasa_token},
    )
    response.raise_for_status()
    return response.json()["existed"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/webhooks/bot/webhook"), ("POST", "/webhooks/bot/forget"), ("GET", "/webhooks/bot/health"),
     ("GET", "/"), ("GET", "/status"), ("GET", "/conversations/x/tracker"), ("PUT", "/model"),
     ("POST", "/webhooks/rest/webhook")],
)  # fmt: skip
async def test_rasa_refuses_every_route_without_the_secret(settings, engine, http, method, path):
    sender = uuid.uuid4().hex
    body = {"sender": sender, "message": "bonjour", "metadata": METADATA}
    for case, headers, status in secret_variants(auth.ENGINE_SECRET_HEADER):
        params = {"token": settings.rasa_token} if case == "in the URL only" else None
        url = settings.rasa_url + path
        response = await http.request(method, url, json=body, headers=headers, params=params)
        assert (response.status_code, response.content) == (status, b""), case
    assert not await existed(settings, http, sender)  # nothing was created


async def test_rasa_has_no_http_api_even_with_the_secret(settings, engine, http):
    headers = {auth.ENGINE_SECRET_HEADER: settings.rasa_token}
    for method, path in (("GET", "/status"), ("GET", "/conversations/x/tracker"), ("PUT", "/model")):
        response = await http.request(method, settings.rasa_url + path, headers=headers)
        assert response.status_code in (404, 405), path


async def test_the_bot_channel_answers_as_the_rest_channel_did(settings, engine, http):
    body = {"sender": uuid.uuid4().hex, "message": "bonjour", "metadata": METADATA}
    headers = {auth.ENGINE_SECRET_HEADER: settings.rasa_token}
    response = await http.post(f"{settings.rasa_url}/webhooks/bot/webhook", json=body, headers=headers)
    replies = response.json()
    assert response.status_code == 200 and isinstance(replies, list) and replies
    assert replies[0]["recipient_id"] == body["sender"] and "custom" in replies[0]


async def test_forget_removes_the_conversation_from_the_tracker_store(settings, engine, http):
    client = EngineClient(settings.rasa_url, settings.rasa_token, timeout=20)
    sender = uuid.uuid4().hex
    try:
        assert await client.send(sender, "je dors dehors ce soir", METADATA, "fr")
        assert await client.forget(sender) is True
    finally:
        await client.close()
    assert not await existed(settings, http, sender)  # truly removed, not an empty event list


async def test_the_health_check_proves_the_secret_and_the_model(settings, engine):
    right = EngineClient(settings.rasa_url, settings.rasa_token, timeout=20)
    wrong = EngineClient(settings.rasa_url, WRONG, timeout=20)
    try:
        expected = {"reachable": True, "status": 200, "proven": True, "model_loaded": True}
        assert await right.health() == expected
        assert await right.is_ready()
        assert (await wrong.health())["status"] == 403 and not await wrong.is_ready()
        assert not await wrong.forget(uuid.uuid4().hex)
    finally:
        await right.close()
        await wrong.close()


@pytest.mark.parametrize(("method", "path"), [("GET", "/health"), ("GET", "/actions"), ("POST", "/webhook")])
async def test_the_action_server_refuses_every_route_without_its_secret(settings, engine, http, method, path):
    url = f"http://127.0.0.1:{settings.actions_port}{path}"
    for case, headers, status in secret_variants(auth.ACTIONS_SECRET_HEADER):
        params = {"token": settings.actions_secret} if case == "in the URL only" else None
        response = await http.request(method, url, headers=headers, params=params, json={})
        assert (response.status_code, response.content) == (status, b""), case
    # Rasa's own secret is not the action server's
    response = await http.request(method, url, headers={auth.ACTIONS_SECRET_HEADER: settings.rasa_token})
    assert response.status_code == 403


def forged_submit(pseudonym: str, departement: str, alias: str) -> dict:
    """The audit's M1 reproduction: a handover request posted straight to the action server."""
    slots = {
        "language": "en", "ho_nonce": uuid.uuid4().hex, "ho_association": "ccem", "ho_level": "contact",
        "ho_departement": departement, "ho_form": "sexual", "ho_minor": "yes", "ho_alias": alias,
        "ho_contact": "telegram", "ho_times": "any",
    }  # fmt: skip
    tracker = {
        "sender_id": pseudonym, "slots": slots, "events": [],
        "latest_message": {"text": "/handover_confirm", "metadata": {}}, "paused": False,
        "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
    }  # fmt: skip
    return {"next_action": "action_handover_submit", "sender_id": pseudonym, "tracker": tracker, "domain": {}}


async def test_a_forged_handover_submit_is_refused_and_creates_nothing(settings, engine, http):
    stores = build_stores(settings)
    url = f"http://127.0.0.1:{settings.actions_port}/webhook"
    pseudonym = uuid.uuid4().hex
    wrong_secrets = (WRONG, settings.rasa_token)  # Rasa's own secret is not the action server's
    for headers in ({}, *({auth.ACTIONS_SECRET_HEADER: wrong} for wrong in wrong_secrets)):
        response = await http.post(url, json=forged_submit(pseudonym, "999", "A" * 3000), headers=headers)
        assert response.status_code in (401, 403) and response.content == b""
    assert stores.handovers.requests_of(pseudonym) == []
    # Control: the same call from Rasa (with the secret) does create a request, so the refusal matters.
    control = uuid.uuid4().hex
    headers = {auth.ACTIONS_SECRET_HEADER: settings.actions_secret}
    response = await http.post(url, json=forged_submit(control, "13", "Sam"), headers=headers)
    assert response.status_code == 200
    assert len(stores.handovers.requests_of(control)) == 1


def environment_of(pid: int) -> dict[str, str]:
    """The environment a process was started with."""
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def test_the_children_run_without_telemetry_and_with_their_own_secrets_only(settings, engine):
    if not engine.pids:
        pytest.skip("the engine was already running: not started by this test session")
    engine_env, actions_env = environment_of(engine.pids["engine"]), environment_of(engine.pids["actions"])
    for env in (engine_env, actions_env):
        assert env["RASA_TELEMETRY_ENABLED"] == "false"
        assert not {"TELEGRAM_BOT_TOKEN", "TEST_RASA_PORT", "PYTEST_CURRENT_TEST"} & env.keys()
    assert engine_env["RASA_TOKEN"] == settings.rasa_token and "DATA_KEY" not in engine_env
    assert actions_env["DATA_KEY"] == settings.data_key and "RASA_TOKEN" not in actions_env


async def test_a_repeated_turn_gets_the_same_answers_and_is_not_processed_twice(settings, engine):
    """Telegram delivers an update again when its first delivery was not acknowledged (a bot
    instance killed mid-turn): the engine answers the repeat from what it answered, instead of
    taking the safety answer a second time and losing the question kept behind it."""
    from core import payloads

    client = EngineClient(settings.rasa_url, settings.rasa_token, timeout=20)
    sender = uuid.uuid4().hex
    asking = "si je porte plainte, on me paiera mes heures ?"
    try:
        await client.send(sender, asking, {**METADATA, "turn_key": "telegram-1:0"}, "fr")
        safe = payloads.safety_answer("safe")
        repeated = {**METADATA, "turn_key": "telegram-2:0"}
        # Both at once, as when a balancer retries on another replica while the first still works.
        first, again = await asyncio.gather(
            client.send(sender, safe, repeated, "fr"), client.send(sender, safe, repeated, "fr")
        )
        # Its request was never asked (the bot gave up waiting): the person taps again.
        retapped = await client.send(sender, safe, {**METADATA, "turn_key": "telegram-3:0"}, "fr")
        request = next((screen.then for screen in retapped if screen.then), None)
        answer = await client.send(sender, str(request), {**METADATA, "turn_key": "telegram-3:1"}, "fr")
        fresh = await client.send(sender, safe, {**METADATA, "turn_key": "telegram-4:0"}, "fr")
    finally:
        await client.close()
    assert any(screen.then for screen in first), "the safety answer brings back the kept request"
    assert [(s.text, s.then) for s in again] == [(s.text, s.then) for s in first]
    assert request == next(screen.then for screen in first), "kept until it is answered"
    assert answer[0].intent and str(request).startswith(f"/{answer[0].intent}"), "the question answered"
    assert not any(screen.then for screen in fresh), "answered: the request is used up"
