"""Self-screening: one question at a time, answers only in the conversation state, a result once."""

from __future__ import annotations

from collections.abc import Callable

from rasa_sdk.events import EventType, SlotSet

from actions.base import Reply, ScreenAction, Turn
from core import payloads
from core.common_screens import back_to_menu, erase_button
from core.i18n import N_, tr
from core.payloads import make as payload  # noqa: F401 - tests/e2e import it from here; nothing here calls it
from core.plain_language import limits, units
from core.rights import load as load_rights
from core.screening import ANSWERS, VERSIONS, Question
from core.screening import load as load_screening
from core.screens import Button, Screen

VERSION_SLOT = "screening_version"
ANSWERS_SLOT = "screening_answers"
MAX_RIGHTS_LINKS = 4
# More findings than this would flood the person; the danger ones come first, the rest are named
# in one line (screening.text.result_more).
MAX_FINDINGS = 4
ANSWER_LABELS = {
    "yes": N_("screening.button.yes"),
    "no": N_("screening.button.no"),
    "skip": N_("screening.button.skip"),
}
CONTROLS: dict[str, tuple[Callable[[], str], str]] = {
    "back": (payloads.screening_back, N_("screening.button.back")),
    "pause": (payloads.screening_pause, N_("screening.button.pause")),
    "stop": (payloads.screening_stop, N_("screening.button.stop")),
    "resume": (payloads.screening_resume, N_("screening.button.resume")),
    "start": (payloads.screening_restart, N_("screening.button.start")),
}


def state(turn: Turn) -> tuple[str | None, list[str]]:
    """The version in progress (or None) and the answers given so far."""
    version = turn.slot_text(VERSION_SLOT)
    return (version if version in VERSIONS else None), turn.slot_list(ANSWERS_SLOT)


def in_progress(turn: Turn) -> bool:
    """A screening is under way (for the emergency screen's resume button)."""
    return state(turn)[0] is not None


def control_buttons(language: str, *keys: str) -> tuple[Button, ...]:
    """The named controls, then the quick exit."""
    buttons = tuple(Button(tr(language, CONTROLS[key][1]), CONTROLS[key][0]()) for key in keys)
    return (*buttons, erase_button(language))


def age_screen(language: str) -> Screen:
    """The introduction and the age question that chooses the version."""
    text = tr(language, "screening.text.intro") + "\n\n" + tr(language, "screening.text.age_question")
    buttons = (
        Button(tr(language, "screening.button.over18"), payloads.screening_age("adult")),
        Button(tr(language, "screening.button.under18"), payloads.screening_age("minor")),
        *control_buttons(language, "stop"),
    )
    return Screen(text, language, buttons, protect=True)


def question_screen(language: str, version: str, index: int) -> Screen:
    """One question, its progress, the answers and the controls."""
    questions = load_screening().questions(version)
    progress = tr(language, "screening.text.progress", number=index + 1, total=len(questions))
    text = progress + "\n" + tr(language, questions[index].question_msgid)
    answers = tuple(
        Button(tr(language, ANSWER_LABELS[answer]), payloads.screening_answer(answer)) for answer in ANSWERS
    )
    controls = control_buttons(language, "back", "pause", "stop")
    return Screen(text, language, (*answers, *controls), protect=True)


def chunks(lines: list[str], language: str) -> list[str]:
    """Group lines into screens a person who reads little can follow (core/plain_language.py)."""
    limit = limits(language).screen
    texts: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if current and units(candidate, language) > limit:
            texts.append(current)
            candidate = line
        current = candidate
    return [*texts, current] if current else texts


def rights_buttons(language: str, found: list[Question]) -> list[Button]:
    """Links to the rights topics the findings point to, most relevant first."""
    content = load_rights()
    seen: list[str] = []
    buttons: list[Button] = []
    for topic_id in (t for q in found for t in q.rights):
        topic = content.topic(topic_id)
        if topic and topic_id not in seen and len(seen) < MAX_RIGHTS_LINKS:
            seen.append(topic_id)
            buttons.append(Button(tr(language, topic.label_msgid), payloads.intent_only(topic.intent)))
    return buttons


