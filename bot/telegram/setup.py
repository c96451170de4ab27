"""What Telegram shows about the bot: a neutral name and a neutral command list."""

from __future__ import annotations

import logging

from telegram import BotCommand
from telegram.error import TelegramError
from telegram.ext import Application

from core.i18n import N_, tr
from core.languages import SUPPORTED

logger = logging.getLogger(__name__)

COMMANDS = (
    ("menu", N_("command.menu")),
    ("language", N_("command.language")),
    ("auto_erase", N_("command.auto_erase")),
    ("codeword", N_("command.codeword")),
    ("phone_safety", N_("command.phone_safety")),
    ("exit", N_("command.exit")),
)


async def present_the_bot(application: Application, display_name: str) -> None:
    """Set the display name and, per language, the command menu; failures do not stop the bot."""
    try:
        await application.bot.set_my_name(display_name)
        for language in SUPPORTED:
            commands = [BotCommand(name, tr(language, msgid)) for name, msgid in COMMANDS]
            await application.bot.set_my_commands(commands, language_code=language)
    except TelegramError as error:
        logger.warning("could not set the bot's name or commands: %s", type(error).__name__)
