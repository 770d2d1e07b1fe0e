"""The closure letter's template: five sections (legal, reporting, communications, data and
intellectual property) in plain English, drafted from a grant's facts.

Pure: no Flask, no database. The page gathers the facts (``LetterFacts``) and passes the
translation function; the draft is ``{section: text}`` for ``rules.LETTER_SECTIONS``, which
the people who run the fund may then edit and the grantee may comment on.

A person who received a grant is never named in the letter unless they chose to be named in
public (``name_public``): the letter may be printed and shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from participate.money import format_money
from participate.text import N_

SECTIONS = ("legal", "reporting", "communications", "data", "ip")

PRIVATE_PERSON = N_("the person who received the grant (not named here, as they chose)")
PUBLIC_PERSON = N_("a person living in the area")


@dataclass(frozen=True)
class LetterFacts:
    reference: str
    title: str
    what: str  # what the money was for
    fund_name: str
    organisation: str  # who runs the fund
    currency: str
    recipient_kind: str  # organisation, hosted, individual
    recipient_name: str
    name_public: bool
    awarded: int  # pence
    paid: int  # paid and kept
    returned: int  # given back or never paid
    unpaid: int  # still promised and not paid
    ends_on: date  # when the work was due to end
    drafted_on: date
    host_name: str | None = None
    awarded_on: date | None = None
    report_received_on: date | None = None
    after_grant: str | None = None  # what happens after the grant


# --- amounts in words ------------------------------------------------------------------------

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))
# (one unit, many units, one hundredth, many hundredths)
UNITS = {
    "GBP": ("pound", "pounds", "penny", "pence"),
    "EUR": ("euro", "euros", "cent", "cents"),
    "USD": ("dollar", "dollars", "cent", "cents"),
}


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append(f"{_ONES[hundreds]} hundred")
    if rest:
        if rest < 20:
            tail = _ONES[rest]
        else:
            tens, ones = divmod(rest, 10)
            tail = _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
        words.append(("and " if hundreds else "") + tail)
    return " ".join(words)


def number_in_words(n: int) -> str:
    """1250 -> 'one thousand, two hundred and fifty' (British English)."""
    if n < 0:
        return "minus " + number_in_words(-n)
    if n == 0:
        return "zero"
    parts = []
    for size, name in _SCALES:
        if n >= size:
            count, n = divmod(n, size)
            parts.append(f"{number_in_words(count)} {name}")
    if n:
        small = _below_thousand(n)
        # "one thousand and five", "one thousand, two hundred"
        parts.append(("and " + small) if parts and n < 100 else small)
    return ", ".join(parts).replace(", and ", " and ")


def money_in_words(pence: int, currency: str = "GBP") -> str:
    """125050 -> 'one thousand, two hundred and fifty pounds and fifty pence'."""
    whole, part = divmod(abs(int(pence)), 100)
    if currency not in UNITS:
        words = f"{number_in_words(whole)} {currency}" + (f" and {part:02d}/100" if part else "")
    else:
        one, many, one_small, many_small = UNITS[currency]
        big = f"{number_in_words(whole)} {one if whole == 1 else many}"
        small = f"{number_in_words(part)} {one_small if part == 1 else many_small}"
        words = small if part and not whole else f"{big} and {small}" if part else big
    return ("minus " if pence < 0 else "") + words


def amount(pence: int, currency: str = "GBP", words: bool = True) -> str:
    """'£1,250.50 (one thousand, two hundred and fifty pounds and fifty pence)'."""
    figures = format_money(pence, currency)
    return f"{figures} ({money_in_words(pence, currency)})" if words else figures


# --- who is who ------------------------------------------------------------------------------


def named(facts: LetterFacts) -> bool:
    """Whether the letter may use the recipient's name."""
    return facts.recipient_kind != "individual" or facts.name_public


def grantee(facts: LetterFacts, _: Callable[[str], str]) -> str:
    """The grantee as the letter calls them."""
    if not named(facts):
        return _(PRIVATE_PERSON)
    if facts.recipient_kind == "hosted" and facts.host_name:
        return _("%(group)s (with %(host)s holding the money for them)") % {
            "group": facts.recipient_name,
            "host": facts.host_name,
        }
    return facts.recipient_name


def public_name(facts: LetterFacts, _: Callable[[str], str]) -> str:
    """How the fund names the grantee in public."""
    return facts.recipient_name if named(facts) else _(PUBLIC_PERSON)


