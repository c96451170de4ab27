"""Catalog ids the inbox builds at run time (statuses, outcomes, roles, results of an action), so
that extraction finds them and the catalog tests check every language has them."""

from __future__ import annotations

from core.i18n import N_

STATUSES = (
    N_("inbox.status.waiting"),
    N_("inbox.status.accepted"),
    N_("inbox.status.in_contact"),
    N_("inbox.status.closed"),
    N_("inbox.status.withdrawn"),
    N_("inbox.status.unmatched"),
)
OUTCOMES = (
    N_("inbox.outcome.supported"),
    N_("inbox.outcome.referred"),
    N_("inbox.outcome.no_contact"),
    N_("inbox.outcome.withdrawn"),
)
ROLES = (N_("inbox.role.coordinator"), N_("inbox.role.member"))
COUNTS = (
    N_("inbox.counts.by.departement"),
    N_("inbox.counts.by.form"),
    N_("inbox.counts.by.age"),
    N_("inbox.counts.by.language"),
    N_("inbox.counts.by.level"),
    N_("inbox.counts.by.outcome"),
    N_("inbox.counts.age.adult"),
    N_("inbox.counts.age.minor"),
)
# What the detail page says after an action (`?done=` names one of these, nothing else is shown).
RESULTS = (
    N_("inbox.done.accepted"),
    N_("inbox.done.declined"),
    N_("inbox.done.late"),
    N_("inbox.done.unknown"),
    N_("inbox.done.in_contact"),
    N_("inbox.done.reply_queued"),
    N_("inbox.done.reply_not_relayable"),
    N_("inbox.done.reply_unknown"),
    N_("inbox.done.reply_invalid"),
    N_("inbox.done.note_added"),
    N_("inbox.done.note_refused"),
    N_("inbox.done.date_set"),
    N_("inbox.done.date_invalid"),
    N_("inbox.done.closed"),
    N_("inbox.done.outcome_missing"),
)
ERRORS = (
    N_("inbox.setup.link_unknown_or_used"),
    N_("inbox.setup.link_expired"),
    N_("inbox.setup.setup_not_begun"),
    N_("inbox.setup.wrong_code"),
    N_("inbox.setup.password_too_short"),
    N_("inbox.setup.passwords_differ"),
    N_("inbox.login.too_many"),
    N_("inbox.login.locked"),
    N_("inbox.login.refused"),
    N_("inbox.error.form_expired"),
    N_("inbox.error.not_found"),
    N_("inbox.error.coordinators_only"),
    N_("inbox.error.server"),
    N_("inbox.members.error.unknown_role"),
    N_("inbox.members.error.empty"),
    N_("inbox.members.error.login_taken"),
)
# How the access log names each action (storage.inbox_sessions.ACTIONS).
LOGGED = (
    N_("inbox.logged.login"),
    N_("inbox.logged.logout"),
    N_("inbox.logged.logout_everywhere"),
    N_("inbox.logged.list"),
    N_("inbox.logged.view"),
    N_("inbox.logged.accept"),
    N_("inbox.logged.decline"),
    N_("inbox.logged.in_contact"),
    N_("inbox.logged.reply"),
    N_("inbox.logged.note"),
    N_("inbox.logged.next_contact"),
    N_("inbox.logged.close"),
    N_("inbox.logged.counts"),
    N_("inbox.logged.export"),
    N_("inbox.logged.access_log"),
    N_("inbox.logged.members"),
    N_("inbox.logged.add_member"),
    N_("inbox.logged.new_link"),
    N_("inbox.logged.unlock"),
    N_("inbox.logged.group_confirmed"),
    N_("inbox.logged.group_refused"),
)
RESULT_NAMES = frozenset(text.rsplit(".", 1)[1] for text in RESULTS)
