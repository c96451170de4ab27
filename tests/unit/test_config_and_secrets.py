import stat

import pytest

from app.config import ConfigError, load_settings
from app.secrets import instance_secret


def test_secret_is_generated_once_with_owner_only_rights(tmp_path, monkeypatch):
    monkeypatch.delenv("SOME_SECRET", raising=False)
    first = instance_secret("SOME_SECRET", tmp_path / "inst", "some.key")
    assert len(first) == 64
    assert instance_secret("SOME_SECRET", tmp_path / "inst", "some.key") == first
    assert stat.S_IMODE((tmp_path / "inst" / "some.key").stat().st_mode) == 0o600


def test_environment_secret_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SOME_SECRET", "from-env")
    assert instance_secret("SOME_SECRET", tmp_path, "some.key") == "from-env"
    assert not (tmp_path / "some.key").exists()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ENGINE_TIMEOUT", "soon", "ENGINE_TIMEOUT must be a number"),
        ("RASA_PORT", "80", "RASA_PORT must be between"),
        ("TELEGRAM_WEBHOOK_URL", "http://example.org/hook", "must start with https://"),
    ],
)
def test_bad_settings_are_named(tmp_path, monkeypatch, name, value, message):
    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_base_file_url_follows_a_custom_bot_api(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.delenv("TELEGRAM_BASE_FILE_URL", raising=False)
    assert load_settings().telegram_base_file_url == "http://127.0.0.1:8081/file/bot"


def test_webhook_mode_always_has_a_secret(tmp_path, monkeypatch):
    """H7: without a secret anyone who knows the URL could forge updates as any Telegram user."""
    from app.config import WEBHOOK_SECRET

    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://assistant.example.org/hook")
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET", raising=False)
    generated = load_settings().webhook_secret
    assert WEBHOOK_SECRET.match(generated) and load_settings().webhook_secret == generated
    assert stat.S_IMODE((tmp_path / "webhook.secret").stat().st_mode) == 0o600
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "short")
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        load_settings()


def test_the_webhook_listener_refuses_to_start_without_a_secret(tmp_path, monkeypatch):
    import dataclasses

    from bot.telegram.application import WebhookSecretError, require_webhook_secret

    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    settings = dataclasses.replace(load_settings(), webhook_url="https://a.example/h", webhook_secret="")
    with pytest.raises(WebhookSecretError):
        require_webhook_secret(settings)
