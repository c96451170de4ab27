"""The inbox web application: routes, templates, static files and the protective middleware."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from inbox.pages import Pages
from inbox.security import HEADERS
from inbox.services import InboxServices
from monitoring.http import RequestMetrics
from rasa_components import auth
from web.health import health_check
from web.protection import ProtectiveHeaders

HERE = Path(__file__).resolve().parent


def create_app(services: InboxServices, health_secret: str, monitor: Sequence[BaseRoute] = ()) -> Starlette:
    """The inbox application over the given services (`monitor`: health and metrics routes)."""
    loader = jinja2.FileSystemLoader(str(HERE / "templates"))
    templates = Jinja2Templates(env=jinja2.Environment(loader=loader, autoescape=True))
    pages = Pages(services, templates)
    routes = [
        Route("/", pages.request_list),
        Route("/health", health_check(health_secret, auth.INBOX_SECRET_HEADER)),
        Route("/login", pages.login_page, methods=["GET"]),
        Route("/login", pages.login, methods=["POST"]),
        Route("/logout", pages.logout, methods=["POST"]),
        Route("/logout-everywhere", pages.logout, methods=["POST"]),
        Route("/setup/{token}", pages.setup_page, methods=["GET"]),
        Route("/setup/{token}", pages.setup, methods=["POST"]),
        Route("/requests/{reference}", pages.request_detail, methods=["GET"]),
        Route("/requests/{reference}/{action}", pages.request_action, methods=["POST"]),
        Route("/counts", pages.counts),
        Route("/counts.csv", pages.counts_csv),
        Route("/counts/{dimension}.svg", pages.counts_chart),
        Route("/access-log", pages.access_log),
        Route("/members", pages.members_page, methods=["GET"]),
        Route("/members/{action}", pages.members_action, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        *monitor,
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(RequestMetrics, name="inbox"), Middleware(ProtectiveHeaders, headers=HEADERS)],
        exception_handlers={404: pages.not_found, 405: pages.not_found, 500: pages.server_error},
    )
