"""Policy questions: answered from the structured rules, cited from the knowledge base."""

from __future__ import annotations

from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.handoff import offer_handoff
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.knowledge.articles import articles_on, first_passage

TOPIC_OF = {
    "policy_changes": "order_changes",
    "policy_returns": "returns",
    "return_request": "returns",
    "exchange": "returns",
    "refund_status": "returns",
    "policy_shipping": "shipping",
    "order_status": "shipping",
    "policy_payment": "payment",
}
EXCLUDED_WORDS = {
    "final_sale": "returns.word.final_sale",
    "gift_card": "returns.word.gift_card",
    "personalised": "returns.word.personalised",
}


def rule_answer(ctx: SkillContext, topic: str) -> list[str]:
    """What the brand's structured rules say on a topic, in the shopper's language."""
    w, r = ctx.words, ctx.rules
    if topic == "order_changes":
        changes = w.items(
            [
                w.t(f"change.{c}")
                for c in ("size", "colour", "quantity", "address")
                if c in r.allowed_changes
            ]
        )
        return [
            w.t("policy.changes", window=w.span(r.change_window), changes=changes),
            w.t(
                "policy.cancellation",
                window=w.span(r.free_cancellation_window),
                fee=w.money_of(r.cancellation_fee),
            ),
        ]
    if topic == "returns":
        excluded = w.items(
            [w.t(EXCLUDED_WORDS[x]) for x in sorted(r.return_excluded) if x in EXCLUDED_WORDS]
        )
        return [
            w.t(
                "policy.returns",
                days=r.return_window_days,
                excluded=excluded,
                refund_days=r.refund_business_days,
            )
        ]
    if topic == "shipping" and r.shipping_times:
        lines = []
        for s in r.shipping_times:
            where = w.t("policy.rest_of_eu") if s.region == "EU" else w.territory(s.region)
            lines.append(w.t("policy.shipping_line", region=where, min=s.min_days, max=s.max_days))
        return [w.t("policy.shipping", lines=w.items(lines))]
    return []


def answer_policy(ctx: SkillContext, intent: str, skill: str = "policy") -> Reply:
    """Answer from the rules where they cover the topic, else quote the brand's article."""
    topic = TOPIC_OF.get(intent, "")
    articles = articles_on(ctx.session, ctx.brand.id, topic) if topic else []
    text = rule_answer(ctx, topic)
    if not text and articles:
        art = articles[0]
        passage = first_passage(art.body)
        if passage:
            frame = (w := ctx.words).t("policy.kb_frame", title=art.title)
            if art.language != w.lang:
                frame = w.t(
                    "policy.kb_frame_other_language",
                    title=art.title,
                    language=w.language_name(art.language),
                )
            text = [f"{frame}\n\n{passage}"]
    if not text:
        return offer_handoff(ctx, intent, skill, ctx.words.t("policy.no_answer"), "no_answer")
    reply = Reply(
        intent=intent,
        skill=skill,
        outcome="answered",
        blocks=[
            blocks.text(" ".join(text)),
        ],
    )
    if articles:
        reply.blocks.append(blocks.sources([(a.title, _absolute(ctx, a.url)) for a in articles]))
    return reply


def _absolute(ctx: SkillContext, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{ctx.base_url}{url}"
