"""The web chat in a real browser (Debian's Chromium), on the real engine and model, served by its
real process: conversations in Romanian, French and Arabic with buttons, danger first, quick exit
that leaves nothing and forgets, the page without the engine, and WCAG 2.1 AA checked by axe-core."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, expect
from sqlalchemy import create_engine, text

from app.runtime import build_stores
from core import payloads
from core.i18n import tr
from core.keyed_hash import KeyedHasher
from core.payloads import make as payload
from tests.browser.test_inbox_browser import snapshot
from tests.support.inbox import make_reachable

PHONE = {"width": 390, "height": 844}
PARTNER = "ccem"  # one the conversation tests make reachable too: the shared database stays as they expect
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


async def open_chat(browser: Browser, url: str, locale: str) -> tuple[BrowserContext, Page, str]:
    """A phone-sized window on the chat; the conversation's token, read from the network."""
    context = await browser.new_context(viewport=PHONE, locale=locale)
    page = await context.new_page()
    async with page.expect_response("**/api/start") as started:
        await page.goto(url)
    token = (await (await started.value).json())["token"]
    await expect(page.locator("#log li.bot").first).to_be_visible(timeout=30_000)
    return context, page, token


async def bot_count(page: Page) -> int:
    return await page.locator("#log li.bot").count()


async def say(page: Page, words: str) -> None:
    """Type and send, then wait for the assistant's answer."""
    before = await bot_count(page)
    await page.fill("#text", words)
    await page.press("#text", "Enter")
    await page.locator("#log li.bot").nth(before).wait_for(timeout=30_000)  # no eval: the policy forbids it
    await page.wait_for_timeout(300)  # a turn may show more than one screen


def ledger_rows(settings, token: str) -> int:
    """What the server keeps of a conversation (its message ids for erasure)."""
    pseudonym = KeyedHasher(settings.pseudonym_key).pseudonym("web", token)
    database = create_engine(settings.database_url)
    with database.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM message_ledger WHERE pseudonym = :p"), {"p": pseudonym}
        ).scalar_one()
    database.dispose()
    return int(count)


async def accessibility_problems(page: Page) -> list[str]:
    """WCAG 2.1 A and AA violations that axe-core finds on the page as it is now."""
    await page.evaluate(AXE.read_text(encoding="utf-8"))
    result = await page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [f"{v['id']}: {v['help']}" for v in result["violations"]]


async def test_tried_as_a_new_user_romanian_then_the_exit_button(browser: Browser, webchat):
    """The issue's walk-through: a phone-sized window, choose Română, "nu am unde sa dorm", exit."""
    context, page, token = await open_chat(browser, webchat.webchat_url, "fr-FR")
    await press(page, payloads.choose_language("ro"))
    assert await page.locator("#exit").inner_text() == tr("ro", "webchat.exit")
    await say(page, "nu am unde sa dorm")
    last = page.locator("#log li.bot").last
    assert await last.get_attribute("lang") == "ro", "answered in Romanian"
    assert ledger_rows(webchat, token) > 0
    assert await page.evaluate("document.cookie") == ""
    assert await page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert await page.evaluate("indexedDB.databases().then(found => found.length)") == 0
    assert await page.evaluate("navigator.serviceWorker.getRegistrations().then(found => found.length)") == 0

    await page.click("#exit")
    await page.wait_for_url("about:blank")
    await page.go_back()
    assert "127.0.0.1" not in page.url, "Back does not return to the chat"
    state = await context.storage_state()
    assert state["cookies"] == [] and state["origins"] == [], "the browser keeps nothing from the site"
    await page.wait_for_timeout(1500)  # the server finishes erasing
    assert ledger_rows(webchat, token) == 0, "the server has forgotten the conversation"
    await context.close()


async def test_french_with_buttons_and_danger_first(browser: Browser, webchat):
    context, page, _ = await open_chat(browser, webchat.webchat_url, "fr-FR")
    first_button = page.locator("#log li.bot .buttons button").first
    await expect(first_button).to_be_visible()
    before = await bot_count(page)
    await first_button.click()
    await page.locator("#log li.bot").nth(before).wait_for(timeout=30_000)  # no eval: the policy forbids it
    await say(page, "il va me tuer")
    shown = await page.locator("#log").inner_text()
    assert "112" in shown and "114" in shown
    await snapshot(page, "webchat-danger")
    assert await accessibility_problems(page) == []
    await page.keyboard.press("Escape")  # the keyboard shortcut of the quick exit
    await page.wait_for_url("about:blank")
    await context.close()


