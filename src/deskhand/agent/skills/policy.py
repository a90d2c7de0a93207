"""Policy questions: the structured rules decide, the knowledge base words and cites.

Each question in the message (there can be several) is searched in the brand's
knowledge base. When the best passage states something a rule decides (a window, a
fee, a refund or delivery time), the answer is the rule's, in the shopper's language;
otherwise the passage is quoted, framed in the shopper's language. Below the calibrated
confidence nothing is quoted: the agent says it has no definitive answer and offers a
human. Every answer that used an article lists it in a `sources` block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.figures import shipping_costs, shipping_figure
from deskhand.agent.skills.handoff import (
    cannot_help,
    offer_blocks,
    offer_handoff,
    offers_a_person,
    remember_offer,
)
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.vocabulary import Intent, Outcome, Skill
from deskhand.knowledge.facts import rule_topics_in
from deskhand.knowledge.index import ArticleRef
from deskhand.knowledge.questions import split_question
from deskhand.knowledge.retrieval import Hit, search_many

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
    if topic == "shipping" and (r.shipping_times or r.shipping_rates):
        out = []
        if r.shipping_times:
            lines = []
            for s in r.shipping_times:
                where = w.t("policy.rest_of_eu") if s.region == "EU" else w.territory(s.region)
                lines.append(
                    w.t("policy.shipping_line", region=where, min=s.min_days, max=s.max_days)
                )
            out.append(w.t("policy.shipping", lines=w.items(lines)))
        return out + shipping_costs(ctx)
    return []


@dataclass
class _Answer:
    paragraphs: list[str] = field(default_factory=list)
    sources: dict[int, ArticleRef] = field(default_factory=dict)
    topics: set[str] = field(default_factory=set)
    unanswered: list[str] = field(default_factory=list)


def _quote(ctx: SkillContext, hit: Hit) -> str:
    w = ctx.words
    if hit.language != w.lang:
        frame = w.t(
            "policy.kb_frame_other_language",
            title=hit.article.title,
            language=w.language_name(hit.language),
        )
    else:
        frame = w.t("policy.kb_frame", title=hit.article.title)
    return f"{frame}\n\n{hit.text}"


def _answer_from_kb(ctx: SkillContext) -> _Answer:
    """Answer each question in the message from the rules or the best passage."""
    answer = _Answer()
    parts = split_question(ctx.text, ctx.words.lang) if ctx.text else []
    found = search_many(
        ctx.session, ctx.brand.id, parts, language=ctx.words.lang, k=3, known=ctx.embedded
    )
    for result in found:
        hit = result.best
        if hit is None or not result.confident:
            answer.unanswered.append(result.question)
            continue
        answer.sources.setdefault(hit.article.id, hit.article)
        figure = shipping_figure(ctx, result.question)
        if figure is not None:  # the figure first, then the passage that states the rule
            answer.topics.add("shipping")
            answer.paragraphs.append(f"{figure}\n\n{_quote(ctx, hit)}")
            continue
        ruled = [t for t in rule_topics_in(hit.text) if rule_answer(ctx, t)]
        if ruled:
            for topic in ruled:
                if topic not in answer.topics:
                    answer.topics.add(topic)
                    answer.paragraphs.append(" ".join(rule_answer(ctx, topic)))
        else:
            quote = _quote(ctx, hit)
            if quote not in answer.paragraphs:
                answer.paragraphs.append(quote)
    return answer


def _reply(ctx: SkillContext, intent: Intent, skill: Skill, answer: _Answer) -> Reply:
    w = ctx.words
    reply = Reply(intent, skill, Outcome.ANSWERED, [blocks.text("\n\n".join(answer.paragraphs))])
    if answer.sources:
        reply.blocks.append(
            blocks.sources([(a.title, _absolute(ctx, a.url)) for a in answer.sources.values()])
        )
    if answer.unanswered:
        asked = ", ".join(f"“{q.rstrip('?？ ')}”" for q in answer.unanswered)
        not_found = w.t("kb.part_not_found", question=asked)
        remember_offer(ctx, intent, not_found)
        offer = offer_blocks(ctx, f"{not_found} {w.t('handoff.offer')}")
        if not offers_a_person(offer):
            offer.insert(0, blocks.text(not_found))
        reply.blocks.extend(offer)
    return reply


def answer_policy(ctx: SkillContext, intent: Intent, skill: Skill = Skill.POLICY) -> Reply:
    """Answer from the rules where they cover the question, else quote the brand's article.

    Which rule covers a question is decided by the passage retrieval finds for it, so a
    weak match is no answer at all, not the rules of the topic the classifier guessed:
    "do you sell bikes?" must not be answered with delivery times.
    """
    answer = _answer_from_kb(ctx)
    if not answer.paragraphs:
        return offer_handoff(ctx, intent, skill, ctx.words.t("kb.not_found"), Outcome.NO_ANSWER)
    return _reply(ctx, intent, skill, answer)


def answer_other(ctx: SkillContext, intent: Intent) -> Reply:
    """A message no skill claims: answer it if the knowledge base does, confidently."""
    answer = _answer_from_kb(ctx)
    if not answer.paragraphs:
        if answer.unanswered and _asks(ctx.text):  # a question the help centre does not answer
            return offer_handoff(ctx, intent, Skill.FALLBACK, ctx.words.t("kb.not_found"))
        return cannot_help(ctx, intent)
    return _reply(ctx, intent, Skill.POLICY, answer)


def _asks(text: str | None) -> bool:
    return bool(text) and ("?" in (text or "") or "¿" in (text or ""))


def _absolute(ctx: SkillContext, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{ctx.base_url}{url}"
