"""Local stand-in for the Telegram Bot API, for tests of python-telegram-bot applications."""

from __future__ import annotations

import asyncio
import copy
import inspect
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from typing import Self

JSONDict = dict[str, Any]
Params = dict[str, Any]
ChatId = int | str
Predicate = Callable[[Params], bool]

DEFAULT_TOKEN = "123:TEST"
# Parameters whose value is free text: never turned into bool/int/JSON.
RAW_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "data",
        "callback_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "description",
        "short_description",
        "name",
        "title",
        "query",
        "emoji",
        "address",
        "first_name",
        "last_name",
        "phone_number",
        "question",
        "explanation",
        "payload",
        "file_id",
        "business_connection_id",
        "language_code",
        "parse_mode",
    }
)
# Telegram's update ids grow for a bot across restarts; a fresh stand-in must not reuse them, or
# a repeat of an old update could be taken for a new one (bot/telegram/webhook.py).
_UPDATE_IDS = itertools.count(int(time.time() * 1000) % 1_000_000_000)
_INT_RE = re.compile(r"-?\d+\Z")
_FLOAT_RE = re.compile(r"-?\d+\.\d+\Z")
_SUMMARY_PARAMS_LEN = 300
_SUMMARY_MAX_CALLS = 40


@dataclass
class Call:
    """One recorded Bot API request: the method name as sent, its decoded parameters, and when it
    came (time.monotonic)."""

    method: str
    params: Params
    at: float = field(default_factory=time.monotonic)


@dataclass
class Fault:
    """Answer calls of one method with an error, for a while or a number of times."""

    status: int
    description: str
    retry_after: int | None = None
    until: float | None = None  # time.monotonic() after which the fault stops
    times: int | None = None  # calls left to fail

    def active(self) -> bool:
        """Whether the next call fails."""
        if self.until is not None and time.monotonic() >= self.until:
            return False
        return self.times is None or self.times > 0

    def answer(self) -> web.Response:
        """The error answer, counting one use."""
        if self.times is not None:
            self.times -= 1
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return web.json_response(body, status=self.status)


@dataclass
class UploadedFile:
    """A file uploaded in a multipart request (e.g. ``sendPhoto`` with a local file)."""

    filename: str | None
    content_type: str
    data: bytes


def decode_value(key: str, value: Any) -> Any:
    """Decode one form value the way PTB encoded it (JSON for non-strings)."""
    if isinstance(value, web.FileField):
        return UploadedFile(value.filename, value.content_type, value.file.read())
    if not isinstance(value, str) or key in RAW_STRING_PARAMS:
        return value
    return _decode_text(value)


def _decode_text(value: str) -> Any:
    """Turn 'true'/'false', numbers and JSON objects/arrays into Python values."""
    if value in ("true", "false"):
        return value == "true"
    if _INT_RE.match(value):
        return int(value)
    if _FLOAT_RE.match(value):
        return float(value)
    if value[:1] in ("{", "["):
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        if isinstance(decoded, dict | list):
            return decoded
    return value


async def read_params(request: web.Request) -> Params:
    """Collect query, form, multipart or JSON parameters of a request into a decoded dict."""
    params: Params = {key: decode_value(key, val) for key, val in request.query.items()}
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        params.update(await request.json())
        return params
    form = await request.post()
    params.update({key: decode_value(key, val) for key, val in form.items()})
    return params


def _now() -> int:
    """Current Unix timestamp, as Telegram sends dates."""
    return int(time.time())


def _is_inline_markup(markup: Any) -> bool:
    """Whether a reply_markup is an inline keyboard (the only kind Telegram echoes back)."""
    return isinstance(markup, dict) and "inline_keyboard" in markup


def _short(params: Params) -> str:
    """Compact one-line repr of call parameters for failure messages."""
    text = repr(params)
    if len(text) <= _SUMMARY_PARAMS_LEN:
        return text
    return text[:_SUMMARY_PARAMS_LEN] + "…"


