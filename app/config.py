"""Settings from the environment, validated at start-up with errors that name the setting."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from app.secrets import instance_secret
from storage.database import database_url
from storage.handovers import Policy

REPO_ROOT = Path(__file__).resolve().parent.parent
MIN_SHARED_SECRET = 32


class ConfigError(ValueError):
    """A setting is missing or invalid."""


def _number(name: str, default: float, minimum: float, maximum: float) -> float:
    """A numeric setting within bounds."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as error:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from error
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


def _text(name: str, default: str = "") -> str:
    """A text setting, stripped."""
    return os.environ.get(name, default).strip()


@dataclass(frozen=True)
class Settings:
    """Everything the processes need; built once at start-up by `load_settings`."""

    instance_dir: Path
    pseudonym_key: str
    rasa_token: str
    rasa_port: int
    actions_port: int
    engine_timeout: float
    engine_start_timeout: float
    model_path: Path
    telegram_token: str
    telegram_base_url: str
    telegram_base_file_url: str
    webhook_url: str
    webhook_listen: str
    webhook_port: int
    webhook_secret: str
    flood_max_messages: int
    flood_window_seconds: float
    conversation_ttl_seconds: float
    log_dir: Path
    database_url: str
    data_key: str
    quick_exit_line: str
    erase_sweep_seconds: float
    bot_display_name: str
    handover_policy: Policy
    delivery_sweep_seconds: float
    association_language: str
    bot_username: str
    # The Rasa server's secret for the action server (header X-Actions-Secret, audit M1).
    actions_secret: str = ""
    log_max_bytes: int = 5 * 1024 * 1024
    log_backups: int = 3
    # The association inbox (issue 13): where it listens, and the address associations open.
    inbox_listen: str = "127.0.0.1"
    inbox_port: int = 8090
    inbox_public_url: str = ""
    inbox_secret: str = ""  # the supervisor's health check of the inbox process
    demo: bool = True  # a local demo association may be set up (never with a Telegram token)
    # The web chat (issue 16): its own port, a neutral title, where its quick exit leads.
    webchat_listen: str = "127.0.0.1"
    webchat_port: int = 8091
    webchat_title: str = "Infos pratiques"
    webchat_exit_url: str = "about:blank"
    webchat_secret: str = ""  # the supervisor's health check of the web chat process
    webchat_public_url: str = ""  # the web chat as people reach it; hand-off links on Telegram use it
    webchat_address_limit: int = 60  # requests a minute from one address (behind a proxy: the proxy's)
    # Where the engine keeps conversations (issue 17): "database" (ours), "redis" or "memory".
    conversation_store: str = "database"
    redis_url: str = ""  # Redis for shared state between replicas; required by conversation_store redis
    # Health, readiness and metrics of every process need this bearer token (monitoring/http.py).
    monitor_token: str = ""
    monitor_listen: str = "127.0.0.1"
    monitor_port: int = 8092  # the Telegram bot process's monitor (the others answer on their own port)
    # Replicas (docs/deployment.md): the balancers in front of the Rasa servers and action servers.
    engine_url: str = ""
    actions_balancer_url: str = ""

    @property
    def inbox_url(self) -> str:
        """The inbox's address as associations reach it (in group notices and setup links)."""
        return (self.inbox_public_url or f"http://127.0.0.1:{self.inbox_port}").rstrip("/")

    @property
    def webchat_url(self) -> str:
        """The web chat's address: the public one when set, else the local one (printed by `run`)."""
        return self.webchat_public_url or f"http://127.0.0.1:{self.webchat_port}"

    @property
    def inbox_secure(self) -> bool:
        """Cookies marked Secure: the inbox is reached over https."""
        return self.inbox_url.startswith("https://")

    @property
    def rasa_url(self) -> str:
        """The Rasa server as the bot reaches it: ENGINE_URL (a balancer over replicas), else loopback."""
        return self.engine_url or self.local_rasa_url

    @property
    def local_rasa_url(self) -> str:
        """This machine's Rasa server, on loopback only (the one the supervisor starts and checks)."""
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        """The action server's webhook as Rasa reaches it: ACTIONS_URL (a balancer), else loopback."""
        return self.actions_balancer_url or f"http://127.0.0.1:{self.actions_port}/webhook"


