"""Worker mode: pick a profile and a checklist, tick what was observed, get a summary and next steps.

Nothing about the situation is stored: the ticks live in the conversation state and are cleared
once the summary is shown.
"""

from __future__ import annotations

from collections import Counter

from rasa_sdk.events import SlotSet

from actions import stores
from actions.base import Reply, ScreenAction, Turn
from core import payloads
from core.common_screens import back_to_menu
from core.directory import Association
from core.handoff_link import start_parameter
from core.i18n import tr
from core.languages import NATIVE_NAMES, SUPPORTED
from core.payloads import make as payload  # noqa: F401 - tests/e2e import it from here; nothing here calls it
from core.screens import Button, Directive, Screen
from core.worker import load
from core.worker_profiles import detect_profile

PROFILE_SLOT = "worker_profile"
FORM_SLOT = "worker_form"
TICKED_SLOT = "worker_ticked"
KEEP_PROFILE = "_"  # the checklists again, with the profile already chosen
OTHER_PROFILE = "other"
MAX_HANDOFF_ASSOCIATIONS = 10
MAX_BUTTON_NAME = 60


def profiles_screen(language: str) -> Screen:
    """One button per profile."""
    buttons = tuple(
        Button(tr(language, f"worker.profile.{p}.title"), payloads.worker_profile(p)) for p in load().profiles
    )
    return Screen(tr(language, "worker.choose_profile"), language, buttons)


def forms_screen(language: str) -> Screen:
    """One button per checklist, the talk card, and the profiles."""
    buttons = [Button(tr(language, f"worker.form.{f}.title"), payloads.worker_form(f)) for f in load().forms]
    buttons.append(Button(tr(language, "worker.button.talk"), payloads.worker_talk()))
    buttons.append(Button(tr(language, "worker.button.profiles"), payloads.PROFESSIONAL))
    return Screen(tr(language, "worker.choose_form"), language, tuple(buttons))


def checklist_screen(language: str, form: str, ticked: list[str]) -> Screen:
    """The items with full wording; numbered toggles below, edited in place when tapped."""
    items = load().forms[form]
    # A neutral first line: a form's title ("sexual exploitation") must not show on a lock screen.
    lead, title = tr(language, "worker.checklist.lead"), tr(language, f"worker.form.{form}.title")
    lines = [lead, title, tr(language, "worker.checklist.help"), ""]
    lines += [f"{n}. {tr(language, f'worker.item.{item.id}')}" for n, item in enumerate(items, 1)]
    toggles = tuple(
        Button(("☑ " if item.id in ticked else "☐ ") + str(n), payloads.worker_toggle(item.id), compact=True)
        for n, item in enumerate(items, 1)
    )
    done = Button(tr(language, "worker.button.done", count=len(ticked)), payloads.worker_done())
    back = Button(tr(language, "worker.button.forms"), payloads.worker_profile(KEEP_PROFILE))
    return Screen("\n".join(lines), language, (*toggles, done, back))


def known_profile(profile: str | None) -> str:
    """The profile if it is one of the content's, else "other"."""
    return profile if profile is not None and profile in load().profiles else OTHER_PROFILE


def next_steps_buttons(language: str, profile: str) -> tuple[Button, ...]:
    """Refer, hand-off link, talk card, checklists, menu."""
    return (
        Button(tr(language, "worker.button.refer"), payloads.handover_refer()),
        Button(tr(language, "worker.button.handoff"), payloads.worker_handoff()),
        Button(tr(language, "worker.button.talk"), payloads.worker_talk()),
        Button(tr(language, "worker.button.forms"), payloads.worker_profile(profile)),
        *back_to_menu(language),
    )


def summary_screens(language: str, profile: str | None, ticked: list[str]) -> list[Screen]:
    """Counts per family, spotting versus identification, next steps for the profile."""
    content = load()
    families = Counter(item.family for item in (content.item(i) for i in ticked) if item is not None)
    if families:
        counts = [f"• {tr(language, f'worker.family.{f}')}: {n}" for f, n in families.most_common()]
        total = tr(language, "worker.summary.total", count=sum(families.values()))
        first = tr(language, "worker.summary.intro") + "\n\n" + total + "\n" + "\n".join(counts)
    else:
        first = tr(language, "worker.summary.none")
    known = known_profile(profile)
    return [
        Screen(first, language),
        Screen(tr(language, f"worker.profile.{known}.next"), language, next_steps_buttons(language, known)),
    ]


def talk_buttons(language: str, profile: str) -> tuple[Button, ...]:
    """Checklists, refer, hand-off link, menu."""
    return (
        Button(tr(language, "worker.button.forms"), payloads.worker_profile(profile)),
        Button(tr(language, "worker.button.refer"), payloads.handover_refer()),
        Button(tr(language, "worker.button.handoff"), payloads.worker_handoff()),
        *back_to_menu(language),
    )


