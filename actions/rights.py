"""Rights: the topics menu, topic answers, follow-ups and their sources."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import ScreenAction, entity_value, latest_intent
from core import payloads
from core.i18n import N_, tr
from core.rights import RightsContent, RightsItem, Topic, load
from core.screens import Button, Screen

TOPIC_SLOT = "rights_topic"
# Never delayed by the safety question: help must come first.
URGENT_TOPICS = {"numbers", "shelter"}
ITEM_ENTITY = "item"


def item_payload(intent: str, item: RightsItem) -> str:
    """A button payload naming one rights item (well under Telegram's 64 bytes)."""
    return payloads.make(intent, **{ITEM_ENTITY: item.id})


def open_payload(content: RightsContent, item: RightsItem) -> str:
    """The payload that shows an item: a topic's intent, or a follow-up by id."""
    return "/" + item.intent if isinstance(item, Topic) else item_payload("rights_followup", item)


def answer_screen(language: str, content: RightsContent, item: RightsItem) -> Screen:
    """An answer, the offer of an association, and what to do next."""
    topic = content.topic_of(item)
    text = tr(language, item.text_msgid) + "\n\n" + tr(language, "rights.offer_association")
    buttons = [Button(tr(language, "rights.button.source"), item_payload("rights_source", item))]
    buttons += [
        Button(tr(language, followup.label_msgid), open_payload(content, followup))
        for followup in topic.followups
        if followup.id != item.id
    ]
    buttons += [
        Button(tr(language, "menu.button.association"), payloads.ASSOCIATION),
        Button(tr(language, "rights.button.topics"), payloads.RIGHTS),
        Button(tr(language, "menu.button.erase"), payloads.ERASE),  # quick exit on every detail
    ]
    return Screen(text, language, tuple(buttons), protect=True)  # details: no forwarding or saving


def topics_screen(language: str, content: RightsContent, lead_msgid: str) -> Screen:
    """The list of topics, one button each."""
    buttons = [Button(tr(language, t.label_msgid), open_payload(content, t)) for t in content.topics]
    buttons.append(Button(tr(language, "menu.button.back"), payloads.MENU))
    return Screen(tr(language, lead_msgid), language, tuple(buttons))


def entity_item(tracker: Tracker, content: RightsContent) -> RightsItem | None:
    """The item named by a button payload, if any."""
    item_id = entity_value(tracker, ITEM_ENTITY)
    return content.item(item_id) if item_id else None


class ActionRightsMenu(ScreenAction):
    """My rights: what holds for everyone, then the topics."""

    action_name = "action_rights_menu"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [topics_screen(language, load(), N_("rights.overview"))]


class ActionRightsTopic(ScreenAction):
    """A topic, reached by its button or by a free question."""

    action_name = "action_rights_topic"
    sensitive = True

    def topic(self, tracker: Tracker) -> Topic | None:
        return load().topic_for_intent(latest_intent(tracker))

    def needs_safety_check(self, tracker: Tracker) -> bool:
        topic = self.topic(tracker)
        return super().needs_safety_check(tracker) and not (topic and topic.id in URGENT_TOPICS)

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        topic = self.topic(tracker)
        if topic is None:
            return [topics_screen(language, load(), N_("rights.which_topic"))]
        return [answer_screen(language, load(), topic)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        topic = self.topic(tracker)
        return [SlotSet(TOPIC_SLOT, topic.id)] if topic else []


class ActionRightsFollowup(ScreenAction):
    """A follow-up: a button naming it, or a short question about the current topic."""

    action_name = "action_rights_followup"
    sensitive = True

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        content = load()
        item = entity_item(tracker, content)
        topic = content.topic(tracker.get_slot(TOPIC_SLOT))
        if item is None and topic is not None:
            item = topic.followup_answering(latest_intent(tracker) or "")
            if item is None:  # nothing specific: say so and keep the topic's options at hand
                options = answer_screen(language, content, topic)
                return [Screen(tr(language, "rights.followup_unknown"), language, options.buttons)]
        if item is None:
            return [topics_screen(language, content, N_("rights.which_topic"))]
        return [answer_screen(language, content, item)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        item = entity_item(tracker, load())
        return [SlotSet(TOPIC_SLOT, load().topic_of(item).id)] if item else []


class ActionRightsSource(ScreenAction):
    """The legal references and official pages behind an answer, and when it was reviewed."""

    action_name = "action_rights_source"
    sensitive = True

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        content = load()
        item = entity_item(tracker, content)
        if item is None:
            return [topics_screen(language, content, N_("rights.which_topic"))]
        lines = "\n".join(f"• {source}" for source in item.sources)
        text = tr(language, "rights.source.text", sources=lines, date=item.reviewed.isoformat())
        buttons = (
            Button(tr(language, "rights.button.back_to_answer"), open_payload(content, item)),
            Button(tr(language, "rights.button.topics"), payloads.RIGHTS),
            Button(tr(language, "menu.button.erase"), payloads.ERASE),
        )
        return [Screen(text, language, buttons, protect=True)]