def load_settings() -> Settings:
    """Read and check every setting; secrets come from the environment or the instance folder."""
    instance_dir = Path(_text("INSTANCE_DIR") or REPO_ROOT / "instance")
    telegram_base_url = _text("TELEGRAM_BASE_URL", "https://api.telegram.org/bot")
    webhook_url = _text("TELEGRAM_WEBHOOK_URL")
    if webhook_url and not webhook_url.startswith("https://"):
        raise ConfigError("TELEGRAM_WEBHOOK_URL must start with https://")
    return Settings(
        instance_dir=instance_dir,
        pseudonym_key=instance_secret("PSEUDONYM_KEY", instance_dir, "pseudonym.key"),
        rasa_token=_shared_secret("RASA_TOKEN", instance_dir, "rasa.token"),
        rasa_port=int(_number("RASA_PORT", 5005, 1024, 65535)),
        actions_port=int(_number("ACTIONS_PORT", 5055, 1024, 65535)),
        engine_timeout=_number("ENGINE_TIMEOUT", 4.0, 0.1, 60),
        engine_start_timeout=_number("ENGINE_START_TIMEOUT", 240, 5, 1800),
        model_path=Path(_text("MODEL_PATH") or REPO_ROOT / "models" / "assistant.tar.gz"),
        telegram_token=_text("TELEGRAM_BOT_TOKEN"),
        telegram_base_url=telegram_base_url,
        telegram_base_file_url=_text("TELEGRAM_BASE_FILE_URL")
        or telegram_base_url.replace("/bot", "/file/bot", 1),
        webhook_url=webhook_url,
        webhook_listen=_text("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"),
        webhook_port=int(_number("TELEGRAM_WEBHOOK_PORT", 8443, 1, 65535)),
        webhook_secret=_webhook_secret(instance_dir, webhook_url),
        flood_max_messages=int(_number("FLOOD_MAX_MESSAGES", 8, 1, 1000)),
        flood_window_seconds=_number("FLOOD_WINDOW_SECONDS", 10, 1, 3600),
        conversation_ttl_seconds=_number("CONVERSATION_TTL_SECONDS", 86400, 60, 30 * 86400),
        log_dir=Path(_text("LOG_DIR") or REPO_ROOT / "var" / "log"),
        database_url=database_url(instance_dir),
        data_key=instance_secret("DATA_KEY", instance_dir, "data.key"),
        # What stays after a quick exit: nothing by default, or one innocuous line.
        quick_exit_line=os.environ.get("QUICK_EXIT_LINE", "").strip(),
        erase_sweep_seconds=_number("ERASE_SWEEP_SECONDS", 15, 1, 3600),
        # Shown in chat lists and notifications: neutral by default.
        bot_display_name=_text("BOT_DISPLAY_NAME", "Infos pratiques"),
        handover_policy=_handover_policy(),
        delivery_sweep_seconds=_number("DELIVERY_SWEEP_SECONDS", 5, 0.2, 3600),
        association_language=_association_language(),
        # For hand-off links (t.me/<name>?start=...); read from Telegram when empty.
        bot_username=_text("TELEGRAM_BOT_USERNAME").lstrip("@"),
        actions_secret=_shared_secret("ACTIONS_SECRET", instance_dir, "actions.secret"),
        log_max_bytes=int(_number("LOG_MAX_BYTES", 5 * 1024 * 1024, 64 * 1024, 1024**3)),
        log_backups=int(_number("LOG_BACKUPS", 3, 1, 100)),
        inbox_listen=_text("INBOX_LISTEN", "127.0.0.1"),
        inbox_port=int(_number("INBOX_PORT", 8090, 1024, 65535)),
        inbox_public_url=_inbox_public_url(),
        inbox_secret=_shared_secret("INBOX_SECRET", instance_dir, "inbox.secret"),
        demo=_text("DEMO", "auto") != "off",
        webchat_listen=_text("WEBCHAT_LISTEN", "127.0.0.1"),
        webchat_port=int(_number("WEBCHAT_PORT", 8091, 1024, 65535)),
        webchat_title=_text("WEBCHAT_TITLE") or _text("BOT_DISPLAY_NAME", "Infos pratiques"),
        webchat_exit_url=_webchat_exit_url(),
        webchat_secret=_shared_secret("WEBCHAT_SECRET", instance_dir, "webchat.secret"),
        webchat_public_url=_public_url("WEBCHAT_PUBLIC_URL"),
        webchat_address_limit=int(_number("WEBCHAT_ADDRESS_LIMIT", 60, 1, 1_000_000)),
        conversation_store=_conversation_store(),
        redis_url=_text("REDIS_URL"),
        monitor_token=_shared_secret("MONITOR_TOKEN", instance_dir, "monitor.token"),
        monitor_listen=_text("MONITOR_LISTEN", "127.0.0.1"),
        monitor_port=int(_number("MONITOR_PORT", 8092, 1024, 65535)),
        engine_url=_local_url("ENGINE_URL"),
        actions_balancer_url=_local_url("ACTIONS_URL"),
    )


