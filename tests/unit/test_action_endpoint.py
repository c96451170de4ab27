"""The Rasa server asks an action server again once when the connection breaks (issue 17)."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from rasa_components.action_endpoint import RetryingEndpoint
from tests.support.ports import free_port


class DyingServer:
    """An action server whose first `deaths` requests lose their connection, or get `status`."""

    def __init__(self, deaths: int, status: int = 0) -> None:
        self.deaths, self.status, self.requests = deaths, status, 0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        await request.read()
        if self.requests <= self.deaths:
            if self.status:
                return web.json_response({"error": "busy"}, status=self.status)
            assert request.transport is not None
            request.transport.close()  # as when the process is killed mid-request
            return web.Response()
        return web.json_response({"events": [], "responses": [], "headers": dict(request.headers)})


async def serve(server: DyingServer) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/webhook", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}/webhook"


async def test_a_broken_connection_is_tried_once_more_with_the_same_headers():
    server = DyingServer(deaths=1)
    runner, url = await serve(server)
    try:
        plain = EndpointConfig(url, headers={"X-Actions-Secret": "s"})
        with pytest.raises(aiohttp.ClientConnectionError):
            await plain.request(json={"next_action": "x"}, method="post")
        server.requests = 0
        answer = await RetryingEndpoint.of(plain).request(json={"next_action": "x"}, method="post")
    finally:
        await runner.cleanup()
    assert server.requests == 2
    assert answer["headers"]["X-Actions-Secret"] == "s"


async def test_twice_broken_fails_as_before_and_an_http_error_is_not_retried():
    broken = DyingServer(deaths=2)
    refused = DyingServer(deaths=1, status=500)
    runners = [await serve(broken), await serve(refused)]
    try:
        with pytest.raises(aiohttp.ClientConnectionError):
            await RetryingEndpoint(runners[0][1]).request(json={}, method="post")
        with pytest.raises(ClientResponseError):
            await RetryingEndpoint(runners[1][1]).request(json={}, method="post")
    finally:
        for runner, _ in runners:
            await runner.cleanup()
    assert (broken.requests, refused.requests) == (2, 1)


def test_a_copy_still_retries():
    endpoint = RetryingEndpoint.of(EndpointConfig("http://127.0.0.1:1/webhook", token="t"))
    assert isinstance(endpoint.copy(), RetryingEndpoint) and endpoint.copy().token == "t"
