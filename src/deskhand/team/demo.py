"""The demo brand's owner: a known address and password, printed by `deskhand demo`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from deskhand.db.models import TeamMember
from deskhand.domain.vocabulary import Availability, TeamRole
from deskhand.team.accounts import add_member

# Demo only: the demo runs on the owner's own machine with made-up data. A real install
# creates its owner with `deskhand users add`.
DEMO_OWNER_EMAIL = "owner@fjordfinch.example"
DEMO_OWNER_PASSWORD = "fjord-and-finch-demo"


def seed_demo_owner(session: Session, brand_id: int, now: datetime) -> TeamMember:
    """The owner, available for handed-off conversations: a shopper who asks for a person in
    the demo lands in the owner's inbox (/admin/inbox), where the reply can be tried out,
    rather than being told nobody is free. A real member starts away until they say so."""
    member = add_member(
        session,
        brand_id=brand_id,
        email=DEMO_OWNER_EMAIL,
        role=TeamRole.OWNER,
        now=now,
        name="Demo Owner",
        password=DEMO_OWNER_PASSWORD,
    )
    member.availability = Availability.AVAILABLE.value
    session.flush()
    return member
