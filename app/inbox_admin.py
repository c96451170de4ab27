"""`python -m app inbox …`: serve the association inbox, and the server-side account commands.

Accounts of a new association start here: `add` creates its first coordinator and prints a
one-time setup link; later members are added by a coordinator in the inbox itself. Whoever has
the shell and the database is the administrator; nothing here runs in a chat.
"""

from __future__ import annotations

import argparse

from app.config import Settings
from app.inbox_server import inbox_services
from inbox.services import InboxServices
from storage.directory import DirectoryError
from storage.inbox_accounts import ROLES, AccountError


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The `inbox` command and its actions."""
    parser = commands.add_parser("inbox", help="the association inbox: serve it, manage accounts (admin)")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("serve", help="serve the inbox (used by `run`)")
    add = actions.add_parser("add", help="create an account and print its one-time setup link")
    add.add_argument("association", help="the association's id (see `directory list`)")
    add.add_argument("login")
    add.add_argument("--name", required=True, help="the person's name, shown to their colleagues")
    add.add_argument("--role", choices=ROLES, default="coordinator")
    accounts = actions.add_parser("accounts", help="the accounts of an association")
    accounts.add_argument("association")
    for name, text in (("link", "a new one-time setup link (lost phone, forgotten password)"),
                       ("unlock", "let a locked account try again")):  # fmt: skip
        action = actions.add_parser(name, help=text)
        action.add_argument("login")


def run(settings: Settings, args: argparse.Namespace) -> tuple[int, str]:
    """Do one account action: the exit code and what to print (on failure, what to fix)."""
    services = inbox_services(settings)
    try:
        return 0, ACTIONS[args.action](services, settings, args)
    except AccountError as error:
        return 1, f"inbox {args.action}: {REASONS.get(error.reason, error.reason)}"
    except DirectoryError as error:
        return 1, f"inbox {args.action}: {error}"


def _add(services: InboxServices, settings: Settings, args: argparse.Namespace) -> str:
    if services.directory.get(args.association) is None:
        raise DirectoryError(f"no association with id {args.association!r} (see `directory list`)")
    token = services.accounts.create(args.association, args.role, args.login, args.name)
    return _link_text(settings, token)


def _accounts(services: InboxServices, settings: Settings, args: argparse.Namespace) -> str:
    rows = []
    for member in services.accounts.members(args.association):
        state = "locked" if member.locked else "active" if member.ready else "setup link not used"
        rows.append(f"{member.role:12} {state:20} {member.name}")
    return "\n".join(rows) or "no account"


def _link(services: InboxServices, settings: Settings, args: argparse.Namespace) -> str:
    account_id = _account(services, args.login)
    token = services.accounts.new_setup_link(account_id)
    services.sessions.close_all(account_id)
    return _link_text(settings, token)


def _unlock(services: InboxServices, settings: Settings, args: argparse.Namespace) -> str:
    services.accounts.unlock(_account(services, args.login))
    return "unlocked"


def _account(services: InboxServices, login: str) -> int:
    account_id = services.accounts.account_id_of(login)
    if account_id is None:
        raise AccountError("unknown_account")
    return account_id


def _link_text(settings: Settings, token: str) -> str:
    return (
        f"one-time setup link, valid 48 hours: {settings.inbox_url}/setup/{token}\n"
        "Give it to the person yourself or by a safe channel; it chooses a password and a second factor."
    )


ACTIONS = {"add": _add, "accounts": _accounts, "link": _link, "unlock": _unlock}
REASONS = {
    "unknown_account": "no account with this login",
    "login_taken": "this login is already used",
    "empty": "the login and the name must not be empty",
    "unknown_role": f"the role must be one of {', '.join(ROLES)}",
}
