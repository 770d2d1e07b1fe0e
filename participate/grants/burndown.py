"""The sums behind a fund's public page, as pure functions: the burn-down of money against
time left (a monthly series, the even-pace line and the chart's coordinates), and the share of
the money awarded that each way of deciding decided. No Flask, no database: ``funds.py`` asks
these (a fund's settings and the steps it moves through are in ``fund_rules.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from participate.grants.rules import DECIDED_BY, add_months

# --- the burn-down ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    """A day's change: money put in (``into``, pence) and paid out (``paid``, pence; a return
    of paid money makes it negative)."""

    on: date
    into: int = 0
    paid: int = 0


@dataclass(frozen=True)
class Point:
    on: date
    left: int | None  # money not yet paid out at the end of that day; None in the future
    even: int  # on the even-pace line


def points_on(start: date, end: date, today: date) -> list[date]:
    """The days the burn-down is read on: the start, the first of every month after it up to
    the end, today (when it falls in between) and the end."""
    days = {start, end}
    month = date(start.year, start.month, 1)
    while True:
        month = add_months(month, 1)
        if month >= end:
            break
        days.add(month)
    if start < today < end:
        days.add(today)
    return sorted(days)


def even_pace(total: int, start: date, end: date, on: date) -> int:
    """The even-pace line: all of ``total`` not yet paid out on ``start``, nothing left on
    ``end``, straight in between (rounded to the penny)."""
    if on <= start:
        return total
    if on >= end or end <= start:
        return 0
    return round(total * (end - on).days / (end - start).days)


def series(
    movements: Iterable[Movement], start: date, end: date, today: date, total: int
) -> list[Point]:
    """The money not yet paid out (put in, less paid out and kept) on each reading day up to
    today, against the even pace from ``total`` to nothing."""
    movements = sorted(movements, key=lambda m: m.on)
    out = []
    for on in points_on(start, end, today):
        left = None
        if on <= today:
            left = sum(m.into - m.paid for m in movements if m.on <= on)
        out.append(Point(on, left, even_pace(total, start, end, on)))
    return out


@dataclass(frozen=True)
class Tick:
    value: int  # pence
    y: float


@dataclass(frozen=True)
class Marker:
    on: date
    x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float  # the plot's edges
    right: float
    top: float
    bottom: float
    line: str  # SVG polyline points of the money not yet paid out
    even: str  # of the even-pace line
    dots: list[tuple[float, float]]  # each reading on the line
    ticks: list[Tick]  # money on the side
    start: Marker
    end: Marker
    today: Marker | None
    closure: Marker  # where the closure window starts (shaded from there to the end)


WIDTH, HEIGHT = 640, 300
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 96, 24, 24, 48


def chart(
    points: list[Point],
    start: date,
    end: date,
    today: date,
    closure_starts: date,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """Coordinates for the burn-down: time across (start to end), money up (nothing at the
    bottom, the most there ever was at the top)."""
    left, right = PAD_LEFT, width - PAD_RIGHT
    top, bottom = PAD_TOP, height - PAD_BOTTOM
    days = max((end - start).days, 1)
    most = max([p.even for p in points] + [p.left or 0 for p in points] + [1])

    def x(on: date) -> float:
        on = min(max(on, start), end)
        return round(left + (right - left) * (on - start).days / days, 1)

    def y(value: int) -> float:
        return round(bottom - (bottom - top) * max(value, 0) / most, 1)

    known = [p for p in points if p.left is not None]
    dots = [(x(p.on), y(p.left)) for p in known]
    return Chart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        line=" ".join(f"{a},{b}" for a, b in dots),
        even=f"{x(start)},{y(points[0].even)} {x(end)},{y(0)}" if points else "",
        dots=dots,
        ticks=[Tick(v, y(v)) for v in (0, most // 2, most)],
        start=Marker(start, x(start)),
        end=Marker(end, x(end)),
        today=Marker(today, x(today)) if start <= today <= end else None,
        closure=Marker(closure_starts, x(closure_starts)),
    )


# --- who decided the money -------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    key: str  # a DECIDED_BY key, or "" for a grant whose way of deciding was not recorded
    amount: int  # pence
    percent: int  # whole percent; the shares add up to 100


def shares(awards: Iterable[tuple[str | None, int]]) -> list[Share]:
    """Of all the money awarded, how much each way of deciding decided: ``awards`` are
    (decided_by, amount awarded). Every way appears (with nothing where it decided nothing);
    the percentages are whole and add up to 100 when anything was awarded (largest
    remainders get the rounding)."""
    amounts = {key: 0 for key in DECIDED_BY}
    for key, amount in awards:
        key = key if key in DECIDED_BY else ""
        amounts[key] = amounts.get(key, 0) + max(int(amount or 0), 0)
    total = sum(amounts.values())
    if total == 0:
        return [Share(key, 0, 0) for key in DECIDED_BY]
    floors = {k: a * 100 // total for k, a in amounts.items()}
    spare = 100 - sum(floors.values())
    order = sorted(amounts, key=lambda k: (-(amounts[k] * 100 % total), list(amounts).index(k)))
    for k in order[:spare]:
        floors[k] += 1
    return [Share(k, amounts[k], floors[k]) for k in amounts if k in DECIDED_BY or amounts[k]]
