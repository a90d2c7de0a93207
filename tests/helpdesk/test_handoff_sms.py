"""SMS: consent by replying "yes" (the prompt's buttons read as text), handed over at once (the
phone number reaches the shopper: no email asked), then the agent stays silent on SMS too."""

from __future__ import annotations

from sqlalchemy import select

from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.domain.vocabulary import Availability, TeamRole
from deskhand.team.accounts import add_member
from tests.fakes.channels import AVA_PHONE, Channels


def test_sms_consent_by_reply_then_silence(channels: Channels) -> None:
    with transaction(channels.state.sessions) as session:
        brand = session.scalars(select(models.Brand)).first()
        assert brand is not None
        for someone in session.scalars(select(models.TeamMember)):  # the demo owner: away
            someone.availability = Availability.AWAY.value
        member = add_member(
            session,
            brand_id=brand.id,
            email="alice@fjordfinch.example",
            role=TeamRole.AGENT,
            now=brand.created_at,
            password="correct horse battery",
        )
        member.availability = Availability.AVAILABLE.value

    assert channels.sms(AVA_PHONE, "Can I talk to a human please?").status_code == 200
    channels.deliver()
    offer = " ".join(channels.sent_bodies(AVA_PHONE))
    assert "connect you with someone from our team" in offer
    assert channels.sms(AVA_PHONE, "yes").status_code == 200
    channels.deliver()
    sent = channels.sent_bodies(AVA_PHONE)
    assert "passed this conversation to our team" in sent[-1]
    assert "email" not in sent[-1].lower()  # the reply comes here, by SMS
    with transaction(channels.state.sessions) as session:
        [ticket] = session.scalars(select(models.HelpdeskTicket)).all()
        assert ticket.channel == "sms"
        assert ticket.shopper_email == "ava@example.com"  # the customer behind the number
        assert ticket.customer_id is not None
        assert ticket.assignee_id == member.id

    count = len(channels.sent_bodies(AVA_PHONE))
    assert channels.sms(AVA_PHONE, "thanks, I'll wait").status_code == 200
    channels.deliver()
    assert len(channels.sent_bodies(AVA_PHONE)) == count  # the agent said nothing
    (conv,) = channels.conversations()
    last = channels.transcript(conv.id)[-1]
    assert (last.role, last.text) == ("shopper", "thanks, I'll wait")
