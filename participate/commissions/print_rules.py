"""What goes on paper for a commission: a session's printed agenda and the blank story form
a gatherer takes to someone who would rather write by hand.

Pure: no Flask, no database. The paper story form is built from the online form's own fields
(``paper_questions``), in their order and with their words, so paper and screen can't drift.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from participate.text import N_

# --- the agenda --------------------------------------------------------------------------------

BRING_ALWAYS = N_("This agenda, if it helps. Nothing else is needed: come as you are.")
BRING_IN_PERSON = N_(
    "Tickets or receipts for travel, childcare or care cover, if you'd like those costs paid back."
)
BRING_ONLINE = N_("A phone, tablet or computer to join online, and somewhere you can talk.")


def what_to_bring(place: str | None, online_link: str | None) -> list[str]:
    """What to bring to a session, in plain words (``N_`` strings, translated where shown):
    receipts for costs paid back when people travel to a place, a device when it is online."""
    things = []
    if place:
        things.append(BRING_IN_PERSON)
    if online_link:
        things.append(BRING_ONLINE)
    things.append(BRING_ALWAYS)
    return things


def facilitator_names(memberships: Iterable) -> list[str]:
    """The chosen names of a commission's facilitators (no titles: no rank in the room).
    ``memberships`` have ``role`` and ``person.chosen_name``; the order is kept."""
    return [m.person.chosen_name for m in memberships if m.role == "facilitator"]


# --- the paper story form --------------------------------------------------------------------

# How each kind of online field is answered on paper.
PAPER_KINDS = {
    "RadioField": "one",  # one box to tick out of several
    "BooleanField": "tick",  # a single box
    "DateField": "date",  # a date written in
    "StringField": "line",  # a line to write on
    "TextAreaField": "lines",  # room to write
}


@dataclass(frozen=True)
class PaperQuestion:
    name: str  # the online field's name: what the gatherer fills in from this answer
    kind: str  # a value of PAPER_KINDS
    label: str
    hint: str | None
    choices: tuple[tuple[str, str], ...]  # (value, words) for "one"; empty otherwise
    consent: bool  # one of the teller's choices (under "Your choices")


def paper_questions(fields: Iterable, consent_names: Iterable[str]) -> list[PaperQuestion]:
    """The online form's questions as they go on paper, in the online form's order.

    ``fields`` are the form's fields (each with ``name``, ``type``, ``label.text``,
    ``description``; a choice field iterates over its options, each with ``data`` and
    ``label.text``, as the online form's radio buttons are drawn). Fields with no
    paper kind (the hidden CSRF token) are left out. The words are kept as given: the caller
    passes translated ones.
    """
    consent = set(consent_names)
    questions = []
    for field in fields:
        kind = PAPER_KINDS.get(field.type)
        if kind is None:
            continue
        # A choice field's options as the online form draws them (each has data and label).
        options = tuple((str(o.data), str(o.label.text)) for o in field) if kind == "one" else ()
        questions.append(
            PaperQuestion(
                name=field.name,
                kind=kind,
                label=str(field.label.text),
                hint=str(field.description) if field.description else None,
                choices=options,
                consent=field.name in consent,
            )
        )
    return questions
