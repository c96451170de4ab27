"""The web chat over HTTP, on the real turn pipeline with an engine stand-in: headers, no cookie,
tokens only in bodies, answers to bad input and floods, danger first, quick exit that forgets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text

from app.webchat_server import web_runtime
from bot.flood import FloodGate
from bot.turn.inputs import Person
from core.i18n import tr
from core.screens import Screen
from tests.support.fake_engine import FakeEngine
from tests.support.pipeline import local_settings
from webchat.app import create_app
from webchat.channel import screen_record

SECRET = "webchat-health-secret-for-the-tests-0123456789"
HELLO = {"custom": Screen("Bonjour, je peux vous aider.", "fr", intent="greet").to_payload()}


@pytest.fixture
async def engine_stand_in() -> AsyncIterator[FakeEngine]:
    async with FakeEngine(replies=[HELLO]) as engine:
        yield engine


@pytest.fixture
async def web(settings, tmp_path, engine_stand_in) -> AsyncIterator[tuple[httpx.AsyncClient, object]]:
    local = local_settings(settings, tmp_path, engine_stand_in.url)
    runtime, chat = web_runtime(local)
    runtime.start_background()
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(chat, SECRET)), base_url="http://t"
    )
    try:
        yield client, runtime
    finally:
        await client.aclose()
        await runtime.stop_background()


async def start(client: httpx.AsyncClient) -> str:
    return (await client.post("/api/start", json={})).json()["token"]


async def test_the_page_is_neutral_leaves_nothing_and_says_what_the_browser_keeps(web):
    client, _ = web
    page = await client.get("/", headers={"accept-language": "ro-RO,ro;q=0.9"})
    assert page.status_code == 200 and "<title>Infos pratiques</title>" in page.text
    assert 'lang="ro"' in page.text and tr("ro", "webchat.exit") in page.text
    assert tr("ro", "webchat.privacy")[:20] in page.text and "112" in page.text, "no-script fallback"
    for response in (page, await client.get("/static/chat.js"), await client.post("/api/start", json={})):
        headers = response.headers
        assert "set-cookie" not in headers
        assert headers["cache-control"] == "no-store" and headers["referrer-policy"] == "no-referrer"
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy and "unsafe" not in policy
    arabic = await client.get("/", headers={"accept-language": "ar"})
    assert 'dir="rtl"' in arabic.text


async def test_a_conversation_goes_through_the_pipeline_with_the_token_in_the_body(web, engine_stand_in):
    client, _ = web
    token = await start(client)
    assert len(token) >= 40
    answer = (await client.post("/api/message", json={"token": token, "text": "bonjour"})).json()
    assert [m["text"] for m in answer["messages"]] == ["Bonjour, je peux vous aider."]
    assert answer["labels"]["exit"] == tr("fr", "webchat.exit") and answer["dir"] == "ltr"
    assert engine_stand_in.received[-1]["message"] == "bonjour"
    assert token not in str(engine_stand_in.received[-1]), "the engine sees a pseudonym, never the token"
    assert (await client.post("/api/poll", json={"token": token})).json()["messages"] == []


async def test_bad_input_gets_a_clear_answer_never_a_crash(web):
    client, _ = web
    for body in (b"not json", b"[]", b'{"token": "short"}', b'{"text": "hello"}'):
        response = await client.post(
            "/api/message", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400 and response.json()["error"] == tr("fr", "webchat.offline")
    token = await start(client)
    long = await client.post("/api/message", json={"token": token, "text": "x" * 50_000})
    assert long.status_code == 200 and long.json()["messages"]


async def test_danger_comes_first_even_without_the_engine(web, engine_stand_in):
    client, _ = web
    engine_stand_in.status = 500
    token = await start(client)
    answer = (await client.post("/api/message", json={"token": token, "text": "help he will kill me"})).json()
    shown = " ".join(m["text"] for m in answer["messages"])
    assert "112" in shown and "114" in shown


async def test_the_engine_down_brings_the_static_fallback_with_the_numbers(web, engine_stand_in):
    client, _ = web
    engine_stand_in.status = 500
    token = await start(client)
    answer = (await client.post("/api/message", json={"token": token, "text": "bonjour"})).json()
    assert any("112" in m["text"] for m in answer["messages"])


async def test_quick_exit_erases_and_the_server_forgets(web, engine_stand_in):
    client, runtime = web
    token = await start(client)
    await client.post("/api/message", json={"token": token, "text": "bonjour"})
    pseudonym = runtime.pipeline.pseudonym(Person("web", token))
    await runtime.pipeline.idle(pseudonym)
    with runtime.stores.db.connect() as connection:
        before = connection.execute(
            text("SELECT count(*) FROM message_ledger WHERE pseudonym = :p"), {"p": pseudonym}
        )
        assert before.scalar_one() > 0
    left = await client.post("/api/exit", json={"token": token})
    assert left.json() == {"erased": True} and "storage" in left.headers["clear-site-data"]
    await runtime.pipeline.idle(pseudonym)
    await asyncio.sleep(0.2)
    with runtime.stores.db.connect() as connection:
        after = connection.execute(
            text("SELECT count(*) FROM message_ledger WHERE pseudonym = :p"), {"p": pseudonym}
        )
        assert after.scalar_one() == 0
    assert pseudonym in engine_stand_in.forgotten
    assert not runtime.channels["web"].known(token), "no screen of it waits on the server"


async def test_an_address_that_floods_is_answered_not_ignored(settings, tmp_path, engine_stand_in):
    local = local_settings(settings, tmp_path, engine_stand_in.url)
    _, chat = web_runtime(local)
    chat.addresses = FloodGate(3, 60)  # three requests a minute from one address
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(chat, SECRET)), base_url="http://t"
    ) as client:
        token = await start(client)
        answers = [
            await client.post("/api/message", json={"token": token, "text": "bonjour"}) for _ in range(5)
        ]
    assert [a.status_code for a in answers][-2:] == [429, 429]
    assert answers[-1].json()["messages"][0]["text"] == tr("fr", "flood.slow_down")


async def test_a_hand_off_link_opens_the_web_chat_and_its_qr_code_is_served(web):
    client, runtime = web
    channel = runtime.channels["web"]
    channel.link_base = "https://chat.example"
    record = screen_record(7, Screen("Show this to the person", "en", handoff="h-en-ccem"), channel.link_base)
    assert record["handoff"] == {"url": "https://chat.example/#h-en-ccem", "qr": "/qr/h-en-ccem.svg"}
    code = await client.get("/qr/h-en-ccem.svg")
    assert code.status_code == 200 and code.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in code.text and "<script" not in code.text
    for bad in ("h-xx-ccem", "0612345678", "h-en-CCEM"):
        assert (await client.get(f"/qr/{bad}.svg")).status_code == 404


async def test_health_and_metrics_need_the_token_and_count_the_turns(settings, tmp_path, engine_stand_in):
    from app.readiness import database_answers
    from monitoring.http import starlette_routes

    local = local_settings(settings, tmp_path, engine_stand_in.url)
    runtime, chat = web_runtime(local)
    checks = {"database": database_answers(runtime.stores.db)}
    app = create_app(chat, SECRET, starlette_routes(local.monitor_token, checks))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/health/ready")).status_code == 401
        token = await start(client)
        await client.post("/api/message", json={"token": token, "text": "my secret words"})
        headers = {"Authorization": f"Bearer {local.monitor_token}"}
        ready = await client.get("/health/ready", headers=headers)
        metrics = (await client.get("/metrics", headers=headers)).text
    assert ready.json()["checks"] == {"database": True}
    assert 'assistant_turns_total{channel="web",input="words",outcome="answered"}' in metrics
    assert 'route="/api/message"' in metrics and "secret words" not in metrics and token not in metrics
    await runtime.stop_background()
