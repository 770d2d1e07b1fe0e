"""Links across features, as pure rules: which kinds of thing may lead to which, who may add
or remove a link, the words for them, and the walk along a chain ("this came from these
stories and this proposal; it led to these commitments and grants").

No Flask and no database here: ``links.chain`` loads the things and asks these functions.
Who manages each kind of thing is asked of that feature's own rules.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from participate.budgeting import rules as budgeting_rules
from participate.commissions import rules as commission_rules
from participate.decisions import rules as decision_rules
from participate.grants import rules as grant_rules
from participate.stories import rules as story_rules
from participate.text import N_

# Everything a chain can hold. Stories are only ever at the start of a chain: they are linked
# through ``stories.models.StoryLink`` (under their teller's consent), never through ``Link``.
KINDS = ("story", "theme", "proposal", "decision", "commitment", "pb_project", "grant")
# What a ``Link`` row may join (kept in step with ``links.models.KINDS``).
LINK_KINDS = ("theme", "proposal", "decision", "commitment", "pb_project", "grant")

KIND_LABELS = {
    "story": N_("Story"),
    "theme": N_("Theme"),
    "proposal": N_("Proposal"),
    "decision": N_("Decision"),
    "commitment": N_("Commitment"),
    "pb_project": N_("Project from a residents' vote"),
    "grant": N_("Grant"),
}
KIND_GROUPS = {
    "story": N_("Stories"),
    "theme": N_("Themes"),
    "proposal": N_("Proposals"),
    "decision": N_("Decisions"),
    "commitment": N_("Commitments"),
    "pb_project": N_("Projects from a residents' vote (participatory budgeting)"),
    "grant": N_("Grants"),
}
DIRECTIONS = {"led_to": N_("Led to"), "came_from": N_("Came from")}

# source kind -> the kinds it may lead to. A proposal leads to its decision by itself (the
# decision record says which proposal it agreed), so that link is never stored; nor is a
# grant awarded by a consent round (``Grant.proposal_id``) or made from a winning project
# (``Grant.project_id``).
LEADS_TO: dict[str, frozenset[str]] = {
    "theme": frozenset({"proposal", "commitment", "pb_project", "grant"}),
    "proposal": frozenset({"commitment", "pb_project", "grant"}),
    "decision": frozenset({"commitment", "grant", "pb_project", "proposal"}),
    "commitment": frozenset({"grant", "pb_project", "proposal"}),
    "pb_project": frozenset({"grant", "commitment"}),
    "grant": frozenset({"commitment"}),
}

MAX_DEPTH = 6  # steps each way: enough for story → theme → proposal → decision → grant
MAX_NOTE = 300


def may_lead_to(source_kind: str, target_kind: str) -> bool:
    return target_kind in LEADS_TO.get(source_kind, frozenset())


def can_lead(kind: str) -> frozenset[str]:
    """What a thing of this kind may be linked to, as 'led to'."""
    return LEADS_TO.get(kind, frozenset())


def can_come_from(kind: str) -> frozenset[str]:
    """What a thing of this kind may be linked to, as 'came from'."""
    return frozenset(source for source, targets in LEADS_TO.items() if kind in targets)


def link_problem(
    source: tuple[str, int], target: tuple[str, int], existing: Iterable[tuple] = ()
) -> str | None:
    """Why this link can't be made, or None. ``existing``: the (source, target) pairs already
    stored or implied, so the same link is never made twice."""
    if source == target:
        return N_("A thing can't lead to itself. Choose something else.")
    if not may_lead_to(source[0], target[0]):
        return N_("These two kinds of thing can't be linked this way. Choose something else.")
    pairs = set(existing)
    if (source, target) in pairs:
        return N_("These are already linked.")
    if (target, source) in pairs:
        return N_("These are already linked the other way round.")
    return None


def manages(person, kind: str, owner) -> bool:
    """Does ``person`` look after things of this kind in ``owner``? ``owner`` is the circle
    (``decisions.steps.Circle``) of a proposal or decision, the commission of a theme or
    commitment, the round of a project, the fund of a grant. Each feature's own rules say."""
    if person is None or owner is None or not getattr(person, "active", True):
        return False
    if kind in ("proposal", "decision"):
        commission = getattr(owner, "commission", None)
        if commission is not None and commission_rules.access(person, commission) != "full":
            return False
        return decision_rules.is_facilitator(person, owner)
    if kind == "theme":
        return story_rules.can_manage_themes(person, owner)
    if kind == "commitment":
        return commission_rules.can(person, "manage", owner)
    if kind == "pb_project":
        return budgeting_rules.manages(person, owner)
    if kind == "grant":
        return grant_rules.manages(person, owner)
    return False  # stories are linked by their tellers and facilitators, on the story's page


