"""The web channel: what waits for a page, deletions passed on, idle conversations forgotten."""

from __future__ import annotations

from core.screens import Button, Screen
from webchat.channel import WebChannel


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_screens_wait_for_the_page_then_deletions_replace_them():
    channel = WebChannel(idle_seconds=60)
    (first,) = await channel.send("a" * 40, Screen("one", "ar", (Button("ok", "/menu"),)))
    (second,) = await channel.send("a" * 40, Screen("two", "fr"))
    await channel.delete("a" * 40, [second])
    taken = channel.take("a" * 40)
    assert [m["text"] for m in taken["messages"]] == ["one"] and taken["deleted"] == [second]
    assert taken["messages"][0]["dir"] == "rtl" and taken["messages"][0]["buttons"][0]["payload"] == "/menu"
    assert channel.take("a" * 40) == {"messages": [], "deleted": []}, "taken once"
    await channel.edit("a" * 40, first, Screen("one, edited", "ar"), "one")
    assert channel.take("a" * 40)["messages"][0]["id"] == first, "the page replaces the message with this id"


async def test_idle_conversations_are_forgotten_and_an_exit_forgets_at_once():
    clock = Clock()
    channel = WebChannel(idle_seconds=60, clock=clock)
    await channel.send("idle" * 10, Screen("waiting", "fr"))
    await channel.send("busy" * 10, Screen("waiting", "fr"))
    clock.now = 50
    channel.take("busy" * 10)
    clock.now = 100
    assert channel.expire() == 1
    assert not channel.known("idle" * 10) and channel.known("busy" * 10)
    channel.forget("busy" * 10)
    assert not channel.known("busy" * 10)
