"""The web chat's HTTP side: one page, a script of our own, and a small JSON API on the turn
pipeline. Nothing is left in the browser: no cookie, no storage, `no-store` on every response; the
conversation's token lives in the page's memory and is sent in request bodies, never in an address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from json import JSONDecodeError
from pathlib import Path
from typing import Any

import jinja2
import segno
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.flood import FloodGate, Verdict
from bot.turn.inputs import Incoming, Person
from bot.turn.pipeline import TurnPipeline
from core import payloads
from core.common_screens import emergency_text, slow_down
from core.handoff_link import parse_parameter, web_link
from core.i18n import N_, tr
from core.languages import SUPPORTED
from monitoring.http import RequestMetrics
from rasa_components import auth
from web.health import health_check
from web.protection import ProtectiveHeaders
from webchat.channel import CHANNEL, RIGHT_TO_LEFT, WebChannel, screen_record
from webchat.headers import HEADERS, new_token

HERE = Path(__file__).resolve().parent
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
MAX_TEXT = 4000
LABELS = ("exit", "send", "input", "privacy", "offline")
# The page's words, named here so that extraction finds them (`labels` builds the ids).
TEXTS = (
    N_("webchat.exit"), N_("webchat.send"), N_("webchat.input"), N_("webchat.privacy"),
    N_("webchat.offline"), N_("webchat.noscript"),
)  # fmt: skip


@dataclass(frozen=True)
class WebChatSettings:
    """What the page shows before any conversation, and where the exit leads."""

    title: str = "Infos pratiques"  # neutral: the tab and the history show it
    exit_url: str = "about:blank"
    address_limit: int = 60  # requests per minute from one address
    default_language: str = "fr"


def labels(language: str) -> dict[str, str]:
    """The page's own words in a language (the exit button, the input, the privacy note)."""
    return {name: tr(language, f"webchat.{name}") for name in LABELS}


def page_language(header: str, default: str) -> str:
    """The first supported language of the browser's Accept-Language header."""
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in SUPPORTED:
            return code
    return default


class WebChat:
    """The request handlers, around one pipeline and one web channel."""

    def __init__(self, pipeline: TurnPipeline, channel: WebChannel, settings: WebChatSettings) -> None:
        self.pipeline = pipeline
        self.channel = channel
        self.settings = settings
        self.addresses = FloodGate(settings.address_limit, 60)
        loader = jinja2.FileSystemLoader(str(HERE / "templates"))
        self.templates = Jinja2Templates(env=jinja2.Environment(loader=loader, autoescape=True))

    async def page(self, request: Request) -> Response:
        language = page_language(request.headers.get("accept-language", ""), self.settings.default_language)
        context = {
            "lang": language,
            "dir": "rtl" if language in RIGHT_TO_LEFT else "ltr",
            "title": self.settings.title,
            "exit_url": self.settings.exit_url,
            "labels": labels(language),
            "numbers": emergency_text(language),
            "noscript": tr(language, "webchat.noscript"),
        }
        return self.templates.TemplateResponse(request, "chat.html", context)

    async def qr_code(self, request: Request) -> Response:
        """The QR code of a hand-off link to this web chat (language and association, nothing more)."""
        parameter = request.path_params["parameter"]
        if parse_parameter(parameter) is None or not self.channel.link_base:
            return PlainTextResponse("", status_code=404)
        svg = segno.make(web_link(self.channel.link_base, parameter), error="m").svg_inline(
            scale=6, title=None
        )
        return Response(svg, media_type="image/svg+xml")

    async def start(self, request: Request) -> Response:
        """A new conversation: a random token, kept by the page in memory only."""
        return JSONResponse({"token": new_token()})

    async def message(self, request: Request) -> Response:
        """A typed text or a pressed button; the answer holds what the pipeline showed."""
        body, token, refusal = await self._checked(request)
        if refusal is not None:
            return refusal
        payload, text = body.get("payload"), body.get("text")
        button = isinstance(payload, str) and bool(payload)
        content = payload if button else text if isinstance(text, str) else ""
        language = body.get("language") if body.get("language") in SUPPORTED else None
        person = Person(CHANNEL, token, client_language=language)
        await self.pipeline.handle(
            Incoming(person, token, str(content)[:MAX_TEXT], button=button), self.channel
        )
        return self._answer(token)

    async def poll(self, request: Request) -> Response:
        """What arrived since (an association's words, deletions by auto-erase)."""
        _, token, refusal = await self._checked(request)
        return refusal if refusal is not None else self._answer(token)

    async def leave(self, request: Request) -> Response:
        """Quick exit: the conversation is erased here and forgotten; the page is already gone."""
        _, token, refusal = await self._checked(request)
        if refusal is not None:
            return refusal
        person = Person(CHANNEL, token)
        await self.pipeline.handle(Incoming(person, token, payloads.ERASE, button=True), self.channel)
        self.channel.forget(token)
        return JSONResponse({"erased": True}, headers={"clear-site-data": '"cache", "cookies", "storage"'})

    def _answer(self, token: str) -> Response:
        taken = self.channel.take(token)
        messages = taken["messages"]
        language = messages[-1]["language"] if messages else self.settings.default_language
        return JSONResponse(
            {**taken, "labels": labels(language), "dir": "rtl" if language in RIGHT_TO_LEFT else "ltr"}
        )

    async def _checked(self, request: Request) -> tuple[dict[str, Any], str, Response | None]:
        """The JSON body and its token, or the answer to give instead (never silence)."""
        address = request.client.host if request.client else "?"
        if self.addresses.check(address) is not Verdict.PROCESS:
            screen = slow_down(self.settings.default_language)
            return (
                {},
                "",
                JSONResponse({"messages": [screen_record(0, screen)], "deleted": []}, status_code=429),
            )
        try:
            body = await request.json()
        except (JSONDecodeError, UnicodeDecodeError, ValueError):
            body = None
        token = body.get("token") if isinstance(body, dict) else None
        if not isinstance(body, dict) or not isinstance(token, str) or not TOKEN.match(token):
            error = tr(self.settings.default_language, "webchat.offline")
            return {}, "", JSONResponse({"error": error, "messages": [], "deleted": []}, status_code=400)
        return body, token, None


def create_app(chat: WebChat, health_secret: str, monitor: Sequence[BaseRoute] = ()) -> Starlette:
    """The web chat application (`monitor`: health and metrics routes)."""
    routes = [
        Route("/", chat.page),
        Route("/health", health_check(health_secret, auth.WEBCHAT_SECRET_HEADER)),
        Route("/api/start", chat.start, methods=["POST"]),
        Route("/qr/{parameter}.svg", chat.qr_code),
        Route("/api/message", chat.message, methods=["POST"]),
        Route("/api/poll", chat.poll, methods=["POST"]),
        Route("/api/exit", chat.leave, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        *monitor,
    ]
    middleware = [
        Middleware(RequestMetrics, name="webchat"),
        Middleware(ProtectiveHeaders, headers=HEADERS, no_cookies=True),
    ]
    return Starlette(routes=routes, middleware=middleware)
