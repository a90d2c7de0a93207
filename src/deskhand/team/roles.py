"""What each team role may do: everyone views every setting; owner and admin change them;
everyone but a viewer answers shoppers in the helpdesk inbox."""

from __future__ import annotations

from deskhand.domain.vocabulary import TeamRole

SETTINGS_EDITORS = frozenset({TeamRole.OWNER, TeamRole.ADMIN})
RESPONDERS = frozenset({TeamRole.OWNER, TeamRole.ADMIN, TeamRole.MANAGER, TeamRole.AGENT})


def may_change_settings(role: TeamRole) -> bool:
    return role in SETTINGS_EDITORS


def may_answer_shoppers(role: TeamRole) -> bool:
    """Reply, write notes, change a ticket's status or owner, hand it back (the inbox)."""
    return role in RESPONDERS


def may_assign(actor: TeamRole, role: TeamRole) -> bool:
    """Only an owner makes or unmakes owners; an admin assigns every other role."""
    if not may_change_settings(actor):
        return False
    return actor is TeamRole.OWNER or role is not TeamRole.OWNER


def role_of(value: str) -> TeamRole | None:
    try:
        return TeamRole(value)
    except ValueError:
        return None
