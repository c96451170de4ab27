"""Worker mode: pick a profile and a checklist, tick what was observed, get a summary and next steps.

Nothing about the situation is stored: the ticks live in the conversation state and are cleared
once the summary is shown.
"""

from __future__ import annotations

from collections import Counter

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import stores
from actions.base import ScreenAction, entity_value
from core import payloads
from core.common_screens import back_to_menu
from core.handoff_link import start_parameter
from core.i18n import tr
from core.languages import NATIVE_NAMES, SUPPORTED
from core.payloads import make as payload
from core.screens import Button, Directive, Screen
from core.worker import load
from core.worker_profiles import detect_profile

PROFILE_SLOT = "worker_profile"
FORM_SLOT = "worker_form"
TICKED_SLOT = "worker_ticked"


def profiles_screen(language: str) -> Screen:
    buttons = tuple(
        Button(tr(language, f"worker.profile.{p}.title"), payload("worker_profile", p=p))
        for p in load().profiles
    )
    return Screen(tr(language, "worker.choose_profile"), language, buttons)


def forms_screen(language: str) -> Screen:
    buttons = [
        Button(tr(language, f"worker.form.{f}.title"), payload("worker_form", f=f)) for f in load().forms
    ]
    buttons.append(Button(tr(language, "worker.button.talk"), payload("worker_talk")))
    buttons.append(Button(tr(language, "worker.button.profiles"), payloads.PROFESSIONAL))
    return Screen(tr(language, "worker.choose_form"), language, tuple(buttons))


def checklist_screen(language: str, form: str, ticked: list[str]) -> Screen:
    """The items with full wording; numbered toggles below, edited in place when tapped."""
    items = load().forms[form]
    lines = [tr(language, f"worker.form.{form}.title"), tr(language, "worker.checklist.help"), ""]
    lines += [f"{n}. {tr(language, f'worker.item.{item.id}')}" for n, item in enumerate(items, 1)]
    toggles = tuple(
        Button(
            ("☑ " if item.id in ticked else "☐ ") + str(n), payload("worker_toggle", i=item.id), compact=True
        )
        for n, item in enumerate(items, 1)
    )
    done = Button(tr(language, "worker.button.done", count=len(ticked)), payload("worker_done"))
    back = Button(tr(language, "worker.button.forms"), payload("worker_profile", p="_"))
    return Screen("\n".join(lines), language, (*toggles, done, back))


def summary_screens(language: str, profile: str | None, ticked: list[str]) -> list[Screen]:
    """Counts per family, spotting versus identification, next steps for the profile."""
    content = load()
    families = Counter(content.item(i).family for i in ticked if content.item(i))
    if families:
        counts = [f"• {tr(language, f'worker.family.{f}')}: {n}" for f, n in families.most_common()]
        total = tr(language, "worker.summary.total", count=sum(families.values()))
        first = tr(language, "worker.summary.intro") + "\n\n" + total + "\n" + "\n".join(counts)
    else:
        first = tr(language, "worker.summary.none")
    profile = profile if profile in content.profiles else "other"
    buttons = (
        Button(tr(language, "worker.button.refer"), payload("handover_refer")),
        Button(tr(language, "worker.button.handoff"), payload("worker_handoff")),
        Button(tr(language, "worker.button.talk"), payload("worker_talk")),
        Button(tr(language, "worker.button.forms"), payload("worker_profile", p=profile)),
        Button(tr(language, "menu.button.back"), payloads.MENU),
    )
    return [
        Screen(first, language),
        Screen(tr(language, f"worker.profile.{profile}.next"), language, buttons),
    ]


def named_profile(tracker: Tracker) -> str | None:
    """The profile a worker named in free text ("I'm a nurse"), if any."""
    text = str(tracker.latest_message.get("text") or "")
    return None if text.startswith("/") else detect_profile(text)


