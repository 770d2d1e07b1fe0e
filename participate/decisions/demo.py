"""Demo decisions in the commission (its community commissioners opened proposals early):

- "A named contact for council tax arrears": agreed a month ago after Owen's objection was
  worked on and met by version 2; published; review in five months;
- "Evening sessions at the library": in its consent round, with Fatima's open objection, and
  Dot's story behind it (linked and quoted);
- "Travel costs paid upfront": agreed last spring, now past its review date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from participate.decisions import steps
from participate.decisions.models import (
    ConsentResponse,
    Decision,
    DecisionRound,
    Objection,
    Proposal,
    ProposalVersion,
    Question,
    Reaction,
)
from participate.extensions import db
from participate.stories.models import Quote, Story, StoryLink


def _at(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour), UTC)


class _Builder:
    """Writes a proposal's history as it happened, on the days it happened."""

    def __init__(self, commission, sam, proposer, title: str, day: date, **version):
        self.sam, self.day = sam, day
        self.proposal = Proposal(
            space_id=commission.space_id,
            proposer_id=proposer.id,
            title=title,
            created_by_id=proposer.id,
            created_at=_at(day),
            updated_at=_at(day),
        )
        db.session.add(self.proposal)
        db.session.flush()
        self.version(proposer, **version)

    def version(self, by, change_note=None, **fields) -> ProposalVersion:
        number = len(self.proposal.versions) + 1
        v = ProposalVersion(
            proposal_id=self.proposal.id,
            number=number,
            created_by_id=by.id,
            change_note=change_note,
            created_at=_at(self.day),
            **fields,
        )
        db.session.add(v)
        db.session.flush()
        db.session.refresh(self.proposal)
        return v

    def round(self, kind: str, days_later: int, open_: bool = False) -> DecisionRound:
        self.day += timedelta(days=days_later)
        if self.proposal.rounds:
            self.proposal.rounds[-1].closed_at = _at(self.day, 10)
        r = DecisionRound(
            proposal_id=self.proposal.id,
            number=len(self.proposal.rounds) + 1,
            kind=kind,
            version_number=self.proposal.version.number,
            opened_at=_at(self.day),
            opened_by_id=self.sam.id,
        )
        db.session.add(r)
        db.session.flush()
        db.session.refresh(self.proposal)
        self.proposal.state = kind
        db.session.flush()
        return r

    def answers(self, rnd, rows) -> list[Objection]:
        objections = []
        for person, answer, reason in rows:
            db.session.add(
                ConsentResponse(
                    round_id=rnd.id,
                    person_id=person.id,
                    answer=answer,
                    reason=reason,
                    at=_at(self.day, 12),
                )
            )
            if answer == "object":
                o = Objection(
                    proposal_id=self.proposal.id,
                    round_id=rnd.id,
                    version_number=rnd.version_number,
                    raised_by_id=person.id,
                    reasoning=reason,
                    raised_at=_at(self.day, 12),
                )
                db.session.add(o)
                objections.append(o)
        db.session.flush()
        return objections

    def adopt(self, days_later: int, review_on: date) -> Decision:
        self.day += timedelta(days=days_later)
        consent = self.proposal.rounds[-1]
        consent.closed_at = _at(self.day, 10)
        db.session.flush()
        db.session.refresh(self.proposal)
        db.session.refresh(consent)
        version = self.proposal.version
        self.proposal.state = "adopted"
        self.proposal.updated_at = _at(self.day)
        decision = Decision(
            proposal_id=self.proposal.id,
            version_number=version.number,
            text=version.text,
            adopted_at=_at(self.day),
            adopted_by_id=self.sam.id,
            review_on=review_on,
            record=steps.decision_record(self.proposal, consent.responses),
        )
        db.session.add(decision)
        return decision


