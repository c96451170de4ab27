"""Every metric the project exports, in one place, so that one can see at a glance that none
carries personal data: labels are channels, kinds, outcomes, route templates and status codes,
never a text, a pseudonym, an id or an address."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Seconds: a turn waits for the engine (up to ENGINE_TIMEOUT), a web page should be quick.
TURN_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32)
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)

TURNS = Counter("assistant_turns", "Turns handled by the turn pipeline.", ["channel", "input", "outcome"])
TURN_SECONDS = Histogram(
    "assistant_turn_seconds", "Time to answer one turn.", ["channel"], buckets=TURN_BUCKETS
)
DANGER_SCREENS = Counter(
    "assistant_danger_screens", "Turns answered with the emergency numbers.", ["channel"]
)
ENGINE_FAILURES = Counter("assistant_engine_failures", "Turns the engine could not answer (static screen).")
DELIVERIES = Counter(
    "assistant_deliveries", "Outbox messages handled by a delivery worker.", ["target", "result"]
)
ENGINE_MESSAGES = Counter("assistant_engine_messages", "Messages processed by the Rasa server.", ["status"])
ENGINE_SECONDS = Histogram(
    "assistant_engine_message_seconds", "Time the Rasa server spent on one message.", buckets=TURN_BUCKETS
)
MODEL_LOADED = Gauge("assistant_model_loaded", "1 when the Rasa server has a model loaded.")
ACTION_CALLS = Counter("assistant_action_calls", "Calls to the action server.", ["status"])
ACTION_SECONDS = Histogram(
    "assistant_action_seconds", "Time the action server spent on one call.", buckets=HTTP_BUCKETS
)
HTTP_REQUESTS = Counter(
    "assistant_http_requests", "Requests to a web page process.", ["app", "route", "status"]
)
HTTP_SECONDS = Histogram(
    "assistant_http_seconds", "Time to answer one web request.", ["app"], buckets=HTTP_BUCKETS
)
