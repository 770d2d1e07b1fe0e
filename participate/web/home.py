"""What each person sees first: the things that are theirs to do. Pure rules, no Flask."""

from __future__ import annotations

from dataclasses import dataclass, field

from participate.accounts.rules import COMMISSIONER_ROLES, active_memberships
from participate.text import N_


@dataclass(frozen=True)
class Task:
    text: str
    endpoint: str
    args: dict = field(default_factory=dict)
    name: str = ""  # the space or organisation the text names


# Features add their own things to do: each is a function(person) -> list[Task].
TASK_PROVIDERS: list = []


def tasks_for(person, spaces_by_id: dict, organisations_by_id: dict) -> list[Task]:
    """The short list on someone's home page, most useful first."""
    tasks: list[Task] = []
    if person.is_site_admin:
        tasks.append(Task(N_("Look through the audit log"), "audit.log"))
        tasks.append(Task(N_("Add an organisation or a space"), "admin.index"))
    for m in active_memberships(person):
        if m.space_id is not None:
            space = spaces_by_id[m.space_id]
            args = {"slug": space.slug}
            if m.role == "facilitator":
                tasks.append(
                    Task(
                        N_("Check who's in %(space)s and their access needs"),
                        "spaces.show",
                        args,
                        space.name,
                    )
                )
                tasks.append(
                    Task(
                        N_("Add someone to %(space)s who has no email"),
                        "spaces.add_person",
                        args,
                        space.name,
                    )
                )
                tasks.append(
                    Task(
                        N_("Invite people to %(space)s by email"), "spaces.invite", args, space.name
                    )
                )
            elif m.role in COMMISSIONER_ROLES or m.role in {"resident", "grant_panel_member"}:
                tasks.append(
                    Task(N_("Meet the people in %(space)s"), "spaces.show", args, space.name)
                )
            else:
                tasks.append(Task(N_("Follow %(space)s"), "spaces.show", args, space.name))
        elif m.organisation_id is not None:
            organisation = organisations_by_id[m.organisation_id]
            tasks.append(
                Task(
                    N_("See the spaces %(organisation)s hosts"),
                    "spaces.organisation",
                    {"slug": organisation.slug},
                    organisation.name,
                )
            )
    if not person.access_needs:
        tasks.append(Task(N_("Tell facilitators what helps you take part"), "accounts.profile"))
    return tasks