class FakeBotAPI:
    """In-process aiohttp server answering Bot API calls and feeding updates via getUpdates."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "test_bot",
        bot_first_name: str = "Test Bot",
        host: str = "127.0.0.1",
        max_poll_wait: float = 1.0,
    ) -> None:
        """Prepare state; the server only listens after :meth:`start`."""
        self.token = token
        self.host = host
        self.max_poll_wait = max_poll_wait
        self.bot_user: JSONDict = self._make_bot_user(token, bot_username, bot_first_name)
        self.calls: list[Call] = []
        self.files_requested: list[str] = []
        self.updates: list[JSONDict] = []
        self.webhook_url = ""
        self.commands: dict[str, list[JSONDict]] = {}
        self.menu_buttons: dict[str, JSONDict] = {}
        self._pending: list[JSONDict] = []
        self._messages: dict[tuple[ChatId, int], JSONDict] = {}
        self._last_bot_message: dict[ChatId, JSONDict] = {}
        self._message_counters: dict[ChatId, itertools.count[int]] = {}
        self._issued_ids: dict[ChatId, set[int]] = {}
        self._channels: dict[str, JSONDict] = {}
        self._file_paths: dict[str, str] = {}
        self._update_ids = _UPDATE_IDS  # one sequence for every instance, as Telegram's per bot
        self._file_counter = itertools.count(1)
        self._callback_counter = itertools.count(1)
        self._mark = 0
        self._new_update = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._handlers = self._build_handlers()
        self._faults: dict[str, Fault] = {}
        self.failed: list[Call] = []

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start listening on a free port of ``host``."""
        if self._runner is not None:
            raise RuntimeError("FakeBotAPI is already started")
        self._closing = False
        self._runner = web.AppRunner(self._make_app(), shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Wake pending long polls and shut the server down."""
        self._closing = True
        self._wake_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Self:
        """Start the server for an ``async with`` block."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server at the end of an ``async with`` block."""
        await self.stop()

    def _make_app(self) -> web.Application:
        """Create the aiohttp application with the method and file routes."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        return app

    # ------------------------------------------------------------------ URLs

    @property
    def port(self) -> int:
        """Port the server listens on."""
        if self._port is None:
            raise RuntimeError("FakeBotAPI is not started; call `await api.start()` first")
        return self._port

    @property
    def url(self) -> str:
        """Root URL of the server."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Value for PTB's ``base_url`` (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's ``base_file_url`` (PTB appends the token)."""
        return f"{self.url}/file/bot"

    # ------------------------------------------------------------------ HTTP handlers

    async def _handle_method(self, request: web.Request) -> web.Response:
        """Record a Bot API call and answer it."""
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await read_params(request)
        fault = self._faults.get(method.lower())
        if fault is not None and fault.active():
            self.failed.append(Call(method, params))
            return fault.answer()
        self.calls.append(Call(method, params))
        try:
            result = await self._dispatch(method, params)
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            return self._error(400, f"Bad Request: {method} failed in FakeBotAPI ({reason})")
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        """Serve (fake) file content and remember which file was downloaded."""
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        path = request.match_info["path"]
        self.files_requested.append(path)
        return web.Response(body=f"fake content of {path}".encode())

    @staticmethod
    def _error(status: int, description: str) -> web.Response:
        """Bot API style error response."""
        body = {"ok": False, "error_code": status, "description": description}
        return web.json_response(body, status=status)

    async def _dispatch(self, method: str, params: Params) -> Any:
        """Run the handler for ``method`` (case-insensitive), awaiting it if needed."""
        key = method.lower()
        handler = self._handlers.get(key)
        if handler is None:
            handler = self._send_generic if key.startswith("send") else self._true
        result = handler(params)
        if inspect.isawaitable(result):
            result = await result
        return result

    def _build_handlers(self) -> dict[str, Callable[[Params], Any]]:
        """Map lower-cased Bot API method names to their implementations."""
        handlers: dict[str, Callable[[Params], Any]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
            "sendmessage": self._send_message,
            "sendmediagroup": self._send_media_group,
            "copymessage": self._copy_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "deletemessages": self._delete_messages,
            "getfile": self._get_file,
            "getchat": self._get_chat,
        }
        for name in ("answercallbackquery", "sendchataction", "close", "logout"):
            handlers[name] = self._true
        return handlers

    # ------------------------------------------------------------------ method implementations

    @staticmethod
    def _true(params: Params) -> bool:
        """Answer for methods that simply succeed."""
        return True

    def _get_me(self, params: Params) -> JSONDict:
        """getMe: the bot's user."""
        return dict(self.bot_user)

    async def _get_updates(self, params: Params) -> list[JSONDict]:
        """getUpdates: pending updates with update_id >= offset, long-polling at most briefly."""
        offset = params.get("offset")
        self._confirm_updates(offset)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), self.max_poll_wait)
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            updates = self._select_updates(offset, limit)
            remaining = deadline - asyncio.get_running_loop().time()
            if updates or remaining <= 0 or self._closing:
                return updates
            await self._wait_for_update(remaining)

    def _confirm_updates(self, offset: int | None) -> None:
        """Forget updates confirmed by ``offset`` like Telegram does."""
        if offset is None:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
            return
        self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def _select_updates(self, offset: int | None, limit: int) -> list[JSONDict]:
        """Pending updates to hand out for ``offset``."""
        start = offset if offset is not None and offset > 0 else 0
        return [u for u in self._pending if u["update_id"] >= start][:limit]

    async def _wait_for_update(self, timeout: float) -> None:
        """Sleep until a new update is queued or ``timeout`` elapses."""
        waiter = asyncio.ensure_future(self._new_update.wait())
        try:
            await asyncio.wait({waiter}, timeout=timeout)
        finally:
            waiter.cancel()

    def _wake_pollers(self) -> None:
        """Release every getUpdates currently waiting."""
        self._new_update.set()
        self._new_update = asyncio.Event()

    def _set_webhook(self, params: Params) -> bool:
        """setWebhook: remember the URL."""
        self.webhook_url = str(params.get("url", ""))
        self._drop_pending_if_asked(params)
        return True

    def _delete_webhook(self, params: Params) -> bool:
        """deleteWebhook: forget the URL."""
        self.webhook_url = ""
        self._drop_pending_if_asked(params)
        return True

    def _drop_pending_if_asked(self, params: Params) -> None:
        """Honour ``drop_pending_updates``."""
        if params.get("drop_pending_updates"):
            self._pending.clear()

    def _get_webhook_info(self, params: Params) -> JSONDict:
        """getWebhookInfo: current webhook state."""
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    @staticmethod
    def _commands_key(params: Params) -> str:
        """Storage key for a (scope, language_code) pair of setMyCommands."""
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code", "")], sort_keys=True)

    def _set_my_commands(self, params: Params) -> bool:
        """setMyCommands: store the commands for scope/language."""
        self.commands[self._commands_key(params)] = list(params.get("commands") or [])
        return True

    def _get_my_commands(self, params: Params) -> list[JSONDict]:
        """getMyCommands: the commands stored for scope/language."""
        return list(self.commands.get(self._commands_key(params), []))

    def _delete_my_commands(self, params: Params) -> bool:
        """deleteMyCommands: drop the commands for scope/language."""
        self.commands.pop(self._commands_key(params), None)
        return True

    def _set_chat_menu_button(self, params: Params) -> bool:
        """setChatMenuButton: store the button per chat (or default)."""
        button = params.get("menu_button") or {"type": "default"}
        self.menu_buttons[str(params.get("chat_id", ""))] = button
        return True

    def _get_chat_menu_button(self, params: Params) -> JSONDict:
        """getChatMenuButton: the stored button or the default one."""
        chat_key = str(params.get("chat_id", ""))
        return self.menu_buttons.get(chat_key, self.menu_buttons.get("", {"type": "commands"}))

    def _send_message(self, params: Params) -> JSONDict:
        """sendMessage: a full Message with text, entities and inline markup echoed."""
        content: JSONDict = {"text": params.get("text", "")}
        if params.get("entities"):
            content["entities"] = params["entities"]
        return self._bot_message(params, content)

    def _send_generic(self, params: Params) -> JSONDict:
        """Any other send* method: a Message carrying caption and a plausible media payload."""
        content: JSONDict = {}
        if "caption" in params:
            content["caption"] = params["caption"]
        for key in (
            "photo",
            "document",
            "voice",
            "audio",
            "video",
            "animation",
            "sticker",
        ):
            if key in params:
                content.update(self._media_content(key, params))
                break
        if "latitude" in params and "longitude" in params:
            content["location"] = {
                "latitude": params["latitude"],
                "longitude": params["longitude"],
            }
        return self._bot_message(params, content)

    def _send_media_group(self, params: Params) -> list[JSONDict]:
        """sendMediaGroup: one Message per media item, sharing a media_group_id."""
        group_id = str(next(self._file_counter))
        messages = []
        for item in params.get("media") or []:
            content = self._media_content(item.get("type", "document"), item)
            content["media_group_id"] = group_id
            if "caption" in item:
                content["caption"] = item["caption"]
            messages.append(self._bot_message(params, content))
        return messages

    def _copy_message(self, params: Params) -> JSONDict:
        """copyMessage: a new MessageId in the target chat."""
        message = self._bot_message(params, {"text": ""})
        return {"message_id": message["message_id"]}

    def _media_content(self, kind: str, params: Params) -> JSONDict:
        """Minimal Message content for an outgoing media of ``kind``."""
        if kind == "photo":
            return {"photo": self._photo_sizes()}
        if kind == "voice":
            return {"voice": self._voice(int(params.get("duration") or 1))}
        if kind == "sticker":
            return {"sticker": self._sticker("🙂")}
        if kind == "document":
            return {"document": self._document("document.bin", "application/octet-stream")}
        media = {**self._new_file(kind + "s", "mp4"), "duration": 1}
        if kind in ("video", "animation"):
            media.update(width=640, height=360)
        return {kind: media}

    def _edit_message_text(self, params: Params) -> JSONDict | bool:
        """editMessageText: update the stored message (True for inline messages)."""
        if "inline_message_id" in params:
            return True
        message = self._stored_or_stub(params)
        message["text"] = params.get("text", "")
        message.pop("entities", None)
        if params.get("entities"):
            message["entities"] = params["entities"]
        return self._finish_edit(message, params)

    def _edit_message_caption(self, params: Params) -> JSONDict | bool:
        """editMessageCaption: update the stored caption (True for inline messages)."""
        if "inline_message_id" in params:
            return True
        message = self._stored_or_stub(params)
        message["caption"] = params.get("caption", "")
        return self._finish_edit(message, params)

    def _edit_message_reply_markup(self, params: Params) -> JSONDict | bool:
        """editMessageReplyMarkup: update the stored markup (True for inline messages)."""
        if "inline_message_id" in params:
            return True
        return self._finish_edit(self._stored_or_stub(params), params)

    def _finish_edit(self, message: JSONDict, params: Params) -> JSONDict:
        """Apply the new markup and edit date, returning a copy of the edited message."""
        self._apply_markup(message, params.get("reply_markup"))
        message["edit_date"] = _now()
        return copy.deepcopy(message)

    def _delete_message(self, params: Params) -> bool:
        """deleteMessage: drop the stored message."""
        self._forget_message(params["chat_id"], int(params["message_id"]))
        return True

    def _delete_messages(self, params: Params) -> bool:
        """deleteMessages: drop each stored message."""
        for message_id in params.get("message_ids") or []:
            self._forget_message(params["chat_id"], int(message_id))
        return True

    def _get_file(self, params: Params) -> JSONDict:
        """getFile: a File whose file_path is served under /file/."""
        file_id = str(params.get("file_id", ""))
        path = self._file_paths.get(file_id, f"documents/{file_id}")
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": 1024,
            "file_path": path,
        }

    def _get_chat(self, params: Params) -> JSONDict:
        """getChat: a minimal ChatFullInfo."""
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        info = {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }
        return {**self._chat(params["chat_id"]), **info}

    # ------------------------------------------------------------------ message store

    def _next_message_id(self, chat_id: ChatId) -> int:
        """Next message id in a chat (shared by user and bot messages)."""
        counter = self._message_counters.setdefault(chat_id, itertools.count(1))
        message_id = next(counter)
        self._issued_ids.setdefault(chat_id, set()).add(message_id)
        return message_id

    def _new_message(self, chat_id: ChatId, sender: JSONDict, content: JSONDict) -> JSONDict:
        """Create and store a message in ``chat_id``."""
        chat = self._chat(chat_id)
        message = {
            "message_id": self._next_message_id(chat["id"]),
            "from": sender,
            "chat": chat,
            "date": _now(),
            **content,
        }
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    def _bot_message(self, params: Params, content: JSONDict) -> JSONDict:
        """Store a message sent by the bot and return a copy of it."""
        chat_id = self._chat(params["chat_id"])["id"]
        message = self._new_message(chat_id, self._bot_sender(), content)
        self._apply_markup(message, params.get("reply_markup"))
        self._attach_reply(message, params)
        self._last_bot_message[chat_id] = message
        return copy.deepcopy(message)

    def _attach_reply(self, message: JSONDict, params: Params) -> None:
        """Add ``reply_to_message`` when the replied-to message is known."""
        reply = params.get("reply_parameters") or {}
        reply_id = reply.get("message_id") or params.get("reply_to_message_id")
        original = self._messages.get((message["chat"]["id"], reply_id or 0))
        if original is not None:
            reply_to = {k: v for k, v in original.items() if k != "reply_to_message"}
            message["reply_to_message"] = copy.deepcopy(reply_to)

    @staticmethod
    def _apply_markup(message: JSONDict, markup: Any) -> None:
        """Keep an inline keyboard on the message, drop anything else (as Telegram does)."""
        if _is_inline_markup(markup):
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)

    def _stored_or_stub(self, params: Params) -> JSONDict:
        """The stored message addressed by chat_id/message_id, or a plausible bot message."""
        chat_id = self._chat(params["chat_id"])["id"]
        message_id = int(params["message_id"])
        message = self._messages.get((chat_id, message_id))
        if message is None:
            message = self._stub_bot_message(chat_id, message_id)
        return message

    def _stub_bot_message(self, chat_id: ChatId, message_id: int) -> JSONDict:
        """Register a bot message the fake never saw (e.g. sent before the test)."""
        message = {
            "message_id": message_id,
            "from": self._bot_sender(),
            "chat": self._chat(chat_id),
            "date": _now(),
            "text": "",
        }
        self._messages[(chat_id, message_id)] = message
        return message

    def _forget_message(self, chat_id: ChatId, message_id: int) -> None:
        """Remove a message from the store."""
        resolved = self._chat(chat_id)["id"]
        self._messages.pop((resolved, message_id), None)
        last = self._last_bot_message.get(resolved)
        if last is not None and last["message_id"] == message_id:
            del self._last_bot_message[resolved]

    def message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """Current state of a stored message (after edits), or None if unknown/deleted."""
        found = self._messages.get((chat_id, message_id))
        return copy.deepcopy(found) if found is not None else None

    def issued_ids(self, chat_id: int) -> set[int]:
        """Every message id ever used in a chat: the person's and the bot's."""
        return set(self._issued_ids.get(chat_id, set()))

    def remaining_ids(self, chat_id: int) -> set[int]:
        """Ids of the messages still visible in a chat (not deleted)."""
        return {message_id for (chat, message_id) in self._messages if chat == chat_id}

    def last_bot_message(self, chat_id: int) -> JSONDict | None:
        """Current state of the last message the bot sent to ``chat_id``."""
        found = self._last_bot_message.get(chat_id)
        return copy.deepcopy(found) if found is not None else None

    # ------------------------------------------------------------------ users and chats

    @staticmethod
    def _make_bot_user(token: str, username: str, first_name: str) -> JSONDict:
        """The getMe user derived from the token's numeric prefix."""
        prefix = token.split(":", 1)[0]
        return {
            "id": int(prefix) if prefix.isdigit() else 123,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _bot_sender(self) -> JSONDict:
        """The bot as the ``from`` of its messages."""
        keys = ("id", "is_bot", "first_name", "username")
        return {key: self.bot_user[key] for key in keys}

    @staticmethod
    def user(user_id: int, language_code: str = "fr") -> JSONDict:
        """The test user that sends updates."""
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": "Test",
            "language_code": language_code,
        }

    def _chat(self, chat_id: ChatId) -> JSONDict:
        """Chat object for a chat_id: private (>0), group (<0) or channel (@username)."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            return self._channel(chat_id[1:])
        chat_id = int(chat_id)
        channel = next((c for c in self._channels.values() if c["id"] == chat_id), None)
        if channel is not None:
            return dict(channel)
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Test"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": "Test Group"}

    def _channel(self, username: str) -> JSONDict:
        """A channel chat with a stable fake id per username."""
        if username not in self._channels:
            self._channels[username] = {
                "id": -1001000000000 - len(self._channels) - 1,
                "type": "channel",
                "title": username,
                "username": username,
            }
        return dict(self._channels[username])

    # ------------------------------------------------------------------ file payloads

    def _new_file(self, folder: str, extension: str) -> JSONDict:
        """Fresh file_id/file_unique_id pair, registered for getFile."""
        number = next(self._file_counter)
        file_id = f"FAKE-{folder.upper()}-{number:06d}"
        self._file_paths[file_id] = f"{folder}/file_{number}.{extension}"
        return {
            "file_id": file_id,
            "file_unique_id": f"U{number:06d}",
            "file_size": 2048,
        }

    def _photo_sizes(self) -> list[JSONDict]:
        """A small and a large PhotoSize of the same picture."""
        sizes = ((90, 68), (1280, 960))
        return [{**self._new_file("photos", "jpg"), "width": w, "height": h} for w, h in sizes]

    def _voice(self, duration: int) -> JSONDict:
        """A Voice note."""
        return {
            **self._new_file("voice", "oga"),
            "duration": duration,
            "mime_type": "audio/ogg",
        }

    def _sticker(self, emoji: str) -> JSONDict:
        """A regular static Sticker."""
        return {
            **self._new_file("stickers", "webp"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }

    def _document(self, file_name: str, mime_type: str) -> JSONDict:
        """A Document."""
        extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        file = self._new_file("documents", extension)
        return {**file, "file_name": file_name, "mime_type": mime_type}

    # ------------------------------------------------------------------ incoming updates

    def send_update(self, raw: JSONDict) -> int:
        """Queue a raw update (update_id assigned unless present) and return its update_id."""
        update = dict(raw)
        update.setdefault("update_id", next(self._update_ids))
        self._pending.append(update)
        self.updates.append(update)
        self._wake_pollers()
        return int(update["update_id"])

    def _user_message(self, user_id: int, language_code: str, content: JSONDict) -> int:
        """Queue a message from the user in their private chat; return its message_id."""
        sender = self.user(user_id, language_code)
        message = self._new_message(user_id, sender, content)
        self.send_update({"message": copy.deepcopy(message)})
        return int(message["message_id"])

    def send_text(self, user_id: int, text: str, language_code: str = "fr") -> int:
        """Queue a text message (with a bot_command entity for "/cmd") and return its id."""
        content: JSONDict = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._user_message(user_id, language_code, content)

    def send_photo(self, user_id: int, caption: str | None = None, language_code: str = "fr") -> int:
        """Queue a photo message and return its id."""
        content: JSONDict = {"photo": self._photo_sizes()}
        if caption is not None:
            content["caption"] = caption
        return self._user_message(user_id, language_code, content)

    def send_voice(self, user_id: int, duration: int = 2, language_code: str = "fr") -> int:
        """Queue a voice message and return its id."""
        return self._user_message(user_id, language_code, {"voice": self._voice(duration)})

    def send_sticker(self, user_id: int, emoji: str = "👍", language_code: str = "fr") -> int:
        """Queue a sticker message and return its id."""
        return self._user_message(user_id, language_code, {"sticker": self._sticker(emoji)})

    def send_location(
        self,
        user_id: int,
        latitude: float = 48.8566,
        longitude: float = 2.3522,
        language_code: str = "fr",
    ) -> int:
        """Queue a location message and return its id."""
        location = {"latitude": latitude, "longitude": longitude}
        return self._user_message(user_id, language_code, {"location": location})

    def send_document(
        self,
        user_id: int,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
        language_code: str = "fr",
    ) -> int:
        """Queue a document message and return its id."""
        document = self._document(file_name, mime_type)
        return self._user_message(user_id, language_code, {"document": document})

    def send_group_text(
        self, chat_id: int, user_id: int, text: str, reply_to: int | None = None, language_code: str = "fr"
    ) -> int:
        """Queue a member's text in a group, optionally replying to a message there; return its id."""
        content: JSONDict = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        original = self._messages.get((chat_id, reply_to or 0))
        if original is not None:
            replied = {k: v for k, v in original.items() if k != "reply_to_message"}
            content["reply_to_message"] = copy.deepcopy(replied)
        message = self._new_message(chat_id, self.user(user_id, language_code), content)
        self.send_update({"message": copy.deepcopy(message)})
        return int(message["message_id"])

    def press_group_button(self, chat_id: int, user_id: int, data: str, message_id: int) -> str:
        """Queue a member's callback_query on a bot message in a group; return the query id."""
        query_id = f"{user_id}{next(self._callback_counter):08d}"
        query = {
            "id": query_id,
            "from": self.user(user_id),
            "message": copy.deepcopy(self._stored_or_stub({"chat_id": chat_id, "message_id": message_id})),
            "chat_instance": f"{chat_id}0042",
            "data": data,
        }
        self.send_update({"callback_query": query})
        return query_id

    def press_button(
        self,
        user_id: int,
        data: str,
        message_id: int | None = None,
        language_code: str = "fr",
    ) -> str:
        """Queue a callback_query on a bot message (default: the last one); return the query id."""
        query_id = f"{user_id}{next(self._callback_counter):08d}"
        query = {
            "id": query_id,
            "from": self.user(user_id, language_code),
            "message": copy.deepcopy(self._pressed_message(user_id, message_id)),
            "chat_instance": f"-{user_id}0042",
            "data": data,
        }
        self.send_update({"callback_query": query})
        return query_id

    def _pressed_message(self, chat_id: int, message_id: int | None) -> JSONDict:
        """The message carrying the pressed button."""
        if message_id is not None:
            return self._stored_or_stub({"chat_id": chat_id, "message_id": message_id})
        last = self._last_bot_message.get(chat_id)
        if last is None:
            raise AssertionError(
                f"press_button: the bot has not sent any message to chat {chat_id} yet; "
                "pass message_id explicitly"
            )
        return last

    # ------------------------------------------------------------------ faults

    def fail(
        self,
        *methods: str,
        status: int = 429,
        retry_after: int | None = None,
        seconds: float | None = None,
        times: int | None = None,
    ) -> None:
        """Make calls of these methods fail (429 with retry_after, 5xx, ...) for a while or N times."""
        descriptions = {429: "Too Many Requests: retry later", 500: "Internal Server Error"}
        until = time.monotonic() + seconds if seconds is not None else None
        for method in methods:
            self._faults[method.lower()] = Fault(
                status, descriptions.get(status, "Bad Gateway"), retry_after, until, times
            )

    def heal(self) -> None:
        """Every method answers normally again."""
        self._faults.clear()

    # ------------------------------------------------------------------ assertions helpers

    def mark(self) -> None:
        """Make wait_for only consider calls recorded from now on."""
        self._mark = len(self.calls)

    def calls_of(self, method: str, since_mark: bool = False) -> list[Call]:
        """Recorded calls of ``method`` (method name compared case-insensitively)."""
        calls = self.calls[self._mark :] if since_mark else self.calls
        return [call for call in calls if call.method.lower() == method.lower()]

    def sent_messages(self, chat_id: ChatId | None = None) -> list[Params]:
        """Parameters of every recorded sendMessage, optionally for one chat."""
        params = [call.params for call in self.calls_of("sendMessage")]
        if chat_id is None:
            return params
        return [p for p in params if str(p.get("chat_id")) == str(chat_id)]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10.0,
        predicate: Predicate | None = None,
    ) -> list[Call]:
        """Wait until >= ``count`` calls of ``method`` (params matching ``predicate``) since mark."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = self._matching(method, predicate)
            if len(found) >= count:
                return found
            if loop.time() >= deadline:
                raise AssertionError(self._timeout_report(method, count, timeout, found))
            await asyncio.sleep(0.01)

    def _matching(self, method: str, predicate: Predicate | None) -> list[Call]:
        """Calls of ``method`` since the mark that satisfy ``predicate``."""
        calls = self.calls_of(method, since_mark=True)
        if predicate is None:
            return calls
        return [call for call in calls if predicate(call.params)]

    def _timeout_report(self, method: str, count: int, timeout: float, found: list[Call]) -> str:
        """Readable summary of what was recorded, for wait_for failures."""
        recent = self.calls[self._mark :]
        shown = [c for c in recent if c.method.lower() != "getupdates"]
        polls = len(recent) - len(shown)
        lines = [
            (
                f"Timed out after {timeout}s waiting for {count} x {method} "
                f"(matched {len(found)}) among calls since mark #{self._mark}."
            ),
            f"Recorded since mark: {len(shown)} calls (+{polls} getUpdates):",
        ]
        lines += [f"  {c.method} {_short(c.params)}" for c in shown[-_SUMMARY_MAX_CALLS:]]
        if len(shown) > _SUMMARY_MAX_CALLS:
            lines.insert(2, f"  … {len(shown) - _SUMMARY_MAX_CALLS} earlier calls omitted")
        if self._pending:
            lines.append(f"Updates not yet confirmed by the bot (offset): {len(self._pending)}")
        return "\n".join(lines)