def may_link(manages_source: bool, manages_target: bool, sees_source: bool, sees_target: bool):
    """Add or remove a link: someone who looks after one end and may see both ends."""
    return (manages_source or manages_target) and sees_source and sees_target


# --- the chain -------------------------------------------------------------------------------

Node = tuple[str, int]
# (node, direction) -> the nodes one step away and the note of that link:
# direction "back" gives what led to ``node``; "forward" what it led to.
Neighbours = Callable[[Node, str], Iterable[tuple[Node, str | None]]]


@dataclass(frozen=True)
class Step:
    node: Node
    depth: int  # steps from the start (1: linked to it directly)
    via: Node  # the nearest shown thing on the way from the start (the start itself at first)
    note: str | None  # the link's own words, when it joins ``via`` directly


@dataclass(frozen=True)
class Chain:
    start: Node
    before: tuple[Step, ...]  # what it came from, nearest first
    after: tuple[Step, ...]  # what it led to, nearest first

    def nodes(self) -> list[Node]:
        return [s.node for s in self.before] + [self.start] + [s.node for s in self.after]


def _order(step: Step) -> tuple:
    kind, ident = step.node
    return (step.depth, KINDS.index(kind) if kind in KINDS else len(KINDS), ident)


def _walk_one_way(
    start: Node,
    direction: str,
    neighbours: Neighbours,
    shown: Callable[[Node], bool],
    passable: Callable[[Node], bool],
    max_depth: int,
    seen: set[Node],
) -> list[Step]:
    """Breadth first from ``start``: each node once (so a loop ends), at most ``max_depth``
    steps. A node the reader may not see is left out; the walk goes on through it only when
    ``passable`` says so, and its note is never shown."""
    found: list[Step] = []
    queue: deque[tuple[Node, int, Node, bool]] = deque([(start, 0, start, True)])
    while queue:
        node, depth, via, node_shown = queue.popleft()
        if depth >= max_depth:
            continue
        for nxt, note in neighbours(node, direction):
            if nxt in seen:
                continue
            seen.add(nxt)
            is_shown = shown(nxt)
            if is_shown:
                # A note joins two shown things only: otherwise it could tell of a hidden one.
                found.append(Step(nxt, depth + 1, via, note if node_shown else None))
                if nxt[0] != "story":
                    queue.append((nxt, depth + 1, nxt, True))
            elif passable(nxt) and nxt[0] != "story":
                queue.append((nxt, depth + 1, via, False))
    return sorted(found, key=_order)


def walk(
    start: Node,
    neighbours: Neighbours,
    shown: Callable[[Node], bool],
    passable: Callable[[Node], bool] = lambda node: True,
    max_depth: int = MAX_DEPTH,
) -> Chain:
    """The chain around ``start``: backwards to where it came from, forwards to what it led
    to. Nothing appears twice, and nothing appears that ``shown`` refuses."""
    seen = {start}
    after = _walk_one_way(start, "forward", neighbours, shown, passable, max_depth, seen)
    before = _walk_one_way(start, "back", neighbours, shown, passable, max_depth, seen)
    return Chain(start, tuple(before), tuple(after))


def grouped(steps: Iterable[Step]) -> list[tuple[str, list[Step]]]:
    """Steps by kind, in the order a chain reads (stories first, grants last)."""
    by_kind: dict[str, list[Step]] = {}
    for step in steps:
        by_kind.setdefault(step.node[0], []).append(step)
    return [(kind, by_kind[kind]) for kind in KINDS if kind in by_kind]


def parse_choice(value: str | None) -> tuple[str, str, int] | None:
    """A choice of the 'link this to…' form: 'to-grant-12' (this led to grant 12) or
    'from-theme-3' (this came from theme 3). None when it isn't one."""
    parts = (value or "").split("-")
    if len(parts) != 3 or parts[0] not in ("to", "from") or parts[1] not in LINK_KINDS:
        return None
    if not parts[2].isdigit() or len(parts[2]) > 12:
        return None
    return parts[0], parts[1], int(parts[2])


def choice_value(direction: str, kind: str, ident: int) -> str:
    return f"{direction}-{kind}-{ident}"
