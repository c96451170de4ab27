"""The inbox over HTTP: login with a second factor, sessions, form tokens, roles, isolation between
associations, every action on a request, the access log and the protective headers."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace

import pyotp
from sqlalchemy import text

from core.handover import Draft
from inbox.security import FORM_COOKIE, PRE_COOKIE, SESSION_COOKIE
from tests.support.inbox import PASSWORD, ready_account
from tests.support.inbox_client import PRE_TOKEN, InboxClient, shown

ALIAS, PHONE, CODE_PHRASE, MESSAGE = "Zéphyrine", "+33 6 12 34 56 78", "blue heron", "he keeps my passport"


def new_request(stores, association: str = "ccem", level: str = "contact") -> str:
    draft = Draft(
        association, level, "ro", "13", form="domestic", needs=("shelter",), alias=ALIAS, contact="phone",
        phone=PHONE, code=CODE_PHRASE, message=MESSAGE,
    )  # fmt: skip
    return stores.handovers.create("p" * 32, draft, uuid.uuid4().hex).reference


async def logged_in(browser: InboxClient, account, clock) -> None:
    response = await browser.login(account, account.code(clock))
    assert response.status_code == 200 and str(response.url).endswith("/")


async def test_every_response_carries_the_protective_headers(browser):
    for path in ("/login", "/static/inbox.css", "/no-such-page", "/requests/ABCDEF"):
        response = await browser.http.get(path)
        headers = response.headers
        assert "script-src" not in headers["content-security-policy"], "no script may run"
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["cache-control"] == "no-store" and headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert (await browser.http.get("/no-such-page")).status_code == 404


async def test_pages_need_a_session(browser):
    for path in ("/", "/requests/ABCDEF", "/access-log", "/members"):
        response = await browser.http.get(path)
        assert str(response.url).endswith("/login"), path


async def test_setup_link_qr_code_wrong_code_then_recovery_codes_once(services, browser, clock):
    token = services.accounts.create("ccem", "member", "new@ccem", "Nouvelle")
    page = await browser.http.get(f"/setup/{token}")
    assert page.status_code == 200 and "<svg" in page.text and "<script" not in page.text
    secret = re.search(r'<code id="secret">([A-Z2-7]+)</code>', page.text).group(1)
    pre = PRE_TOKEN.search(page.text).group(1)
    wrong = await browser.http.post(
        f"/setup/{token}",
        data={"pre": pre, "password": PASSWORD, "password_again": PASSWORD, "code": "000000"},
    )
    assert wrong.status_code == 400 and shown("inbox.setup.wrong_code") in wrong.text
    secret = re.search(r'<code id="secret">([A-Z2-7]+)</code>', wrong.text).group(1)  # a new one to scan
    short = await browser.http.post(
        f"/setup/{token}", data={"pre": pre, "password": "short", "password_again": "short", "code": "1"}
    )
    assert shown("inbox.setup.password_too_short") in short.text
    secret = re.search(r'<code id="secret">([A-Z2-7]+)</code>', short.text).group(1)
    done = await browser.http.post(
        f"/setup/{token}",
        data={
            "pre": pre,
            "password": PASSWORD,
            "password_again": PASSWORD,
            "code": pyotp.TOTP(secret).at(clock()),
        },
    )
    codes = re.findall(r"<li><code>([^<]+)</code></li>", done.text)
    assert done.status_code == 200 and len(codes) == 10
    again = await browser.http.get(f"/setup/{token}")
    assert again.status_code == 404 and shown("inbox.setup.link_unknown_or_used") in again.text


async def test_login_refusals_lock_out_and_the_limit_per_address(services, browser, coordinator, clock):
    page = await browser.http.get("/login")
    pre = PRE_TOKEN.search(page.text).group(1)
    no_token = await browser.http.post("/login", data={"login": coordinator.login, "password": PASSWORD})
    assert no_token.status_code == 400, "a login form without its token is refused"
    for attempt in range(10):
        wrong = await browser.http.post(
            "/login", data={"pre": pre, "login": coordinator.login, "password": "wrong", "code": "123456"}
        )
        expected = 403 if attempt == 9 else 401
        assert wrong.status_code == expected, attempt
    assert shown("inbox.login.locked") in wrong.text
    limited = await browser.http.post(
        "/login",
        data={"pre": pre, "login": coordinator.login, "password": PASSWORD, "code": coordinator.code(clock)},
    )
    assert limited.status_code == 429 and shown("inbox.login.too_many") in limited.text
    assert SESSION_COOKIE not in browser.http.cookies


async def test_session_and_form_cookies_are_http_only_and_strict(services, coordinator, clock):
    for secure in (False, True):
        base = "https://inbox.example" if secure else "http://127.0.0.1"  # Secure cookies need https
        async with InboxClient(replace(services, secure_cookies=secure), base) as client:
            page = await client.http.get("/login")
            pre = PRE_TOKEN.search(page.text).group(1)
            clock.advance(seconds=30)
            response = await client.http.post(
                "/login",
                data={
                    "pre": pre,
                    "login": coordinator.login,
                    "password": PASSWORD,
                    "code": coordinator.code(clock),
                },
                follow_redirects=False,
            )
            cookies = response.headers.get_list("set-cookie")
            assert {c.split("=")[0] for c in cookies} == {SESSION_COOKIE, FORM_COOKIE}
            for cookie in cookies:
                assert "HttpOnly" in cookie and "SameSite=strict" in cookie
                assert ("Secure" in cookie) is secure
            assert PRE_COOKIE in page.headers.get("set-cookie", "")


async def test_a_request_from_arrival_to_closing(services, stores, browser, coordinator, clock):
    reference = new_request(stores)
    await logged_in(browser, coordinator, clock)
    listed = await browser.http.get("/")
    assert reference in listed.text and ALIAS not in listed.text and PHONE not in listed.text
    detail = await browser.http.get(f"/requests/{reference}")
    for field in (ALIAS, PHONE, CODE_PHRASE, MESSAGE):
        assert field in detail.text, "the consented fields, on the detail page only"

    assert shown("inbox.done.accepted") in (await browser.act(reference, "accept")).text
    assert shown("inbox.done.in_contact") in (await browser.act(reference, "contact")).text
    assert shown("inbox.done.note_added") in (await browser.act(reference, "note", text="called her")).text
    dated = await browser.act(reference, "next-contact", date=clock().date().isoformat())
    assert shown("inbox.done.date_set") in dated.text
    assert (
        shown("inbox.done.date_invalid") in (await browser.act(reference, "next-contact", date="31/02")).text
    )
    reminder = shown("inbox.list.reminder", date=clock().strftime("%d/%m/%Y"))
    assert reminder in (await browser.http.get("/")).text
    replied = await browser.act(reference, "reply", text="Nous pouvons vous voir mardi")
    assert shown("inbox.done.reply_queued") in replied.text
    assert shown("inbox.done.reply_invalid") in (await browser.act(reference, "reply", text="  ")).text
    assert shown("inbox.done.outcome_missing") in (await browser.act(reference, "close", outcome="")).text
    closed = await browser.act(reference, "close", outcome="supported")
    assert shown("inbox.done.closed") in closed.text and shown("inbox.outcome.supported") in closed.text
    assert shown("inbox.done.late") in (await browser.act(reference, "accept")).text

    with stores.db.connect() as connection:
        to_person = connection.execute(
            text("SELECT count(*) FROM outbox WHERE target = 'person' AND kind = 'relay'")
        ).scalar_one()
        log = connection.execute(text("SELECT action, reference FROM inbox_access_log ORDER BY id")).all()
        raw = " ".join(str(row) for row in connection.execute(text("SELECT * FROM inbox_access_log")))
    assert to_person == 1, "the answer goes to the person through the outbox"
    actions = [action for action, _ in log]
    assert actions[:2] == ["login", "list"] and {"view", "accept", "in_contact", "note", "next_contact",
                                                  "reply", "close"} <= set(actions)  # fmt: skip
    assert not any(secret in raw for secret in (ALIAS, PHONE, CODE_PHRASE, "mardi", "called her"))


async def test_retention_erases_fields_messages_and_notes(services, stores, browser, coordinator, clock):
    reference = new_request(stores)
    await logged_in(browser, coordinator, clock)
    await browser.act(reference, "accept")
    await browser.act(reference, "note", text="called her")
    await browser.act(reference, "reply", text="Nous pouvons vous voir mardi")
    await browser.act(reference, "close", outcome="referred")
    clock.advance(days=31)
    assert stores.handovers.apply_retention() == 1
    await logged_in(browser, coordinator, clock)
    page = await browser.http.get(f"/requests/{reference}")
    assert shown("inbox.detail.erased") in page.text
    assert not any(secret in page.text for secret in (ALIAS, PHONE, "called her", "mardi"))
    with stores.db.connect() as connection:
        left = [
            connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("relay_messages", "inbox_notes")
        ]
    assert left == [0, 0]


async def test_no_association_sees_anothers_requests(services, stores, browser, coordinator, clock):
    theirs = new_request(stores, association="amicale_du_nid")
    await logged_in(browser, coordinator, clock)
    assert theirs not in (await browser.http.get("/")).text
    page = await browser.http.get(f"/requests/{theirs}")
    assert page.status_code == 404 and ALIAS not in page.text
    await browser.act(theirs, "accept")
    assert stores.handovers.requests_of("p" * 32)[0].status == "waiting", "nothing changed"


async def test_a_form_without_its_token_changes_nothing(services, stores, browser, coordinator, clock):
    reference = new_request(stores)
    await logged_in(browser, coordinator, clock)
    forged = await browser.http.post(f"/requests/{reference}/accept", data={"csrf": "forged"})
    assert forged.status_code == 400 and shown("inbox.error.form_expired") in forged.text
    assert stores.handovers.requests_of("p" * 32)[0].status == "waiting"


async def test_members_cannot_open_the_coordinators_pages(services, browser, clock):
    member = ready_account(services.accounts, "ccem", login="member@ccem", role="member", clock=clock)
    clock.advance(seconds=30)
    await logged_in(browser, member, clock)
    for path in ("/access-log", "/members"):
        page = await browser.http.get(path)
        assert page.status_code == 403 and shown("inbox.error.coordinators_only") in page.text
    added = await browser.post("/members/add", name="X", login="x@ccem", role="member")
    assert added.status_code == 403 and services.accounts.account_id_of("x@ccem") is None


async def test_a_coordinator_adds_a_member_confirms_a_group_and_reads_the_log(
    services, stores, browser, coordinator, clock
):
    await logged_in(browser, coordinator, clock)
    added = await browser.post("/members/add", name="Camille", login="camille@ccem", role="member")
    link = re.search(r'<code id="setup-link">[^<]*/setup/([^<]+)</code>', added.text)
    assert link and "Camille" in added.text
    assert services.accounts.begin_setup(link.group(1)).account_id == services.accounts.account_id_of(
        "camille@ccem"
    )
    taken = await browser.post("/members/add", name="Other", login="camille@ccem", role="member")
    assert shown("inbox.members.error.login_taken") in taken.text

    stores.directory.enroll(stores.directory.new_enrollment_code("ccem"), -100900, "someone")
    assert shown("inbox.group.waiting") in (await browser.http.get("/members")).text
    confirmed = await browser.post("/members/group-confirm")
    assert shown("inbox.group.confirmed") in confirmed.text and stores.directory.group_of("ccem") == -100900

    log = await browser.http.get("/access-log")
    body = log.text.split("<tbody>")[1]
    assert shown("inbox.logged.add_member") in body and shown("inbox.logged.group_confirmed") in body
    assert "Camille" not in body, "the log names who acted, not whom it was about"


async def test_idle_sessions_end_and_logout_everywhere_ends_every_device(
    services, browser, coordinator, clock
):
    await logged_in(browser, coordinator, clock)
    async with InboxClient(services) as other:
        clock.advance(seconds=30)
        await logged_in(other, coordinator, clock)
        assert (await other.http.get("/")).status_code == 200
        await browser.post("/logout-everywhere")
        assert str((await other.http.get("/")).url).endswith("/login"), "the other device is logged out"
    clock.advance(seconds=30)
    await logged_in(browser, coordinator, clock)
    clock.advance(minutes=31)
    assert str((await browser.http.get("/")).url).endswith("/login"), "30 idle minutes end a session"


async def test_a_result_the_inbox_did_not_name_is_not_shown(stores, browser, coordinator, clock):
    reference = new_request(stores)
    await logged_in(browser, coordinator, clock)
    page = await browser.http.get(f"/requests/{reference}?done=<b>hello</b>")
    assert page.status_code == 200 and "hello" not in page.text


async def test_a_member_sees_new_requests_and_their_own_a_coordinator_sees_all(
    services, stores, browser, coordinator, clock
):
    first = ready_account(services.accounts, "ccem", login="first@ccem", role="member", clock=clock)
    second = ready_account(services.accounts, "ccem", login="second@ccem", role="member", clock=clock)
    clock.advance(seconds=30)
    reference = new_request(stores)
    await logged_in(browser, first, clock)
    assert reference in (await browser.http.get("/")).text, "a new request is every member's to take"
    await browser.act(reference, "accept")
    async with InboxClient(services) as other:
        await other.login(second, second.recovery_codes.pop())
        assert reference not in (await other.http.get("/")).text, "held by a colleague"
        page = await other.http.get(f"/requests/{reference}")
        assert page.status_code == 404 and ALIAS not in page.text
        refused = await other.act(reference, "reply", text="hello")
        assert refused.status_code == 404
    async with InboxClient(services) as lead:
        await lead.login(coordinator, coordinator.recovery_codes.pop())
        assert ALIAS in (await lead.http.get(f"/requests/{reference}")).text, "a coordinator sees them all"
    with stores.db.connect() as connection:
        relays = connection.execute(text("SELECT count(*) FROM relay_messages")).scalar_one()
    assert relays == 0


def test_every_logged_action_has_its_words():
    from inbox.texts import LOGGED
    from storage.inbox_sessions import ACTIONS

    assert {name.removeprefix("inbox.logged.") for name in LOGGED} == set(ACTIONS)