async def test_arabic_reads_right_to_left(browser: Browser, webchat):
    context, page, _ = await open_chat(browser, webchat.webchat_url, "ar")
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    await say(page, "ليس لدي مكان أنام فيه")
    last = page.locator("#log li.bot").last
    assert await last.get_attribute("dir") == "rtl" and await last.get_attribute("lang") == "ar"
    assert await page.locator("#exit").inner_text() == tr("ar", "webchat.exit")
    await snapshot(page, "webchat-arabic")
    assert await accessibility_problems(page) == []
    await context.close()


async def test_a_workers_hand_off_link_opens_the_chat_in_the_persons_language(browser: Browser, webchat):
    context, page, _ = await open_chat(browser, f"{webchat.webchat_url}/#h-en-ccem", "fr-FR")
    assert await page.evaluate("window.location.hash") == "", "the parameter leaves the address bar"
    assert await page.locator("#log li.bot").first.get_attribute("lang") == "en"
    await context.close()


async def test_without_the_engine_the_page_still_gives_the_numbers(browser: Browser, webchat_without_engine):
    context, page, _ = await open_chat(browser, webchat_without_engine.webchat_url, "fr-FR")
    shown = await page.locator("#log").inner_text()
    assert "112" in shown and "114" in shown, "the static fallback, never silence"
    await context.close()


async def press(page: Page, payload: str) -> None:
    """Press the newest button carrying this payload, then wait for the answer."""
    before = await bot_count(page)
    await page.locator(f"#log li.bot button[data-payload='{payload}']").last.click()
    await page.locator("#log li.bot").nth(before).wait_for(timeout=30_000)
    await page.wait_for_timeout(300)


async def test_a_handover_from_the_web_chat_reaches_the_inbox_and_the_answer_comes_back(
    browser: Browser, webchat
):
    stores = build_stores(webchat)
    make_reachable(stores, webchat.data_key, KeyedHasher(webchat.pseudonym_key), PARTNER)
    context, page, token = await open_chat(browser, webchat.webchat_url, "en-GB")
    await say(page, "I want to talk to an association in Marseille, I work without being paid")
    await press(page, payloads.safety_answer("safe"))
    for step in ("no", PARTNER, "confidential"):
        await press(page, payload("handover_answer", v=step))
    await say(page, "Sam")
    await press(page, payload("handover_answer", v="any"))
    await press(page, payload("handover_skip"))  # no code phrase
    await press(page, payload("handover_needs_done"))
    await press(page, payload("handover_skip"))  # no message: the consent screen
    await press(page, payload("handover_confirm"))
    pseudonym = KeyedHasher(webchat.pseudonym_key).pseudonym("web", token)
    (request,) = stores.handovers.requests_of(pseudonym)
    assert request.association_id == PARTNER, "the request is in the association's inbox"

    assert (
        stores.handovers.answer(request.reference, PARTNER, "inbox:1", accept=True, account_id=1)
        == "accepted"
    )
    assert stores.handovers.reply(request.reference, PARTNER, 1, "We can meet on Tuesday") == "queued"
    await expect(page.locator("#log")).to_contain_text("We can meet on Tuesday", timeout=30_000)
    await page.click("#exit")
    await page.wait_for_url("about:blank")
    await context.close()
    stores.db.dispose()


async def test_worker_mode_works_in_the_web_chat(browser: Browser, webchat):
    context, page, _ = await open_chat(browser, webchat.webchat_url, "fr-FR")
    await press(page, payloads.choose_language("fr"))
    await press(page, payloads.PROFESSIONAL)
    shown = page.locator("#log li.bot").last.locator("button")
    offered = [await shown.nth(i).get_attribute("data-payload") for i in range(await shown.count())]
    assert sum(payload.startswith("/worker") for payload in offered) >= 4, "the worker's profiles"
    await context.close()
