"""The closure letter's template (pure): five sections from a grant's facts, amounts in
figures and words, and a person who received a grant never named unless they chose."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from participate.grants import letter
from participate.grants.rules import LETTER_SECTIONS

FACTS = letter.LetterFacts(
    reference="community-chest-3",
    title="Harbour mural",
    what="Paint and scaffolding for a mural on the harbour wall.",
    fund_name="Community Chest",
    organisation="Porthaven Council",
    currency="GBP",
    recipient_kind="organisation",
    recipient_name="Harbour Arts Collective",
    name_public=False,
    awarded=125_050,
    paid=100_000,
    returned=25_050,
    unpaid=0,
    ends_on=date(2029, 9, 30),
    drafted_on=date(2029, 10, 14),
    awarded_on=date(2029, 2, 1),
    report_received_on=date(2029, 10, 2),
    after_grant="The collective will look after the mural for five years.",
)


def test_all_five_sections_in_the_order_the_rules_name_them():
    drafted = letter.draft(FACTS)
    assert list(drafted) == list(LETTER_SECTIONS) == list(letter.SECTIONS)
    assert all(text.strip() for text in drafted.values())
    assert "community-chest-3" in drafted["legal"]
    assert "Paint and scaffolding for a mural" in drafted["legal"]
    assert "1 February 2029" in drafted["legal"]
    assert "30 September 2029" in drafted["reporting"]
    assert "received the final report on 2 October 2029" in drafted["reporting"]
    assert "look after the mural for five years" in drafted["reporting"]
    assert '"Harbour Arts Collective"' in drafted["communications"]
    assert "deleted safely" in drafted["data"]
    assert "belongs to the grantee" in drafted["ip"]


def test_amounts_are_in_figures_and_words():
    legal = letter.draft(FACTS)["legal"]
    assert "£1,250.50 (one thousand, two hundred and fifty pounds and fifty pence)" in legal
    assert "Paid to the grantee and kept: £1,000.00 (one thousand pounds)." in legal
    assert "£250.50 (two hundred and fifty pounds and fifty pence)" in legal
    assert "Still promised" not in legal  # nothing unpaid
    owed = letter.draft(replace(FACTS, unpaid=5_000, returned=20_050))["legal"]
    assert "Still promised and not paid: £50.00 (fifty pounds)." in owed
    no_words = letter.draft(FACTS, words=False)["legal"]
    assert "£1,250.50" in no_words and "pence" not in no_words


@pytest.mark.parametrize(
    ("pence", "currency", "words"),
    [
        (0, "GBP", "zero pounds"),
        (1, "GBP", "one penny"),
        (100, "GBP", "one pound"),
        (101, "GBP", "one pound and one penny"),
        (2_000_500, "GBP", "twenty thousand and five pounds"),
        (100_500_000, "GBP", "one million, five thousand pounds"),
        (
            1_234_567,
            "GBP",
            "twelve thousand, three hundred and forty-five pounds and sixty-seven pence",
        ),
        (5_000, "EUR", "fifty euros"),
        (150, "XYZ", "one XYZ and 50/100"),
    ],
)
def test_money_in_words(pence, currency, words):
    assert letter.money_in_words(pence, currency) == words


def test_a_person_is_not_named_unless_they_chose():
    person = replace(FACTS, recipient_kind="individual", recipient_name="Jane Doe")
    drafted = letter.draft(person)
    whole = "\n".join(drafted.values())
    assert "Jane Doe" not in whole
    assert "not named here" in drafted["legal"]
    assert '"a person living in the area"' in drafted["communications"]
    assert "will not use the grantee's name" in drafted["communications"]

    chose = letter.draft(replace(person, name_public=True))
    assert "Jane Doe" in chose["legal"]
    assert '"Jane Doe"' in chose["communications"]
    assert "will not use the grantee's name" not in chose["communications"]


def test_a_hosted_group_is_named_with_its_host():
    hosted = replace(
        FACTS,
        recipient_kind="hosted",
        recipient_name="Friday Knitters",
        host_name="Northside Community Trust",
    )
    legal = letter.draft(hosted)["legal"]
    assert "Friday Knitters (with Northside Community Trust holding the money for them)" in legal


def test_a_report_still_owed_is_said_plainly():
    owed = letter.draft(replace(FACTS, report_received_on=None, after_grant=None))["reporting"]
    assert "The final report is still owed" in owed
    assert "No more reports are owed" not in owed


def test_the_wording_and_dates_can_be_translated():
    drafted = letter.draft(FACTS, gettext=lambda s: f"[{s}]", day=lambda d: d.isoformat())
    assert drafted["reporting"].startswith("[The work was due to end by 2029-09-30.]")
