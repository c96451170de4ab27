"""The Telegram channel (python-telegram-bot): updates in, silent messages out."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from app.config import Settings
from bot.association_groups import GroupContext, add_group_handlers
from bot.conversation import ConversationService, Person
from bot.erasure import Eraser
from bot.exit_word import handle_command, is_code_word_command, is_exit_word
from bot.handoff_render import qr_png, telegram_link
from bot.handover_delivery import DeliveryWorker
from bot.handover_hooks import HandoverHooks
from bot.telegram_render import command_text, keyboard, split_text
from bot.telegram_setup import present_the_bot
from core import payloads
from core.bidi import for_display
from core.common_screens import static_fallback
from core.handoff_link import payload_for_start
from core.handover_messages import REPLY_PAYLOAD
from core.keyed_hash import KeyedHasher
from core.screens import Directive, Screen
from storage.exit_words import ExitWords
from storage.message_ledger import MessageLedger
from storage.stores import Stores

logger = logging.getLogger(__name__)
CHANNEL = "telegram"
SERVICE_KEY = "conversation_service"
ERASER_KEY = "eraser"
SETTINGS_KEY = "settings"
SWEEPER_KEY = "sweeper"
LOCKS_KEY = "person_locks"
EXIT_WORDS_KEY = "exit_words"
HOOKS_KEY = "handover_hooks"
WORKER_KEY = "delivery_worker"
DELIVERY_TASK_KEY = "delivery_task"
DELETE_BATCH = 100  # the Bot API's limit for deleteMessages


def person_of(update: Update) -> Person | None:
    """The person behind an update, with the language their Telegram app uses."""
    user = update.effective_user
    if user is None:
        return None
    return Person(CHANNEL, str(user.id), user.language_code)


def service_of(context: ContextTypes.DEFAULT_TYPE) -> ConversationService:
    """The conversation service shared by all handlers."""
    return context.application.bot_data[SERVICE_KEY]


def hooks_of(context: ContextTypes.DEFAULT_TYPE) -> HandoverHooks | None:
    """Handover hooks, when handovers are configured."""
    return context.application.bot_data.get(HOOKS_KEY)


@asynccontextmanager
async def one_at_a_time(context: ContextTypes.DEFAULT_TYPE, person: Person) -> AsyncIterator[None]:
    """Handle and answer one update of a person at a time: a quick exit then sees every id."""
    locks = context.application.bot_data.setdefault(LOCKS_KEY, weakref.WeakValueDictionary())
    key = service_of(context).pseudonym(person)
    lock = locks.get(key)
    if lock is None:
        lock = locks[key] = asyncio.Lock()
    async with lock:
        yield


async def send_screens(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    screens: list[Screen],
    person: Person | None = None,
    incoming_id: int | None = None,
    pressed: Message | None = None,
) -> None:
    """Send the screens silently and record every id exchanged; erase instead on a quick exit.

    A screen with the edit directive replaces `pressed`, the message whose button was tapped.
    """
    eraser: Eraser | None = context.application.bot_data.get(ERASER_KEY)
    pseudonym = service_of(context).pseudonym(person) if person else None
    if any(Directive.ERASE in screen.directives for screen in screens):
        await quick_exit(context, chat_id, pseudonym, incoming_id)
        return
    hooks = hooks_of(context)
    if hooks and pseudonym and any(Directive.HANDOVER_CHAT in s.directives for s in screens):
        await hooks.attach_chat(pseudonym, chat_id)
    erase_after = screens[-1].erase_after if screens else None
    for screen in screens:
        if pressed is not None and Directive.EDIT in screen.directives:
            await _edit_in_place(pressed, screen)
            continue
        shown, link = with_handoff_link(context, screen)
        sent = await _send_screen(context, chat_id, shown)
        if link:  # the QR code of a hand-off link, to show on the worker's phone
            photo = await context.bot.send_photo(chat_id, qr_png(link), protect_content=True)
            sent.append(photo.message_id)
        for message_id in sent:
            if eraser and pseudonym:
                await eraser.record(pseudonym, chat_id, message_id, screen.erase_after)
    if eraser and pseudonym and incoming_id is not None:
        await eraser.record(pseudonym, chat_id, incoming_id, erase_after)
    if eraser and pseudonym and any(Directive.AUTO_ERASE_CHANGED in s.directives for s in screens):
        await eraser.reschedule(pseudonym, erase_after)


def with_handoff_link(context: ContextTypes.DEFAULT_TYPE, screen: Screen) -> tuple[Screen, str | None]:
    """A hand-off screen gets its t.me link in the text; the link is returned for the QR code."""
    parameter = screen.handoff
    if parameter is None:
        return screen, None
    username = context.application.bot_data[SETTINGS_KEY].bot_username or context.bot.username
    url = telegram_link(username, parameter)
    return dataclasses.replace(screen, text=f"{screen.text}\n\n{url}"), url


async def _edit_in_place(pressed: Message, screen: Screen) -> None:
    """Only the keyboard when the text is unchanged (a toggle), else text and keyboard."""
    screen = for_display(screen)
    if pressed.text == screen.text:
        await pressed.edit_reply_markup(reply_markup=keyboard(screen))
    else:
        await pressed.edit_text(screen.text, reply_markup=keyboard(screen))


async def _send_screen(context: ContextTypes.DEFAULT_TYPE, chat_id: int, screen: Screen) -> list[int]:
    """One screen: long texts split, buttons on the last part; returns the sent message ids."""
    return await send_screen(context.bot, chat_id, screen)


async def send_screen(bot: Bot, chat_id: int, screen: Screen) -> list[int]:
    """Send a screen with this bot: long texts split, buttons on the last part."""
    screen = for_display(screen)
    parts = split_text(screen.text)
    sent = []
    for index, part in enumerate(parts):
        markup = keyboard(screen) if index == len(parts) - 1 else None
        message = await bot.send_message(chat_id, part, reply_markup=markup, protect_content=screen.protect)
        sent.append(message.message_id)
    return sent


async def quick_exit(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, pseudonym: str | None, incoming_id: int | None
) -> None:
    """Delete every message of the conversation; leave at most one innocuous line."""
    eraser: Eraser | None = context.application.bot_data.get(ERASER_KEY)
    hooks = hooks_of(context)
    if hooks and pseudonym:  # the association must not contact the person until they write again
        await hooks.pause(pseudonym)
    extra = [incoming_id] if incoming_id is not None else []
    if eraser and pseudonym:
        await eraser.erase_all(pseudonym, chat_id, extra)
    elif extra:
        await delete_messages(context.bot, chat_id, extra)
    line = context.application.bot_data[SETTINGS_KEY].quick_exit_line
    if line:
        await context.bot.send_message(chat_id, line)


async def delete_messages(bot: Bot, chat_id: int, message_ids: list[int]) -> None:
    """Delete in batches; if a batch is refused, try each message on its own."""
    for start in range(0, len(message_ids), DELETE_BATCH):
        batch = message_ids[start : start + DELETE_BATCH]
        try:
            await bot.delete_messages(chat_id, batch)
        except TelegramError:
            for message_id in batch:
                try:
                    await bot.delete_message(chat_id, message_id)
                except TelegramError as error:  # too old or already gone: nothing more to do
                    logger.info("a message could not be deleted: %s", type(error).__name__)


async def code_word_reply(
    context: ContextTypes.DEFAULT_TYPE, person: Person, text: str
) -> list[Screen] | None:
    """The answer to /codeword, or None when the text is not that command."""
    words: ExitWords | None = context.application.bot_data.get(EXIT_WORDS_KEY)
    if words is None or not is_code_word_command(text):
        return None
    service = service_of(context)
    return await handle_command(words, service.pseudonym(person), text, service.language_for(person))


async def engine_text(context: ContextTypes.DEFAULT_TYPE, person: Person, text: str) -> str:
    """What to send to the engine: the quick exit when the text is the person's code word."""
    words: ExitWords | None = context.application.bot_data.get(EXIT_WORDS_KEY)
    if words is not None and await is_exit_word(words, service_of(context).pseudonym(person), text):
        return payloads.ERASE
    return payload_for_start(text) or command_text(text)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text message or command: the code word first, then through the engine."""
    person, message = person_of(update), update.effective_message
    if person is None or message is None or message.text is None:
        return
    async with one_at_a_time(context, person):
        code_word = await code_word_reply(context, person, message.text)
        if code_word is not None:  # the message shows the word: delete it at once, never record it
            await delete_messages(context.bot, message.chat_id, [message.message_id])
            await send_screens(context, message.chat_id, code_word, person)
            return
        screens = await handover_reply(context, person, message.text)
        screens = screens or await service_of(context).handle_text(
            person, await engine_text(context, person, message.text)
        )
        await send_screens(context, message.chat_id, screens, person, message.message_id)


async def handover_reply(
    context: ContextTypes.DEFAULT_TYPE, person: Person, text: str
) -> list[Screen] | None:
    """The person wrote: lift a pause; relay the text if they chose to answer the association."""
    hooks = hooks_of(context)
    if hooks is None:
        return None
    service = service_of(context)
    pseudonym = service.pseudonym(person)
    await hooks.person_wrote(pseudonym)
    if text.startswith("/"):
        return None
    return await hooks.relay_answer(pseudonym, text, service.language_for(person))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press: acknowledge at once, then answer its payload."""
    query, person = update.callback_query, person_of(update)
    if query is None or person is None:
        return
    await query.answer()
    if query.message is None or query.message.chat.type != "private":
        return
    async with one_at_a_time(context, person):
        data = query.data or ""
        hooks = hooks_of(context)
        if hooks and data == REPLY_PAYLOAD:
            service = service_of(context)
            screens = await hooks.open_reply(service.pseudonym(person), service.language_for(person))
            await send_screens(context, query.message.chat.id, screens, person)
            return
        screens = await code_word_reply(context, person, data)
        screens = screens or await service_of(context).handle_text(person, data)
        pressed = query.message if isinstance(query.message, Message) else None
        await send_screens(context, query.message.chat.id, screens, person, pressed=pressed)