def result_screens(language: str, version: str, answers: list[str]) -> list[Screen]:
    """What the answers match, what rights apply, who can help; never a label."""
    questions = load_screening().questions(version)
    found = [q for q, answer in zip(questions, answers, strict=False) if answer == "yes"]
    closing = [Button(tr(language, "menu.button.association"), payloads.ASSOCIATION)]
    if any(q.danger for q in found):
        closing.append(Button(tr(language, "menu.button.emergency"), payloads.EMERGENCY))
    closing += [*back_to_menu(language), *control_buttons(language)]
    if found:
        shown = sorted(found, key=lambda q: not q.danger)[:MAX_FINDINGS]  # stable: file order kept
        lines = [tr(language, "screening.text.result_intro")]
        lines += [f"• {tr(language, q.finding_msgid)}" for q in shown]
        lines += [tr(language, "screening.text.result_more")] if len(found) > len(shown) else []
    else:
        lines = [tr(language, "screening.text.result_none")]
    extra = [N_("screening.text.result_danger")] if any(q.danger for q in found) else []
    extra += [N_("screening.text.result_minor")] if version == "minor" else []
    texts = chunks(lines, language) + [tr(language, msgid) for msgid in extra]
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

    def respond(self, turn: Turn) -> Reply:
        """Offer to resume a screening in progress, or start one."""
        if not in_progress(turn):
            return Reply.of(age_screen(turn.language))
        buttons = control_buttons(turn.language, "resume", "start", "stop")
        paused = tr(turn.language, "screening.text.paused")
        return Reply.of(Screen(paused, turn.language, buttons, protect=True))


class ActionScreeningAge(ScreeningAction):
    """The age answer chooses the version; then the first question."""

    action_name = "action_screening_age"

    def respond(self, turn: Turn) -> Reply:
        """The first question of the chosen version; the age question again without one."""
        version = turn.entity("age")
        if version not in VERSIONS:
            return Reply.of(age_screen(turn.language))
        started = [SlotSet(VERSION_SLOT, version), SlotSet(ANSWERS_SLOT, [])]
        return Reply.of(question_screen(turn.language, version, 0), events=started)


class ActionScreeningAnswer(ScreeningAction):
    """Record one answer in the conversation state; the next question, or the result once."""

    action_name = "action_screening_answer"

    def respond(self, turn: Turn) -> Reply:
        """Keep the answer and ask the next question; after the last, show the result and forget."""
        version, answers = state(turn)
        if version is None:
            return Reply.of(age_screen(turn.language))
        answer = turn.entity("answer")
        if answer in ANSWERS:
            answers.append(answer)
        if len(answers) >= len(load_screening().questions(version)):
            # The result is shown once; nothing of the answers remains.
            return Reply.of(*result_screens(turn.language, version, answers), events=cleared())
        kept = SlotSet(ANSWERS_SLOT, answers)
        return Reply.of(question_screen(turn.language, version, len(answers)), events=[kept])


class ActionScreeningBack(ScreeningAction):
    """Go back one question (to the age question from the first)."""

    action_name = "action_screening_back"

    def respond(self, turn: Turn) -> Reply:
        """The previous question, forgetting its answer; the age question from the first."""
        version, answers = state(turn)
        if version is None or not answers:
            return Reply.of(age_screen(turn.language), events=cleared())
        back = [SlotSet(ANSWERS_SLOT, answers[:-1])]
        return Reply.of(question_screen(turn.language, version, len(answers) - 1), events=back)


class ActionScreeningPause(ScreeningAction):
    """Pause: the answers stay in the conversation state until it expires."""

    action_name = "action_screening_pause"
    sensitive = False

    def respond(self, turn: Turn) -> Reply:
        """Say it is paused; resume, stop or the menu."""
        buttons = (*control_buttons(turn.language, "resume", "stop"), *back_to_menu(turn.language))
        return Reply.of(Screen(tr(turn.language, "screening.text.paused"), turn.language, buttons))


class ActionScreeningResume(ScreeningAction):
    """Back to the current question."""

    action_name = "action_screening_resume"

    def respond(self, turn: Turn) -> Reply:
        """The current question, or the age question when none is under way."""
        version, answers = state(turn)
        if version is None:
            return Reply.of(age_screen(turn.language))
        return Reply.of(question_screen(turn.language, version, len(answers)))


class ActionScreeningStop(ScreeningAction):
    """Stop: every answer is forgotten at once."""

    action_name = "action_screening_stop"
    sensitive = False

    def respond(self, turn: Turn) -> Reply:
        """Say it stopped, and forget."""
        text = tr(turn.language, "screening.text.stopped")
        return Reply.of(Screen(text, turn.language, back_to_menu(turn.language)), events=cleared())


class ActionScreeningRestart(ScreeningAction):
    """Start again from the age question, forgetting the earlier answers."""

    action_name = "action_screening_restart"

    def respond(self, turn: Turn) -> Reply:
        """The age question, with nothing kept."""
        return Reply.of(age_screen(turn.language), events=cleared())
