"""Self-screening: one question at a time, answers only in the conversation state, a result once."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import ScreenAction, entity_value
from core import payloads
from core.i18n import N_, tr
from core.payloads import make as payload
from core.rights import load as load_rights
from core.screening import ANSWERS, VERSIONS, Question
from core.screening import load as load_screening
from core.screens import Button, Screen

VERSION_SLOT = "screening_version"
ANSWERS_SLOT = "screening_answers"
MAX_SCREEN = 700
MAX_RIGHTS_LINKS = 4
ANSWER_LABELS = {
    "yes": N_("screening.button.yes"),
    "no": N_("screening.button.no"),
    "skip": N_("screening.button.skip"),
}
CONTROLS = {
    "back": ("screening_back", N_("screening.button.back")),
    "pause": ("screening_pause", N_("screening.button.pause")),
    "stop": ("screening_stop", N_("screening.button.stop")),
    "resume": ("screening_resume", N_("screening.button.resume")),
    "start": ("screening_restart", N_("screening.button.start")),
}


def state(tracker: Tracker) -> tuple[str | None, list[str]]:
    """The version in progress (or None) and the answers given so far."""
    version = tracker.get_slot(VERSION_SLOT)
    return (version if version in VERSIONS else None), list(tracker.get_slot(ANSWERS_SLOT) or [])


def control_buttons(language: str, *keys: str) -> tuple[Button, ...]:
    buttons = tuple(Button(tr(language, CONTROLS[key][1]), payload(CONTROLS[key][0])) for key in keys)
    return (*buttons, Button(tr(language, "menu.button.erase"), payloads.ERASE))


def age_screen(language: str) -> Screen:
    text = tr(language, "screening.text.intro") + "\n\n" + tr(language, "screening.text.age_question")
    buttons = (
        Button(tr(language, "screening.button.over18"), payload("screening_age", age="adult")),
        Button(tr(language, "screening.button.under18"), payload("screening_age", age="minor")),
        *control_buttons(language, "stop"),
    )
    return Screen(text, language, buttons, protect=True)


def question_screen(language: str, version: str, index: int) -> Screen:
    questions = load_screening().questions(version)
    progress = tr(language, "screening.text.progress", number=index + 1, total=len(questions))
    text = progress + "\n" + tr(language, questions[index].question_msgid)
    answers = tuple(
        Button(tr(language, ANSWER_LABELS[answer]), payload("screening_answer", answer=answer))
        for answer in ANSWERS
    )
    return Screen(
        text, language, (*answers, *control_buttons(language, "back", "pause", "stop")), protect=True
    )


def chunks(lines: list[str], limit: int = MAX_SCREEN) -> list[str]:
    """Group lines into texts that fit a phone screen."""
    texts, current = [], ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if current and len(candidate) > limit:
            texts.append(current)
            candidate = line
        current = candidate
    return [*texts, current] if current else texts


def rights_buttons(language: str, found: list[Question]) -> list[Button]:
    """Links to the rights topics the findings point to, most relevant first."""
    content, seen, buttons = load_rights(), [], []
    for topic_id in (t for q in found for t in q.rights):
        topic = content.topic(topic_id)
        if topic and topic_id not in seen and len(seen) < MAX_RIGHTS_LINKS:
            seen.append(topic_id)
            buttons.append(Button(tr(language, topic.label_msgid), "/" + topic.intent))
    return buttons


def result_screens(language: str, version: str, answers: list[str]) -> list[Screen]:
    """What the answers match, what rights apply, who can help; never a label."""
    questions = load_screening().questions(version)
    found = [q for q, answer in zip(questions, answers, strict=False) if answer == "yes"]
    closing = [Button(tr(language, "menu.button.association"), payloads.ASSOCIATION)]
    if any(q.danger for q in found):
        closing.append(Button(tr(language, "menu.button.emergency"), payloads.EMERGENCY))
    closing += [Button(tr(language, "menu.button.back"), payloads.MENU), *control_buttons(language)]
    if found:
        lines = [tr(language, "screening.text.result_intro")] + [
            f"• {tr(language, q.finding_msgid)}" for q in found
        ]
    else:
        lines = [tr(language, "screening.text.result_none")]
    extra = [N_("screening.text.result_danger")] if any(q.danger for q in found) else []
    extra += [N_("screening.text.result_minor")] if version == "minor" else []
    texts = chunks(lines) + [tr(language, msgid) for msgid in extra]
    screens = [Screen(text, language, protect=True) for text in texts]
    screens[-1] = Screen(texts[-1], language, (*rights_buttons(language, found), *closing), protect=True)
    return screens


def cleared() -> list[EventType]:
    """Forget the version and every answer."""
    return [SlotSet(VERSION_SLOT, None), SlotSet(ANSWERS_SLOT, None)]


class ScreeningAction(ScreenAction):
    """Base of the screening actions: sensitive, so the safety question comes first."""

    sensitive = True


class ActionScreeningStart(ScreeningAction):
    """Check my situation: resume one in progress, or the introduction and the age question."""

    action_name = "action_screening_start"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        version, _ = state(tracker)
        if version:
            text = tr(language, "screening.text.paused")
            return [
                Screen(text, language, control_buttons(language, "resume", "start", "stop"), protect=True)
            ]
        return [age_screen(language)]


class ActionScreeningAge(ScreeningAction):
    """The age answer chooses the version; then the first question."""

    action_name = "action_screening_age"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        version = entity_value(tracker, "age")
        return [question_screen(language, version, 0) if version in VERSIONS else age_screen(language)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        version = entity_value(tracker, "age")
        return [SlotSet(VERSION_SLOT, version), SlotSet(ANSWERS_SLOT, [])] if version in VERSIONS else []


class ActionScreeningAnswer(ScreeningAction):
    """Record one answer in the conversation state; the next question, or the result once."""

    action_name = "action_screening_answer"

    def _next(self, tracker: Tracker) -> tuple[str | None, list[str]]:
        version, answers = state(tracker)
        answer = entity_value(tracker, "answer")
        if version and answer in ANSWERS:
            answers.append(answer)
        return version, answers

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        version, answers = self._next(tracker)
        if version is None:
            return [age_screen(language)]
        if len(answers) >= len(load_screening().questions(version)):
            return result_screens(language, version, answers)
        return [question_screen(language, version, len(answers))]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        version, answers = self._next(tracker)
        if version and len(answers) >= len(load_screening().questions(version)):
            return cleared()  # the result is shown once; nothing of the answers remains
        return [SlotSet(ANSWERS_SLOT, answers)] if version else []


class ActionScreeningBack(ScreeningAction):
    """Go back one question (to the age question from the first)."""

    action_name = "action_screening_back"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        version, answers = state(tracker)
        if version is None or not answers:
            return [age_screen(language)]
        return [question_screen(language, version, len(answers) - 1)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        version, answers = state(tracker)
        return [SlotSet(ANSWERS_SLOT, answers[:-1])] if version and answers else cleared()


class ActionScreeningPause(ScreeningAction):
    """Pause: the answers stay in the conversation state until it expires."""

    action_name = "action_screening_pause"
    sensitive = False

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        buttons = (
            *control_buttons(language, "resume", "stop"),
            Button(tr(language, "menu.button.back"), payloads.MENU),
        )
        return [Screen(tr(language, "screening.text.paused"), language, buttons)]


class ActionScreeningResume(ScreeningAction):
    """Back to the current question."""

    action_name = "action_screening_resume"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        version, answers = state(tracker)
        return [question_screen(language, version, len(answers)) if version else age_screen(language)]


class ActionScreeningStop(ScreeningAction):
    """Stop: every answer is forgotten at once."""

    action_name = "action_screening_stop"
    sensitive = False

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        menu = Button(tr(language, "menu.button.back"), payloads.MENU)
        return [Screen(tr(language, "screening.text.stopped"), language, (menu,))]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        return cleared()


class ActionScreeningRestart(ActionScreeningStop):
    """Start again from the age question, forgetting the earlier answers."""

    action_name = "action_screening_restart"
    sensitive = True

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [age_screen(language)]


def in_progress(tracker: Tracker) -> bool:
    """A screening is under way (for the emergency screen's resume button)."""
    return state(tracker)[0] is not None
