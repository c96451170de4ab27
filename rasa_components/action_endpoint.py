"""The Rasa server's connection to the action servers, asked again once when a connection breaks.

With several action servers behind a balancer, one may die while Rasa sends it the tracker: the
connection is reset and Rasa's own client gives up. For a form, that failure is worse than an
error: Rasa logs the form as run, finds no question left, and predicts what follows a completed
form (issue 17, found by the replica test). A broken connection is therefore tried once more,
which the balancer sends to a live server. Our actions may safely run twice: they decide from the
tracker, and the one that stores a request is idempotent (`actions/handover.submission_key`).
A timeout or an HTTP error is not retried: the action server answered, or may still be working.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)


class RetryingEndpoint(EndpointConfig):
    """An endpoint whose requests are sent once more when the connection fails."""

    @classmethod
    def of(cls, endpoint: EndpointConfig) -> RetryingEndpoint:
        """The same endpoint (URL, headers, parameters), retrying."""
        return cls(
            endpoint.url,
            endpoint.params,
            endpoint.headers,
            endpoint.basic_auth,
            endpoint.token,
            endpoint.token_name,
            cafile=endpoint.cafile,
            **({"type": endpoint.type} if endpoint.type else {}),
            **endpoint.kwargs,
        )

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        """Send; on a broken or refused connection, send once more."""
        try:
            return await super().request(*args, **kwargs)
        except aiohttp.ClientConnectionError as error:
            logger.warning("action server connection failed (%s): asking again", type(error).__name__)
        return await super().request(*args, **kwargs)

    def copy(self) -> RetryingEndpoint:
        """A copy that still retries."""
        return RetryingEndpoint.of(self)
