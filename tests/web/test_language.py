"""English and Welsh: the catalogue is complete, and people get the language they chose.

The compiled catalogue (``.mo``) is build output and not in git, so this module compiles it
from the ``.po`` when it is missing or older, before any app is made.
"""

from __future__ import annotations

import gettext
import os
import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import Environment
from markupsafe import escape
from sqlalchemy import select

from participate.accounts.models import Person
from participate.audit.models import AuditEntry
from participate.extensions import db
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
WELSH_PO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"
WELSH_MO = WELSH_PO.with_suffix(".mo")
# Templates every page is built from: none of their strings may be left in English.
CHROME_TEMPLATES = ["base.html", "errors/error.html", "macros/forms.html"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# The count ``ngettext`` fills in itself.
COUNT = re.compile(r"%\(num\)[sd]")


def _welsh_catalogue():
    with WELSH_PO.open("rb") as fh:
        return read_po(fh, locale="cy")


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogue():
    """``pybabel compile -d translations``, done here so the tests pass on a fresh checkout."""
    if not WELSH_MO.exists() or WELSH_MO.stat().st_mtime < WELSH_PO.stat().st_mtime:
        catalogue = _welsh_catalogue()
        # Write beside the target and rename, so parallel runs never read half a file.
        fd, tmp = tempfile.mkstemp(dir=WELSH_MO.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as fh:
            write_mo(fh, catalogue)
        os.chmod(tmp, 0o644)
        os.replace(tmp, WELSH_MO)
    return WELSH_MO


def cy(text: str, **variables) -> str:
    """The Welsh for ``text`` as a template shows it: the translation as is, values escaped."""
    message = _welsh_catalogue().get(text)
    assert message is not None and message.string, f"no Welsh for {text!r}"
    if not variables:
        return message.string
    return message.string % {name: escape(value) for name, value in variables.items()}


def _page(client, path="/", **headers) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code in (200, 404), response.status_code
    return response.get_data(as_text=True)


# --- the catalogue ---------------------------------------------------------------------------


def _forms(message) -> tuple[str, ...]:
    """A message's translations: one string, or one per plural form (``ngettext``)."""
    if isinstance(message.string, (tuple, list)):
        return tuple(message.string)
    return (message.string,)


def _placeholders(text: str | None) -> list[str]:
    return sorted(PLACEHOLDER.findall(text or ""))


def _forms_for_one_number(catalogue) -> set[int]:
    """The plural forms the catalogue's rule uses for exactly one number (in Welsh 1, 2, 3
    and 6). Like ``msgfmt -c``, these may leave out the count and say it in words
    ("unwaith", "dwywaith"), as the English singular does ("once")."""
    rule = gettext.c2py(catalogue.plural_expr)
    uses = Counter(rule(n) for n in range(1000))
    return {form for form, count in uses.items() if count == 1}


def test_every_message_in_the_welsh_catalogue_is_translated():
    catalogue = _welsh_catalogue()
    untranslated = [m.id for m in catalogue if m.id and not all(_forms(m))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    wrong_number_of_forms = [
        m.id for m in catalogue
        if m.id and m.pluralizable and len(_forms(m)) != catalogue.num_plurals
    ]
    assert len(catalogue) > 100
    assert untranslated == []
    assert fuzzy == []
    assert wrong_number_of_forms == []


def test_welsh_keeps_every_placeholder():
    """A lost or renamed ``%(name)s`` would crash the page in Welsh only.

    Plural messages (``ngettext``) are checked form by form against the English plural,
    which has every placeholder; only the count may be left out, and only in a form used
    for a single number.
    """
    catalogue = _welsh_catalogue()
    single = _forms_for_one_number(catalogue)
    wrong = []
    for m in catalogue:
        if not m.id:
            continue
        if not m.pluralizable:
            if _placeholders(m.id) != _placeholders(m.string):
                wrong.append(m.id)
            continue
        english = _placeholders(m.id[1])
        without_count = _placeholders(COUNT.sub("", m.id[1]))
        for form, text in enumerate(_forms(m)):
            found = _placeholders(text)
            if found != english and not (form in single and found == without_count):
                wrong.append((m.id, form, text))
    assert wrong == []


@pytest.mark.parametrize("template", CHROME_TEMPLATES)
def test_page_chrome_is_all_in_welsh(template):
    source = (ROOT / "templates" / template).read_text(encoding="utf-8")
    environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    strings = {message for _line, _function, message in environment.extract_translations(source)
               if isinstance(message, str)}
    catalogue = _welsh_catalogue()
    missing = sorted(s for s in strings if not (catalogue.get(s) and catalogue.get(s).string))
    assert strings, template
    assert missing == [], f"{template}: run the steps in translations/README.md"


# --- choosing the language -------------------------------------------------------------------


def test_english_by_default(client):
    page = _page(client)
    assert '<html lang="en">' in page
    assert "Skip to main content" in page
    # The switch offers Welsh, named in Welsh.
    assert 'lang="cy"' in page and ">Cymraeg</button>" in page


def test_a_welsh_browser_gets_welsh_chrome(client):
    page = _page(client, "/", **{"Accept-Language": "cy,en;q=0.5"})
    assert '<html lang="cy">' in page
    assert cy("Skip to main content") in page  # Neidio i'r prif gynnwys
    assert cy("Sign in") in page  # Mewngofnodi, in the navigation
    assert cy("Sign in with a code a facilitator gave you on paper") in page
    assert cy("If something here is hard to use, tell a facilitator: it is our job to fix it, "
              "not yours.") in page
    assert "Skip to main content" not in page
    assert ">English</button>" in page


def test_welsh_error_pages(client):
    page = _page(client, "/no-such-page", **{"Accept-Language": "cy"})
    assert '<html lang="cy">' in page
    assert cy("Go to your home page") in page
    # The heading and advice come from participate/web/errors.py, as values (escaped).
    for text in ("We can't find that page", "Check the address, or go back to your home page."):
        assert _welsh_catalogue().get(text), f"{text!r} lost its Welsh: is it marked with N_()?"
        assert str(escape(_welsh(text))) in page


def test_the_switch_changes_the_language_for_a_visitor(client):
    response = client.post("/language", data={"language": "cy", "next": "/sign-in"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/sign-in")
    with client.session_transaction() as session:
        assert session["language"] == "cy"
    # The choice beats the browser's own preference.
    page = _page(client, "/sign-in", **{"Accept-Language": "en"})
    assert f"<h1>{cy('Sign in')}</h1>" in page
    assert cy("Email address") in page  # form labels are translated too
    assert cy("Other ways to sign in") in page

    client.post("/language", data={"language": "en", "next": "/sign-in"})
    page = _page(client, "/sign-in", **{"Accept-Language": "cy"})
    assert "<h1>Sign in</h1>" in page


def test_the_switch_ignores_languages_we_do_not_have(client):
    response = client.post("/language", data={"language": "fr", "next": "/"})
    assert response.status_code == 303
    with client.session_transaction() as session:
        assert "language" not in session
    assert "Skip to main content" in _page(client)


def test_the_switch_goes_nowhere_off_site(client):
    response = client.post("/language", data={"language": "cy", "next": "https://evil.example/"})
    assert response.status_code == 303
    assert "evil.example" not in response.headers["Location"]


def test_a_signed_in_persons_choice_is_kept_on_their_profile(app, client):
    nia = f.person("Nia", language="en")
    f.sign_in(client, nia)
    response = client.post("/language", data={"language": "cy", "next": "/"})
    assert response.status_code == 303

    db.session.expire_all()
    assert db.session.get(Person, nia.id).language == "cy"
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "profile.language_changed" in actions

    # Signing in on another device, with an English browser: still Welsh.
    other_device = app.test_client()
    f.sign_in(other_device, db.session.get(Person, nia.id))
    page = _page(other_device, "/", **{"Accept-Language": "en"})
    assert '<html lang="cy">' in page
    assert cy("Hello, %(name)s", name="Nia") in page


def test_a_person_whose_language_is_welsh_gets_welsh_pages(client):
    carys = f.person("Carys", language="cy")
    space = f.space("Comisiwn Gwirionedd Tlodi Porthaven")
    f.member(carys, space, "community_commissioner")
    f.sign_in(client, carys)

    page = _page(client, "/", **{"Accept-Language": "en"})
    assert '<html lang="cy">' in page
    for chrome in ("Skip to main content", "Home", "Profile", "Sign out", "Things for you to do"):
        assert cy(chrome) in page, chrome
    # Role names and descriptions from the pure rules module are translated where shown.
    assert cy("Your role: %(role)s", role=_welsh("Community commissioner")) in page
    assert cy("Brings lived experience, sets the agenda, proposes and consents.") in page
    assert "Sign out" not in page

    profile = _page(client, "/profile")
    assert cy("Your profile") in profile
    assert cy("Pronouns (optional)") in profile
    assert cy("One email a week at most") in profile


def test_emails_go_out_in_the_persons_language(client, outbox):
    f.person("Carys", email="carys@example.org", language="cy")
    db.session.commit()
    response = client.post("/sign-in/email", data={"email": "carys@example.org"})
    assert response.status_code in (200, 303)
    assert len(outbox) == 1
    assert _welsh("Hello %(name)s,") % {"name": "Carys"} in outbox[0].body
    assert "Hello Carys" not in outbox[0].body


def _welsh(text: str) -> str:
    """The Welsh for ``text``, unescaped (for emails and nested placeholders)."""
    return _welsh_catalogue().get(text).string


def test_the_welsh_catalogue_passes_babels_own_checks():
    """What ``pybabel compile`` (run by the set-up script) refuses, for example a form that
    uses a placeholder the English singular does not have."""
    catalogue = _welsh_catalogue()
    problems = [
        f"{m.id!r}: {error}" for m, errors in catalogue.check() for error in errors
    ]
    assert problems == []
