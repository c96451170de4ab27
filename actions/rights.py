"""Rights: the topics menu, topic answers, follow-ups and their sources."""

from __future__ import annotations

from functools import cache

from rasa_sdk.events import SlotSet

from actions.base import Reply, ScreenAction, Turn
from core import payloads
from core.common_screens import back_to_menu, erase_button
from core.i18n import N_, tr
from core.rights import RightsContent, RightsItem, Topic, load
from core.screens import Button, Screen

TOPIC_SLOT = "rights_topic"
# Never delayed by the safety question: help must come first.
URGENT_TOPICS = {"numbers", "shelter"}
ITEM_ENTITY = "item"


@cache
def urgent_intents() -> frozenset[str]:
    """The intents of the urgent topics."""
    return frozenset(topic.intent for topic in load().topics if topic.id in URGENT_TOPICS)


def open_payload(item: RightsItem) -> str:
    """The payload that shows an item: a topic's intent, or a follow-up by id."""
    return payloads.intent_only(item.intent) if isinstance(item, Topic) else payloads.rights_followup(item.id)


def answer_text(language: str, content: RightsContent, item: RightsItem) -> str:
    """An answer and the offer of an association, in the register of its topic."""
    return tr(language, item.text_msgid) + "\n\n" + tr(language, content.offer_msgid(item))


def answer_screen(language: str, content: RightsContent, item: RightsItem) -> Screen:
    """An answer, the offer of an association, and what to do next."""
    topic = content.topic_of(item)
    text = answer_text(language, content, item)
    buttons = [Button(tr(language, "rights.button.source"), payloads.rights_source(item.id))]
    buttons += [
        Button(tr(language, followup.label_msgid), open_payload(followup))
        for followup in topic.followups
        if followup.id != item.id
    ]
    buttons += [
        Button(tr(language, "menu.button.association"), payloads.ASSOCIATION),
        Button(tr(language, "rights.button.topics"), payloads.RIGHTS),
        erase_button(language),  # quick exit on every detail
    ]
    return Screen(text, language, tuple(buttons), protect=True)  # details: no forwarding or saving


def topics_screen(language: str, content: RightsContent, lead_msgid: str) -> Screen:
    """The list of topics, one button each."""
    buttons = [Button(tr(language, t.label_msgid), open_payload(t)) for t in content.topics]
    return Screen(tr(language, lead_msgid), language, (*buttons, *back_to_menu(language)))


def which_topic(language: str, content: RightsContent) -> Reply:
    """No topic is known yet: offer them all."""
    return Reply.of(topics_screen(language, content, N_("rights.which_topic")))


def entity_item(turn: Turn, content: RightsContent) -> RightsItem | None:
    """The item named by a button payload, if any."""
    item_id = turn.entity(ITEM_ENTITY)
    return content.item(item_id) if item_id else None


class ActionRightsMenu(ScreenAction):
    """My rights: what holds for everyone, then the topics."""

    action_name = "action_rights_menu"

    def respond(self, turn: Turn) -> Reply:
        """The overview and the topics."""
        return Reply.of(topics_screen(turn.language, load(), N_("rights.overview")))


class ActionRightsTopic(ScreenAction):
    """A topic, reached by its button or by a free question."""

    action_name = "action_rights_topic"
    sensitive = True

    def needs_safety_check(self, turn: Turn) -> bool:
        """The emergency numbers and tonight's shelter never wait for the safety question."""
        return super().needs_safety_check(turn) and turn.intent not in urgent_intents()

    def respond(self, turn: Turn) -> Reply:
        """The topic's answer, remembered for short follow-ups; the topics when none matches."""
        content = load()
        topic = content.topic_for_intent(turn.intent)
        if topic is None:
            return which_topic(turn.language, content)
        return Reply.of(answer_screen(turn.language, content, topic), events=[SlotSet(TOPIC_SLOT, topic.id)])


class ActionRightsFollowup(ScreenAction):
    """A follow-up: a button naming it, or a short question about the current topic."""

    action_name = "action_rights_followup"
    sensitive = True

    def respond(self, turn: Turn) -> Reply:
        """The follow-up named by a button, or the one of the current topic the question asks about."""
        content = load()
        pressed = entity_item(turn, content)
        if pressed is not None:
            remembered = SlotSet(TOPIC_SLOT, content.topic_of(pressed).id)
            return Reply.of(answer_screen(turn.language, content, pressed), events=[remembered])
        topic = content.topic(turn.slot_text(TOPIC_SLOT))
        if topic is None:
            return which_topic(turn.language, content)
        asked = topic.followup_answering(turn.intent or "")
        if asked is None:  # nothing specific: say so and keep the topic's options at hand
            options = answer_screen(turn.language, content, topic).buttons
            return Reply.of(Screen(tr(turn.language, "rights.followup_unknown"), turn.language, options))
        return Reply.of(answer_screen(turn.language, content, asked))


class ActionRightsSource(ScreenAction):
    """The legal references and official pages behind an answer, and when it was reviewed."""

    action_name = "action_rights_source"
    sensitive = True

    def respond(self, turn: Turn) -> Reply:
        """The sources and the review date of the item a button names."""
        content = load()
        item = entity_item(turn, content)
        if item is None:
            return which_topic(turn.language, content)
        lines = "\n".join(f"• {source}" for source in item.sources)
        text = tr(turn.language, "rights.source.text", sources=lines, date=item.reviewed.isoformat())
        buttons = (
            Button(tr(turn.language, "rights.button.back_to_answer"), open_payload(item)),
            Button(tr(turn.language, "rights.button.topics"), payloads.RIGHTS),
            erase_button(turn.language),
        )
        return Reply.of(Screen(text, turn.language, buttons, protect=True))
