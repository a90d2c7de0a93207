"""Handing the conversation over once the shopper said yes: the email address first when the
team could not otherwise reach them, then the ticket with its packet, then telling the shopper
what happens next (who answers, where, and when).

Where the reply comes:
- built-in helpdesk: here, in the conversation; outside business hours or with nobody
  available, the shopper is told when to expect it and that it comes by email too;
- Zendesk: here (the helpdesk's replies are relayed into the conversation);
- Gorgias: web chat moves to email (SMS and WhatsApp stay on their channel).
An email address is asked for on web chat when the shopper is not verified; SMS, WhatsApp and
email conversations are reached on their own address, so they are handed over directly after
the "yes".
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from deskhand.agent.replies.wording import Wording
from deskhand.agent.skills.context import SkillContext
from deskhand.agent.understand.entities import extract_entities
from deskhand.db import models
from deskhand.domain import blocks
from deskhand.domain.blocks import Block, Reply
from deskhand.domain.contact import normalise_email
from deskhand.domain.vocabulary import HandoffDestination, Intent, Outcome, Skill
from deskhand.helpdesk.settings import HandoffConfig
from deskhand.helpdesk.tickets import Packet, open_ticket
from deskhand.verification.handoff import without_tokens

NO = "handoff:no"  # the same id as skills.handoff.NO: "No, thanks" also cancels the email ask
TEXT_CHANNELS = frozenset({"sms", "whatsapp", "email"})  # reached on their own address


def known_email(ctx: SkillContext, conv: models.Conversation) -> str:
    """The address the team can answer to: the verified customer's, one the shopper gave, or
    the email channel's sender; "" when none is known."""
    if ctx.customer_id is not None:
        customer = ctx.store.customer(ctx.customer_id)
        if customer is not None and customer.email:
            return customer.email
    if ctx.state.handoff_email:
        return ctx.state.handoff_email
    address = ctx.session.scalar(
        select(models.ConversationAddress.address).where(
            models.ConversationAddress.conversation_id == conv.id,
            models.ConversationAddress.channel == "email",
        )
    )
    return normalise_email(address) or ""


def needs_email(conv: models.Conversation, config: HandoffConfig, email: str) -> bool:
    """Web chat without a known address: ask before handing over (the team's reply, or
    Gorgias' whole conversation, goes there)."""
    if email or conv.channel in TEXT_CHANNELS:
        return False
    return config.destination in (HandoffDestination.BUILTIN, HandoffDestination.GORGIAS)


def ask_for_email(ctx: SkillContext) -> Reply:
    ctx.state.handoff_email_pending = True
    return Reply(
        Intent.HUMAN_HANDOFF,
        Skill.HANDOFF,
        Outcome.HANDOFF_REQUESTED,
        [
            blocks.text(ctx.words.t("handoff.ask_email")),
            blocks.buttons(blocks.button(ctx.words.t("handoff.no"), NO)),
        ],
    )


def email_given(
    ctx: SkillContext, conv: models.Conversation, config: HandoffConfig, text: str
) -> Reply:
    """The answer to "which email address?": hand over, or ask again clearly."""
    # The address alone, or inside a sentence ("mijn mail is ava@example.com"): one address.
    found = extract_entities(text).emails
    email = found[0] if len(found) == 1 else normalise_email(text)
    if email is None:
        return Reply(
            Intent.HUMAN_HANDOFF,
            Skill.HANDOFF,
            Outcome.HANDOFF_REQUESTED,
            [
                blocks.text(ctx.words.t("handoff.bad_email")),
                blocks.buttons(blocks.button(ctx.words.t("handoff.no"), NO)),
            ],
        )
    ctx.state.handoff_email_pending = False
    ctx.state.handoff_email = email
    return hand_over(ctx, conv, config, email)


