"""Handover requests and their outbox, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from core.handover import CONFIDENTIAL, CONTACT, Draft
from core.handover_messages import Kind
from storage.handovers import ACCEPTED, PERSON, UNMATCHED, WAITING, WITHDRAWN, Handovers, Policy
from storage.models import AuditRow, HandoverRow, OutboxRow, RelayMessageRow
from storage.outbox import backoff

ORDER = ["first", "second"]
SECRETS = ("Zéphyrine", "+33 6 12 34 56 78", "blue heron at noon", "they keep my passport", "987654321")


def next_in_order(row, tried: set[str]) -> str | None:
    return next((a for a in ORDER if a not in tried), None)


@pytest.fixture
def store(db_engine, cipher) -> Handovers:
    with db_engine.begin() as connection:  # associations referenced by the requests
        for association in ORDER:
            connection.execute(
                text("INSERT INTO associations (id, data, active, updated_at) VALUES (:i, '{}', true, :t)"),
                {"i": association, "t": datetime.now(timezone.utc)},
            )
    return Handovers(
        db_engine, cipher, next_in_order, Policy(answer_delay=timedelta(hours=1), max_attempts=3)
    )


def draft(level: str = CONTACT, times: str = "any") -> Draft:
    return Draft(
        association_id="first", level=level, language="en", departement="13", form="labour",
        needs=("shelter", "papers"), alias=SECRETS[0], contact="phone", phone=SECRETS[1], times=times,
        code=SECRETS[2], message=SECRETS[3],
    )  # fmt: skip


def outbox(db_engine, **where) -> list[OutboxRow]:
    query = select(OutboxRow).order_by(OutboxRow.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxRow, name) == value)
    with db_engine.connect() as connection:
        return list(connection.execute(query))


def deliver_all(store: Handovers) -> list:
    """Claim and mark sent everything due, as the delivery worker would."""
    items = store.due()
    for item in items:
        store.mark_sent(item.id, 555 if item.target == "group" else None, 1000 + item.id)
    return items


def test_a_request_and_its_delivery_commit_together_and_once(store, db_engine, person):
    first = store.create(person, draft(), "key-1")
    again = store.create(person, draft(), "key-1")
    assert first.created and not again.created and again.reference == first.reference
    with db_engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(HandoverRow)) == 1
    assert [(r.kind, r.target, r.association_id) for r in outbox(db_engine)] == [
        ("request", "group", "first")
    ]


def test_personal_fields_are_never_stored_in_clear(store, database, db_engine, person):
    store.create(person, draft(), "key-secret")
    store.attach_chat(person, int(SECRETS[4]))
    store.answer(store.requests_of(person)[0].reference, "first", "member", accept=True)
    if database.file is not None:
        raw = database.file.read_bytes().decode("latin-1")
    else:
        with db_engine.connect() as connection:
            raw = " ".join(
                str(row) for table in ("handovers", "outbox", "audit_log")
                for row in connection.execute(text(f"SELECT * FROM {table}"))
            )  # fmt: skip
    assert [secret for secret in SECRETS if secret in raw] == []


def test_the_consented_fields_come_back_for_delivery(store, person):
    store.create(person, draft(), "key-2")
    (item,) = store.due()
    assert (
        item.draft.alias == SECRETS[0]
        and item.draft.phone == SECRETS[1]
        and item.draft.needs == ("shelter", "papers")
    )
    assert store.due() == []  # claimed for a lease: a second sender does not get it


def test_an_anonymous_request_keeps_no_personal_field(store, person):
    store.create(
        person, Draft("first", "anonymous", "fr", "93", alias="x", phone="y", message="z"), "key-anon"
    )
    (item,) = store.due()
    assert (item.draft.alias, item.draft.phone, item.draft.message) == (None, None, None)


def test_accept_tells_the_person_within_safe_times(store, db_engine, person):
    reference = store.create(person, draft(times="first"), "key-3").reference
    deliver_all(store)
    assert store.answer(reference, "second", "member", accept=True) == "late"  # not that group's request
    assert store.answer(reference, "first", "member", accept=True) == "accepted"
    assert store.answer(reference, "first", "member", accept=True) == "late"  # double tap
    (notice,) = outbox(db_engine, target=PERSON)
    assert notice.kind == "accepted" and notice.not_before is None  # held until the person writes
    store.attach_chat(person, 42)
    store.person_wrote(person)
    (item,) = store.due()
    assert item.kind == "accepted" and item.chat_id == 42
    assert store.requests_of(person)[0].status == ACCEPTED


def test_decline_passes_on_then_nobody_is_left(store, db_engine, person):
    reference = store.create(person, draft(), "key-4").reference
    deliver_all(store)
    assert store.answer(reference, "first", "m1", accept=False) == "declined"
    assert [r.association_id for r in outbox(db_engine, kind="request")] == ["first", "second"]
    deliver_all(store)
    assert store.answer(reference, "second", "m2", accept=False) == "declined"
    assert store.requests_of(person)[0].status == UNMATCHED
    kinds = [r.kind for r in outbox(db_engine, target=PERSON)]
    assert kinds == ["passed_on", "unmatched"]
    with db_engine.connect() as connection:
        actions = [(a.action, a.actor) for a in connection.execute(select(AuditRow).order_by(AuditRow.id))]
    assert actions == [("declined", "m1"), ("declined", "m2")]


def test_no_answer_in_time_moves_the_request_on(store, db_engine, person):
    store.create(person, draft(), "key-5")
    deliver_all(store)
    assert store.expire_unanswered(datetime.now(timezone.utc)) == 0
    assert store.expire_unanswered(datetime.now(timezone.utc) + timedelta(hours=2)) == 1
    kinds = [r.kind for r in outbox(db_engine, target="group")]
    assert kinds == ["request", "timed_out", "redacted", "request"]
    assert outbox(db_engine, kind="request")[-1].association_id == "second"


def test_withdrawal_erases_and_tells_the_association_that_had_it(store, db_engine, person):
    store.create(person, draft(), "key-6")
    deliver_all(store)
    assert store.withdraw(person) == 1
    with db_engine.connect() as connection:
        row = connection.execute(select(HandoverRow)).one()
    assert row.status == WITHDRAWN and row.personal is None and row.chat_ref is None
    assert row.outcome == "withdrawn"
    assert [r.kind for r in outbox(db_engine, target="group")] == ["request", "withdrawn", "redacted"]
    assert store.withdraw(person) == 0


def test_withdrawal_before_delivery_cancels_the_delivery(store, db_engine, person):
    store.create(person, draft(), "key-7")
    store.withdraw(person)
    assert store.due() == []
    assert [r.status for r in outbox(db_engine)] == ["dead"]


def test_quick_exit_pauses_until_the_person_writes(store, db_engine, person):
    reference = store.create(person, draft(), "key-8").reference
    deliver_all(store)
    store.answer(reference, "first", "member", accept=True)
    assert store.pause(person) == 1
    assert [item.kind for item in store.due()] == ["paused"]  # the group at once; the person's notice waits
    store.person_wrote(person)
    assert "resumed" in [r.kind for r in outbox(db_engine, target="group")]


def test_relay_both_ways_only_for_an_accepted_relay_level(store, db_engine, person):
    reference = store.create(person, draft(level=CONFIDENTIAL), "key-9").reference
    deliver_all(store)
    assert store.reply(reference, "first", 7, "hello") == "not_relayable", "not accepted yet"
    store.answer(reference, "first", "member", accept=True, account_id=7)
    assert store.reply(reference, "second", 7, "hello") == "unknown", "another association's request"
    assert store.reply(reference, "first", 7, "   ") == "not_relayable"
    assert store.reply(reference, "first", 7, "hello") == "queued"
    assert store.take_reply(person, "thanks") is None  # the person did not ask to answer
    assert store.open_reply(person) == reference
    assert store.take_reply(person, "thanks") == reference
    assert store.take_reply(person, "again") is None  # one answer per tap
    to_person, notice = outbox(db_engine, kind="relay")
    assert (to_person.target, notice.target) == (PERSON, "group")
    assert notice.body is None, "the group learns that the person wrote, never what"
    with db_engine.connect() as connection:
        thread = connection.execute(select(RelayMessageRow).order_by(RelayMessageRow.id)).all()
    assert [row.direction for row in thread] == ["to_person", "from_person"]
    assert all(row.text not in ("hello", "thanks") for row in thread), "kept encrypted"


def test_the_inbox_moves_a_request_to_in_contact_then_closes_it_with_an_outcome(store, db_engine, person):
    reference = store.create(person, draft(), "key-contact").reference
    assert not store.contact_made(reference, "first", "member"), "not accepted yet"
    store.answer(reference, "first", "member", accept=True, account_id=3)
    assert store.contact_made(reference, "first", "member")
    assert store.requests_of(person)[0].status == "in_contact"
    with pytest.raises(ValueError):
        store.close(reference, "first", "member", "forgotten")
    assert store.close(reference, "first", "member", "referred")
    with db_engine.connect() as connection:
        row = connection.execute(select(HandoverRow)).one()
    assert (row.status, row.outcome, row.holder_account_id) == ("closed", "referred", 3)


def test_a_group_notice_that_never_arrives_is_dropped_and_the_request_stays_in_the_inbox(
    store, db_engine, person
):
    store.create(person, draft(), "key-10")
    for attempt in range(3):
        (item,) = store.due(datetime.now(timezone.utc) + timedelta(minutes=10 * (attempt + 1)))
        dropped = store.mark_failed(item.id)
    assert dropped
    assert [(r.association_id, r.status) for r in outbox(db_engine, kind="request")] == [("first", "dead")]
    (still,) = store.requests_of(person)
    assert still.status == WAITING and still.association_id == "first"
    assert backoff(1) == timedelta(seconds=15) and backoff(20) == timedelta(hours=1)


def test_retention_erases_closed_requests_after_the_delay(store, db_engine, person):
    reference = store.create(person, draft(), "key-11").reference
    deliver_all(store)
    store.answer(reference, "first", "member", accept=True)
    assert store.close(reference, "first", "member", "supported")
    now = datetime.now(timezone.utc)
    assert store.apply_retention(now + timedelta(days=29)) == 0
    assert store.apply_retention(now + timedelta(days=31)) == 1
    with db_engine.connect() as connection:
        row = connection.execute(select(HandoverRow)).one()
    assert row.personal is None and row.erased_at is not None and row.status == "closed"


def test_open_requests_are_not_touched_by_retention(store, person):
    store.create(person, draft(), "key-12")
    assert store.apply_retention(datetime.now(timezone.utc) + timedelta(days=365)) == 0
    assert store.requests_of(person)[0].status == WAITING


def test_every_way_a_request_leaves_an_association_redacts_its_copy(store, person):
    """Withdrawn, declined, timed out or closed and past retention: the group's copy is edited (H5)."""
    store.policy = Policy(answer_delay=timedelta(hours=1), retention=timedelta(0))
    for index, leave in enumerate(("withdraw", "decline", "time out", "close")):
        owner = f"{person[:-1]}{index}"
        created = store.create(owner, draft(), f"h5-{index}")
        (request,) = store.due()
        store.mark_sent(request.id, -100, 40 + index)
        if leave == "withdraw":
            store.withdraw(owner)
        elif leave == "decline":
            store.answer(created.reference, "first", "member", accept=False)
        elif leave == "time out":
            store.expire_unanswered(datetime.now(timezone.utc) + timedelta(days=2))
        else:
            store.answer(created.reference, "first", "member", accept=True)
            store.close(created.reference, "first", "member", "supported")
            store.apply_retention(datetime.now(timezone.utc) + timedelta(seconds=1))
        later = datetime.now(timezone.utc) + timedelta(days=3)
        due = store.due(later)
        redactions = [item for item in due if item.kind == Kind.REDACT]
        assert [(item.body or {}).get("message") for item in redactions] == [40 + index], leave
        for item in due:
            store.mark_sent(item.id)


