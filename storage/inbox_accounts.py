"""Accounts of the association inbox (issue 13): one-time setup, password and TOTP, lock-out.

An account is created for an association with a role; its holder opens a one-time setup link,
chooses a password and scans a TOTP secret, and proves it with a first code, which also gives
them ten one-time recovery codes. A login needs the password and a fresh code (or a recovery
code). Ten failed logins in a row lock the account until a coordinator unlocks it. Logins, links
and recovery codes are kept as keyed hashes, names and TOTP secrets encrypted, passwords as
Argon2id hashes: a copy of the database gives none of them away.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.clock import Clock, utc_now
from core.keyed_hash import KeyedHasher
from storage.crypto import FieldCipher
from storage.models import InboxAccountRow, InboxRecoveryCodeRow, InboxSetupLinkRow

ROLES = ("coordinator", "member")
SETUP_LINK_VALIDITY = timedelta(hours=48)
MIN_PASSWORD_LENGTH = 12
MAX_FAILED_LOGINS = 10
RECOVERY_CODES = 10
ISSUER = "Inbox"  # the name the authenticator app shows: neutral on purpose


class AccountError(ValueError):
    """A request about accounts that cannot be done; `reason` says why, for a clear message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LoginOutcome(str, Enum):
    """What a login attempt gave. Unknown logins and wrong passwords look the same from outside."""

    ACCEPTED = "accepted"
    REFUSED = "refused"
    LOCKED = "locked"


@dataclass(frozen=True)
class Setup:
    """What the setup page shows: the TOTP secret and the address an authenticator app reads."""

    account_id: int
    secret: str
    provisioning_uri: str


@dataclass(frozen=True)
class Member:
    """An account as a coordinator sees it in the members page."""

    account_id: int
    name: str
    role: str
    ready: bool  # the setup link was used: a password and a second factor are set
    locked: bool


@dataclass(frozen=True)
class Login:
    """The outcome of a login attempt, and the account when accepted."""

    outcome: LoginOutcome
    account_id: int | None = None
    association_id: str | None = None
    role: str | None = None


def normal_login(login: str) -> str:
    """Logins are compared without case or surrounding spaces."""
    return login.strip().casefold()


