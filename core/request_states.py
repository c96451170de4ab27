"""The life of a handover request in one table: which event moves it from which status to which.

Every change of a request's status goes through `next_status` (storage/handovers.py); a move the
table does not hold is refused, so no path can, for instance, accept a withdrawn request or
reopen a closed one. A request closes with one outcome of a fixed list (`OUTCOMES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from core.handover import RequestStatus

WAITING, ACCEPTED, IN_CONTACT = RequestStatus.WAITING, RequestStatus.ACCEPTED, RequestStatus.IN_CONTACT
CLOSED, WITHDRAWN, UNMATCHED = RequestStatus.CLOSED, RequestStatus.WITHDRAWN, RequestStatus.UNMATCHED


class RequestEvent(str, Enum):
    """What can happen to a request."""

    ACCEPT = "accept"  # the association takes it
    PASS_ON = "pass_on"  # declined, unanswered in time or unreachable: the next association is asked
    NOBODY_LEFT = "nobody_left"  # the same, with no association left to ask
    CONTACT = "contact"  # the association has reached the person
    CLOSE = "close"  # the association has followed up, with an outcome
    WITHDRAW = "withdraw"  # the person takes it back; the personal fields are erased


TRANSITIONS: Mapping[tuple[RequestStatus, RequestEvent], RequestStatus] = {
    (WAITING, RequestEvent.ACCEPT): ACCEPTED,
    (WAITING, RequestEvent.PASS_ON): WAITING,
    (WAITING, RequestEvent.NOBODY_LEFT): UNMATCHED,
    (WAITING, RequestEvent.WITHDRAW): WITHDRAWN,
    (ACCEPTED, RequestEvent.CONTACT): IN_CONTACT,
    (ACCEPTED, RequestEvent.CLOSE): CLOSED,
    (ACCEPTED, RequestEvent.WITHDRAW): WITHDRAWN,
    (IN_CONTACT, RequestEvent.CLOSE): CLOSED,
    (IN_CONTACT, RequestEvent.WITHDRAW): WITHDRAWN,
}

# How a closed request ended, chosen in the inbox at closing (the national survey's categories
# are counted from these). "withdrawn" is also set when the person withdraws.
OUTCOMES = ("supported", "referred", "no_contact", "withdrawn")

# Statuses nothing leaves: the request is over, and its retention period runs from then.
FINAL: frozenset[RequestStatus] = frozenset(
    status for status in RequestStatus if not any(start == status for start, _ in TRANSITIONS)
)


class TransitionRefusedError(ValueError):
    """An event the table does not allow in the request's status."""


def allowed(status: RequestStatus | str, event: RequestEvent) -> bool:
    """True when the event may happen to a request in this status."""
    return (RequestStatus(status), event) in TRANSITIONS


def next_status(status: RequestStatus | str, event: RequestEvent) -> RequestStatus:
    """The status after the event; TransitionRefusedError when the table does not allow it."""
    try:
        return TRANSITIONS[(RequestStatus(status), event)]
    except KeyError:
        current = RequestStatus(status).value
        raise TransitionRefusedError(f"{event.value} is not allowed when {current}") from None