def test_a_copy_posted_while_the_request_was_withdrawn_is_redacted_at_once(store, person):
    """The withdrawal lands between Telegram's answer and the commit: the copy must still go."""
    store.create(person, draft(), "in-flight")
    (request,) = store.due()  # claimed: on its way to the group
    store.withdraw(person)
    store.mark_sent(request.id, -100, 77)  # Telegram had accepted it
    redactions = [item for item in store.due(datetime.now(timezone.utc)) if item.kind == Kind.REDACT]
    assert [(item.body or {}).get("message") for item in redactions] == [77]


def test_a_request_posted_after_a_quick_exit_is_followed_by_do_not_contact(store, person):
    """The exit lands while the request is on its way: the group still learns not to make contact."""
    store.create(person, draft(), "in-flight-pause")
    (request,) = store.due()
    store.pause(person)  # nothing was delivered yet: no notice so far
    store.mark_sent(request.id, -100, 78)
    kinds = [item.kind for item in store.due(datetime.now(timezone.utc))]
    assert kinds == [Kind.PAUSED]


def test_a_move_the_table_refuses_changes_nothing(store, db_engine, person):
    reference = store.create(person, draft(), "key-moves").reference
    deliver_all(store)
    assert not store.close(reference, "first", "member", "supported"), "a waiting request cannot be closed"
    assert store.answer(reference, "first", "member", accept=True) == "accepted"
    assert store.answer(reference, "first", "member", accept=True) == "late", "accepted once"
    assert store.close(reference, "first", "member", "supported")
    assert not store.close(reference, "first", "member", "supported"), "closed once"
    assert store.withdraw(person) == 0, "a closed request is no longer the person's to withdraw"
    with db_engine.connect() as connection:
        row = connection.execute(select(HandoverRow)).one()
    assert row.status == "closed" and row.closed_at is not None


