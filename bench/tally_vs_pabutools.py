"""Counting speed against pabutools 1.2.3, on the reference elections, in the same run.

    .venv/bin/pip install -e ".[bench]"     # pabutools: GPL-3.0, only ever in this extra
    .venv/bin/python bench/tally_vs_pabutools.py [--files DIR] [--repeat N]

For each approval file it counts with the rule the file names and with greedy (cumulative
files are only parsed: pabutools' greedy counts approvals, not points),
checks that both tools choose the same projects, and prints the time each took and the ratio
(pabutools' time / ours: above 1 means we are faster). Parsing is timed separately. Nothing
here is imported by ``participate``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from participate.budgeting import pabulib, tally

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = ROOT / "tests" / "data" / "pabulib"


def _best(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def _pabutools(path: Path, rule: str):
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import (
        exhaustion_by_budget_increase,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    instance, profile = parse_pabulib(str(path))

    def run():
        if rule == "mes-add1":
            return exhaustion_by_budget_increase(
                instance,
                profile,
                method_of_equal_shares,
                {"sat_class": Cost_Sat},
                budget_step=len(profile),
                budget_bound=instance.budget_limit * 2,
            )
        if rule == "greedy":
            return greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        raise ValueError(rule)

    return run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        import pabutools  # noqa: F401
    except ImportError:
        print("pabutools is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    rows = []
    for path in sorted(args.files.glob("*.pb")):
        text = path.read_text(encoding="utf-8")
        ours_parse, pb = _best(lambda t=text: pabulib.parse(t), args.repeat)
        from pabutools.election import parse_pabulib

        theirs_parse, _ = _best(lambda p=path: parse_pabulib(str(p)), args.repeat)
        e = pb.election()
        rules = set()
        if e.kind == tally.APPROVAL:  # pabutools' greedy counts approvals, not points
            rules = {tally.PABULIB_RULES.get(pb.meta.get("rule", ""), "greedy"), "greedy"}
        for rule in sorted(rules & {"greedy", "mes-add1"}):
            ours, outcome = _best(lambda r=rule, e=e: tally.count(e, r), args.repeat)
            theirs, chosen = _best(_pabutools(path, rule), args.repeat)
            same = sorted(outcome.selected) == sorted(str(p.name) for p in chosen)
            rows.append((path.stem, rule, ours, theirs, same))
        rows.append((path.stem, "parse", ours_parse, theirs_parse, True))

    print(f"{'file':34} {'what':9} {'ours s':>9} {'pabutools s':>12} {'ratio':>8}  same winners")
    for name, rule, ours, theirs, same in rows:
        ratio = theirs / ours if ours else float("inf")
        same_words = "yes" if same else "NO"
        print(f"{name:34} {rule:9} {ours:9.3f} {theirs:12.3f} {ratio:8.1f}  {same_words}")
    mes_ratios = [t / o for _n, r, o, t, _s in rows if r == "mes-add1" and o]
    if mes_ratios:
        print(
            f"equal shares (add1): slowest ratio {min(mes_ratios):.1f}, "
            f"median {statistics.median(mes_ratios):.1f} (target: 50 or more on every file)"
        )
    return 0 if all(same for *_x, same in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
