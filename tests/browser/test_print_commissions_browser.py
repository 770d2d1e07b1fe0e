"""Commission papers in a real browser: Jade (a community commissioner) opens the printable
agenda of the next session from its page; Sam (a facilitator) opens the paper story form from
the stories page. axe checks both print views; with print media the site's navigation and the
on-screen links are gone and the paper itself stays. The same path works with JavaScript off,
down to the PDF."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

COMMISSION = "/commissions/porthaven-poverty-truth-commission"
COMMUNITY = "community@porthaven.example"
FACILITATOR = "facilitator@porthaven.example"


def _printed(page) -> None:
    """With print media: no header, navigation or footer; the on-screen links hidden."""
    page.emulate_media(media="print")
    expect(page.locator(".site-header nav")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator("main .no-print").first).to_be_hidden()
    page.emulate_media(media="screen")
    expect(page.locator(".site-header nav")).to_be_visible()


def _open_agenda(page) -> None:
    page.goto(f"{COMMISSION}/sessions")
    page.get_by_role("link", name="Starting on our stories").click()
    page.get_by_role("link", name="Print the agenda").click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+/agenda$"))
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Agenda: Starting on our stories")
    expect(main.locator(".running-order")).to_contain_text("Why stories matter")
    expect(main.locator(".running-order")).to_contain_text("Story of self, in pairs")
    expect(main).to_contain_text("How are you arriving today, in a word or two?")
    expect(main).to_contain_text("Step-free entrance at the side. Hearing loop.")
    expect(main).to_contain_text("Sam")
    expect(main).not_to_contain_text("Need support?")


def _open_paper_form(page) -> None:
    page.goto(f"{COMMISSION}/stories")
    page.get_by_role("link", name="Print a paper story form").click()
    expect(page).to_have_url(re.compile(r"/stories/paper-form$"))
    form = page.locator(".paper-story-form")
    expect(form.get_by_role("heading", level=1)).to_have_text("Your story, on paper")
    for words in ["Only me", "Anyone, in public", "No name: anonymous", "No one may quote it"]:
        expect(form.locator("li", has_text=words).first).to_be_visible()
    expect(form).to_contain_text("Take it down on this date (optional)")
    expect(form).to_contain_text("Signed")


def test_the_print_views_are_accessible_and_print_only_the_paper(make_context):
    jade = make_context().new_page()
    sign_in(jade, COMMUNITY)
    _open_agenda(jade)
    axe(jade, "the printable agenda")
    _printed(jade)
    expect(jade.locator(".running-order")).to_be_visible()

    sam = make_context().new_page()
    sign_in(sam, FACILITATOR)
    _open_paper_form(sam)
    axe(sam, "the paper story form")
    _printed(sam)
    expect(sam.locator(".paper-story-form")).to_be_visible()


def test_the_print_views_and_pdfs_work_without_javascript(make_context, tmp_path):
    page = make_context(java_script_enabled=False, accept_downloads=True).new_page()
    sign_in(page, FACILITATOR)
    _open_agenda(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the agenda as a PDF").click()
    saved = tmp_path / "agenda.pdf"
    download.value.save_as(saved)
    assert Path(saved).read_bytes().startswith(b"%PDF")

    _open_paper_form(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the form as a PDF").click()
    saved = tmp_path / "story-form.pdf"
    download.value.save_as(saved)
    assert Path(saved).read_bytes().startswith(b"%PDF")