def load(commission, people: dict, today: date) -> None:
    """``people``: facilitator (Sam), community (Jade), dot, kayleigh, civic (Owen), helen,
    business (Fatima)."""
    sam, jade, dot, kayleigh = (
        people["facilitator"],
        people["community"],
        people["dot"],
        people["kayleigh"],
    )
    owen, helen, fatima = people["civic"], people["helen"], people["business"]
    commission.proposals_opened_on = today - timedelta(days=75)
    commission.proposals_opened_note = (
        "At the September session the community commissioners agreed to open proposals early "
        "for the two things they had already talked through: arrears letters and travel costs."
    )

    # 1. Agreed after an objection was worked on.
    named = _Builder(
        commission,
        sam,
        jade,
        "A named contact for council tax arrears",
        today - timedelta(days=60),
        driver="When people ring about arrears they are passed from desk to desk and have to "
        "tell their story again each time.",
        text="Anyone on the arrears list can ask for one named person at the council who calls "
        "them back within two working days.",
        red_lines="Nobody is asked to prove they are struggling.",
        review_on=today + timedelta(days=150),
    )
    clarifying = named.round("clarifying", 1)
    db.session.add(
        Question(
            round_id=clarifying.id,
            asked_by_id=helen.id,
            text="Would the named person change if someone moves house?",
            asked_at=_at(named.day, 12),
            answer="No: they stay with you until the arrears are settled.",
            answered_by_id=jade.id,
            answered_at=_at(named.day, 13),
        )
    )
    reaction = named.round("reaction", 7)
    reaction.speaking_order = [p.id for p in (dot, owen, jade, fatima, kayleigh, helen)]
    for person, text in (
        (dot, "Yes. I'd ring if I knew who'd answer."),
        (owen, "I like it. I'm worried two days is more than the team can promise."),
        (jade, "It matters that it's a person, not a number."),
        (fatima, "Fine by me."),
        (kayleigh, "Good."),
        (helen, "The revenues team would want to be asked first."),
    ):
        db.session.add(Reaction(round_id=reaction.id, person_id=person.id, text=text))
    first_consent = named.round("consent", 7)
    [objection] = named.answers(
        first_consent,
        [
            (jade, "consent", None),
            (dot, "consent", None),
            (
                owen,
                "object",
                "Two working days can't be kept in January, when the team is busiest. A promise "
                "we break would do more harm than no promise.",
            ),
            (fatima, "consent", None),
        ],
    )
    objection.paramount = True
    named.proposal.state = "integrating"
    named.proposal.integrating_from_version = 1
    named.day += timedelta(days=3)
    named.version(
        jade,
        change_note="Owen's objection: the call back is within three working days in January, "
        "and the team says each week how it is doing.",
        driver=named.proposal.version.driver,
        text="Anyone on the arrears list can ask for one named person at the council who calls "
        "them back within two working days (three in January). The team reports each week how "
        "many calls were returned in time.",
        red_lines=named.proposal.version.red_lines,
        review_on=today + timedelta(days=150),
    )
    objection.status = "resolved"
    objection.resolved_version_number = 2
    objection.integration_note = (
        "Owen and Jade met the revenues team: a longer time in January, and a weekly count so "
        "everyone can see whether it is kept."
    )
    objection.closed_at = _at(named.day)
    objection.name_in_public = True
    second_consent = named.round("consent", 1)
    final = [
        (jade, "consent", None),
        (dot, "consent", None),
        (owen, "consent", None),
        (fatima, "consent", None),
        (kayleigh, "stand_aside", "I don't ring the council, so I'll leave it to others."),
        (helen, "consent", None),
    ]
    named.answers(second_consent, final)
    named.adopt(1, today + timedelta(days=150))
    named.proposal.published = True

    # 2. In its consent round, with an open objection.
    evening = _Builder(
        commission,
        sam,
        dot,
        "Evening sessions at the library",
        today - timedelta(days=12),
        driver="Some of us work days, and can't come to sessions before six.",
        text="Hold every other session at the library from six until eight, with food.",
        red_lines=None,
        review_on=today + timedelta(days=120),
    )
    evening.round("clarifying", 1)
    evening.round("reaction", 4)
    live = evening.round("consent", 5)
    evening.answers(
        live,
        [
            (jade, "consent", None),
            (
                fatima,
                "object",
                "The library shuts at seven on weekdays, so we'd be asked to leave half way "
                "through.",
            ),
            (kayleigh, "stand_aside", "Evenings are hard for me, but I won't stop others."),
        ],
    )

    # Dot's story is where the evening sessions started: linked, and quoted in the proposal.
    hub = db.session.scalar(
        select(Story).where(
            Story.commission_id == commission.id, Story.title == "Getting to the hub"
        )
    )
    if hub is not None:
        db.session.add(
            StoryLink(
                story_id=hub.id,
                target_kind="proposal",
                target_id=evening.proposal.id,
                note="Dot's story is where this proposal started.",
                created_by_id=sam.id,
            )
        )
        db.session.add(
            Quote(
                story_id=hub.id,
                excerpt="Without a lift I can't get to anything after four o'clock.",
                reach="commission",
                used_in="proposal",
                used_in_id=evening.proposal.id,
                created_by_id=sam.id,
            )
        )

    # 3. Agreed last spring, now past its review date.
    travel = _Builder(
        commission,
        sam,
        kayleigh,
        "Travel costs paid upfront",
        today - timedelta(days=220),
        driver="Paying for the bus and waiting weeks to be paid back leaves people short.",
        text="Bus fares and taxis to sessions are paid before the day, by the hub.",
        red_lines="No receipts asked for fares under five pounds.",
        review_on=today - timedelta(days=10),
    )
    travel.round("clarifying", 1)
    travel.round("reaction", 7)
    travel_consent = travel.round("consent", 7)
    rows = [
        (jade, "consent", None),
        (dot, "consent", None),
        (kayleigh, "consent", None),
        (owen, "consent", None),
        (helen, "consent", None),
    ]
    travel.answers(travel_consent, rows)
    travel.adopt(1, today - timedelta(days=10))
    db.session.flush()
