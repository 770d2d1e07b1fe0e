"""Reading and writing pabulib ``.pb`` files (pabulib.org/format). Pure: no database.

A file has three sections, META, PROJECTS and VOTES, each a ``;``-separated table with a
header row. ``vote`` is a comma-separated list of project ids; cumulative files give the
``points`` for each, in the same order. A malformed file raises :class:`PabulibError` naming
the line, before anything is used.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from participate.budgeting.tally import APPROVAL, CUMULATIVE, Election, election

SECTIONS = ("META", "PROJECTS", "VOTES")
VOTE_TYPES = {"approval": APPROVAL, "cumulative": CUMULATIVE}


class PabulibError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class PbFile:
    meta: dict[str, str] = field(default_factory=dict)
    projects: list[dict[str, str]] = field(default_factory=list)
    votes: list[dict[str, str]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return VOTE_TYPES[self.meta.get("vote_type", "approval")]

    def ballot(self, row: dict[str, str]) -> dict[str, int]:
        ids = [pid.strip() for pid in row.get("vote", "").split(",") if pid.strip()]
        if self.kind == CUMULATIVE:
            points = [int(x) for x in row.get("points", "").split(",") if x.strip()]
            return dict(zip(ids, points, strict=True))
        return dict.fromkeys(ids, 1)

    def election(self) -> Election:
        costs = {row["project_id"]: int(row["cost"]) for row in self.projects}
        return election(
            int(self.meta["budget"]),
            costs,
            (self.ballot(row) for row in self.votes),
            self.kind,
        )

    @property
    def selected(self) -> list[str] | None:
        """The official outcome, when the file has a ``selected`` column."""
        if not self.projects or "selected" not in self.projects[0]:
            return None
        return [row["project_id"] for row in self.projects if row["selected"].strip() == "1"]


def _rows(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    yield from enumerate(csv.reader(lines, delimiter=";"), start=1)


def parse(text: str) -> PbFile:
    """Read a whole file; every problem names its line."""
    pb = PbFile()
    section, header, header_line = None, None, 0
    project_ids: set[str] = set()
    for number, row in _rows(io.StringIO(text.lstrip("\ufeff"))):
        if not row or all(not cell.strip() for cell in row):
            continue
        first = row[0].strip()
        if len(row) == 1 and first.upper() in SECTIONS:
            expected = SECTIONS[SECTIONS.index(section) + 1] if section else "META"
            if first.upper() != expected:
                raise PabulibError(number, f"expected the {expected} section, found {first}")
            section, header = first.upper(), None
            continue
        if len(row) == 1 and first.isalpha() and first.isupper():
            raise PabulibError(number, f"{first} is not a section (META, PROJECTS or VOTES)")
        if section is None:
            raise PabulibError(number, "the file must start with META")
        if header is None:
            header, header_line = [cell.strip() for cell in row], number
            _check_header(section, header, number)
            continue
        if len(row) != len(header):
            raise PabulibError(
                number,
                f"this line has {len(row)} fields where the header (line {header_line}) "
                f"has {len(header)}",
            )
        values = dict(zip(header, (cell.strip() for cell in row), strict=True))
        if section == "META":
            pb.meta[values["key"]] = values["value"]
        elif section == "PROJECTS":
            _check_project(values, number, project_ids)
            pb.projects.append(values)
        else:
            _check_vote(pb, values, number, project_ids)
            pb.votes.append(values)
    if section != "VOTES":
        raise PabulibError(number if text else 0, "the file ends before its VOTES section")
    _check_meta(pb)
    return pb


def _check_header(section: str, header: list[str], number: int) -> None:
    needed = {
        "META": {"key", "value"},
        "PROJECTS": {"project_id", "cost"},
        "VOTES": {"voter_id", "vote"},
    }[section]
    missing = needed - set(header)
    if missing:
        raise PabulibError(number, f"the {section} header lacks {', '.join(sorted(missing))}")


def _check_project(values: dict[str, str], number: int, seen: set[str]) -> None:
    pid = values["project_id"]
    if not pid:
        raise PabulibError(number, "a project has no id")
    if pid in seen:
        raise PabulibError(number, f"project {pid} appears twice")
    if not values["cost"].isdigit():
        raise PabulibError(number, f"project {pid} has a cost that is not a whole number")
    seen.add(pid)


def _check_vote(pb: PbFile, values: dict[str, str], number: int, projects: set[str]) -> None:
    if "vote_type" in pb.meta and pb.meta["vote_type"] not in VOTE_TYPES:
        raise PabulibError(number, f"vote type {pb.meta['vote_type']} is not one we count")
    ids = [pid.strip() for pid in values["vote"].split(",") if pid.strip()]
    unknown = [pid for pid in ids if pid not in projects]
    if unknown:
        raise PabulibError(number, f"the vote names unknown project {unknown[0]}")
    if len(set(ids)) != len(ids):
        raise PabulibError(number, "the vote names a project twice")
    if pb.meta.get("vote_type") == "cumulative":
        points = [x.strip() for x in values.get("points", "").split(",") if x.strip()]
        if len(points) != len(ids) or not all(x.isdigit() for x in points):
            raise PabulibError(number, "the points do not match the projects voted for")


def _check_meta(pb: PbFile) -> None:
    for key in ("budget", "vote_type"):
        if key not in pb.meta:
            raise PabulibError(2, f"META has no {key}")
    if not pb.meta["budget"].split(".")[0].isdigit():
        raise PabulibError(2, "the budget is not a number")
    pb.meta["budget"] = pb.meta["budget"].split(".")[0]


def write(pb: PbFile, anonymise: bool = True) -> str:
    """The file as text; voter ids replaced by random ones unless ``anonymise`` is off."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in pb.meta.items():
        writer.writerow([key, value])
    out.write("PROJECTS\n")
    columns = list(pb.projects[0]) if pb.projects else ["project_id", "cost"]
    writer.writerow(columns)
    for row in pb.projects:
        writer.writerow([row.get(c, "") for c in columns])
    out.write("VOTES\n")
    columns = list(pb.votes[0]) if pb.votes else ["voter_id", "vote"]
    writer.writerow(columns)
    ids = _random_ids(len(pb.votes)) if anonymise else None
    for i, row in enumerate(pb.votes):
        values = dict(row)
        if ids is not None:
            values["voter_id"] = ids[i]
        writer.writerow([values.get(c, "") for c in columns])
    return out.getvalue()


def _random_ids(n: int) -> list[str]:
    ids: set[str] = set()
    while len(ids) < n:
        ids.add(secrets.token_hex(6))
    return list(ids)
