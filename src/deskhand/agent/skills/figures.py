"""The figure first: what shipping costs and takes, worked out from the brand's rules.

A question that names a country or a sum ("how much is shipping to Germany for a 30 euro
order?") is answered with the figure computed from the structured shipping rules
(`domain/shipping.py`); the policy skill then quotes the article passage that states them,
so the shopper sees the number first and where it comes from second.
"""

from __future__ import annotations

from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.destinations import named, to_place
from deskhand.agent.understand.figures import FigureQuestion, read_figure_question
from deskhand.domain.shipping import ShippingQuote, shipping_quote


def shipping_figure(ctx: SkillContext, question: str) -> str | None:
    """The figure the question asks for, in the shopper's language; None if it asks none."""
    rules = ctx.rules
    if not rules.shipping_rates and not rules.shipping_times:
        return None
    ask = read_figure_question(question)
    if ask is None:
        return None
    if ask.country is None:
        return _for_value_everywhere(ctx, ask) if ask.order_value is not None else None
    times = tuple((t.region, t.min_days, t.max_days) for t in rules.shipping_times)
    quote = shipping_quote(ask.country, ask.order_value, rules.shipping_rates, times)
    return " ".join(_sentences(ctx, ask, quote))


def _sentences(ctx: SkillContext, ask: FigureQuestion, quote: ShippingQuote) -> list[str]:
    w = ctx.words
    country = to_place(w, quote.country)
    if not quote.ships:
        return [w.t("figure.no_delivery", to_country=country)]
    out = []
    if not ask.asks_cost and not ask.asks_time:
        out.append(w.t("figure.delivers", to_country=country))
    rate = quote.rate
    if rate is not None and (ask.asks_cost or not ask.asks_time):
        if quote.cost is not None and quote.order_value is not None:
            key = "figure.free_order" if quote.free else "figure.cost_order"
            value = w.money_of(quote.order_value)
            out.append(w.t(key, to_country=country, value=value, cost=w.money_of(quote.cost)))
        else:
            out.append(w.t("figure.cost", to_country=country, cost=w.money_of(rate.cost)))
        if rate.free_over is not None and not quote.free:
            out.append(w.t("figure.free_over", threshold=w.money_of(rate.free_over)))
    if quote.min_days is not None and (ask.asks_time or not ask.asks_cost):
        out.append(w.t("figure.time", to_country=country, min=quote.min_days, max=quote.max_days))
    return out


def _for_value_everywhere(ctx: SkillContext, ask: FigureQuestion) -> str | None:
    """ "Is shipping free for a 30 euro order?": the cost to each region for that sum."""
    w = ctx.words
    value = ask.order_value
    rates = ctx.rules.shipping_rates
    if value is None or not rates:
        return None
    costs = [(r, 0 if r.free_over is not None and value > r.free_over else r.cost) for r in rates]
    if all(cost == 0 for _, cost in costs):
        return w.t("figure.free_order_all", value=w.money_of(value))
    by_cost: dict[int, list[str]] = {}
    for r, cost in costs:
        by_cost.setdefault(cost, []).append(named(w, r.region))
    lines = [
        w.t("figure.cost_line", cost=w.money_of(cost), region=w.items(names))
        for cost, names in by_cost.items()
    ]
    out = [w.t("figure.cost_order_all", value=w.money_of(value), lines=w.items(lines))]
    thresholds = {r.free_over for r, cost in costs if cost and r.free_over is not None}
    if len(thresholds) == 1:
        out.append(w.t("figure.free_over", threshold=w.money_of(thresholds.pop())))
    return " ".join(out)


def shipping_costs(ctx: SkillContext) -> list[str]:
    """What shipping costs to each region, and from when it is free (the rules, worded)."""
    w, rates = ctx.words, ctx.rules.shipping_rates
    if not rates:
        return []
    by_cost: dict[int, list[str]] = {}
    for r in rates:
        by_cost.setdefault(r.cost, []).append(named(w, r.region))
    lines = [
        w.t("figure.cost_line", cost=w.money_of(cost), region=w.items(names))
        for cost, names in by_cost.items()
    ]
    out = [w.t("policy.shipping_costs", lines=w.items(lines))]
    thresholds = {r.free_over for r in rates if r.free_over is not None}
    if len(thresholds) == 1:
        out.append(w.t("figure.free_over", threshold=w.money_of(thresholds.pop())))
    return out
