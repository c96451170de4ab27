"""The inbox answers health and metrics behind MONITOR_TOKEN; requests are counted by route
template, never by their address (a setup link's address holds a one-time token)."""

from __future__ import annotations

import httpx

from inbox.app import create_app
from monitoring.http import starlette_routes
from tests.support.inbox_client import HEALTH_SECRET

TOKEN = "monitor-token-for-the-inbox-tests-0123"


async def test_health_and_metrics_need_the_token_and_count_routes_not_addresses(services):
    async def database() -> bool:
        return True

    app = create_app(services, HEALTH_SECRET, starlette_routes(TOKEN, {"database": database}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        assert (await http.get("/metrics")).status_code == 401
        secret_path = "/setup/one-time-token-that-must-not-be-counted"
        assert (await http.get(secret_path)).status_code in (200, 404)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        ready = await http.get("/health/ready", headers=headers)
        assert ready.json() == {"status": "ready", "checks": {"database": True}}
        metrics = (await http.get("/metrics", headers=headers)).text
    assert 'assistant_http_requests_total{app="inbox",route="/setup/{token}"' in metrics
    assert "one-time-token" not in metrics
