"""Admin commands for the directory of associations: list, add, update, disable, enrolment codes.

They run on the server (`python -m app directory …`), never in a chat: whoever has the shell and
the database is the administrator.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from app.config import Settings
from app.runtime import build_stores
from core.directory import DirectoryError as EntryError
from core.directory import association_from_dict, load_seed
from storage.directory import Directory, DirectoryError


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The `directory` command and its actions."""
    parser = commands.add_parser("directory", help="manage the partner associations (admin)")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="every association, its state and whether a group is enrolled")
    seed = actions.add_parser("import", help="add the associations of a seed file not known yet")
    seed.add_argument("file", nargs="?", type=Path, help="default: data/associations.yml")
    for name, text in (("add", "add one association"), ("update", "replace one association")):
        action = actions.add_parser(name, help=f"{text} from a YAML file holding one entry")
        action.add_argument("file", type=Path)
    for name in ("disable", "enable", "code"):
        action = actions.add_parser(
            name, help={"code": "one-time enrolment code for a group"}.get(name, name)
        )
        action.add_argument("id")


def run(settings: Settings, args: argparse.Namespace) -> tuple[int, str]:
    """Do one admin action: the exit code and what to print (on failure, what to fix)."""
    directory = build_stores(settings, import_seed=False).directory
    try:
        return 0, ACTIONS[args.action](directory, args)
    except (DirectoryError, EntryError, OSError, yaml.YAMLError, KeyError, TypeError) as error:
        return 1, f"directory {args.action}: {error}"


def _list(directory: Directory, args: argparse.Namespace) -> str:
    rows = []
    for association in directory.all():
        group = "group enrolled" if directory.group_of(association.id) else "no group"
        state = "active" if association.active else "disabled"
        rows.append(f"{association.id:20} {state:9} {group:15} {association.status:11} {association.name}")
    return "\n".join(rows) or "no association"


def _import(directory: Directory, args: argparse.Namespace) -> str:
    added = directory.import_seed(load_seed(args.file) if args.file else load_seed())
    return f"{added} association(s) added"


def _entry(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TypeError("the file must hold one association as a mapping (the seed file's format)")
    return data


def _add(directory: Directory, args: argparse.Namespace) -> str:
    association = association_from_dict(_entry(args.file))
    if directory.get(association.id) is not None:
        raise DirectoryError(f"{association.id} exists already: use `update`")
    directory.save(association)
    return f"added {association.id}"


def _update(directory: Directory, args: argparse.Namespace) -> str:
    association = association_from_dict(_entry(args.file))
    if directory.get(association.id) is None:
        raise DirectoryError(f"no association with id {association.id!r}: use `add`")
    directory.save(association)
    return f"updated {association.id}"


def _disable(directory: Directory, args: argparse.Namespace) -> str:
    directory.set_active(args.id, False)
    return f"disabled {args.id}: it gets no new request"


def _enable(directory: Directory, args: argparse.Namespace) -> str:
    directory.set_active(args.id, True)
    return f"enabled {args.id}"


def _code(directory: Directory, args: argparse.Namespace) -> str:
    code = directory.new_enrollment_code(args.id)
    return (
        f"one-time code for {args.id}, valid 48 hours: {code}\n"
        f"Add the bot to the association's Telegram group, then post there: /enroll {code}"
    )


ACTIONS = {
    "list": _list,
    "import": _import,
    "add": _add,
    "update": _update,
    "disable": _disable,
    "enable": _enable,
    "code": _code,
}
