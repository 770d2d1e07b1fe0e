"""The chain around any one thing, loaded from the database for one reader.

It reads the stored ``Link`` rows, the links the data implies (a decision agreed a proposal;
a grant awarded by a consent round, ``Grant.proposal_id``; a grant made from a winning
project, ``Grant.project_id``) and the stories linked with ``stories.models.StoryLink``.
Every thing in it is asked of its own feature's rules for this reader, now: a visitor who is
not signed in sees only what is public (published decisions and commitments, public rounds,
grants on a public fund page, stories their tellers shared with the public, named as the
teller chose). Whatever the reader may not see is left out, with nothing to count it by.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import or_, select

from participate.budgeting import rules as budgeting_rules
from participate.budgeting.models import BudgetProject, GrantRound
from participate.clock import local_today
from participate.commissions import rules as commission_rules
from participate.commissions.models import Commission, Commitment
from participate.decisions import rules as decision_rules
from participate.decisions import steps as decision_steps
from participate.decisions.models import Decision, Proposal
from participate.extensions import db
from participate.grants import rules as grant_rules
from participate.grants.models import Grant
from participate.links import rules
from participate.links.models import Link
from participate.stories import rules as story_rules
from participate.stories.models import Story, StoryLink, Theme

# The grants a public fund page lists (as ``public.facts`` and ``grants.funds`` list them).
PUBLIC_GRANT_STATUSES = ("awarded", "active", "closing", "cancelled", "closed")
STORY_TARGETS = ("theme", "commitment", "proposal", "decision")  # StoryLink kinds in a chain
MODELS = {
    "story": Story,
    "theme": Theme,
    "proposal": Proposal,
    "decision": Decision,
    "commitment": Commitment,
    "pb_project": BudgetProject,
    "grant": Grant,
}


def _short(text: str, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _day(moment) -> str:
    return format_datetime(moment, "d MMMM yyyy")


@dataclass
class Item:
    """One thing in a chain, as this reader may see it."""

    kind: str
    id: int
    obj: object
    owner: object  # the circle, commission, round or fund it belongs to
    title: str
    url: str | None
    inside: bool  # the reader sees it on its feature's own (signed-in) page
    facts: list[tuple[str, str]] = field(default_factory=list)  # what happened, in words
    byline: object = None  # stories: the teller's naming choice
    excerpt: str | None = None
    note: str | None = None  # the link's words, on the way from the thing this page is about

    @property
    def node(self) -> rules.Node:
        return (self.kind, self.id)

    @property
    def kind_label(self) -> str:
        return _(rules.KIND_LABELS[self.kind])


class Reader:
    """One reader (``None``: a visitor not signed in) looking at chains on one day. With
    ``public``, everything is as a visitor sees it, whoever is signed in (the public pages)."""

    def __init__(self, person, today: date | None = None, public: bool = False):
        self.person = None if public else person
        self.today = today or local_today()
        self.public = public
        self._items: dict[rules.Node, Item | None] = {}
        self._objs: dict[rules.Node, object] = {}

    # --- loading ------------------------------------------------------------------------

    def obj(self, node: rules.Node):
        if node not in self._objs:
            model = MODELS.get(node[0])
            self._objs[node] = db.session.get(model, node[1]) if model is not None else None
        return self._objs[node]

    def owner(self, kind: str, obj):
        if kind in ("story", "theme", "commitment"):
            return db.session.get(Commission, obj.commission_id)
        if kind == "proposal":
            return decision_steps.circle_for(obj.space)
        if kind == "decision":
            return decision_steps.circle_for(obj.proposal.space)
        if kind == "pb_project":
            return obj.pot.round
        if kind == "grant":
            return obj.fund
        return None

    def item(self, node: rules.Node) -> Item | None:
        """The thing, if it is there and this reader may see it; else None."""
        if node not in self._items:
            obj = self.obj(node)
            self._items[node] = self._make(node[0], obj) if obj is not None else None
        return self._items[node]

    def sees(self, node: rules.Node) -> bool:
        return self.item(node) is not None

    def manages(self, node: rules.Node) -> bool:
        obj = self.obj(node)
        if obj is None or self.person is None:
            return False
        return rules.manages(self.person, node[0], self.owner(node[0], obj))

    # --- each kind, through its feature's rules -------------------------------------------

    def _make(self, kind: str, obj) -> Item | None:
        owner = self.owner(kind, obj)
        return getattr(self, f"_{kind}")(obj, owner)

    def _in_circle(self, circle) -> bool:
        person = self.person
        if person is None or not decision_rules.can_view(person, circle):
            return False
        return circle.commission is None or (
            commission_rules.access(person, circle.commission) == "full"
        )

    def _story(self, story: Story, commission) -> Item | None:
        if not story_rules.can_see_story(self.person, story, commission, self.today):
            return None
        if self.person is not None and story.teller_id != self.person.id:
            # Only a story that shows now (not withdrawn, expired or hidden), but for a
            # facilitator looking again at a hidden one, whom can_see_story lets through.
            if not story_rules.is_consented(story, self.today):
                return None
        from participate.stories.views import byline_for, excerpt

        inside = commission_rules.can(self.person, "view", commission)
        url = (
            url_for("commissions.story", slug=commission.space.slug, story_id=story.id)
            if inside
            else url_for("links.page", kind="story", ident=story.id)
        )
        return Item(
            "story",
            story.id,
            story,
            commission,
            story.title,
            url,
            inside,
            byline=byline_for(story),
            excerpt=excerpt(story),
        )

    def _theme(self, theme: Theme, commission) -> Item | None:
        if not story_rules.can_see_themes(self.person, commission):
            return None
        url = url_for("commissions.story_theme", slug=commission.space.slug, theme_id=theme.id)
        return Item("theme", theme.id, theme, commission, theme.name, url, True)

    def _proposal(self, proposal: Proposal, circle) -> Item | None:
        if not self._in_circle(circle):
            return None  # in public a proposal is shown as the decision it became
        url = url_for("decisions.show", slug=circle.space.slug, proposal_id=proposal.id)
        facts = [(_("Where it has got to"), _(decision_rules.STATES[proposal.state]))]
        return Item("proposal", proposal.id, proposal, circle, proposal.title, url, True, facts)

    def _decision(self, decision: Decision, circle) -> Item | None:
        proposal = decision.proposal
        inside = self._in_circle(circle)
        if inside:
            url = url_for("decisions.record_page", slug=circle.space.slug, proposal_id=proposal.id)
        elif (
            proposal.published
            and proposal.state == "adopted"
            and (latest := decision_steps.latest_decision(proposal)) is not None
            and latest.id == decision.id
        ):
            url = url_for("public_decisions.public_record", proposal_id=proposal.id)
        else:
            return None
        facts = [(_("Agreed on"), _day(decision.adopted_at))]
        review_on = decision_steps.current_review_on(decision)
        if review_on is not None:
            facts.append((_("To be looked at again by"), format_date(review_on)))
        return Item("decision", decision.id, decision, circle, proposal.title, url, inside, facts)

    def _commitment(self, commitment: Commitment, commission) -> Item | None:
        inside = commission_rules.can(self.person, "view", commission)
        if inside:
            url = url_for(
                "commissions.commitment", slug=commission.space.slug, commitment_id=commitment.id
            )
        elif commission_rules.public_register(commission, [commitment]):
            url = url_for(
                "commissions.public_commitments",
                slug=commission.space.slug,
                _anchor=f"commitment-{commitment.id}",
            )
        else:
            return None
        status = _(commission_rules.COMMITMENT_STATUSES[commitment.status])
        if commission_rules.is_overdue(commitment, self.today):
            status = _("%(status)s, and overdue", status=status)
        facts = [(_("Where it has got to"), status)]
        if commitment.due_on is not None:
            facts.append((_("Due"), format_date(commitment.due_on)))
        if commitment.evidence:
            facts.append((_("Evidence"), commitment.evidence))
        return Item(
            "commitment",
            commitment.id,
            commitment,
            commission,
            _short(commitment.what),
            url,
            inside,
            facts,
        )

    def _pb_project(self, project: BudgetProject, rnd: GrantRound) -> Item | None:
        if not budgeting_rules.can_view_round(self.person, rnd):
            return None
        url = url_for("budgeting.project", slug=rnd.space.slug, project_id=project.id)
        facts = [(_("Round"), rnd.title)]
        won = self._project_won(project, rnd)
        if won is not None:
            facts.append((_("The result"), _("Won: it is funded") if won else _("Not chosen")))
        else:
            facts.append(
                (_("Where it has got to"), _(budgeting_rules.PROJECT_STATUSES[project.status]))
            )
        return Item("pb_project", project.id, project, rnd, project.title, url, True, facts)

    def _project_won(self, project: BudgetProject, rnd: GrantRound) -> bool | None:
        """Won or not in the latest count this reader may see; None before one is out."""
        from participate.budgeting import counting
        from participate.budgeting.results import pot_result

        manages = budgeting_rules.manages(self.person, rnd)
        result = counting.latest_result(project.pot, published_only=not manages)
        if result is None or not budgeting_rules.results_visible(
            self.person, rnd, result.published
        ):
            return None
        shown = pot_result(project.pot, rnd, result)
        row = next((r for r in shown.explained.rows if r.ref == project.ref), None)
        return None if row is None else bool(row.funded)

    def _grant(self, grant: Grant, fund) -> Item | None:
        inside = grant_rules.can_view_grant(self.person, grant)
        if inside:
            url = url_for("grants.grant", slug=fund.slug, number=grant.number)
        elif grant_rules.can_view_fund(self.person, fund) and grant.status in (
            PUBLIC_GRANT_STATUSES
        ):
            url = url_for("links.page", kind="grant", ident=grant.id)
        else:
            return None
        from participate.grants import books
        from participate.money import format_money

        named = grant.recipient_name if inside else grant_rules.public_recipient(grant)
        facts = [
            (_("Fund"), fund.name),
            (
                _("Who receives it"),
                named if named is not None else _(grant_rules.PRIVATE_RECIPIENT),
            ),
            (_("Where it has got to"), _(grant_rules.STATUS_LABELS[grant.status])),
        ]
        if grant.amount_awarded:
            facts.append((_("Awarded"), format_money(grant.amount_awarded, fund.currency)))
            money = books.grant_money(grant)
            facts.append((_("Paid so far"), format_money(money.paid, fund.currency)))
            if money.returned:
                facts.append((_("Given back"), format_money(money.returned, fund.currency)))
        return Item("grant", grant.id, grant, fund, grant.title, url, inside, facts)

    # --- the links ----------------------------------------------------------------------

    def neighbours(self, node: rules.Node, direction: str) -> list[tuple[rules.Node, str | None]]:
        """One step from ``node``: stored links, story links and the links the data implies."""
        kind, ident = node
        found: list[tuple[rules.Node, str | None]] = []
        forward = direction == "forward"
        if kind == "story":
            if forward:
                rows = db.session.scalars(
                    select(StoryLink)
                    .where(StoryLink.story_id == ident, StoryLink.target_kind.in_(STORY_TARGETS))
                    .order_by(StoryLink.id)
                )
                found += [((r.target_kind, r.target_id), r.note) for r in rows]
            return found
        if not forward and kind in STORY_TARGETS:
            rows = db.session.scalars(
                select(StoryLink)
                .where(StoryLink.target_kind == kind, StoryLink.target_id == ident)
                .order_by(StoryLink.id)
            )
            found += [(("story", r.story_id), r.note) for r in rows]
        if forward:
            rows = db.session.scalars(
                select(Link)
                .where(Link.source_kind == kind, Link.source_id == ident)
                .order_by(Link.id)
            )
            found += [((r.target_kind, r.target_id), r.note) for r in rows]
        else:
            rows = db.session.scalars(
                select(Link)
                .where(Link.target_kind == kind, Link.target_id == ident)
                .order_by(Link.id)
            )
            found += [((r.source_kind, r.source_id), r.note) for r in rows]
        found += [(n, None) for n in implied(node, direction)]
        return found

    def chain(self, node: rules.Node) -> rules.Chain:
        return rules.walk(node, self.neighbours, self.sees)


def format_date(day: date) -> str:
    from flask_babel import format_date as babel_format_date

    return babel_format_date(day, "d MMMM yyyy")


def _grants_of_proposal(proposal_id: int) -> list[int]:
    return list(db.session.scalars(select(Grant.id).where(Grant.proposal_id == proposal_id)))


def _decisions_of(proposal_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Decision.id).where(Decision.proposal_id == proposal_id).order_by(Decision.id)
        )
    )


def implied(node: rules.Node, direction: str) -> list[rules.Node]:
    """Links the data itself makes: proposal → its decisions; the decision (or, before there
    is one, the proposal) → the grants its consent round awarded; a project → its grant."""
    kind, ident = node
    out: list[rules.Node] = []
    if direction == "forward":
        if kind == "proposal":
            decisions = _decisions_of(ident)
            out += [("decision", d) for d in decisions]
            if not decisions:
                out += [("grant", g) for g in _grants_of_proposal(ident)]
        elif kind == "decision":
            decision = db.session.get(Decision, ident)
            if decision is not None:
                out += [("grant", g) for g in _grants_of_proposal(decision.proposal_id)]
        elif kind == "pb_project":
            out += [
                ("grant", g)
                for g in db.session.scalars(select(Grant.id).where(Grant.project_id == ident))
            ]
        return out
    if kind == "decision":
        decision = db.session.get(Decision, ident)
        if decision is not None:
            out.append(("proposal", decision.proposal_id))
    elif kind == "grant":
        grant = db.session.get(Grant, ident)
        if grant is not None:
            if grant.project_id is not None:
                out.append(("pb_project", grant.project_id))
            if grant.proposal_id is not None:
                decisions = _decisions_of(grant.proposal_id)
                out += [("decision", d) for d in decisions] or [("proposal", grant.proposal_id)]
    return out


def existing_pairs(node: rules.Node) -> set[tuple[rules.Node, rules.Node]]:
    """Every (source, target) joining ``node`` now, stored or implied."""
    kind, ident = node
    pairs: set[tuple[rules.Node, rules.Node]] = set()
    for row in db.session.scalars(
        select(Link).where(
            or_(
                (Link.source_kind == kind) & (Link.source_id == ident),
                (Link.target_kind == kind) & (Link.target_id == ident),
            )
        )
    ):
        pairs.add(((row.source_kind, row.source_id), (row.target_kind, row.target_id)))
    pairs |= {(node, n) for n in implied(node, "forward")}
    pairs |= {(n, node) for n in implied(node, "back")}
    return pairs


# --- what the template shows -----------------------------------------------------------------


@dataclass
class ChainView:
    this: Item
    before: list[tuple[str, list[Item]]]  # (group heading, items), stories first
    after: list[tuple[str, list[Item]]]
    as_of: date
    listed_elsewhere: bool = False  # the page shows some of the chain itself

    @property
    def empty(self) -> bool:
        return not self.before and not self.after


def _items(reader: Reader, steps, listed: frozenset) -> list[tuple[str, list[Item]]]:
    groups = []
    for kind, kind_steps in rules.grouped(steps):
        items = []
        for step in kind_steps:
            if step.node in listed:
                continue
            item = reader.item(step.node)
            if item is not None:
                note = step.note
                if kind == "story" and not item.inside:
                    # A story's link note is the commission's own words and may name the
                    # teller: outside the commission, only the byline the teller chose.
                    note = None
                shown = Item(**{**item.__dict__, "note": note})
                items.append(shown)
        if items:
            groups.append((_(rules.KIND_GROUPS[kind]), items))
    return groups


def view(reader: Reader, node: rules.Node, listed=()) -> ChainView | None:
    """The chain around ``node`` for this reader, or None if they may not see ``node``.
    ``listed``: the nodes the page already shows in full (its "Stories behind this"), left
    out here so that nothing appears twice."""
    this = reader.item(node)
    if this is None:
        return None
    walked = reader.chain(node)
    listed = frozenset(listed)
    return ChainView(
        this,
        _items(reader, walked.before, listed),
        _items(reader, walked.after, listed),
        reader.today,
        bool(listed),
    )


# --- what a reader may link ------------------------------------------------------------------


def _candidates(kind: str) -> list:
    model = MODELS[kind]
    return list(db.session.scalars(select(model).order_by(model.id.desc())).all())


@dataclass(frozen=True)
class Choice:
    value: str
    direction: str  # 'to' (this led to it) or 'from' (this came from it)
    item: Item


def link_choices(reader: Reader, node: rules.Node) -> dict[str, Choice]:
    """Everything the reader may link ``node`` to, keyed by the form's value: 'to-grant-12'
    (this led to grant 12), 'from-theme-3' (this came from theme 3). Only things they may see,
    where they look after one of the two ends; never a link that is already there."""
    if reader.person is None or node[0] not in rules.LINK_KINDS or not reader.sees(node):
        return {}
    mine = reader.manages(node)
    taken = existing_pairs(node)
    choices: dict[str, Choice] = {}
    wanted = [("to", k) for k in sorted(rules.can_lead(node[0]), key=rules.KINDS.index)] + [
        ("from", k) for k in sorted(rules.can_come_from(node[0]), key=rules.KINDS.index)
    ]
    for direction, kind in wanted:
        for obj in _candidates(kind):
            other = (kind, obj.id)
            source, target = (node, other) if direction == "to" else (other, node)
            if rules.link_problem(source, target, taken) is not None:
                continue
            if not (mine or reader.manages(other)):
                continue
            item = reader.item(other)
            if item is None:
                continue
            value = rules.choice_value(direction, kind, obj.id)
            choices[value] = Choice(value, direction, item)
    return choices


def may_remove(reader: Reader, link: Link) -> bool:
    source, target = (link.source_kind, link.source_id), (link.target_kind, link.target_id)
    return rules.may_link(
        reader.manages(source), reader.manages(target), reader.sees(source), reader.sees(target)
    )


def stored_links(node: rules.Node) -> list[Link]:
    kind, ident = node
    return list(
        db.session.scalars(
            select(Link)
            .where(
                or_(
                    (Link.source_kind == kind) & (Link.source_id == ident),
                    (Link.target_kind == kind) & (Link.target_id == ident),
                )
            )
            .order_by(Link.created_at, Link.id)
        )
    )