def transcript(ctx: SkillContext, conv: models.Conversation) -> list[dict[str, object]]:
    """Every message so far with its time, oldest first; one-time Hub sign-in tokens removed."""
    rows = ctx.session.scalars(
        select(models.Message)
        .where(models.Message.conversation_id == conv.id)
        .order_by(models.Message.seq)
    )
    lines: list[dict[str, object]] = []
    for row in rows:
        lines.append(
            {
                "at": row.created_at.isoformat(),
                "role": row.role,
                "channel": row.channel,
                "text": without_tokens(_said(row)),
            }
        )
    return lines


def _said(row: models.Message) -> str:
    if row.text:
        return row.text
    if row.action:
        return f"[{row.action}]"
    parts: list[str] = []
    for b in without_tokens(row.blocks) or []:
        if b.get("type") in ("text", "handoff_prompt") and b.get("text"):
            parts.append(str(b["text"]))
        elif b.get("type") in ("link", "sign_in") and b.get("url"):
            parts.append(f"{b.get('label') or b.get('text') or ''} {b['url']}".strip())
    return "\n".join(parts)


def hand_over(
    ctx: SkillContext, conv: models.Conversation, config: HandoffConfig, email: str
) -> Reply:
    """Open the ticket (once) and say what happens next."""
    st = ctx.state
    packet = Packet(
        transcript=transcript(ctx, conv),
        email=email,
        customer_id=ctx.customer_id,
        channel=conv.channel,
        language=conv.language,
        intent=(st.handoff_intent or Intent.HUMAN_HANDOFF).value,
        reason=st.handoff_reason or "",
    )
    if _rehearsal(ctx, conv):  # the console's preview: what the shopper would read, no ticket
        assigned = True
    else:
        opened = open_ticket(ctx.session, conv, config.destination, packet, ctx.now)
        assigned = opened.ticket.assignee_id is not None
    return Reply(
        Intent.HUMAN_HANDOFF,
        Skill.HANDOFF,
        Outcome.HANDED_OFF,
        [blocks.text(" ".join(what_next(ctx, conv, config, email, assigned)))],
    )


def _rehearsal(ctx: SkillContext, conv: models.Conversation) -> bool:
    found = ctx.session.scalar(
        select(models.PreviewConversation.conversation_id).where(
            models.PreviewConversation.conversation_id == conv.id
        )
    )
    return found is not None


def what_next(
    ctx: SkillContext,
    conv: models.Conversation,
    config: HandoffConfig,
    email: str,
    assigned: bool,
) -> list[str]:
    """The sentences telling the shopper who answers, where and when."""
    w = ctx.words
    said = [w.t("handoff.passed")]
    web = conv.channel not in TEXT_CHANNELS
    by_email = [w.t("handoff.by_email", email=email)] if web and email else []
    if config.destination == HandoffDestination.ZENDESK:
        return [*said, w.t("handoff.zendesk")]
    if config.destination == HandoffDestination.GORGIAS:
        if web and email:
            return [*said, w.t("handoff.gorgias", email=email)]
        return [*said, w.t("handoff.zendesk")]
    hours = config.hours
    span = w.span(timedelta(hours=config.response_hours)) if config.response_hours else ""
    if not hours.is_open(ctx.now):
        said.append(config.office_message or w.t("handoff.closed_default"))
        opening = hours.next_opening(ctx.now)
        if opening is None:
            said.append(w.t("handoff.back_later"))
        else:
            local = Wording(w.lang, hours.timezone)
            said.append(w.t("handoff.back_at", day=local.day(opening), time=local.clock(opening)))
        return [*said, *by_email]
    if not assigned:
        said.append(w.t("handoff.nobody", span=span) if span else w.t("handoff.nobody_soon"))
        return [*said, *by_email]
    said.append(w.t("handoff.reply_here"))
    if span:
        said.append(w.t("handoff.within", span=span))
    return said


def instead_of_a_person(w: Wording, config: HandoffConfig) -> list[Block]:
    """ "Don't hand off": the brand's message and links, never an offer of a person."""
    found: list[Block] = [blocks.text(config.message or w.t("handoff.instead_default"))]
    for kind, url in config.links.items():
        found.append(blocks.link(w.t(f"handoff.link.{kind}"), url))
    return found
