"""Compare the knowledge base with the brand's policy rules; store what disagrees or is missing.

The rules decide; the knowledge base supplies wording and citations. So when an article
states a window, a fee, a refund or delivery time, or an excluded category that the rules
do not, shoppers reading the help centre are told something the agent will not do: that
is a contradiction ("outdated policy"). A policy topic a live skill relies on with no
article at all (cancellation while Order Editing is on) is a missing topic. The check
runs after every change to the knowledge base; `findings_for` is what the console and
`deskhand kb check` show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.models import KnowledgeChunk, KnowledgeFinding
from deskhand.domain.policy import PolicyRules
from deskhand.knowledge.facts import CATEGORIES, Duration, Fact, facts_in, has
from deskhand.knowledge.translations import outdated_translations

CATEGORY_NAMES = {
    "final_sale": "final-sale items",
    "gift_card": "gift cards",
    "personalised": "personalised items",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # "contradiction" | "missing_topic" | "missing_detail" | "outdated_translation"
    facet: str
    message: str
    article_id: int | None = None
    article_title: str = ""
    excerpt: str = ""
    expected: str = ""
    found: str = ""


def _span(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes % 1440 == 0:
        return f"{minutes // 1440} days"
    if minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


def _money(minor: int, currency: str) -> str:
    return f"{currency} {minor / 100:.2f}"


def _contradictions(fact: Fact, rules: PolicyRules, currency: str) -> list[tuple[str, str, str]]:
    """(message, expected, found) for each way one stated fact disagrees with the rules."""
    d = fact.duration
    out: list[tuple[str, str, str]] = []
    if (
        fact.facet == "change_window"
        and d
        and d.minutes != rules.change_window.total_seconds() // 60
    ):
        out.append(("states a different order-change window", _span(rules.change_window), str(d)))
    elif fact.facet == "cancellation_window" and d:
        if d.minutes != rules.free_cancellation_window.total_seconds() // 60:
            out.append(
                (
                    "states a different free-cancellation window",
                    _span(rules.free_cancellation_window),
                    str(d),
                )
            )
    elif fact.facet == "cancellation_fee" and fact.amount is not None:
        if fact.amount != rules.cancellation_fee:
            out.append(
                (
                    "states a different cancellation fee",
                    _money(rules.cancellation_fee, currency),
                    _money(fact.amount, currency),
                )
            )
    elif fact.facet == "return_window" and d and d.unit == "days":
        if d.high != rules.return_window_days:
            out.append(
                ("states a different return window", f"{rules.return_window_days} days", str(d))
            )
    elif fact.facet == "refund_time" and d:
        if d.high != rules.refund_business_days:
            out.append(
                (
                    "states a different refund time",
                    f"{rules.refund_business_days} business days",
                    str(d),
                )
            )
    elif fact.facet == "shipping_time" and d and rules.shipping_times:
        by_region = {s.region: s for s in rules.shipping_times}
        for region in sorted(fact.regions):
            rule = by_region.get(region) or by_region.get("EU")
            if rule and (rule.min_days, rule.max_days) != (d.low, d.high):
                expected = Duration(rule.min_days, rule.max_days, "business_days")
                out.append(
                    (f"states a different delivery time for {region}", str(expected), str(d))
                )
    elif fact.facet == "shipping_cost" and fact.amount is not None and rules.shipping_rates:
        rates = {r.region: r for r in rules.shipping_rates}
        for region in sorted(fact.regions):
            rate = rates.get(region) or rates.get("EU")
            if rate and rate.cost != fact.amount:
                out.append(
                    (
                        f"states a different shipping cost for {region}",
                        _money(rate.cost, currency),
                        _money(fact.amount, currency),
                    )
                )
    elif fact.facet == "free_shipping_over" and fact.amount is not None:
        thresholds = {r.free_over for r in rules.shipping_rates if r.free_over is not None}
        # One threshold stated for every region, where the rules differ, is wrong too.
        if thresholds and (fact.amount not in thresholds or len(thresholds) > 1):
            rule_says = " / ".join(_money(t, currency) for t in sorted(thresholds))
            out.append(
                (
                    "states a different free-shipping threshold",
                    rule_says,
                    _money(fact.amount, currency),
                )
            )
    elif fact.facet == "return_excluded":
        for cat in sorted(fact.categories - rules.return_excluded):
            out.append(
                (
                    f"says {CATEGORY_NAMES[cat]} cannot be returned, but the rules accept them",
                    "returnable",
                    "not returnable",
                )
            )
    return out


def find_inconsistencies(
    rules: PolicyRules,
    currency: str,
    chunks: list[tuple[int, str, str]],
) -> list[Finding]:
    """Findings for the chunks (article id, article title, text) of one brand."""
    findings: list[Finding] = []
    stated: set[str] = set()
    excluded_stated: set[str] = set()
    seen: set[tuple[int, str, str]] = set()
    for article_id, title, text in chunks:
        for fact in facts_in(text):
            stated.add(fact.facet)
            excluded_stated |= fact.categories
            for message, expected, found in _contradictions(fact, rules, currency):
                key = (article_id, fact.sentence, message)
                if key in seen:
                    continue
                seen.add(key)
                findings.append(
                    Finding(
                        "contradiction",
                        fact.facet,
                        f'"{title}" {message}: the rules say {expected}, the article {found}.',
                        article_id,
                        title,
                        fact.sentence[:500],
                        expected,
                        found,
                    )
                )
    texts = [text for _, _, text in chunks]

    def covered(concept: str) -> bool:
        return any(has(concept, t) for t in texts)

    topics = []
    if rules.hub_enabled:  # Order Editing is live: it searches the KB for these policies
        topics += [
            ("order_changes", "change", "changing an order (Order Editing is on)"),
            ("cancellation", "cancel", "cancelling an order (Order Editing is on)"),
        ]
    topics += [
        ("returns", "return", "returns and the return window"),
        ("refunds", "refund", "refunds"),
    ]
    if rules.shipping_times or rules.shipping_rates:
        topics.append(("shipping", "deliver", "delivery times and costs"))
    missing_topics = set()
    for facet, concept, what in topics:
        if not covered(concept):
            missing_topics.add(facet)
            findings.append(Finding("missing_topic", facet, f"No article covers {what}."))
    details = [
        ("change_window", "order_changes", f"the change window ({_span(rules.change_window)})"),
        (
            "cancellation_fee",
            "cancellation",
            f"the cancellation fee ({_money(rules.cancellation_fee, currency)})",
        ),
        ("return_window", "returns", f"the return window ({rules.return_window_days} days)"),
        (
            "refund_time",
            "refunds",
            f"the refund time ({rules.refund_business_days} business days)",
        ),
    ]
    if rules.shipping_times:
        details.append(("shipping_time", "shipping", "delivery times"))
    if rules.shipping_rates:
        details.append(("shipping_cost", "shipping", "shipping costs"))
    for facet, topic, what in details:
        if topic not in missing_topics and facet not in stated:
            findings.append(Finding("missing_detail", facet, f"No article states {what}."))
    if "returns" not in missing_topics:
        for cat in sorted(rules.return_excluded - excluded_stated):
            if cat in CATEGORIES:
                findings.append(
                    Finding(
                        "missing_detail",
                        "return_excluded",
                        f"No article says that {CATEGORY_NAMES[cat]} cannot be returned.",
                    )
                )
    return findings


def findings_under(session: Session, brand: models.Brand, rules: PolicyRules) -> list[Finding]:
    """What the check would find with these rules (a change not saved yet), storing nothing."""
    rows = session.execute(
        select(KnowledgeChunk.article_id, models.Article.title, KnowledgeChunk.text)
        .join(models.Article, models.Article.id == KnowledgeChunk.article_id)
        .where(KnowledgeChunk.brand_id == brand.id)
        .order_by(KnowledgeChunk.article_id, KnowledgeChunk.position)
    ).all()
    findings = find_inconsistencies(rules, brand.currency, [(r[0], r[1], r[2]) for r in rows])
    findings += [
        Finding(
            "outdated_translation",
            "translation",
            f'"{t.title}" ({t.language}) is older than its translation(s) '
            + ", ".join(f'"{n}"' for n in t.newer)
            + ": update it so shoppers in every language read the same.",
            t.article_id,
            t.title,
        )
        for t in outdated_translations(session, brand.id)
    ]
    return findings


def check_consistency(session: Session, brand: models.Brand, now: datetime) -> list[Finding]:
    """Check the brand's knowledge base against its rules and store the findings."""
    findings = findings_under(session, brand, PolicyRules.from_json(brand.policy))
    session.execute(delete(KnowledgeFinding).where(KnowledgeFinding.brand_id == brand.id))
    for f in findings:
        session.add(
            KnowledgeFinding(
                brand_id=brand.id,
                kind=f.kind,
                facet=f.facet,
                article_id=f.article_id,
                message=f.message,
                excerpt=f.excerpt,
                expected=f.expected[:200],
                found=f.found[:200],
                checked_at=now,
            )
        )
    session.flush()
    return findings


def findings_for(session: Session, brand_id: int) -> list[Finding]:
    """The stored findings of the last check, contradictions first (for the console)."""
    order = {"contradiction": 0, "missing_topic": 1, "missing_detail": 2, "outdated_translation": 3}
    rows = session.execute(
        select(KnowledgeFinding, models.Article.title)
        .outerjoin(models.Article, models.Article.id == KnowledgeFinding.article_id)
        .where(KnowledgeFinding.brand_id == brand_id)
        .order_by(KnowledgeFinding.id)
    ).all()
    found = [
        Finding(
            f.kind,
            f.facet,
            f.message,
            f.article_id,
            title or "",
            f.excerpt,
            f.expected,
            f.found,
        )
        for f, title in rows
    ]
    return sorted(found, key=lambda f: order.get(f.kind, 9))