async def on_unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, voice, stickers, locations, files: a clear reply; nothing downloaded or kept."""
    person, message = person_of(update), update.effective_message
    if person is None or message is None:
        return
    async with one_at_a_time(context, person):
        screens = await service_of(context).handle_unsupported(person)
        await send_screens(context, message.chat_id, screens, person, message.message_id)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Never silent: after any failure, try to send the static fallback."""
    logger.error("update failed: %s", type(context.error).__name__)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    person = person_of(update)
    language = service_of(context).language_for(person) if person else "fr"
    try:
        await send_screens(context, update.effective_chat.id, [static_fallback(language)], person)
    except Exception as error:  # noqa: BLE001 - last resort; nothing else can be done here
        logger.error("fallback send failed: %s", type(error).__name__)


def build_application(
    settings: Settings,
    service: ConversationService,
    ledger: MessageLedger | None = None,
    exit_words: ExitWords | None = None,
    handover: Stores | None = None,
) -> Application:
    """The PTB application: private chats only, silent sends, erasure from the ledger."""
    application = (
        Application.builder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .defaults(Defaults(disable_notification=True))
        .concurrent_updates(64)  # one person's messages stay ordered by the service's locks
        .post_init(on_start)
        .post_shutdown(stop_sweeper)
        .build()
    )
    application.bot_data[SERVICE_KEY] = service
    application.bot_data[SETTINGS_KEY] = settings
    if exit_words is not None:
        application.bot_data[EXIT_WORDS_KEY] = exit_words
    if ledger is not None:
        bot = application.bot
        application.bot_data[ERASER_KEY] = Eraser(ledger, lambda chat, ids: delete_messages(bot, chat, ids))
    if handover is not None:
        wire_handovers(application, settings, handover)
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & filters.TEXT, on_text))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(
        MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_unsupported)
    )
    application.add_error_handler(on_error)
    return application


