"""How every web process of ours is served by uvicorn: quietly.

No access log (an address is personal data, and setup links carry one-time tokens in their
path), no Server header, no websocket (Rasa pins an older websockets than uvicorn expects) and
no lifespan events (none of our apps has any).
"""

from __future__ import annotations

from typing import Any

import uvicorn


def quiet_config(app: Any, host: str, port: int, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration of one of our web processes; `options` add to it."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        server_header=False,
        ws="none",
        lifespan="off",
        **options,
    )
