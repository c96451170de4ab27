"""The association inbox in a real browser (Debian's Chromium), served by its real process: a
coordinator sets up the account from the one-time link (QR code, second factor, recovery codes),
logs in, opens a request, accepts it, writes to the person, notes, closes; the browser keeps
nothing readable by a script and loads nothing from elsewhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pyotp
from playwright.async_api import Browser, Page, expect

from app.config import REPO_ROOT
from core.handover import Draft
from core.i18n import tr
from inbox.security import FORM_COOKIE, SESSION_COOKIE

# Pictures for docs/screenshots are refreshed with SCREENSHOTS_DIR=docs/screenshots; else kept aside.
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or Path(tempfile.gettempdir()) / "inbox-screenshots")
PASSWORD = "a long and private passphrase"
ALIAS, PHONE = "Ioana", "+33 6 12 34 56 78"


def cli(settings, *args: str) -> str:
    """`python -m app …` with this module's settings, as an administrator would run it."""
    env = {
        "PATH": "/usr/bin:/bin",
        "INSTANCE_DIR": str(settings.instance_dir),
        "DATABASE_URL": settings.database_url,
        "PSEUDONYM_KEY": settings.pseudonym_key,
        "DATA_KEY": settings.data_key,
        "INBOX_PORT": str(settings.inbox_port),
        "LOG_DIR": str(settings.log_dir),
        "RASA_TELEMETRY_ENABLED": "false",
    }
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


async def snapshot(page: Page, name: str) -> None:
    """Keep a picture of the page (test values only, no one's data)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def test_a_coordinator_sets_up_logs_in_and_follows_a_request(
    browser: Browser, inbox_server, inbox_settings, inbox_stores
):
    printed = cli(inbox_settings, "inbox", "add", "ccem", "claire@ccem", "--name", "Claire")
    link = re.search(r"(http://\S+/setup/\S+)", printed).group(1)
    context = await browser.new_context(viewport={"width": 1000, "height": 900})
    page = await context.new_page()
    foreign: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(inbox_server) else foreign.append(request.url),
    )
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    # The one-time link: a QR code drawn in the page, the key in words, then the first code.
    await page.goto(link)
    await expect(page.locator(".qr svg")).to_be_visible()
    await snapshot(page, "inbox-setup")
    secret = await page.locator("#secret").inner_text()
    await page.fill("#password", PASSWORD)
    await page.fill("#password_again", PASSWORD)
    await page.fill("#code", pyotp.TOTP(secret).now())
    await page.click("button[type=submit]")
    codes = await page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10

    # A request arrives (as the bot stores it), then the coordinator logs in with a recovery code.
    draft = Draft("ccem", "contact", "ro", "13", form="labour", alias=ALIAS, contact="phone", phone=PHONE)
    reference = inbox_stores.handovers.create("b" * 32, draft, uuid.uuid4().hex).reference
    await page.click("a.button")
    await page.fill("#login", "claire@ccem")
    await page.fill("#password", PASSWORD)
    await page.fill("#code", codes[0])
    await page.click("form[action='/login'] button")
    await expect(page.locator("h1")).to_contain_text(tr("fr", "inbox.list.heading", name="")[:10])
    await expect(page.locator(f"a[href='/requests/{reference}']")).to_be_visible()
    assert ALIAS not in (await page.content()), "the list shows no personal field"
    await snapshot(page, "inbox-list")

    await page.click(f"a[href='/requests/{reference}']")
    await expect(page.locator("#fields")).to_contain_text(ALIAS)
    await expect(page.locator("#fields")).to_contain_text(PHONE)
    await page.click(f"form[action='/requests/{reference}/accept'] button")
    await expect(page.locator(".flash")).to_have_text(tr("fr", "inbox.done.accepted"))
    await page.fill("#reply", "Nous pouvons vous rencontrer mardi.")
    await page.click(f"form[action='/requests/{reference}/reply'] button")
    await expect(page.locator(".flash")).to_have_text(tr("fr", "inbox.done.reply_queued"))
    await expect(page.locator("#thread")).to_contain_text("mardi")
    await page.fill("#note", "Premier appel prévu.")
    await page.click(f"form[action='/requests/{reference}/note'] button")
    await expect(page.locator("#notes")).to_contain_text("Premier appel")
    await snapshot(page, "inbox-request")
    await page.select_option("#outcome", "supported")
    await page.click(f"form[action='/requests/{reference}/close'] button")
    await expect(page.locator("#status")).to_contain_text(tr("fr", "inbox.outcome.supported"))

    # Nothing a script could read, nothing from elsewhere, no error in the console.
    cookies = {cookie["name"]: cookie for cookie in (await context.cookies())}
    for name in (SESSION_COOKIE, FORM_COOKIE):
        assert cookies[name]["httpOnly"] and cookies[name]["sameSite"] == "Strict"
    assert await page.evaluate("document.cookie") == "", "the session cookies are out of any script's reach"
    assert await page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert foreign == [] and errors == []

    # The coordinator's access log: who did what on which request, no personal detail.
    await page.click("a[href='/access-log']")
    log = await page.locator("#access-log").inner_text()
    acted = (tr("fr", "inbox.logged.accept"), tr("fr", "inbox.logged.view"))
    assert reference in log and all(action in log for action in acted) and "Claire" in log
    assert ALIAS not in log and PHONE not in log and "mardi" not in log

    # The counts: tables and charts drawn on the server, within the same policy.
    for form, count in (("labour", 9), ("sexual", 6)):
        for _ in range(count):
            many = Draft("ccem", "anonymous", "bg", "75", form=form)
            inbox_stores.handovers.create("m" * 32, many, uuid.uuid4().hex)
    await page.click("a[href='/counts']")
    await page.wait_for_load_state("load")  # images included: the charts are drawn on request
    chart = page.locator("img.chart").first
    await expect(chart).to_be_visible()
    assert await chart.evaluate("image => image.complete && image.naturalWidth > 0")
    assert foreign == [] and errors == []
    await snapshot(page, "inbox-counts")

    # Logging out, then Back, does not show the request again.
    await page.click("form[action='/logout'] button")
    await expect(page).to_have_url(f"{inbox_server}/login")
    await page.go_back()
    assert ALIAS not in (await page.content())
    await context.close()
