"""The association inbox driven over HTTP in-process (no browser): what a member's browser sends,
cookies and form tokens included."""

from __future__ import annotations

import re
from types import TracebackType

import httpx
from markupsafe import escape

from app.config import Settings
from core.i18n import tr
from inbox.app import create_app
from inbox.security import FORM_COOKIE
from inbox.services import InboxServices
from storage.stores import Stores
from tests.support.inbox import FAST_HASHER, Account

PRE_TOKEN = re.compile(r'name="pre" value="([^"]+)"')
HEALTH_SECRET = "inbox-health-secret-for-the-tests-0123456789"


def services_for(stores: Stores, settings: Settings) -> InboxServices:
    """The inbox over a process's stores (fast password hashing for the tests)."""
    from core.keyed_hash import KeyedHasher

    hasher = KeyedHasher(settings.pseudonym_key)
    language = settings.association_language
    return InboxServices.from_stores(
        stores, settings.data_key, hasher, language, False, password_hasher=FAST_HASHER
    )


def shown(msgid: str, language: str = "fr", **values: object) -> str:
    """A catalog text as it appears in the page's HTML (escaped)."""
    return str(escape(tr(language, msgid, **values)))


class InboxClient:
    """One member's browser on the inbox."""

    def __init__(self, services: InboxServices, base_url: str = "http://127.0.0.1") -> None:
        self.services = services
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(services, HEALTH_SECRET)),
            base_url=base_url,
            follow_redirects=True,
        )

    async def __aenter__(self) -> InboxClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.http.aclose()

    async def login(self, account: Account, code: str | None = None) -> httpx.Response:
        """Log in with the password and a code: by default one of the recovery codes, because the
        app's code of this half-minute was spent by the setup (a code works once)."""
        page = await self.http.get("/login")
        pre = PRE_TOKEN.search(page.text)
        assert pre, "the login form carries its token"
        second = code or account.recovery_codes.pop()
        form = {"pre": pre.group(1), "login": account.login, "password": account.password, "code": second}
        return await self.http.post("/login", data=form)

    async def post(self, path: str, **fields: str) -> httpx.Response:
        """Submit a form of a logged-in page, with this session's form token."""
        return await self.http.post(path, data={"csrf": self.http.cookies.get(FORM_COOKIE, ""), **fields})

    async def act(self, reference: str, action: str, **fields: str) -> httpx.Response:
        """One action on a request (accept, decline, contact, reply, note, next-contact, close)."""
        return await self.post(f"/requests/{reference}/{action}", **fields)