class InboxAccounts:
    """Create accounts, set them up through one-time links, and check logins."""

    def __init__(
        self,
        engine: Engine,
        cipher: FieldCipher,
        hasher: KeyedHasher,
        clock: Clock = utc_now,
        password_hasher: PasswordHasher | None = None,
    ) -> None:
        self._engine = engine
        self._cipher = cipher
        self._hasher = hasher
        self._now = clock
        self._passwords = password_hasher or PasswordHasher()

    # --- accounts and setup links ----------------------------------------------------------

    def create(self, association_id: str, role: str, login: str, name: str) -> str:
        """A new account and its one-time setup token (to put in a link, shown once)."""
        if role not in ROLES:
            raise AccountError("unknown_role")
        if not normal_login(login) or not name.strip():
            raise AccountError("empty")
        try:
            with Session(self._engine) as session, session.begin():
                account = InboxAccountRow(
                    association_id=association_id,
                    role=role,
                    login_hash=self._login_hash(login),
                    name=self._cipher.encrypt(name.strip()),
                    failed_logins=0,
                    locked=False,
                    created_at=self._now(),
                )
                session.add(account)
                session.flush()
                return self._new_link(session, account.id)
        except IntegrityError:
            raise AccountError("login_taken") from None

    def new_setup_link(self, account_id: int) -> str:
        """A fresh setup token for an account (a lost phone, a forgotten password); older ones end."""
        with Session(self._engine) as session, session.begin():
            if session.get(InboxAccountRow, account_id) is None:
                raise AccountError("unknown_account")
            return self._new_link(session, account_id)

    def begin_setup(self, token: str) -> Setup:
        """Open a setup link: a new TOTP secret to scan (not in force until a first code proves it)."""
        with Session(self._engine) as session, session.begin():
            link = self._valid_link(session, token)
            account = session.get(InboxAccountRow, link.account_id)
            secret = pyotp.random_base32()
            account.totp_secret = self._cipher.encrypt(secret)
            account.password_hash = None  # nothing works until the setup is complete
            label = f"{account.association_id}-{account.id}"
            uri = pyotp.TOTP(secret).provisioning_uri(name=label, issuer_name=ISSUER)
            return Setup(account.id, secret, uri)

    def complete_setup(self, token: str, password: str, code: str) -> list[str]:
        """Set the password once the first code proves the secret was scanned; the link is used up.

        Returns the recovery codes, to show once."""
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError("password_too_short")
        with Session(self._engine) as session, session.begin():
            link = self._valid_link(session, token)
            account = session.get(InboxAccountRow, link.account_id)
            if account.totp_secret is None:
                raise AccountError("setup_not_begun")
            step = self._matching_step(account, code)
            if step is None:
                raise AccountError("wrong_code")
            account.password_hash = self._passwords.hash(password)
            account.last_totp_step = step
            account.failed_logins, account.locked = 0, False
            link.used_at = self._now()
            session.execute(
                update(InboxRecoveryCodeRow)
                .where(InboxRecoveryCodeRow.account_id == account.id, InboxRecoveryCodeRow.used_at.is_(None))
                .values(used_at=self._now())
            )
            codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
            for recovery in codes:
                session.add(InboxRecoveryCodeRow(code_hash=self._code_hash(recovery), account_id=account.id))
            return codes

    # --- logins ----------------------------------------------------------------------------

    def login(self, login: str, password: str, code: str) -> Login:
        """Check a password and a TOTP code (or a recovery code); count failures, lock at ten."""
        with Session(self._engine) as session, session.begin():
            account = session.scalar(
                select(InboxAccountRow).where(InboxAccountRow.login_hash == self._login_hash(login))
            )
            if account is None or account.password_hash is None:
                self._passwords.hash(password)  # the same work as a real check: timing tells nothing
                return Login(LoginOutcome.REFUSED)
            if account.locked:
                return Login(LoginOutcome.LOCKED)
            if self._password_matches(account, password) and self._second_factor(session, account, code):
                account.failed_logins = 0
                return Login(LoginOutcome.ACCEPTED, account.id, account.association_id, account.role)
            account.failed_logins += 1
            account.locked = account.failed_logins >= MAX_FAILED_LOGINS
            return Login(LoginOutcome.LOCKED if account.locked else LoginOutcome.REFUSED)

    def unlock(self, account_id: int) -> bool:
        """A coordinator lets a locked account try again."""
        with Session(self._engine) as session, session.begin():
            account = session.get(InboxAccountRow, account_id)
            if account is None:
                return False
            account.locked, account.failed_logins = False, 0
            return True

    def members(self, association_id: str) -> list[Member]:
        """Everyone of an association who has an account, in the order they were added."""
        query = (
            select(InboxAccountRow)
            .where(InboxAccountRow.association_id == association_id)
            .order_by(InboxAccountRow.id)
        )
        with Session(self._engine) as session:
            return [
                Member(
                    row.id,
                    self._cipher.decrypt(row.name),
                    row.role,
                    row.password_hash is not None,
                    row.locked,
                )
                for row in session.scalars(query)
            ]

    def account_id_of(self, login: str) -> int | None:
        """The account with this login, if any (for the command line)."""
        with Session(self._engine) as session:
            query = select(InboxAccountRow.id).where(InboxAccountRow.login_hash == self._login_hash(login))
            return session.scalar(query)

    def is_ready(self, account_id: int) -> bool:
        """True once the account's setup link was used (a password and a second factor are set)."""
        with Session(self._engine) as session:
            account = session.get(InboxAccountRow, account_id)
            return bool(account and account.password_hash is not None)

    def association_of(self, account_id: int) -> str | None:
        """The association an account belongs to."""
        with Session(self._engine) as session:
            account = session.get(InboxAccountRow, account_id)
            return account.association_id if account else None

    def name_of(self, account_id: int) -> str | None:
        """The account holder's name, to show to their colleagues."""
        with Session(self._engine) as session:
            account = session.get(InboxAccountRow, account_id)
            return self._cipher.decrypt(account.name) if account else None

    # --- internals -------------------------------------------------------------------------

    def _login_hash(self, login: str) -> str:
        return self._hasher.digest("inbox-login", normal_login(login))

    def _code_hash(self, code: str) -> str:
        return self._hasher.digest("inbox-code", code.strip().lower())

    def _new_link(self, session: Session, account_id: int) -> str:
        now = self._now()
        session.execute(
            update(InboxSetupLinkRow)
            .where(InboxSetupLinkRow.account_id == account_id, InboxSetupLinkRow.used_at.is_(None))
            .values(used_at=now)
        )
        token = secrets.token_urlsafe(24)
        session.add(
            InboxSetupLinkRow(
                token_hash=self._hasher.digest("inbox-setup", token),
                account_id=account_id,
                expires_at=now + SETUP_LINK_VALIDITY,
            )
        )
        return token

    def _valid_link(self, session: Session, token: str) -> InboxSetupLinkRow:
        link = session.get(InboxSetupLinkRow, self._hasher.digest("inbox-setup", token.strip()))
        if link is None or link.used_at is not None:
            raise AccountError("link_unknown_or_used")
        if link.expires_at <= self._now():
            raise AccountError("link_expired")
        return link

    def _password_matches(self, account: InboxAccountRow, password: str) -> bool:
        try:
            return bool(self._passwords.verify(account.password_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    def _matching_step(self, account: InboxAccountRow, code: str) -> int | None:
        """The time step of a valid code (one step of clock drift either way), never one used before."""
        if account.totp_secret is None:
            return None
        totp = pyotp.TOTP(self._cipher.decrypt(account.totp_secret))
        now = self._now()
        current = totp.timecode(now)
        for step in (current, current - 1, current + 1):
            if secrets.compare_digest(totp.generate_otp(step), code.strip()):
                used = account.last_totp_step
                return step if used is None or step > used else None
        return None

    def _second_factor(self, session: Session, account: InboxAccountRow, code: str) -> bool:
        """A fresh TOTP code, or an unused recovery code (which is then used up)."""
        step = self._matching_step(account, code)
        if step is not None:
            account.last_totp_step = step
            return True
        recovery = session.get(InboxRecoveryCodeRow, self._code_hash(code))
        if recovery is None or recovery.account_id != account.id or recovery.used_at is not None:
            return False
        recovery.used_at = self._now()
        return True
