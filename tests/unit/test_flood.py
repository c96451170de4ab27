from bot.flood import FloodGate, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_messages_within_the_limit_are_processed():
    gate = FloodGate(3, 10, clock=Clock())
    assert [gate.check("p") for _ in range(3)] == [Verdict.PROCESS] * 3


def test_excess_is_warned_once_per_window_then_allowed_again():
    clock = Clock()
    gate = FloodGate(2, 10, clock=clock)
    verdicts = [gate.check("p") for _ in range(5)]
    assert verdicts == [
        Verdict.PROCESS,
        Verdict.PROCESS,
        Verdict.WARN,
        Verdict.ALREADY_WARNED,
        Verdict.ALREADY_WARNED,
    ]
    clock.now = 30
    assert gate.check("p") is Verdict.PROCESS


def test_people_are_counted_separately_and_pruned():
    clock = Clock()
    gate = FloodGate(1, 10, clock=clock)
    assert gate.check("a") is Verdict.PROCESS
    assert gate.check("b") is Verdict.PROCESS
    clock.now = 100
    gate.prune()
    assert gate._windows == {}


def test_a_message_delivered_again_counts_once():
    gate = FloodGate(2, 10, clock=Clock())
    verdicts = [gate.check("p", "update-1") for _ in range(4)] + [gate.check("p", "update-2")]
    assert verdicts == [Verdict.PROCESS] * 5
    assert gate.check("p", "update-3") is Verdict.WARN
