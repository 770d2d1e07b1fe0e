"""Why each project won or did not, in plain words, from outcome records made by really counting
small elections with ``tally`` (no outcome is written out by hand), and the chart's geometry."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

from participate.budgeting import explain, tally
from participate.budgeting.exchange import outcome_record
from participate.budgeting.tally import election


def _say(words: explain.Words) -> str:
    """A message in English, as the page shows it untranslated."""
    params = dict(words.params)
    if words.plural is None:
        return words.message % params
    params.setdefault("num", words.num)
    return (words.message if words.num == 1 else words.plural) % params


def _projects(costs: dict[str, int]) -> list:
    return [SimpleNamespace(ref=ref, title=f"Project {ref}", cost=c) for ref, c in costs.items()]


def _explained(e: tally.Election, rule: str, costs: dict[str, int], **options):
    record = outcome_record(tally.count(e, rule))
    record.update(scores=tally.scores(e), votes=tally.votes(e))
    return explain.explain(record, _projects(costs), e.budget, "GBP", **options)


def _because(ex: explain.Explanation) -> dict[str, str]:
    return {row.ref: _say(row.because) for row in ex.rows}


# --- greedy ----------------------------------------------------------------------------------

COSTS = {"a": 6, "b": 5, "c": 4, "d": 3}
BALLOTS = [["a"], ["a"], ["a", "b"], ["b"], ["c"]]  # a 3 votes, b 2, c 1, d none


def test_greedy_says_how_much_was_left_when_each_turn_came():
    e = election(10, COSTS, BALLOTS)
    ex = _explained(e, "greedy", COSTS)
    says = _because(ex)
    assert says["a"] == "Won: 3 votes; £10 of £10 was left when its turn came."
    assert says["b"] == "Did not fit: it costs £5 and £4 was left when its turn came."
    assert says["c"] == "Won: 1 vote; £4 of £10 was left when its turn came."
    assert says["d"] == "Nobody voted for it."
    assert [r.ref for r in ex.rows] == ["a", "b", "c", "d"]  # most votes first
    assert [r.ref for r in ex.winners] == ["a", "c"]
    assert (ex.used, ex.left, ex.changed, ex.share) == (10, 0, False, None)
    assert [r.label for r in ex.rows] == ["Won", "Did not fit", "Won", "No votes"]


def test_greedy_without_skipping_says_counting_stopped_before_its_turn():
    e = election(10, COSTS, BALLOTS)
    ex = _explained(e, "greedy-no-skip", COSTS)
    says = _because(ex)
    assert says["b"].startswith("Did not fit: it costs £5 and £4 was left")
    assert says["c"] == (
        "Not reached: counting stopped at the first project that did not fit, before its turn."
    )
    assert [r.ref for r in ex.winners] == ["a"] and ex.left == 4


def test_points_ballots_speak_of_points():
    costs = {"x": 10, "y": 10}
    e = election(15, costs, [{"x": 3}, {"y": 1}, {"x": 2, "y": 2}], kind=tally.CUMULATIVE)
    ex = _explained(e, "greedy", costs, points=True)
    assert _because(ex)["x"] == "Won: 5 points; £15 of £15 was left when its turn came."
    row = next(r for r in ex.rows if r.ref == "x")
    assert (row.score, row.votes) == (5, 2)


# --- equal shares ----------------------------------------------------------------------------


def test_equal_shares_says_who_paid_how_much_of_their_share_and_why_others_lost():
    # 3 voters with £10 each: all three share p (£20); q's one supporter has £3.33 left.
    costs = {"p": 20, "q": 10}
    e = election(30, costs, [["p", "q"], ["p"], ["p"]])
    ex = _explained(e, "mes", costs)
    says = _because(ex)
    assert says["p"] == (
        "Won: 3 voters shared its cost; the most any one paid was £6.67 of their £10 share."
    )
    # Exactly 10/3 left, shown to the penny and never rounded up towards the cost.
    assert says["q"] == "Its 1 supporter had £3.33 of their share left, less than its £10 cost."
    assert _say(ex.share) == "Each voter had an equal share of the money: £10."
    assert ex.rule_label.startswith("Equal shares")


def test_equal_shares_amounts_are_exact_until_shown():
    # 7 voters share £100: £14.285714... each; the rounding is only for display.
    costs = {"big": 80, "small": 50}
    e = election(100, costs, [["big"]] * 6 + [["small"]])
    record = outcome_record(tally.mes(e))
    assert record["per_voter"] == "100/7"
    ex = explain.explain(
        record, _projects(costs), 100, "GBP", scores=tally.scores(e), votes=tally.votes(e)
    )
    says = _because(ex)
    assert _say(ex.share) == "Each voter had an equal share of the money: £14.29."
    assert says["big"] == (
        "Won: 6 voters shared its cost; the most any one paid was £13.33 of their £14.29 share."
    )
    assert says["small"] == (
        "Its 1 supporter had £14.28 of their share left, less than its £50 cost."
    )  # 100/7 = 14.2857...: rounded down, since it is a shortfall


def test_equal_shares_topped_up_states_the_share_it_ended_with():
    # Plain equal shares leaves money unspent; add1 raises the share until it is used.
    costs = {"a": 60, "b": 40, "c": 35}
    ballots = [["a"]] * 3 + [["b"]] * 2 + [["c"], ["b", "c"]]
    e = election(100, costs, ballots)
    plain, topped = tally.mes(e), tally.mes_add1(e)
    assert topped.per_voter > plain.per_voter  # the share really was topped up
    ex = _explained(e, "mes-add1", costs)
    share = int(topped.per_voter)
    assert _say(ex.share) == f"Each voter had an equal share of the money: £{share}."
    for row in ex.rows:
        reason = topped.reasons[row.ref]
        if row.won:
            paid = explain.money(reason.paid, "GBP")
            assert (
                _say(row.because).endswith(
                    f"the most any one paid was {paid} of their £{share} share."
                )
                or reason.payers == 1
            )
            assert reason.paid <= share
        else:
            assert "less than its" in _say(row.because)
    assert ex.used == topped.cost <= 100 and ex.left == 100 - topped.cost


def test_the_comparison_rule_says_which_result_it_kept():
    costs = {"a": 6, "b": 5, "c": 4}
    e = election(10, costs, [["a"], ["a"], ["a", "b"], ["b"], ["c"]])
    ex = _explained(e, "mes-add1-comparison", costs)
    chosen = tally.mes_add1_comparison(e)
    greedy_kept = chosen.per_voter is None
    assert _say(ex.note).startswith("More voters preferred" if greedy_kept else "No more voters")
    assert [r.ref for r in ex.winners] == list(chosen.selected)


def test_nobody_voted():
    costs = {"a": 5}
    e = election(10, costs, [])
    ex = _explained(e, "mes", costs)
    assert _because(ex) == {"a": "Nobody voted for it."} and ex.winners == []


# --- the council's changes -------------------------------------------------------------------


def test_the_councils_changes_move_winners_and_money():
    e = election(10, COSTS, BALLOTS)
    ex = _explained(e, "greedy", COSTS, overrides={"b": True, "c": False})
    assert [r.ref for r in ex.winners] == ["a", "b"]
    assert (ex.used, ex.left, ex.changed) == (11, -1, True) and ex.over_budget
    rows = {r.ref: r for r in ex.rows}
    assert rows["b"].changed and rows["b"].funded and not rows["b"].won
    assert rows["c"].changed and not rows["c"].funded and rows["c"].won
    assert not rows["a"].changed
    # A decision that agrees with the count changes nothing.
    same = _explained(e, "greedy", COSTS, overrides={"a": True})
    assert not same.changed and same.used == 10


def test_money_is_shown_whole_or_to_the_penny():
    assert explain.money(4500, "GBP") == "£4,500"
    assert explain.money("400/13", "GBP") == "£30.77"
    assert explain.money(Fraction(1, 200), "GBP") == "£0.01"  # half a penny rounds up
    assert explain.money(Fraction(1999, 200), "GBP", down=True) == "£9.99"
    assert explain.money("45", "EUR") == "€45"


# --- the chart -------------------------------------------------------------------------------


def test_the_chart_scales_bars_to_the_most_votes_and_marks_winners():
    e = election(10, COSTS, BALLOTS)
    ex = _explained(e, "greedy", COSTS)
    chart = explain.chart(ex.rows)
    room = explain.CHART_WIDTH - explain.VALUE_ROOM
    bars = {b.ref: b for b in chart.bars}
    assert [b.ref for b in chart.bars] == ["a", "b", "c", "d"]
    assert bars["a"].width == room and bars["b"].width == round(room * 2 / 3, 1)
    assert bars["d"].width == 0 and bars["d"].value == 0
    assert bars["a"].won and bars["a"].funded and not bars["b"].won
    assert chart.height == 4 * explain.ROW_HEIGHT
    tops = [b.bar_y for b in chart.bars]
    assert tops == sorted(tops) and len(set(tops)) == 4  # one row each, no overlap
    assert all(b.value_x + 0 <= explain.CHART_WIDTH for b in chart.bars)


def test_the_chart_marks_the_councils_changes_and_shortens_long_titles():
    e = election(10, COSTS, BALLOTS)
    ex = _explained(e, "greedy", COSTS, overrides={"b": True})
    bars = {b.ref: b for b in explain.chart(ex.rows).bars}
    assert bars["b"].funded and bars["b"].changed and not bars["b"].won
    long = explain.shorten("word " * 40)
    assert len(long) == explain.LABEL_CHARS and long.endswith("…")
    assert explain.chart([]).bars == []
