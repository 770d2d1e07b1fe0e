"""The grant agreement in plain English: the standard terms a grantee accepts with the offer,
built from the grant's own facts (what it is for, how much, who holds the money, when it
ends, how much may move between budget lines).

Pure: no Flask, no database. Each term is an ``N_`` marked text with ``%(name)s``
placeholders and the values to put in them; the page translates the text, then fills it in
(``_(term.text, **term.params)``). Money comes already written out (``format_money``); a
day is written by the ``day`` function the caller passes (the page's own date format).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from participate.money import format_money
from participate.text import N_


@dataclass(frozen=True)
class Term:
    key: str  # a stable name, for tests and anchors
    text: str  # N_ marked, with %(name)s placeholders
    params: Mapping[str, object] = field(default_factory=dict)

    def filled(self) -> str:
        """The English text with its values in (what a translation fills in the same way)."""
        return self.text % dict(self.params) if self.params else self.text


def money_holder(grant) -> str:
    """Who the money is paid to: the host organisation for a hosted group, else the
    recipient (a group, a charity, or the person themselves)."""
    if grant.recipient_kind == "hosted" and grant.host_name:
        return grant.host_name
    return grant.recipient_name


def terms(grant, fund, *, day: Callable[[date], str] = date.isoformat) -> list[Term]:
    """The standard terms for ``grant`` from ``fund``, in the order they are read.

    ``grant`` needs: title, recipient_kind, recipient_name, host_name, name_public,
    amount_awarded (or amount_requested), ends_on, lines (may be empty), conditions.
    ``fund`` needs: name, currency, reallocation_limit.
    """
    amount = grant.amount_awarded or grant.amount_requested
    money = format_money(amount, fund.currency)
    out = [
        Term(
            "purpose",
            N_(
                '%(fund)s gives %(recipient)s %(amount)s for "%(title)s", as you described it '
                "in your application."
            ),
            {
                "fund": fund.name,
                "recipient": grant.recipient_name,
                "amount": money,
                "title": grant.title,
            },
        ),
        Term(
            "spend",
            N_(
                "Spend the money on what you applied for. If your plans change, tell us before "
                "you spend it on something else, and we will talk it through with you."
            ),
        ),
    ]
    limit = fund.reallocation_limit or 0
    if grant.lines and limit > 0:
        out.append(
            Term(
                "lines",
                N_(
                    "Small changes between your budget lines are fine: you can move up to "
                    "%(limit)s from one line to another by asking on the grant's page. For a "
                    "bigger change, talk to us first."
                ),
                {"limit": format_money(limit, fund.currency)},
            )
        )
    elif grant.lines:
        out.append(
            Term(
                "lines",
                N_("If you want to move money from one budget line to another, talk to us first."),
            )
        )
    if grant.recipient_kind == "hosted" and grant.host_name:
        out.append(
            Term(
                "host",
                N_("%(host)s holds the money for %(group)s and makes sure it is spent as agreed."),
                {"host": grant.host_name, "group": grant.recipient_name},
            )
        )
    if grant.recipient_kind == "individual":
        out.append(Term("payments", N_("We pay the money to you, in one or more parts.")))
    else:
        out.append(
            Term(
                "payments",
                N_("We pay the money to %(holder)s, in one or more parts."),
                {"holder": money_holder(grant)},
            )
        )
    if grant.ends_on:
        out.append(
            Term(
                "report",
                N_(
                    "When the work ends, by %(ends_on)s, tell us how it went. A few written "
                    "answers, a file you already have, or a conversation with us are all "
                    "fine."
                ),
                {"ends_on": day(grant.ends_on)},
            )
        )
    else:
        out.append(
            Term(
                "report",
                N_(
                    "When the work ends, tell us how it went. A few written answers, a file "
                    "you already have, or a conversation with us are all fine."
                ),
            )
        )
    out.append(
        Term(
            "give_back",
            N_(
                "Give back any money you do not spend. We show it in the fund's accounts as "
                "money returned, never as something held against you."
            ),
        )
    )
    out.append(
        Term(
            "close",
            N_(
                "We close the grant together: we talk about how it went, write a closing "
                "letter you can comment on, and both sides sign it."
            ),
        )
    )
    if grant.recipient_kind == "individual":
        if grant.name_public:
            out.append(
                Term("privacy", N_("You chose to let us name you in public with this grant."))
            )
        else:
            out.append(
                Term(
                    "privacy",
                    N_(
                        "We never show your name in public: the fund's public pages say "
                        "the grant went to a person living in the area."
                    ),
                )
            )
    if grant.conditions:
        out.append(
            Term(
                "conditions",
                N_("The conditions written with the offer are part of this agreement too."),
            )
        )
    return out
