"""Command line: run the whole assistant, chat on the console, train, or serve one part."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable

from app.config import ConfigError, Settings, load_settings
from app.logging_setup import configure_logging

logger = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "run", help="start engine, actions and bot (Telegram if a token is set, else console)"
    )
    chat = commands.add_parser("chat", help="console chat on the same engine")
    chat.add_argument(
        "--json", action="store_true", help="one JSON message per line in, one JSON reply per line out"
    )
    train = commands.add_parser("train", help="train the model if its training data changed")
    train.add_argument("--force", action="store_true", help="train even if nothing changed")
    commands.add_parser("telegram", help="serve Telegram only (engine and actions already running)")
    commands.add_parser("engine", help="serve the Rasa server (used by `run`)")
    commands.add_parser("actions", help="serve the action server (used by `run`)")
    from app import admin, backup_admin, inbox_admin

    admin.add_parser(commands)
    inbox_admin.add_parser(commands)
    backup_admin.add_parser(commands)
    webchat = commands.add_parser("webchat", help="the web chat for people without Telegram")
    webchat.add_subparsers(dest="action", required=True).add_parser("serve", help="serve it (used by `run`)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, check settings, and dispatch."""
    private_process()
    args = _parser().parse_args(argv)
    configure_logging()
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    return COMMANDS[args.command](settings, args)


def private_process() -> None:
    """What every process of the project holds to: files it creates are private, no Rasa telemetry."""
    os.umask(0o077)
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"


def _train(settings: Settings, args: argparse.Namespace) -> int:
    from app.training import ensure_model

    ensure_model(settings.model_path, force=args.force)
    return 0


def _engine(settings: Settings, args: argparse.Namespace) -> int:
    from app.engine_server import serve_engine

    serve_engine(settings)
    return 0


def _actions(settings: Settings, args: argparse.Namespace) -> int:
    from app.engine_server import serve_actions

    serve_actions(settings)
    return 0


def _telegram(settings: Settings, args: argparse.Namespace) -> int:
    from app.bot_runtime import BotRuntime
    from bot.telegram.application import WebhookSecretError, run_telegram

    if not settings.telegram_token:
        print("configuration error: TELEGRAM_BOT_TOKEN is not set", file=sys.stderr)
        return 2
    from app.monitor_server import start_monitor

    runtime = BotRuntime.build(settings)
    start_monitor(settings, runtime.stores)
    try:
        run_telegram(runtime)
    except WebhookSecretError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    return 0


async def _console(settings: Settings, as_json: bool) -> None:
    """Console chat against a running engine, through the same turn pipeline."""
    from app.bot_runtime import BotRuntime
    from bot.console import ConsoleChannel, ConsoleChat, run_interactive, run_json

    runtime = BotRuntime.build(settings, flood_control=False)
    chat = ConsoleChat(runtime.pipeline, ConsoleChannel())
    runtime.attach(chat.channel)
    runtime.start_background()
    try:
        if as_json:
            await run_json(chat, sys.stdin, sys.stdout)
        else:
            await run_interactive(chat)
    finally:
        await runtime.pipeline.maintain()  # what the database could not take yet, before leaving
        await runtime.stop_background()


def _with_engine(settings: Settings, work: Callable[[], object], with_inbox: bool = False) -> int:
    """Make sure a current model exists and the engine runs, do the work, then stop what we started."""
    from app.processes import ROLES, WITH_INBOX, EngineStack, EngineStartError
    from app.training import ensure_model

    ensure_model(settings.model_path)
    stack = EngineStack(settings, WITH_INBOX if with_inbox else ROLES)
    try:
        asyncio.run(stack.ensure_running())
        work()
    except EngineStartError as error:
        print(f"cannot start the engine: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


def _chat(settings: Settings, args: argparse.Namespace) -> int:
    return _with_engine(settings, lambda: asyncio.run(_console(settings, args.json)))


def _run(settings: Settings, args: argparse.Namespace) -> int:
    _announce_inbox(settings)
    if settings.telegram_token:
        return _with_engine(settings, lambda: _telegram(settings, args), with_inbox=True)
    logger.info("TELEGRAM_BOT_TOKEN not set: opening a console chat on the same engine")
    return _with_engine(settings, lambda: asyncio.run(_console(settings, as_json=False)), with_inbox=True)


def _announce_inbox(settings: Settings) -> None:
    """Print where the inbox is and, on a local machine, the demo's one-time setup link."""
    from app.demo import banner, prepare_demo
    from app.inbox_server import inbox_services

    services = inbox_services(settings)
    access = prepare_demo(settings, services.directory, services.accounts)
    print(f"Web chat (for people without Telegram): {settings.webchat_url}", flush=True)
    print(banner(access) if access else f"Association inbox: {settings.inbox_url}", flush=True)


def _directory(settings: Settings, args: argparse.Namespace) -> int:
    from app import admin

    code, output = admin.run(settings, args)
    print(output, file=sys.stderr if code else sys.stdout)
    return code


def _webchat(settings: Settings, args: argparse.Namespace) -> int:
    from app.webchat_server import serve_webchat

    serve_webchat(settings)
    return 0


def _inbox(settings: Settings, args: argparse.Namespace) -> int:
    if args.action == "serve":
        from app.inbox_server import serve_inbox

        serve_inbox(settings)
        return 0
    from app import inbox_admin

    code, output = inbox_admin.run(settings, args)
    print(output, file=sys.stderr if code else sys.stdout)
    return code


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    from app import backup_admin

    code, output = backup_admin.run(settings, args)
    print(output, file=sys.stderr if code else sys.stdout)
    return code


COMMANDS = {
    "backup": _backup,
    "directory": _directory,
    "inbox": _inbox,
    "webchat": _webchat,
    "run": _run,
    "chat": _chat,
    "train": _train,
    "telegram": _telegram,
    "engine": _engine,
    "actions": _actions,
}
