"""STOP / START / HELP as carriers require, and the opt-out list they maintain.

On long codes and toll-free numbers Twilio itself answers the standard English keywords
(STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT; START, YES, UNSTOP; HELP,
INFO), blocks further messages after STOP, and still forwards the message to our webhook
(with `OptOutType` when Advanced Opt-Out is on). We then record the opt-out and stay silent;
with `twilio_answers_keywords` off (short codes) and on WhatsApp we answer ourselves.
Only a message that is the keyword alone counts ("STOP", not "stop my order").
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.models import ChannelOptOut
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.vocabulary import Intent, Outcome, Skill


class Keyword(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"


SMS_KEYWORDS = {
    **dict.fromkeys(
        ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"),
        Keyword.STOP,
    ),
    **dict.fromkeys(("START", "UNSTOP", "YES"), Keyword.START),
    **dict.fromkeys(("HELP", "INFO"), Keyword.HELP),
}
# WhatsApp has no carrier keywords; "cancel" or "end" there most likely mean the order.
WHATSAPP_KEYWORDS = {
    **dict.fromkeys(("STOP", "STOPALL", "UNSUBSCRIBE"), Keyword.STOP),
    **dict.fromkeys(("START", "UNSTOP"), Keyword.START),
    **dict.fromkeys(("HELP", "INFO"), Keyword.HELP),
}
_OPT_OUT_TYPES = {"STOP": Keyword.STOP, "START": Keyword.START, "HELP": Keyword.HELP}


def keyword_of(
    text: str, *, channel: str, opt_out_type: str | None, opted_out: bool
) -> Keyword | None:
    """The keyword this message is, if it is one."""
    if opt_out_type and opt_out_type.upper() in _OPT_OUT_TYPES:
        return _OPT_OUT_TYPES[opt_out_type.upper()]
    word = text.strip().strip(".!").upper()
    table = WHATSAPP_KEYWORDS if channel == "whatsapp" else SMS_KEYWORDS
    found = table.get(word)
    if found == Keyword.START and word == "YES" and not opted_out:
        return None  # "yes" is an answer unless the sender had opted out
    return found


def is_opted_out(session: Session, brand_id: int, channel: str, address: str) -> bool:
    return (
        session.scalar(
            select(ChannelOptOut.id).where(
                ChannelOptOut.brand_id == brand_id,
                ChannelOptOut.channel == channel,
                ChannelOptOut.address == address,
            )
        )
        is not None
    )


def answer_keyword(
    session: Session,
    *,
    brand: models.Brand,
    channel: str,
    address: str,
    keyword: Keyword,
    twilio_answered: bool,
    settings: Settings,
    words: Wording,
    now: datetime,
) -> Reply | None:
    """Apply the keyword; the reply to send, or None when Twilio has already answered."""
    if keyword == Keyword.STOP and not is_opted_out(session, brand.id, channel, address):
        session.add(
            ChannelOptOut(
                brand_id=brand.id, channel=channel, address=address, keyword="STOP", created_at=now
            )
        )
    elif keyword == Keyword.START:
        session.execute(
            delete(ChannelOptOut).where(
                ChannelOptOut.brand_id == brand.id,
                ChannelOptOut.channel == channel,
                ChannelOptOut.address == address,
            )
        )
    if twilio_answered or (channel == "sms" and settings.twilio_answers_keywords):
        return None
    key = {Keyword.STOP: "sms.stopped", Keyword.START: "sms.started", Keyword.HELP: "sms.help"}
    return Reply(
        intent=Intent(f"keyword_{keyword.value}"),
        skill=Skill.FALLBACK,
        outcome={
            Keyword.STOP: Outcome.OPTED_OUT,
            Keyword.START: Outcome.OPTED_IN,
            Keyword.HELP: Outcome.ANSWERED,
        }[keyword],
        blocks=[blocks.text(words.t(key[keyword], brand=brand.name))],
    )
