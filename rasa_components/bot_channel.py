"""The bot's private input channel: the only way into the Rasa server (audit M1, M8).

Configured in credentials.yml; Rasa runs without its HTTP API. Every route requires the shared
secret (RASA_TOKEN) in the `X-Engine-Secret` header, compared in constant time:

- `POST /webhooks/bot/webhook`: {sender, message, metadata} -> list of replies, as the REST
  channel;
- `POST /webhooks/bot/forget`: {sender} -> the conversation is removed from the tracker store;
- `GET /webhooks/bot/health`: whether a model is loaded, plus the HMAC of the caller's
  `X-Health-Challenge`, proving that this server holds the secret.

Nothing here logs a text, a sender or an exception message.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from monitoring.metrics import ENGINE_MESSAGES, ENGINE_SECONDS
from rasa_components import auth

logger = logging.getLogger(__name__)
MAX_SENDER_LENGTH = 128
MAX_MESSAGE_LENGTH = 20_000


class BotInput(InputChannel):
    """Messages, forgetting and health for the bot alone, behind a shared secret."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    @classmethod
    def name(cls) -> str:
        """The channel's name, and its URL prefix: /webhooks/bot/."""
        return "bot"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> BotInput:
        """The channel with the secret of credentials.yml; a missing or short one stops Rasa."""
        try:
            return cls(auth.checked_secret((credentials or {}).get("secret"), "the bot channel's secret"))
        except ValueError as error:
            raise RasaException(str(error)) from None

    def refusal(self, request: Request) -> HTTPResponse | None:
        """An empty 401/403 answer unless the request carries the secret."""
        status = auth.refusal(request.headers.get(auth.ENGINE_SECRET_HEADER), self._secret)
        return None if status is None else response.empty(status=status)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The three routes, each behind the secret."""
        module = inspect.getmodule(self)
        routes = Blueprint("bot_channel", module.__name__ if module else None)
        routes.add_route(self._guarded(self._health), "/health", methods=["GET"], name="health")
        routes.add_route(self._guarded(self._forget), "/forget", methods=["POST"], name="forget")
        receive = self._guarded(lambda request: self._receive(request, on_new_message))
        routes.add_route(receive, "/webhook", methods=["POST"], name="receive")
        return routes

    def _guarded(
        self, handler: Callable[[Request], Awaitable[HTTPResponse]]
    ) -> Callable[[Request], Coroutine[Any, Any, HTTPResponse]]:
        """`handler`, answered only for requests that carry the secret."""

        async def guarded(request: Request) -> HTTPResponse:
            return self.refusal(request) or await handler(request)

        return guarded

    async def _health(self, request: Request) -> HTTPResponse:
        """Whether a model is loaded, and the proof that this server holds the secret."""
        agent = getattr(request.app.ctx, "agent", None)
        challenge = request.headers.get(auth.CHALLENGE_HEADER, "")
        body = {"status": "ok", "model_loaded": bool(agent and agent.is_ready())}
        if challenge:
            body["proof"] = auth.proof(self._secret, challenge)
        return response.json(body)

    async def _forget(self, request: Request) -> HTTPResponse:
        """Remove the sender's conversation from the tracker store, after any turn in progress."""
        sender = sender_of(request.json)
        agent = getattr(request.app.ctx, "agent", None)
        if sender is None:
            return response.json({"error": "sender"}, status=400)
        if agent is None or not agent.is_ready():
            return response.json({"error": "no model loaded"}, status=503)
        delete = getattr(unwrapped(agent.tracker_store), "delete", None)
        if delete is None:  # e.g. Rasa's SQL store only appends: refuse loudly (audit M9)
            logger.error("the configured tracker store cannot delete conversations")
            return response.json({"error": "tracker store cannot delete"}, status=501)
        async with agent.lock_store.lock(sender, wait_time_in_seconds=0.05):
            existed = await delete(sender)
            existed = forget_fallback(agent.tracker_store, sender) or existed
        return response.json({"forgotten": True, "existed": existed})

    async def _receive(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        """Handle one message and answer with every reply, as Rasa's REST channel does."""
        body = request.json if isinstance(request.json, dict) else {}
        sender, words, metadata = sender_of(body), body.get("message"), body.get("metadata")
        if sender is None or not isinstance(words, str) or len(words) > MAX_MESSAGE_LENGTH:
            return response.json({"error": "sender or message"}, status=400)
        turn_key = metadata.get("turn_key") if isinstance(metadata, dict) else None
        agent = getattr(request.app.ctx, "agent", None)
        collector = CollectingOutputChannel()
        started, status = time.monotonic(), "ok"
        message = UserMessage(
            words, collector, sender, input_channel=self.name(),
            metadata=metadata if isinstance(metadata, dict) else None,
        )  # fmt: skip
        try:
            if isinstance(turn_key, str) and agent is not None and agent.is_ready():
                kept = await once(agent, message, turn_key)
                if kept is not None:  # the same update again: its first delivery was not acknowledged
                    ENGINE_MESSAGES.labels("repeat").inc()
                    return response.json(kept)
            else:
                await on_new_message(message)
        except asyncio.CancelledError:
            status = "cancelled"
            logger.error("a message was cancelled before its answer")
        except Exception as error:  # answer what was collected: the bot falls back
            status = "failed"
            logger.error("a message failed in the engine: %s", type(error).__name__, exc_info=error)
        ENGINE_MESSAGES.labels(status).inc()
        ENGINE_SECONDS.observe(time.monotonic() - started)
        return response.json(collector.messages)


async def once(agent: Any, message: UserMessage, turn_key: str) -> list[dict[str, Any]] | None:
    """Process a message that carries a turn key, unless the conversation shows it was processed:
    then the answers it got. Checked under the conversation's lock, which Rasa's agent would take
    for the message, so that a repeat arriving while the first is processed waits and finds it."""
    async with agent.lock_store.lock(message.sender_id):
        tracker = await agent.tracker_store.retrieve(message.sender_id)
        kept = answers_given(tracker, turn_key) if tracker is not None else None
        if kept is None:
            await agent.processor.handle_message(message)
        return kept


REPEAT_LOOKBACK = 4  # turns searched for a repeat: a turn makes at most two engine calls


def answers_given(tracker: DialogueStateTracker, turn_key: str) -> list[dict[str, Any]] | None:
    """What the engine answered to the message carrying `turn_key`, if it is among the last few.

    The key travels in the message's metadata, which Rasa keeps in the conversation in the same
    save as the answers: a message is either wholly processed and findable, or not at all."""
    answers: list[dict[str, Any]] = []
    turns = 0
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            answers.append(as_reply(tracker.sender_id, event))
        elif isinstance(event, UserUttered):
            if (event.metadata or {}).get("turn_key") == turn_key:
                return list(reversed(answers))
            turns += 1
            if turns >= REPEAT_LOOKBACK:
                return None
            answers = []
    return None


def as_reply(recipient: str, event: BotUttered) -> dict[str, Any]:
    """A bot utterance in the shape of the REST channel's replies."""
    reply: dict[str, Any] = {"recipient_id": recipient}
    if event.text:
        reply["text"] = event.text
    reply.update({key: value for key, value in (event.data or {}).items() if value})
    return reply


def sender_of(body: object) -> str | None:
    """The sender of a request body, when it is a plausible conversation id."""
    sender = body.get("sender") if isinstance(body, dict) else None
    return sender if isinstance(sender, str) and 0 < len(sender) <= MAX_SENDER_LENGTH else None


def forget_fallback(store: Any, sender: str) -> bool:
    """Drop the sender from the memory copy Rasa keeps while the real store fails; True if held."""
    fallback = getattr(store, "_fallback_tracker_store", None)
    held = getattr(fallback, "store", None)
    return isinstance(held, dict) and held.pop(sender, None) is not None


def unwrapped(store: Any) -> Any:
    """The tracker store itself, when Rasa wrapped it for await."""
    return getattr(store, "_tracker_store", store)
