"""What goes on a commission's papers: what to bring to a session, who facilitates it, and the
online story form's questions turned into a paper form (same order, same words)."""

from __future__ import annotations

from types import SimpleNamespace as NS

from participate.commissions import print_rules as pr


def test_what_to_bring_depends_on_where_the_session_is():
    assert pr.what_to_bring("The hub", None) == [pr.BRING_IN_PERSON, pr.BRING_ALWAYS]
    assert pr.what_to_bring(None, "https://meet.example.org/x") == [
        pr.BRING_ONLINE,
        pr.BRING_ALWAYS,
    ]
    assert pr.what_to_bring("The hub", "https://meet.example.org/x") == [
        pr.BRING_IN_PERSON,
        pr.BRING_ONLINE,
        pr.BRING_ALWAYS,
    ]
    assert pr.what_to_bring("", "") == [pr.BRING_ALWAYS]


def test_facilitators_are_named_by_their_chosen_names_only():
    rows = [
        NS(role="community_commissioner", person=NS(chosen_name="Jade")),
        NS(role="facilitator", person=NS(chosen_name="Sam")),
        NS(role="civic_commissioner", person=NS(chosen_name="Helen")),
        NS(role="facilitator", person=NS(chosen_name="Ade")),
    ]
    assert pr.facilitator_names(rows) == ["Sam", "Ade"]
    assert pr.facilitator_names([]) == []


def _radio(name, label, options, description=None):
    """A stand-in for a WTForms radio field: iterating gives its options."""

    class Radio(NS):
        def __iter__(self):
            return iter(NS(data=v, label=NS(text=t)) for v, t in options)

    return Radio(name=name, type="RadioField", label=NS(text=label), description=description)


def _field(name, type_, label, description=None):
    return NS(name=name, type=type_, label=NS(text=label), description=description)


def test_paper_questions_keep_the_online_order_words_and_choices():
    fields = [
        _field("csrf_token", "CSRFTokenField", "CSRF Token"),
        _radio(
            "template",
            "How would you like to tell it?",
            [("self", "Story of self"), ("free", "In my own way")],
        ),
        _field("body", "TextAreaField", "Your story", "Write it as you would say it."),
        _radio("audience", "Who can read it", [("only_me", "Only me"), ("public", "Anyone")]),
        _field("pseudonym", "StringField", "The made-up name", "Only if you chose one."),
        _field("expires_on", "DateField", "Take it down on this date (optional)"),
        _field("wants_support", "BooleanField", "I'd like support after sharing"),
    ]
    questions = pr.paper_questions(fields, ("audience", "pseudonym", "expires_on", "wants_support"))
    assert [(q.name, q.kind, q.consent) for q in questions] == [
        ("template", "one", False),
        ("body", "lines", False),
        ("audience", "one", True),
        ("pseudonym", "line", True),
        ("expires_on", "date", True),
        ("wants_support", "tick", True),
    ]
    assert questions[0].choices == (("self", "Story of self"), ("free", "In my own way"))
    assert questions[2].choices == (("only_me", "Only me"), ("public", "Anyone"))
    assert questions[2].label == "Who can read it"
    assert questions[3].hint == "Only if you chose one."
    assert questions[4].hint is None and questions[4].choices == ()
