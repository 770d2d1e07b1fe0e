"""The grant agreement's standard terms, built from a grant's facts (no database)."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

from participate.grants import agreement


def _fund(**changes):
    data = {"name": "Community Chest", "currency": "GBP", "reallocation_limit": 10_000}
    data.update(changes)
    return SimpleNamespace(**data)


def _grant(**changes):
    data = {
        "title": "Saturday breakfast club",
        "recipient_kind": "organisation",
        "recipient_name": "Northside Families Group",
        "host_name": None,
        "name_public": False,
        "amount_requested": 50_000,
        "amount_awarded": 45_000,
        "ends_on": date(2027, 6, 30),
        "lines": [object(), object()],
        "conditions": None,
    }
    data.update(changes)
    return SimpleNamespace(**data)


def _texts(grant, fund=None, **kwargs) -> dict[str, str]:
    return {t.key: t.filled() for t in agreement.terms(grant, fund or _fund(), **kwargs)}


def test_the_terms_say_what_the_money_is_for_and_how_much():
    texts = _texts(_grant())
    assert texts["purpose"] == (
        'Community Chest gives Northside Families Group £450.00 for "Saturday breakfast '
        'club", as you described it in your application.'
    )
    assert "tell us before" in texts["spend"]
    assert "Give back any money you do not spend" in texts["give_back"]
    assert "both sides sign" in texts["close"]
    assert (
        texts["payments"] == "We pay the money to Northside Families Group, in one or more parts."
    )


def test_an_offer_not_yet_awarded_uses_the_amount_asked_for():
    assert "£500.00" in _texts(_grant(amount_awarded=None))["purpose"]


def test_small_changes_between_lines_up_to_the_funds_limit():
    assert "up to £100.00 from one line to another" in _texts(_grant())["lines"]
    no_limit = _texts(_grant(), _fund(reallocation_limit=0))["lines"]
    assert "talk to us first" in no_limit and "£" not in no_limit
    assert "lines" not in _texts(_grant(lines=[]))


def test_the_end_date_is_written_by_the_callers_day_format():
    texts = _texts(_grant(), day=lambda d: d.strftime("%d/%m/%Y"))
    assert "by 30/06/2027, tell us how it went" in texts["report"]
    assert "by" not in _texts(_grant(ends_on=None))["report"].split(",")[0]


def test_a_host_holds_the_money_for_a_group():
    grant = _grant(
        recipient_kind="hosted", recipient_name="Mill Lane Gardeners", host_name="St Mary's Church"
    )
    texts = _texts(grant)
    assert texts["host"] == (
        "St Mary's Church holds the money for Mill Lane Gardeners and makes sure it is spent "
        "as agreed."
    )
    assert "to St Mary's Church" in texts["payments"]
    assert agreement.money_holder(grant) == "St Mary's Church"


def test_a_person_is_paid_directly_and_told_about_their_name():
    private = _texts(_grant(recipient_kind="individual", recipient_name="Rhys Jones"))
    assert private["payments"] == "We pay the money to you, in one or more parts."
    assert "never show your name in public" in private["privacy"]
    public = _texts(_grant(recipient_kind="individual", recipient_name="Rhys", name_public=True))
    assert "chose to let us name you" in public["privacy"]
    assert "privacy" not in _texts(_grant())


def test_conditions_join_the_agreement_only_when_there_are_some():
    assert "conditions" not in _texts(_grant())
    assert "part of this agreement" in _texts(_grant(conditions="Send a photo."))["conditions"]


def test_every_placeholder_has_its_value_and_no_value_is_spare():
    grant = _grant(recipient_kind="hosted", host_name="Host", conditions="x")
    for term in agreement.terms(grant, _fund()):
        names = set(re.findall(r"%\((\w+)\)s", term.text))
        assert names == set(term.params), term.key
        assert "%(" not in term.filled()
