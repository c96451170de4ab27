"""HTTP client of the Rasa server, through the bot's private channel (rasa_components/bot_channel.py).

Every request carries the shared secret in a header, never in a URL.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from core.screens import SCREEN_KEY, Button, Screen
from rasa_components import auth

logger = logging.getLogger(__name__)
CHANNEL_PATH = "/webhooks/bot"


class EngineUnavailableError(Exception):
    """The engine failed, was too slow, or gave no answer."""


class EngineClient:
    """Talks to the Rasa server over loopback HTTP; never logs texts or senders."""

    def __init__(self, base_url: str, token_or_secret: str, timeout: float) -> None:
        self._base_url = base_url.rstrip("/") + CHANNEL_PATH
        self._secret = token_or_secret
        self._client = httpx.AsyncClient(
            timeout=timeout, headers={auth.ENGINE_SECRET_HEADER: token_or_secret}
        )

    async def close(self) -> None:
        """Release the HTTP connections."""
        await self._client.aclose()

    async def send(
        self, sender: str, text: str, metadata: dict[str, Any], fallback_language: str
    ) -> list[Screen]:
        """Send one message and return the screens to show; raise EngineUnavailableError otherwise."""
        body = {"sender": sender, "message": text, "metadata": metadata}
        for attempt in range(2):
            try:
                response = await self._client.post(f"{self._base_url}/webhook", json=body)
                response.raise_for_status()
                replies = response.json()
                break
            except (httpx.HTTPError, ValueError) as error:
                logger.warning("engine call failed: %s", type(error).__name__)
                if attempt or not may_retry(error, metadata):
                    raise EngineUnavailableError from error
        screens = [screen_from_reply(reply, fallback_language) for reply in replies or []]
        if not screens:
            logger.warning("engine returned no reply")
            raise EngineUnavailableError
        return screens

    async def forget(self, sender: str) -> bool:
        """Remove the engine's conversation for this sender; False when the engine could not."""
        try:
            response = await self._client.post(f"{self._base_url}/forget", json={"sender": sender})
            response.raise_for_status()
        except httpx.HTTPError as error:
            logger.error("engine state erasure failed: %s", type(error).__name__)
            return False
        return True

    async def is_ready(self) -> bool:
        """True when the server proves it holds the secret and has a model loaded."""
        health = await self.health()
        return bool(health.get("model_loaded")) and bool(health.get("proven"))

    async def health(self) -> dict[str, Any]:
        """The authenticated health check: reachable, proven to hold the secret, model loaded."""
        challenge = auth.new_challenge()
        try:
            response = await self._client.get(
                f"{self._base_url}/health", headers={auth.CHALLENGE_HEADER: challenge}
            )
            body = response.json() if response.status_code == 200 else {}
        except httpx.HTTPError:
            return {"reachable": False}
        except ValueError:
            body = {}
        proven = isinstance(body, dict) and auth.proves(self._secret, challenge, body.get("proof"))
        return {"reachable": True, "status": response.status_code, "proven": proven,
                "model_loaded": proven and bool(body.get("model_loaded"))}  # fmt: skip


def may_retry(error: Exception, metadata: dict[str, Any]) -> bool:
    """Whether to ask again at once, through the balancer to another replica: when the message
    never reached a server, or when the engine answers a repeat of this turn from what it did
    (it waits for a first try still running, then gives its answers: a late first answer must not
    use up the question kept behind a safety answer while the person sees the static screen)."""
    if isinstance(error, httpx.ConnectError):
        return True
    if not metadata.get("turn_key"):
        return False
    if isinstance(error, httpx.ReadTimeout):  # the engine may finish late: its answer, not a guess
        return not metadata.get("danger_words")  # the emergency numbers never wait twice
    return isinstance(error, (httpx.RemoteProtocolError, httpx.ReadError))


def screen_from_reply(reply: dict[str, Any], fallback_language: str) -> Screen:
    """A screen from one Rasa reply: our custom payload, or plain text with buttons."""
    custom = reply.get("custom")
    if isinstance(custom, dict) and SCREEN_KEY in custom:
        return Screen.from_payload(custom)
    buttons = tuple(
        Button(str(b.get("title", "")), str(b.get("payload", ""))) for b in reply.get("buttons") or []
    )
    return Screen(str(reply.get("text") or ""), fallback_language, buttons)
