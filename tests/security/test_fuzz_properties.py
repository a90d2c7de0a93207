"""Properties that hold for every input, checked by Hypothesis (derandomized, bounded for CI).

- The policy rules: a window only closes as time passes (what is refused at one moment is
  refused later too), the cancellation fee never falls and the refund never rises with
  time, and an item the brand excludes from returns is never returnable, at any moment.
- The entity extractors and the text normalisers: any Unicode string in (lone surrogates
  included, as JSON can spell them), no exception out, and what comes out is well formed.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskhand.agent.understand.clauses import is_negated, split_clauses
from deskhand.agent.understand.entities import extract_entities
from deskhand.agent.understand.language import detect_language
from deskhand.agent.understand.lexical import fold, lexical_terms
from deskhand.channels.email.htmltext import html_to_text
from deskhand.channels.email.quotes import strip_reply
from deskhand.domain.contact import normalise_email, normalise_phone
from deskhand.domain.orders import ItemStatus, LineItem, Order, Shipment
from deskhand.domain.policy import (
    PolicyRules,
    Why,
    cancellation_terms,
    editability_of,
    return_eligibility,
)
from deskhand.knowledge.analysis import analyse
from deskhand.nlp.embeddings import embed_queries

BOUNDED = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
LANGUAGES = ("en", "de", "nl", "sv", "fr", "es")
EXCLUDABLE = ("final_sale", "gift_card", "personalised")

# Any code point, lone surrogates included; and text that looks like what shoppers send.
LONE_SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)  # Hypothesis leaves them out itself
any_text = st.lists(st.characters() | LONE_SURROGATES, max_size=300).map("".join)
shopperish = st.text(
    st.sampled_from(list("abcdeéøß0123456789 @.+-#/()\n,:;!?")) | st.characters(), max_size=300
)
texts = any_text | shopperish
moments = st.integers(min_value=-3 * 24 * 60, max_value=60 * 24 * 60).map(
    lambda minutes: START + timedelta(minutes=minutes)
)
_ids = itertools.count(1)


@st.composite
def items(draw: st.DrawFn) -> LineItem:
    status = draw(st.sampled_from(list(ItemStatus)))
    return LineItem(
        id=next(_ids),
        title="Item",
        variant="M",
        quantity=draw(st.integers(1, 5)),
        unit_price=draw(st.integers(0, 100_000)),
        status=status,
        personalised=draw(st.booleans()),
        preorder=draw(st.booleans()),
        final_sale=draw(st.booleans()),
        gift_card=draw(st.booleans()),
        shipment_id=1 if status in (ItemStatus.SHIPPED, ItemStatus.DELIVERED) else None,
    )


@st.composite
def orders(draw: st.DrawFn) -> Order:
    lines = tuple(draw(st.lists(items(), min_size=1, max_size=4)))
    delivered_after = draw(st.integers(0, 10 * 24 * 60))
    shipment = Shipment(
        id=1,
        carrier="PostNL",
        tracking_number="3S1",
        tracking_url="https://track.example/3S1",
        status="delivered",
        shipped_at=START,
        delivered_at=START + timedelta(minutes=delivered_after),
    )
    return Order(
        id=1,
        number="1001",
        customer_id=1,
        placed_at=START,
        currency="EUR",
        items=lines,
        shipments=(shipment,),
        cancelled_at=None,
    )


@st.composite
def rules(draw: st.DrawFn) -> PolicyRules:
    return PolicyRules(
        change_window=timedelta(minutes=draw(st.integers(0, 7 * 24 * 60))),
        free_cancellation_window=timedelta(minutes=draw(st.integers(0, 7 * 24 * 60))),
        cancellation_fee=draw(st.integers(0, 5_000)),
        return_window_days=draw(st.integers(0, 365)),
        return_excluded=frozenset(draw(st.sets(st.sampled_from(EXCLUDABLE)))),
    )


@given(order=orders(), policy=rules(), data=st.data())
@BOUNDED
def test_a_closed_change_window_stays_closed(
    order: Order, policy: PolicyRules, data: st.DataObject
) -> None:
    early, late = sorted(data.draw(st.tuples(moments, moments)))
    before, after = editability_of(order, policy, early), editability_of(order, policy, late)
    for was, now in zip(before.items, after.items, strict=True):
        assert not (now.ok and not was.ok), (was, now)
    assert after.time_left <= before.time_left


@given(order=orders(), policy=rules(), data=st.data())
@BOUNDED
def test_the_cancellation_fee_never_falls_and_the_refund_never_rises(
    order: Order, policy: PolicyRules, data: st.DataObject
) -> None:
    early, late = sorted(data.draw(st.tuples(moments, moments)))
    before, after = (
        cancellation_terms(order, policy, early),
        cancellation_terms(order, policy, late),
    )
    assert before.fee.amount <= after.fee.amount
    assert before.refund.amount >= after.refund.amount
    for terms in (before, after):
        value = order.total_of(terms.cancellable_items).amount
        assert 0 <= terms.refund.amount <= value


@given(order=orders(), policy=rules(), data=st.data())
@BOUNDED
def test_an_excluded_item_is_never_returnable_and_the_window_only_closes(
    order: Order, policy: PolicyRules, data: st.DataObject
) -> None:
    early, late = sorted(data.draw(st.tuples(moments, moments)))
    for item in order.items:
        excluded = any(
            getattr(item, flag) and flag in policy.return_excluded for flag in EXCLUDABLE
        )
        before = return_eligibility(item, order, policy, early)
        after = return_eligibility(item, order, policy, late)
        if excluded:
            assert not before.ok
            assert not after.ok
            assert before.why in (Why.FINAL_SALE, Why.GIFT_CARD, Why.PERSONALISED)
        delivered = order.shipments[0].delivered_at
        if after.ok and delivered is not None and early >= delivered:
            assert before.ok  # open later means it was open earlier, since delivery


@given(text=texts)
@BOUNDED
def test_the_entity_extractor_takes_any_text(text: str) -> None:
    found = extract_entities(text)
    for email in found.emails:
        assert normalise_email(email) == email
        assert len(email) <= 320
    for phone in found.phones:
        assert phone.startswith("+")
        assert phone[1:].isdigit()
    for number in found.order_numbers:
        assert number.isdigit()


@given(text=texts, region=st.sampled_from([None, "NL", "DE", "SE", "FR", "ES", "US"]))
@BOUNDED
def test_the_contact_normalisers_take_any_text(text: str, region: str | None) -> None:
    email = normalise_email(text)
    assert email is None or (email == email.strip().lower() and len(email) <= 320)
    phone = normalise_phone(text, region)
    assert phone is None or (phone.startswith("+") and phone[1:].isdigit())


@given(text=texts)
@BOUNDED
def test_the_text_normalisers_take_any_text(text: str) -> None:
    assert isinstance(fold(text), str)
    assert all(isinstance(term, str) for term in lexical_terms(text))
    assert isinstance(is_negated(text), bool)
    assert isinstance(split_clauses(text), list)
    assert detect_language(text, LANGUAGES, "en") in LANGUAGES
    assert isinstance(strip_reply(text), str)
    assert isinstance(html_to_text(text), str)
    for lang in LANGUAGES:
        assert isinstance(analyse(text, lang), list)


@given(text=texts)
@settings(BOUNDED, max_examples=40)
def test_the_embedding_takes_any_text(text: str) -> None:
    assert embed_queries([text]).shape[0] == 1
