"""A repeated update is answered from the conversation itself: what the engine answered to the
message carrying the same turn key, among the last few turns; anything else is processed."""

from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_components.bot_channel import answers_given


def conversation() -> DialogueStateTracker:
    events = [
        UserUttered("first", metadata={"turn_key": "telegram-1-100:0"}),
        ActionExecuted("action_answer"),
        BotUttered("answer one", {"custom": {"screen": 1}}),
        UserUttered("/safety_answer", metadata={"turn_key": "telegram-2-101:0"}),
        ActionExecuted("action_safety_answer"),
        BotUttered("thank you", {"custom": {"screen": 2, "then": "/rights"}, "buttons": None}),
        BotUttered("second part"),
    ]
    return DialogueStateTracker.from_events("person", events)


def test_the_answers_of_a_repeated_message_come_back_in_order_and_in_the_rest_shape():
    assert answers_given(conversation(), "telegram-2-101:0") == [
        {"recipient_id": "person", "text": "thank you", "custom": {"screen": 2, "then": "/rights"}},
        {"recipient_id": "person", "text": "second part"},
    ]
    assert answers_given(conversation(), "telegram-1-100:0") == [
        {"recipient_id": "person", "text": "answer one", "custom": {"screen": 1}}
    ]


def test_a_new_key_or_a_message_without_one_is_not_a_repeat():
    assert answers_given(conversation(), "telegram-3-102:0") is None
    bare = DialogueStateTracker.from_events("person", [UserUttered("hello"), BotUttered("hi")])
    assert answers_given(bare, "telegram-1-100:0") is None


def test_the_bot_asks_again_only_when_nothing_can_be_done_twice():
    import httpx

    from bot.engine import may_retry

    request = httpx.Request("POST", "http://engine/webhook")
    cut = httpx.RemoteProtocolError("server disconnected", request=request)
    assert may_retry(httpx.ConnectError("refused", request=request), {}), "it never reached a server"
    assert may_retry(cut, {"turn_key": "telegram-5-100:0"}), "a repeat is answered from what was done"
    assert not may_retry(cut, {}), "without a key the message may have been processed already"
    slow = httpx.ReadTimeout("slow", request=request)
    assert may_retry(slow, {"turn_key": "k"}), "the repeat waits for the first try and gives its answers"
    assert not may_retry(slow, {"turn_key": "k", "danger_words": True}), "danger never waits twice"
    assert not may_retry(slow, {}), "without a key a second try could take the step twice"