def wire_handovers(application: Application, settings: Settings, stores: Stores) -> None:
    """Delivery of the outbox, the person's hooks and the association groups' handlers."""
    bot = application.bot

    async def send(chat_id: int, screen: Screen) -> int:
        return (await send_screen(bot, chat_id, screen))[-1]

    async def record(pseudonym: str, chat_id: int, message_id: int) -> None:
        eraser: Eraser | None = application.bot_data.get(ERASER_KEY)
        if eraser is not None:
            await eraser.record(pseudonym, chat_id, message_id, None)

    worker = DeliveryWorker(stores.handovers, stores.directory, send, settings.association_language, record)
    application.bot_data[WORKER_KEY] = worker
    application.bot_data[HOOKS_KEY] = HandoverHooks(stores.handovers, worker.wake.set)
    add_group_handlers(
        application,
        GroupContext(
            stores.directory,
            stores.handovers,
            worker,
            KeyedHasher(settings.pseudonym_key),
            settings.association_language,
        ),
    )


async def on_start(application: Application) -> None:
    """Present the bot neutrally, start auto-erase and the delivery of handovers."""
    await present_the_bot(application, application.bot_data[SETTINGS_KEY].bot_display_name)
    await start_sweeper(application)
    worker: DeliveryWorker | None = application.bot_data.get(WORKER_KEY)
    if worker is not None:
        every = application.bot_data[SETTINGS_KEY].delivery_sweep_seconds
        application.bot_data[DELIVERY_TASK_KEY] = asyncio.create_task(worker.run_forever(every))


async def start_sweeper(application: Application) -> None:
    """Auto-erase runs while the bot runs; due times live in the ledger, so a restart loses none."""
    eraser: Eraser | None = application.bot_data.get(ERASER_KEY)
    if eraser is not None:
        every = application.bot_data[SETTINGS_KEY].erase_sweep_seconds
        application.bot_data[SWEEPER_KEY] = asyncio.create_task(eraser.run_sweeper(every))


async def stop_sweeper(application: Application) -> None:
    """Stop the auto-erase task."""
    for key in (SWEEPER_KEY, DELIVERY_TASK_KEY):
        task = application.bot_data.pop(key, None)
        if task is not None:
            task.cancel()


ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def webhook_options(settings: Settings) -> dict:
    """Arguments of the webhook listener: Telegram must present the secret token."""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret or None,
        "allowed_updates": ALLOWED_UPDATES,
    }


def run_telegram(settings: Settings, service: ConversationService) -> None:
    """Serve Telegram by long polling, or by webhook when TELEGRAM_WEBHOOK_URL is set (blocking)."""
    from app.runtime import build_stores
    from bot.app import build_exit_words, build_ledger

    application = build_application(
        settings, service, build_ledger(settings), build_exit_words(settings), build_stores(settings)
    )
    if settings.webhook_url:
        application.run_webhook(**webhook_options(settings))
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