def test_a_notice_queued_before_the_chat_was_known_goes_once_it_is(store, person):
    """The association answers before the turn that sent the request has recorded its chat."""
    reference = store.create(person, draft(), "key-early").reference
    deliver_all(store)
    store.answer(reference, "first", "member", accept=True)
    (early,) = store.due()
    assert early.kind == "accepted" and early.chat_id is None
    store.mark_not_now(early.id, None)  # what the delivery does with no chat: hold it
    assert store.due(datetime.now(timezone.utc) + timedelta(days=1)) == []
    store.attach_chat(person, "tok" * 15, "web")
    (item,) = store.due(datetime.now(timezone.utc) + timedelta(minutes=2), channels=("web",))
    assert item.kind == "accepted" and item.chat_id == "tok" * 15 and item.channel == "web"


def test_two_senders_never_both_deliver_a_message_whose_first_lease_ran_out(store, db_engine, cipher, person):
    """Audit M12: two instances share the outbox; a round of the first outlasts its lease."""
    clock = {"now": datetime.now(timezone.utc)}
    first = Handovers(db_engine, cipher, next_in_order, store.policy, clock=lambda: clock["now"])
    second = Handovers(db_engine, cipher, next_in_order, store.policy, clock=lambda: clock["now"])
    first.create(person, draft(), "key-m12")
    (item,) = first.due(clock["now"])
    assert second.due(clock["now"]) == [], "claimed: the second sender waits"
    clock["now"] += store.policy.lease + timedelta(seconds=1)  # the first is still busy elsewhere
    (again,) = second.due(clock["now"])
    assert again.id == item.id
    assert not first.still_claimed(item.id), "the first must not post it as well"
    assert not first.mark_failed(item.id), "nor reschedule what the second is sending"
    assert second.still_claimed(item.id)
    second.mark_sent(again.id, 555, 1)
    assert [r.status for r in outbox(db_engine, kind="request")] == ["sent"]
