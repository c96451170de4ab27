from bot.telegram.render import keyboard, split_text
from core.screens import Button, Screen


def test_short_text_is_one_part():
    assert split_text("hello") == ["hello"]


def test_long_text_is_split_at_boundaries_within_the_limit():
    paragraph = ("word " * 150).strip()
    text = "\n\n".join([paragraph] * 10)
    parts = split_text(text, limit=1000)
    assert all(len(part) <= 1000 for part in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())
    assert all(not part.startswith(" ") and not part.endswith(" ") for part in parts)


def test_text_without_spaces_is_cut_hard():
    parts = split_text("x" * 2500, limit=1000)
    assert [len(part) for part in parts] == [1000, 1000, 500]


def test_buttons_become_one_per_row_and_oversized_payloads_are_dropped():
    screen = Screen("t", "fr", (Button("A", "/a"), Button("B", "/" + "b" * 70)))
    markup = keyboard(screen)
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [["/a"]]
    assert keyboard(Screen("t", "fr")) is None


def test_compact_buttons_share_rows_of_three_and_others_keep_their_own():
    toggles = tuple(Button(str(n), f"/t{n}", compact=True) for n in range(1, 6))
    screen = Screen("t", "fr", (*toggles, Button("Done", "/done"), Button("Back", "/back")))
    rows = [[b.callback_data for b in row] for row in keyboard(screen).inline_keyboard]
    assert rows == [["/t1", "/t2", "/t3"], ["/t4", "/t5"], ["/done"], ["/back"]]