class ActionWorkerStart(ScreenAction):
    """I am a professional: choose a profile, unless the message already named it."""

    action_name = "action_worker_start"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        profile = named_profile(tracker)
        if profile is None:
            return [profiles_screen(language)]
        lead = tr(language, "worker.profile_named", profile=tr(language, f"worker.profile.{profile}.title"))
        forms = forms_screen(language)
        return [Screen(lead + "\n\n" + forms.text, language, forms.buttons)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        profile = named_profile(tracker)
        return [SlotSet(PROFILE_SLOT, profile)] if profile else []


class ActionWorkerHandoff(ScreenAction):
    """A link or QR code that opens the assistant for the person, in a language, towards an association."""

    action_name = "action_worker_handoff"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        chosen, association = entity_value(tracker, "lang_code"), entity_value(tracker, "a")
        if chosen not in SUPPORTED:
            buttons = tuple(
                Button(NATIVE_NAMES[code], payload("worker_handoff", lang_code=code)) for code in SUPPORTED
            )
            return [Screen(tr(language, "worker.handoff.language"), language, buttons)]
        reachable = {a.id: a for a in stores.directory().reachable()}
        if association not in reachable:
            return [self._associations(language, chosen, list(reachable.values()))]
        text = tr(language, "worker.handoff.ready", name=reachable[association].name)
        handoff = start_parameter(chosen, association)
        return [Screen(text, language, back_to_menu(language), handoff=handoff)]

    @staticmethod
    def _associations(language: str, chosen: str, reachable: list) -> Screen:
        if not reachable:
            return Screen(tr(language, "handover.none_reachable"), language, back_to_menu(language))
        buttons = tuple(
            Button(a.name[:60], payload("worker_handoff", lang_code=chosen, a=a.id)) for a in reachable[:10]
        )
        return Screen(tr(language, "worker.handoff.association"), language, buttons)


class ActionWorkerProfile(ScreenAction):
    """A profile is chosen (or kept): choose a checklist."""

    action_name = "action_worker_profile"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [forms_screen(language)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        profile = entity_value(tracker, "p")
        return [SlotSet(PROFILE_SLOT, profile)] if profile in load().profiles else []


class ActionWorkerForm(ScreenAction):
    """A checklist is opened, with nothing ticked."""

    action_name = "action_worker_form"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        form = entity_value(tracker, "f")
        return [checklist_screen(language, form, []) if form in load().forms else forms_screen(language)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        form = entity_value(tracker, "f")
        return [SlotSet(FORM_SLOT, form), SlotSet(TICKED_SLOT, [])] if form in load().forms else []


class ActionWorkerToggle(ScreenAction):
    """Tick or untick one item; the same message is edited, no new one is sent."""

    action_name = "action_worker_toggle"

    def _ticked(self, tracker: Tracker) -> list[str]:
        ticked = list(tracker.get_slot(TICKED_SLOT) or [])
        item_id = entity_value(tracker, "i")
        if item_id and load().item(item_id):
            ticked.remove(item_id) if item_id in ticked else ticked.append(item_id)
        return ticked

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        form = tracker.get_slot(FORM_SLOT)
        if form not in load().forms:
            return [forms_screen(language)]
        screen = checklist_screen(language, form, self._ticked(tracker))
        return [Screen(screen.text, language, screen.buttons, directives=frozenset({Directive.EDIT}))]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        return [SlotSet(TICKED_SLOT, self._ticked(tracker))]


class ActionWorkerDone(ScreenAction):
    """The summary; then the ticks are forgotten."""

    action_name = "action_worker_done"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        ticked = list(tracker.get_slot(TICKED_SLOT) or [])
        return summary_screens(language, tracker.get_slot(PROFILE_SLOT), ticked)

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        return [SlotSet(FORM_SLOT, None), SlotSet(TICKED_SLOT, None)]


class ActionWorkerTalk(ScreenAction):
    """How to talk with a possible victim, for the chosen profile."""

    action_name = "action_worker_talk"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        profile = tracker.get_slot(PROFILE_SLOT)
        profile = profile if profile in load().profiles else "other"
        buttons = (
            Button(tr(language, "worker.button.forms"), payload("worker_profile", p=profile)),
            Button(tr(language, "worker.button.refer"), payload("handover_refer")),
            Button(tr(language, "worker.button.handoff"), payload("worker_handoff")),
            Button(tr(language, "menu.button.back"), payloads.MENU),
        )
        return [Screen(tr(language, f"worker.profile.{profile}.talk"), language, buttons)]
