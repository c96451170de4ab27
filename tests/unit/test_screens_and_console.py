import io
import json

from bot.console import Line, parse_line, render_for_terminal, reply_record
from core import payloads
from core.screens import Button, Directive, Screen


def test_screen_survives_the_trip_through_rasa_custom_json():
    screen = Screen(
        "t",
        "en",
        (Button("A", "/menu"),),
        intent="greet",
        protect=True,
        erase_after=300,
        directives=frozenset({Directive.ERASE}),
    )
    assert Screen.from_payload(json.loads(json.dumps(screen.to_payload()))) == screen


def test_console_lines_text_payload_and_sender():
    assert parse_line("bonjour\n") == Line("console-user", "bonjour")
    assert parse_line('{"payload": "/menu"}') == Line("console-user", "/menu", button=True)
    assert parse_line('{"text": "hi", "sender": "b"}') == Line("b", "hi")
    assert parse_line("{not json") == Line("console-user", "{not json")
    assert parse_line('{"other": 1}') == Line("console-user", "")


def test_hostile_console_lines_are_read_never_raised():
    assert parse_line('{"text": "a\\ud800b", "sender": "\\udc00"}') == Line("console-user", "ab")
    deep = "[" * 5000 + "]" * 5000
    assert parse_line('{"payload": "/menu' + deep + '"}').button
    assert parse_line('{"text": ' + deep + "}").text.startswith("{")


def test_reply_record_has_the_documented_fields():
    record = reply_record("s", Screen("t", "fr", (Button("A", "/menu"),), "greet"))
    assert record == {
        "sender": "s",
        "text": "t",
        "buttons": [{"title": "A", "payload": "/menu"}],
        "language": "fr",
        "intent": "greet",
    }


def test_terminal_rendering_numbers_buttons():
    text = render_for_terminal(Screen("Menu", "en", (Button("A", "/a"), Button("B", "/b"))))
    assert "[1] A" in text and "[2] B" in text


def test_language_payload_fits_telegram_callback_limit():
    assert len(payloads.choose_language("fr").encode()) <= 64
    assert json.loads(payloads.choose_language("en").removeprefix("/choose_language")) == {"lang_code": "en"}


def test_json_console_answers_each_line(monkeypatch):
    import asyncio

    from bot import console

    class Chat:
        async def exchange(self, person, text, button=False):
            return [Screen(f"echo {len(text)}", "fr")], 0

    out = io.StringIO()
    asyncio.run(console.run_json(Chat(), io.StringIO('a\n{"payload": "/menu"}\n\n'), out))
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["text"] for line in lines] == ["echo 1", "echo 5", "echo 0"]
