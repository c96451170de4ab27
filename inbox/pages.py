"""The inbox's pages and forms. Every page needs a live session except login and setup; every
form is checked for its token; every view and action of a request goes to the access log."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Awaitable, Callable
from datetime import date

import segno
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from bot.flood import FloodGate, Verdict
from core.i18n import tr
from core.request_counts import count_tables, csv_rows
from core.request_states import OUTCOMES
from inbox import security
from inbox.charts import bar_chart
from inbox.services import InboxServices
from inbox.texts import RESULT_NAMES
from inbox.views import category_label, entry_views, line_view, shared_fields, when
from storage.inbox_accounts import ROLES, AccountError, LoginOutcome
from storage.inbox_sessions import Who

MAX_REPLY = 1000
Page = Callable[[Request], Awaitable[Response]]


class Pages:
    """The request handlers, bound to the services."""

    def __init__(self, services: InboxServices, templates: Jinja2Templates) -> None:
        self.s = services
        self.templates = templates
        self.throttle = FloodGate(security.LOGINS_PER_ADDRESS, security.LOGIN_WINDOW_SECONDS)

    # --- helpers ---------------------------------------------------------------------------

    def render(self, request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
        language = self.s.language
        base = {
            "lang": language,
            "tr": tr,
            "rtl": language == "ar",
            "csrf": request.cookies.get(security.FORM_COOKIE),
        }
        return self.templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    def message(self, request: Request, key: str, status: int, **context: object) -> HTMLResponse:
        """A page that says one thing clearly (an error, a refusal) with a way back."""
        return self.render(request, "message.html", status=status, message_key=key, **context)

    async def who(self, request: Request) -> Who | None:
        token = request.cookies.get(security.SESSION_COOKIE)
        return await asyncio.to_thread(self.s.sessions.check, token) if token else None

    async def form(self, request: Request, who: Who) -> FormData | None:
        """The submitted form if it carries this session's form token."""
        form = await request.form()
        token = request.cookies.get(security.SESSION_COOKIE) or ""
        csrf = form.get("csrf")
        ok = await asyncio.to_thread(self.s.sessions.csrf_ok, token, csrf if isinstance(csrf, str) else None)
        return form if ok else None

    async def log(self, who: Who, action: str, reference: str | None = None) -> None:
        await asyncio.to_thread(self.s.sessions.record, who, action, reference)

    def names(self, who: Who) -> dict[int, str]:
        return {member.account_id: member.name for member in self.s.accounts.members(who.association_id)}

    # --- login, setup, logout --------------------------------------------------------------

    async def login_page(self, request: Request) -> Response:
        if await self.who(request):
            return RedirectResponse("/", 303)
        return self._login_form(request)

    def _login_form(self, request: Request, error: str | None = None, status: int = 200) -> Response:
        token = security.pre_token(request)
        response = self.render(request, "login.html", status=status, pre=token, error=error)
        security.set_cookie(response, security.PRE_COOKIE, token, self.s.secure_cookies)
        return response

    async def login(self, request: Request) -> Response:
        form = await request.form()
        if not security.pre_token_ok(request, _text(form, "pre")):
            return self._login_form(request, "inbox.error.form_expired", 400)
        address = request.client.host if request.client else "?"
        if self.throttle.check(address) is not Verdict.PROCESS:
            return self._login_form(request, "inbox.login.too_many", 429)
        attempt = await asyncio.to_thread(
            self.s.accounts.login, _text(form, "login"), _text(form, "password"), _text(form, "code")
        )
        if attempt.outcome == LoginOutcome.LOCKED:
            return self._login_form(request, "inbox.login.locked", 403)
        if attempt.outcome != LoginOutcome.ACCEPTED or attempt.account_id is None:
            return self._login_form(request, "inbox.login.refused", 401)
        opened = await asyncio.to_thread(self.s.sessions.open, attempt.account_id)
        who = Who(attempt.account_id, attempt.association_id or "", attempt.role or "")
        await self.log(who, "login")
        response = RedirectResponse("/", 303)
        security.set_cookie(response, security.SESSION_COOKIE, opened.token, self.s.secure_cookies)
        security.set_cookie(response, security.FORM_COOKIE, opened.csrf, self.s.secure_cookies)
        return response

    async def logout(self, request: Request) -> Response:
        who = await self.who(request)
        if who and await self.form(request, who):
            everywhere = request.url.path.endswith("everywhere")
            if everywhere:
                await asyncio.to_thread(self.s.sessions.close_all, who.account_id)
            else:
                await asyncio.to_thread(self.s.sessions.close, request.cookies[security.SESSION_COOKIE])
            await self.log(who, "logout_everywhere" if everywhere else "logout")
        response = RedirectResponse("/login", 303)
        security.clear_cookies(response, self.s.secure_cookies)
        return response

    async def setup_page(self, request: Request) -> Response:
        token = request.path_params["token"]
        try:
            setup = await asyncio.to_thread(self.s.accounts.begin_setup, token)
        except AccountError as error:
            return self.message(request, f"inbox.setup.{error.reason}", 404)
        return self._setup_form(request, setup.secret, setup.provisioning_uri)

    def _setup_form(
        self, request: Request, secret: str, uri: str, error: str | None = None, status: int = 200
    ) -> Response:
        token = security.pre_token(request)
        qr = segno.make(uri, error="m").svg_inline(scale=4, title=None)
        response = self.render(
            request, "setup.html", status=status, pre=token, secret=secret, uri=uri, qr=qr, error=error
        )
        security.set_cookie(response, security.PRE_COOKIE, token, self.s.secure_cookies)
        return response

    async def setup(self, request: Request) -> Response:
        token = request.path_params["token"]
        form = await request.form()
        if not security.pre_token_ok(request, _text(form, "pre")):
            return self.message(request, "inbox.error.form_expired", 400)
        password = _text(form, "password")
        if password != _text(form, "password_again"):
            return await self._setup_again(request, token, "inbox.setup.passwords_differ")
        try:
            codes = await asyncio.to_thread(
                self.s.accounts.complete_setup, token, password, _text(form, "code")
            )
        except AccountError as error:
            if error.reason in ("wrong_code", "password_too_short"):
                return await self._setup_again(request, token, f"inbox.setup.{error.reason}")
            return self.message(request, f"inbox.setup.{error.reason}", 400)
        return self.render(request, "recovery.html", codes=codes)

    async def _setup_again(self, request: Request, token: str, error: str) -> Response:
        """The same link, a new secret to scan: the one shown before was never confirmed."""
        try:
            setup = await asyncio.to_thread(self.s.accounts.begin_setup, token)
        except AccountError as failure:
            return self.message(request, f"inbox.setup.{failure.reason}", 400)
        return self._setup_form(request, setup.secret, setup.provisioning_uri, error, 400)

    # --- requests --------------------------------------------------------------------------

    async def request_list(self, request: Request) -> Response:
        who = await self.who(request)
        if who is None:
            return RedirectResponse("/login", 303)
        lines = await asyncio.to_thread(self.s.requests.lines, who)
        names = await asyncio.to_thread(self.names, who)
        today = self.s.clock().date()
        await self.log(who, "list")
        views = [line_view(line, self.s.language, names, today) for line in lines]
        association = self.s.directory.get(who.association_id)
        return self.render(
            request, "list.html", who=who, lines=views, association=association.name if association else ""
        )

    async def request_detail(self, request: Request) -> Response:
        who = await self.who(request)
        if who is None:
            return RedirectResponse("/login", 303)
        reference = request.path_params["reference"]
        detail = await asyncio.to_thread(self.s.requests.detail, reference, who)
        if detail is None:
            return self.message(request, "inbox.error.not_found", 404, who=who)
        await self.log(who, "view", reference)
        names = await asyncio.to_thread(self.names, who)
        language = self.s.language
        return self.render(
            request,
            "detail.html",
            who=who,
            detail=detail,
            line=line_view(detail.line, language, names, self.s.clock().date()),
            fields=[] if detail.erased else shared_fields(detail, language),
            thread=entry_views(detail.thread, language, names),
            notes=entry_views(detail.notes, language, names),
            outcomes=OUTCOMES,
            can_reply=detail.draft.level != "anonymous"
            and detail.line.status.value in ("accepted", "in_contact"),
            flash=_known_result(request.query_params.get("done")),
            max_reply=MAX_REPLY,
        )

    async def request_action(self, request: Request) -> Response:
        who = await self.who(request)
        if who is None:
            return RedirectResponse("/login", 303)
        form = await self.form(request, who)
        if form is None:
            return self.message(request, "inbox.error.form_expired", 400, who=who)
        reference, action = request.path_params["reference"], request.path_params["action"]
        handler = self._actions().get(action)
        if handler is None or not await asyncio.to_thread(self.s.requests.visible, reference, who):
            return self.message(request, "inbox.error.not_found", 404, who=who)
        outcome = await handler(who, reference, form)
        await self.log(who, _LOGGED.get(action, action), reference)
        return RedirectResponse(f"/requests/{reference}?done={outcome}", 303)

    def _actions(self) -> dict[str, Callable[[Who, str, FormData], Awaitable[str]]]:
        return {
            "accept": self._accept,
            "decline": self._decline,
            "contact": self._contact,
            "reply": self._reply,
            "note": self._note,
            "next-contact": self._next_contact,
            "close": self._close,
        }

    def _actor(self, who: Who) -> str:
        return f"inbox:{who.account_id}"

    async def _accept(self, who: Who, reference: str, form: FormData) -> str:
        h = self.s.handovers
        return await asyncio.to_thread(
            h.answer, reference, who.association_id, self._actor(who), True, who.account_id
        )

    async def _decline(self, who: Who, reference: str, form: FormData) -> str:
        h = self.s.handovers
        return await asyncio.to_thread(h.answer, reference, who.association_id, self._actor(who), False)

    async def _contact(self, who: Who, reference: str, form: FormData) -> str:
        done = await asyncio.to_thread(
            self.s.handovers.contact_made, reference, who.association_id, self._actor(who)
        )
        return "in_contact" if done else "late"

    async def _reply(self, who: Who, reference: str, form: FormData) -> str:
        text = _text(form, "text").strip()
        if not text or len(text) > MAX_REPLY:
            return "reply_invalid"
        h = self.s.handovers
        return "reply_" + await asyncio.to_thread(
            h.reply, reference, who.association_id, who.account_id, text
        )

    async def _note(self, who: Who, reference: str, form: FormData) -> str:
        r = self.s.requests
        added = await asyncio.to_thread(r.add_note, reference, who, _text(form, "text"))
        return "note_added" if added else "note_refused"

    async def _next_contact(self, who: Who, reference: str, form: FormData) -> str:
        raw = _text(form, "date").strip()
        try:
            chosen = date.fromisoformat(raw) if raw else None
        except ValueError:
            return "date_invalid"
        r = self.s.requests
        done = await asyncio.to_thread(r.set_next_contact, reference, who, chosen)
        return "date_set" if done else "late"

    async def _close(self, who: Who, reference: str, form: FormData) -> str:
        outcome = _text(form, "outcome")
        if outcome not in OUTCOMES:
            return "outcome_missing"
        h = self.s.handovers
        closed = await asyncio.to_thread(h.close, reference, who.association_id, self._actor(who), outcome)
        return "closed" if closed else "late"

    # --- counts ----------------------------------------------------------------------------

    async def counts(self, request: Request) -> Response:
        who = await self.who(request)
        if who is None:
            return RedirectResponse("/login", 303)
        tables = count_tables(await asyncio.to_thread(self.s.requests.count_records, who.association_id))
        await self.log(who, "counts")
        language = self.s.language
        labels = {
            t.dimension: [category_label(t.dimension, c, language) for c in t.categories] for t in tables
        }
        drawn = {
            t.dimension
            for t in tables
            if any(v is not None for _, row in t.months for v in row.cells.values())
        }
        return self.render(request, "counts.html", who=who, tables=tables, labels=labels, drawn=drawn)

    async def counts_csv(self, request: Request) -> Response:
        who = await self.who(request)
        if who is None:
            return RedirectResponse("/login", 303)
        tables = count_tables(await asyncio.to_thread(self.s.requests.count_records, who.association_id))
        await self.log(who, "export")
        output = io.StringIO()
        csv.writer(output).writerows(csv_rows(tables))
        disposition = f'attachment; filename="counts-{who.association_id}.csv"'
        return Response(output.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": disposition})  # fmt: skip

    async def counts_chart(self, request: Request) -> Response:
        who = await self.who(request)
        if who is None:
            return Response(status_code=403)
        dimension = request.path_params["dimension"]
        tables = count_tables(await asyncio.to_thread(self.s.requests.count_records, who.association_id))
        table = next((t for t in tables if t.dimension == dimension), None)
        if table is None:
            return await self.not_found(request, LookupError(dimension))
        language = self.s.language
        title = tr(language, f"inbox.counts.by.{dimension}")
        svg = await asyncio.to_thread(
            bar_chart, table, lambda c: category_label(dimension, c, language), title
        )
        return Response(svg, media_type="image/svg+xml")

    # --- the coordinator's pages -----------------------------------------------------------

    async def access_log(self, request: Request) -> Response:
        who = await self.who(request)
        if who is None:
            return RedirectResponse("/login", 303)
        if who.role != "coordinator":
            return self.message(request, "inbox.error.coordinators_only", 403, who=who)
        entries = await asyncio.to_thread(self.s.sessions.access_log, who.association_id)
        names = await asyncio.to_thread(self.names, who)
        await self.log(who, "access_log")
        language = self.s.language
        rows = [
            (
                when(e.at),
                names.get(e.account_id, "?"),
                tr(language, f"inbox.logged.{e.action}"),
                e.reference or "",
            )
            for e in entries
        ]
        return self.render(request, "access_log.html", who=who, rows=rows)

    async def members_page(
        self, request: Request, new_link: str | None = None, error: str | None = None
    ) -> Response:
        who = await self.who(request)
        if who is None:
            return RedirectResponse("/login", 303)
        if who.role != "coordinator":
            return self.message(request, "inbox.error.coordinators_only", 403, who=who)
        members = await asyncio.to_thread(self.s.accounts.members, who.association_id)
        waiting = await asyncio.to_thread(self.s.directory.group_waiting, who.association_id)
        confirmed = await asyncio.to_thread(self.s.directory.group_of, who.association_id)
        await self.log(who, "members")
        return self.render(
            request,
            "members.html",
            who=who,
            members=members,
            roles=ROLES,
            group_waiting=waiting,
            group_confirmed=confirmed is not None,
            new_link=new_link,
            error=error,
            base_url=str(request.base_url).rstrip("/"),
        )

    async def members_action(self, request: Request) -> Response:
        who = await self.who(request)
        if who is None:
            return RedirectResponse("/login", 303)
        form = await self.form(request, who)
        if form is None or who.role != "coordinator":
            return self.message(request, "inbox.error.coordinators_only", 403, who=who)
        action = request.path_params["action"]
        if action == "add":
            try:
                token = await asyncio.to_thread(
                    self.s.accounts.create, who.association_id, _text(form, "role"), _text(form, "login"),
                    _text(form, "name"),
                )  # fmt: skip
            except AccountError as error:
                return await self.members_page(request, error=f"inbox.members.error.{error.reason}")
            await self.log(who, "add_member")
            return await self.members_page(request, new_link=token)
        if action in ("group-confirm", "group-refuse"):
            confirm = action == "group-confirm"
            await asyncio.to_thread(
                self.s.directory.confirm_group, who.association_id, confirm, self._actor(who)
            )
            await self.log(who, "group_confirmed" if confirm else "group_refused")
            return RedirectResponse("/members", 303)
        return await self._member_account_action(request, who, action, form)

    async def _member_account_action(
        self, request: Request, who: Who, action: str, form: FormData
    ) -> Response:
        try:
            account_id = int(_text(form, "account"))
        except ValueError:
            return self.message(request, "inbox.error.not_found", 404, who=who)
        if await asyncio.to_thread(self.s.accounts.association_of, account_id) != who.association_id:
            return self.message(request, "inbox.error.not_found", 404, who=who)
        if action == "unlock":
            await asyncio.to_thread(self.s.accounts.unlock, account_id)
            await self.log(who, "unlock")
            return RedirectResponse("/members", 303)
        if action == "new-link":
            token = await asyncio.to_thread(self.s.accounts.new_setup_link, account_id)
            await asyncio.to_thread(self.s.sessions.close_all, account_id)
            await self.log(who, "new_link")
            return await self.members_page(request, new_link=token)
        return self.message(request, "inbox.error.not_found", 404, who=who)

    async def not_found(self, request: Request, exc: Exception) -> Response:
        return self.message(request, "inbox.error.not_found", 404)

    async def server_error(self, request: Request, exc: Exception) -> Response:
        return self.message(request, "inbox.error.server", 500)


_LOGGED = {"contact": "in_contact", "next-contact": "next_contact"}


def _known_result(name: str | None) -> str | None:
    """Only a result the inbox itself names is shown (the address can be edited by hand)."""
    return name if name in RESULT_NAMES else None


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
