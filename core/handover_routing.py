"""Which associations a request goes to: proposals for the person, the next one after a refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from core.directory import Association, rank
from core.exploitation import FORMS


class ReachableDirectory(Protocol):
    """The part of the live directory routing needs."""

    def reachable(self) -> list[Association]:
        """Active associations that can receive a request (someone of them can log in to the inbox)."""


class RoutedRequest(Protocol):
    """The routing fields of a stored request."""

    departement: str | None
    form: str | None
    language: str
    minor: bool


def directory_form(form: str | None) -> str | None:
    """The directory's name for a form of exploitation; None when unknown or "other"."""
    return form if form in FORMS else None


def proposals(
    directory: ReachableDirectory, *, departement: str | None, form: str | None, language: str, minor: bool
) -> list[Association]:
    """Reachable associations for this person, best first."""
    return rank(
        directory.reachable(),
        departement=departement,
        form=directory_form(form),
        language=language,
        minor=minor,
    )


def next_association_for(directory: ReachableDirectory) -> Callable[[RoutedRequest, set[str]], str | None]:
    """A function giving the best association not tried yet for a request, or None."""

    def next_association(request: RoutedRequest, tried: set[str]) -> str | None:
        ranked = proposals(
            directory,
            departement=request.departement,
            form=request.form,
            language=request.language,
            minor=bool(request.minor),
        )
        return next((a.id for a in ranked if a.id not in tried), None)

    return next_association
