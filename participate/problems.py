"""A rule's objection to what someone typed, and putting it next to the field it is about.

Rules modules (``budgeting/rules.py``, ``grants/rules.py``) return ``Problem``s without
knowing about forms; a view calls ``add_problems`` to show each one beside its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    field: str  # the form field it belongs next to ("" for the whole form)
    message: str  # marked with N_, translated where shown
    params: Mapping[str, object] = field(default_factory=dict)


class Refusal(ValueError):
    """A step the rules will not take now, and why, for the person who tried it.

    ``message`` is marked with N_ and translated where shown (``refusal_text``), with
    ``params`` filled in; ``str()`` of it is the English, for logs and tests.
    """

    def __init__(self, message: str = "", **params: object):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


def refusal_text(error: Exception) -> str:
    """Why a step was refused, in the reader's language (any other error as it is)."""
    from flask_babel import gettext as _

    if isinstance(error, Refusal) and error.message:
        return _(error.message, **error.params)
    return str(error)


def add_problems(form, problems: list[Problem]) -> bool:
    """Put each rule problem next to its field (translated); ``True`` when there were any.
    Problems without a field go to ``form.form_errors`` and show at the top."""
    from flask_babel import gettext as _

    for problem in problems:
        message = _(problem.message, **problem.params)
        target = getattr(form, problem.field, None) if problem.field else None
        if target is not None:
            target.errors = [*target.errors, message]
        else:
            form.form_errors.append(message)
    form._errors = None  # WTForms caches ``form.errors``; let it gather these too
    return bool(problems)