# --- the sections ----------------------------------------------------------------------------


def _day(d: date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else ""


def draft(
    facts: LetterFacts,
    gettext: Callable[[str], str] = lambda s: s,
    day: Callable[[date], str] = _day,
    words: bool = True,
) -> dict[str, str]:
    """The letter's five sections from the grant's facts. ``gettext`` translates the
    template's sentences; ``day`` writes a date; ``words`` adds amounts in words (English)."""
    _ = gettext

    def money(pence: int) -> str:
        return amount(pence, facts.currency, words)

    who = grantee(facts, _)
    p = {
        "reference": facts.reference,
        "title": facts.title,
        "fund": facts.fund_name,
        "org": facts.organisation,
        "grantee": who,
        "what": facts.what.strip(),
        "awarded": money(facts.awarded),
        "paid": money(facts.paid),
        "returned": money(facts.returned),
        "unpaid": money(facts.unpaid),
        "ends": day(facts.ends_on),
        "public": public_name(facts, _),
    }

    legal = [
        _(
            'This letter closes grant %(reference)s, "%(title)s", from %(fund)s, run by '
            "%(org)s, to %(grantee)s."
        )
        % p,
    ]
    if facts.awarded_on:
        legal.append(
            _("%(org)s awarded %(awarded)s on %(day)s for: %(what)s")
            % {**p, "day": day(facts.awarded_on)}
        )
    else:
        legal.append(_("%(org)s awarded %(awarded)s for: %(what)s") % p)
    legal.append(_("Paid to the grantee and kept: %(paid)s.") % p)
    legal.append(_("Given back, or never paid because it was not needed: %(returned)s.") % p)
    if facts.unpaid:
        legal.append(
            _(
                "Still promised and not paid: %(unpaid)s. It will be paid or released before "
                "this letter is signed."
            )
            % p
        )
    legal.append(
        _(
            "When both sides have signed this letter, the grant is closed: no more money will "
            "be paid or asked back, and neither side owes the other anything more under the "
            "grant agreement, apart from what this letter says."
        )
    )

    reporting = [_("The work was due to end by %(ends)s.") % p]
    if facts.report_received_on:
        reporting.append(
            _("%(org)s received the final report on %(day)s.")
            % {**p, "day": day(facts.report_received_on)}
        )
        reporting.append(_("No more reports are owed for this grant."))
    else:
        reporting.append(
            _(
                "The final report is still owed. It can be answers to a few questions, a file, "
                "or a conversation. Nothing else is owed after it."
            )
        )
    if facts.after_grant and facts.after_grant.strip():
        reporting.append(
            _("What happens after the grant, as planned: %(after)s")
            % {"after": facts.after_grant.strip()}
        )

    communications = [
        _(
            "Both sides may say in public that the grant was made, how much it was and what it "
            "was for."
        ),
        _('%(org)s will name the grantee in public as "%(public)s".') % p,
    ]
    if not named(facts):
        communications.append(
            _(
                "%(org)s will not use the grantee's name, or anything that would show who they "
                "are, unless they say in writing that it may."
            )
            % p
        )
    communications.append(
        _("Please credit the money as coming from %(fund)s when you talk about the work in public.")
        % p
    )

    data = [
        _(
            "Information about people collected for the work (such as names and contact "
            "details of people who took part) is kept only as long as it is needed, and then "
            "deleted safely. It is not shared with anyone else without the people's agreement."
        ),
        _(
            "%(org)s keeps its own records of this grant, including this letter and the final "
            "report, as its records policy says, and uses them only to account for the fund."
        )
        % p,
    ]

    ip = [
        _(
            "Anything made with this grant (such as designs, pictures, writing, recordings or "
            "software) belongs to the grantee, unless this letter says otherwise."
        ),
        _(
            "The grantee lets %(org)s use pictures and words about the work to show what the "
            'fund did, naming the grantee as "%(public)s".'
        )
        % p,
        _(
            "Anything whose ownership is unclear is listed as an outstanding issue and settled "
            "before signing."
        ),
    ]

    return {
        "legal": "\n\n".join(legal),
        "reporting": "\n\n".join(reporting),
        "communications": "\n\n".join(communications),
        "data": "\n\n".join(data),
        "ip": "\n\n".join(ip),
    }
