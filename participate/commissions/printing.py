"""Commission papers to print: a session's agenda and the blank paper story form, each as a
page for the browser's print and as a PDF (WeasyPrint; the same body in both).

The agenda holds only the plan (when, where, access, running order, check-in and check-out
questions, facilitators, what to bring): never who came, calls for support or payments.
The paper story form is built from the online story form itself (``print_rules``), so the
choices a teller ticks on paper are the ones, in the same words and order, that the gatherer
then chooses on "Tell a story" when writing it down for them.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import format_date
from flask_login import login_required

from participate.clock import local_today, place_zone
from participate.commissions import print_rules
from participate.commissions import rules as commission_rules
from participate.commissions.sessions import _load as load_session
from participate.commissions.views import bp, load_commission, members, viewer
from participate.extensions import limiter
from participate.slugs import plain_slug
from participate.stories import rules as story_rules
from participate.stories.forms import StoryForm
from participate.stories.views import CONSENT_FIELDS
from participate.web.pdf import pdf_response

# --- the agenda --------------------------------------------------------------------------------


def _agenda(slug: str, session_id: int) -> dict:
    """What the printed agenda shows; 404 unless the person may see the session."""
    commission, s = load_session(slug, session_id)
    zone = place_zone()
    return dict(
        commission=commission,
        s=s,
        slots=commission_rules.schedule(
            s.starts_at,
            s.agenda,
            s.checkin_minutes,
            s.introductions_minutes,
            s.reflection_minutes,
        ),
        same_day=commission_rules.to_local(s.starts_at, zone).date()
        == commission_rules.to_local(s.ends_at, zone).date(),
        facilitators=print_rules.facilitator_names(members(commission, ("active",))),
        bring=print_rules.what_to_bring(s.place, s.online_link),
    )


@bp.get("/<slug>/sessions/<int:session_id>/agenda")
@login_required
def session_agenda(slug: str, session_id: int):
    """The agenda on its own, to print from the browser."""
    return render_template("commissions/print_agenda.html", **_agenda(slug, session_id))


@bp.get("/<slug>/sessions/<int:session_id>/agenda.pdf")
@login_required
@limiter.limit("20 per minute")
def session_agenda_pdf(slug: str, session_id: int):
    """The same agenda as a PDF."""
    context = _agenda(slug, session_id)
    html = render_template("commissions/print_agenda_pdf.html", **context)
    return pdf_response(html, f"agenda-{plain_slug(context['s'].title, 'session')}.pdf")


# --- the paper story form --------------------------------------------------------------------


def _paper_form(slug: str) -> dict:
    """The blank form's questions, from the online story form; 404 unless the person may
    write stories down for others here (a facilitator: ``stories.rules.can_record_for``)."""
    commission = load_commission(slug)
    if not commission_rules.can(viewer(), "manage", commission):
        abort(404)
    form = StoryForm(formdata=None, meta={"csrf": False})
    return dict(
        commission=commission,
        questions=print_rules.paper_questions(form, CONSENT_FIELDS),
        OPEN_PROMPTS=story_rules.OPEN_PROMPTS,
        made_on=format_date(local_today(), "d MMMM yyyy"),
    )


@bp.get("/<slug>/stories/paper-form")
@login_required
def story_paper_form(slug: str):
    """A blank story form to print and take to someone who would rather write on paper."""
    return render_template("commissions/print_story_form.html", **_paper_form(slug))


@bp.get("/<slug>/stories/paper-form.pdf")
@login_required
@limiter.limit("20 per minute")
def story_paper_form_pdf(slug: str):
    html = render_template("commissions/print_story_form_pdf.html", **_paper_form(slug))
    return pdf_response(html, "story-form.pdf")
