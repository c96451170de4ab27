"""HTTP client of the Rasa server: the REST channel for messages, the HTTP API for erasure."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from core.screens import SCREEN_KEY, Button, Screen

logger = logging.getLogger(__name__)


class EngineUnavailableError(Exception):
    """The engine failed, was too slow, or gave no answer."""


class EngineClient:
    """Talks to the Rasa server over loopback HTTP; never logs texts or senders."""

    def __init__(self, base_url: str, token: str, timeout: float) -> None:
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._client = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        """Release the HTTP connections."""
        await self._client.aclose()

    async def send(
        self, sender: str, text: str, metadata: dict[str, Any], fallback_language: str
    ) -> list[Screen]:
        """Send one message and return the screens to show; raise EngineUnavailableError otherwise."""
        body = {"sender": sender, "message": text, "metadata": metadata}
        try:
            response = await self._client.post(f"{self._base_url}/webhooks/rest/webhook", json=body)
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as error:
            logger.warning("engine call failed: %s", type(error).__name__)
            raise EngineUnavailableError from error
        screens = [screen_from_reply(reply, fallback_language) for reply in replies or []]
        if not screens:
            logger.warning("engine returned no reply")
            raise EngineUnavailableError
        return screens

    async def forget(self, sender: str) -> bool:
        """Erase the engine's conversation state for this sender (replace its events by none)."""
        url = f"{self._base_url}/conversations/{sender}/tracker/events"
        try:
            response = await self._client.put(url, params={"token": self._token}, json=[])
            response.raise_for_status()
        except httpx.HTTPError as error:
            logger.error("engine state erasure failed: %s", type(error).__name__)
            return False
        return True

    async def is_ready(self) -> bool:
        """True when the server answers and has a model loaded."""
        try:
            response = await self._client.get(f"{self._base_url}/status", params={"token": self._token})
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False


def screen_from_reply(reply: dict[str, Any], fallback_language: str) -> Screen:
    """A screen from one Rasa reply: our custom payload, or plain text with buttons."""
    custom = reply.get("custom")
    if isinstance(custom, dict) and SCREEN_KEY in custom:
        return Screen.from_payload(custom)
    buttons = tuple(
        Button(str(b.get("title", "")), str(b.get("payload", ""))) for b in reply.get("buttons") or []
    )
    return Screen(str(reply.get("text") or ""), fallback_language, buttons)
