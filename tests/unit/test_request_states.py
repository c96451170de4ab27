"""The table of a request's moves: what it allows, what it refuses, and what it means for storage."""

from __future__ import annotations

import itertools

import pytest

from core.handover import OPEN_STATUSES, RequestStatus
from core.request_states import (
    FINAL,
    TRANSITIONS,
    RequestEvent,
    TransitionRefusedError,
    allowed,
    next_status,
)

EVERY_MOVE = list(itertools.product(RequestStatus, RequestEvent))


@pytest.mark.parametrize(("status", "event"), EVERY_MOVE)
def test_a_move_is_made_only_when_the_table_holds_it(status, event):
    if (status, event) in TRANSITIONS:
        assert allowed(status, event) and next_status(status.value, event) == TRANSITIONS[(status, event)]
    else:
        assert not allowed(status.value, event)
        with pytest.raises(TransitionRefusedError):
            next_status(status, event)


def test_closed_withdrawn_and_unmatched_requests_never_move_again():
    assert {RequestStatus.CLOSED, RequestStatus.WITHDRAWN, RequestStatus.UNMATCHED} == FINAL


def test_the_person_can_withdraw_exactly_the_open_requests():
    assert {status for status in RequestStatus if allowed(status, RequestEvent.WITHDRAW)} == OPEN_STATUSES


def test_only_a_waiting_request_can_be_accepted_or_passed_on():
    for event in (RequestEvent.ACCEPT, RequestEvent.PASS_ON, RequestEvent.NOBODY_LEFT):
        assert {status for status in RequestStatus if allowed(status, event)} == {RequestStatus.WAITING}