def _webchat_exit_url() -> str:
    """Where the web chat's quick exit leads: a neutral page (https) or a blank page."""
    value = _text("WEBCHAT_EXIT_URL", "about:blank")
    if value != "about:blank" and not value.startswith("https://"):
        raise ConfigError("WEBCHAT_EXIT_URL must be about:blank or start with https://")
    return value


def _inbox_public_url() -> str:
    """The inbox's public address, if it is served behind a reverse proxy."""
    return _public_url("INBOX_PUBLIC_URL")


def _public_url(name: str) -> str:
    """A page's public address behind a reverse proxy: https, or a local address for trying it."""
    value = _text(name)
    if value and not value.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ConfigError(f"{name} must start with https:// (or be a local address)")
    return value.rstrip("/")


def _local_url(name: str) -> str:
    """A balancer on this machine or a private network: plain http, no trailing slash."""
    value = _text(name).rstrip("/")
    if value and not value.startswith(("http://", "https://")):
        raise ConfigError(f"{name} must start with http:// or https://")
    return value


WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,256}$")  # Telegram's alphabet; long enough not to guess


def _webhook_secret(instance_dir: Path, webhook_url: str) -> str:
    """The secret Telegram must present on every webhook call: given, or generated once (0600)."""
    if not webhook_url:
        return _text("TELEGRAM_WEBHOOK_SECRET")
    secret = instance_secret("TELEGRAM_WEBHOOK_SECRET", instance_dir, "webhook.secret")
    if not WEBHOOK_SECRET.match(secret):
        raise ConfigError("TELEGRAM_WEBHOOK_SECRET must be 32 to 256 characters among A-Z, a-z, 0-9, _ and -")
    return secret


def _shared_secret(name: str, instance_dir: Path, file_name: str) -> str:
    """A secret shared between our processes (sent in a header): long enough to resist guessing."""
    value = instance_secret(name, instance_dir, file_name)
    if len(value) < MIN_SHARED_SECRET:
        raise ConfigError(f"{name} must be at least {MIN_SHARED_SECRET} characters long")
    return value


def _handover_policy() -> Policy:
    """Answer delay, retention and retries of handover requests."""
    return Policy(
        answer_delay=timedelta(hours=_number("HANDOVER_ANSWER_HOURS", 24, 0.01, 24 * 14)),
        retention=timedelta(days=_number("HANDOVER_RETENTION_DAYS", 30, 0, 3650)),
        max_attempts=int(_number("OUTBOX_MAX_ATTEMPTS", 12, 1, 1000)),
        lease=timedelta(seconds=_number("OUTBOX_LEASE_SECONDS", 60, 0.5, 3600)),
    )


CONVERSATION_STORES = ("database", "redis", "memory")


def _conversation_store() -> str:
    """Where conversations are kept; Rasa's own stores are refused, they do not erase (audit M9)."""
    value = _text("CONVERSATION_STORE", "database")
    if value not in CONVERSATION_STORES:
        choices = ", ".join(CONVERSATION_STORES)
        raise ConfigError(f"CONVERSATION_STORE must be one of {choices}, got {value!r}")
    if value == "redis" and not _text("REDIS_URL"):
        raise ConfigError("CONVERSATION_STORE=redis needs REDIS_URL (for example redis://127.0.0.1:6379/0)")
    _refuse_engine_stores(REPO_ROOT / "endpoints.yml")
    return value


def _refuse_engine_stores(endpoints: Path) -> None:
    """Stop when endpoints.yml names a tracker or lock store: we choose them, so that they erase."""
    import yaml

    configured = yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}
    for section in ("tracker_store", "lock_store"):
        if configured.get(section):
            raise ConfigError(
                f"{endpoints.name} must not configure a {section}: conversations are kept where "
                "CONVERSATION_STORE says (database, redis or memory), in stores that truly erase on a "
                "quick exit; Rasa's own stores do not"
            )


def _association_language() -> str:
    """The language of messages posted in association groups."""
    from core.languages import SUPPORTED

    value = _text("ASSOCIATION_LANGUAGE", "fr")
    if value not in SUPPORTED:
        raise ConfigError(f"ASSOCIATION_LANGUAGE must be one of {', '.join(SUPPORTED)}, got {value!r}")
    return value
