"""The local demo of `make run` without a Telegram token: an association that the directory
proposes, and the one-time link to create its first coordinator in the inbox, so that a newcomer
sees a request go from the chat to the inbox on one machine.

The demo is never offered in a production configuration: not with a Telegram token set, not with
DEMO=off; a demo association left in the database is disabled as soon as either is the case.
No password exists anywhere: the coordinator chooses one through the setup link.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.config import REPO_ROOT, Settings
from core.directory import load_seed
from core.i18n import N_
from storage.directory import Directory
from storage.inbox_accounts import InboxAccounts

DEMO_FILE = REPO_ROOT / "data" / "demo_association.yml"
DEMO_ID = "demo"
DEMO_LOGIN = "demo-coordinator"
DEMO_ABOUT = N_("association.demo.about")  # extracted from the demo file; named here as used


@dataclass(frozen=True)
class DemoAccess:
    """What `make run` prints: the inbox address and, until it is used, a setup link."""

    inbox_url: str
    setup_link: str | None


def demo_allowed(settings: Settings) -> bool:
    """A demo only on a local, unconfigured machine."""
    return settings.demo and not settings.telegram_token


def prepare_demo(
    settings: Settings, directory: Directory, accounts: InboxAccounts, path: Path = DEMO_FILE
) -> DemoAccess | None:
    """Add the demo association and its coordinator when allowed; otherwise retire any demo."""
    if not demo_allowed(settings):
        retire_demo(directory)
        return None
    (demo,) = load_seed(path)
    if directory.get(demo.id) is None:
        directory.save(demo)
    directory.set_active(demo.id, True)
    account_id = accounts.account_id_of(DEMO_LOGIN)
    if account_id is None:
        token = accounts.create(demo.id, "coordinator", DEMO_LOGIN, "Coordination (démo)")
    elif not accounts.is_ready(account_id):
        token = accounts.new_setup_link(account_id)
    else:
        token = None
    link = f"{settings.inbox_url}/setup/{token}" if token else None
    return DemoAccess(settings.inbox_url, link)


def retire_demo(directory: Directory) -> None:
    """A demo association left in the database is never proposed in production."""
    demo = directory.get(DEMO_ID)
    if demo is not None and demo.active:
        directory.set_active(DEMO_ID, False)


def banner(access: DemoAccess) -> str:
    """What `make run` prints about the inbox (on the terminal only, never in a log)."""
    lines = [f"Association inbox: {access.inbox_url}"]
    if access.setup_link:
        lines += [
            "DEMO: a local demonstration association (not a real one) receives the requests made here.",
            f"Create its first coordinator (one-time link, 48 h): {access.setup_link}",
        ]
    else:
        lines.append(f"DEMO: log in as {DEMO_LOGIN} with the password and the app code you chose.")
    return "\n".join(lines)