class ActionWorkerStart(ScreenAction):
    """I am a professional: choose a profile, unless the message already named it."""

    action_name = "action_worker_start"

    def respond(self, turn: Turn) -> Reply:
        """The checklists when the words named a profile ("I'm a nurse"); the profiles otherwise."""
        profile = None if turn.is_button else detect_profile(turn.text)
        if profile is None:
            return Reply.of(profiles_screen(turn.language))
        title = tr(turn.language, f"worker.profile.{profile}.title")
        lead = tr(turn.language, "worker.profile_named", profile=title)
        forms = forms_screen(turn.language)
        screen = Screen(lead + "\n\n" + forms.text, turn.language, forms.buttons)
        return Reply.of(screen, events=[SlotSet(PROFILE_SLOT, profile)])


def handoff_languages(language: str) -> Screen:
    """Which language the person reads."""
    buttons = tuple(Button(NATIVE_NAMES[code], payloads.worker_handoff(code)) for code in SUPPORTED)
    return Screen(tr(language, "worker.handoff.language"), language, buttons)


def handoff_associations(language: str, chosen: str, reachable: list[Association]) -> Screen:
    """Which association the link leads to."""
    if not reachable:
        return Screen(tr(language, "handover.none_reachable"), language, back_to_menu(language))
    buttons = tuple(
        Button(a.name[:MAX_BUTTON_NAME], payloads.worker_handoff(chosen, a.id))
        for a in reachable[:MAX_HANDOFF_ASSOCIATIONS]
    )
    return Screen(tr(language, "worker.handoff.association"), language, buttons)


class ActionWorkerHandoff(ScreenAction):
    """A link or QR code that opens the assistant for the person, in a language, towards an association."""

    action_name = "action_worker_handoff"

    def respond(self, turn: Turn) -> Reply:
        """The language, then the association, then the link."""
        chosen, association = turn.entity("lang_code"), turn.entity("a")
        if chosen is None or chosen not in SUPPORTED:
            return Reply.of(handoff_languages(turn.language))
        reachable = {a.id: a for a in stores.directory().reachable()}
        if association is None or association not in reachable:
            return Reply.of(handoff_associations(turn.language, chosen, list(reachable.values())))
        text = tr(turn.language, "worker.handoff.ready", name=reachable[association].name)
        handoff = start_parameter(chosen, association)
        return Reply.of(Screen(text, turn.language, back_to_menu(turn.language), handoff=handoff))


class ActionWorkerProfile(ScreenAction):
    """A profile is chosen (or kept): choose a checklist."""

    action_name = "action_worker_profile"

    def respond(self, turn: Turn) -> Reply:
        """The checklists; a known profile is remembered."""
        profile = turn.entity("p")
        events = [SlotSet(PROFILE_SLOT, profile)] if profile in load().profiles else []
        return Reply.of(forms_screen(turn.language), events=events)


class ActionWorkerForm(ScreenAction):
    """A checklist is opened, with nothing ticked."""

    action_name = "action_worker_form"

    def respond(self, turn: Turn) -> Reply:
        """The checklist of a known form; the checklists otherwise."""
        form = turn.entity("f")
        if form is None or form not in load().forms:
            return Reply.of(forms_screen(turn.language))
        opened = [SlotSet(FORM_SLOT, form), SlotSet(TICKED_SLOT, [])]
        return Reply.of(checklist_screen(turn.language, form, []), events=opened)


def toggled(turn: Turn) -> list[str]:
    """The ticked items after this tap."""
    ticked = turn.slot_list(TICKED_SLOT)
    item_id = turn.entity("i")
    if item_id and load().item(item_id):
        if item_id in ticked:
            ticked.remove(item_id)
        else:
            ticked.append(item_id)
    return ticked


class ActionWorkerToggle(ScreenAction):
    """Tick or untick one item; the same message is edited, no new one is sent."""

    action_name = "action_worker_toggle"

    def respond(self, turn: Turn) -> Reply:
        """The same checklist, edited in place, with the item ticked or unticked."""
        ticked = toggled(turn)
        form = turn.slot_text(FORM_SLOT)
        if form is None or form not in load().forms:
            return Reply.of(forms_screen(turn.language), events=[SlotSet(TICKED_SLOT, ticked)])
        screen = checklist_screen(turn.language, form, ticked)
        edited = Screen(screen.text, turn.language, screen.buttons, directives=frozenset({Directive.EDIT}))
        return Reply.of(edited, events=[SlotSet(TICKED_SLOT, ticked)])


class ActionWorkerDone(ScreenAction):
    """The summary; then the ticks are forgotten."""

    action_name = "action_worker_done"

    def respond(self, turn: Turn) -> Reply:
        """The summary and next steps, then forget the checklist."""
        screens = summary_screens(turn.language, turn.slot_text(PROFILE_SLOT), turn.slot_list(TICKED_SLOT))
        return Reply.of(*screens, events=[SlotSet(FORM_SLOT, None), SlotSet(TICKED_SLOT, None)])


class ActionWorkerTalk(ScreenAction):
    """How to talk with a possible victim, for the chosen profile."""

    action_name = "action_worker_talk"

    def respond(self, turn: Turn) -> Reply:
        """The profile's talk card."""
        profile = known_profile(turn.slot_text(PROFILE_SLOT))
        text = tr(turn.language, f"worker.profile.{profile}.talk")
        return Reply.of(Screen(text, turn.language, talk_buttons(turn.language, profile)))
