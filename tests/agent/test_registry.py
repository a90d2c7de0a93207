"""The skill registry: every request the classifier can name has a route, and a route about
orders says which orders it considers and where its sign-in link leads."""

from __future__ import annotations

from deskhand.agent.skills.registry import ROUTES, UNROUTED, needs_shopper, route_of
from deskhand.agent.state import Awaiting, DialogueState
from deskhand.domain.vocabulary import CLASSIFIED, Intent, Skill


def test_every_classified_intent_is_routed() -> None:
    assert set(CLASSIFIED) <= set(ROUTES)


def test_a_route_answers_either_a_request_or_one_order() -> None:
    for intent, route in ROUTES.items():
        assert (route.answer is None) != (route.answer_order is None), intent
        if route.answer_order is not None:
            assert route.candidates, intent
            assert route.hub_tab, intent


def test_order_requests_need_a_verified_shopper_and_the_hub_except_tracking() -> None:
    orders = {i for i in Intent if needs_shopper(i)}
    assert orders == {
        Intent.ORDER_STATUS,
        Intent.CHANGE_ITEM,
        Intent.CHANGE_ADDRESS,
        Intent.CANCEL_ORDER,
        Intent.EXCHANGE,
        Intent.RETURN_REQUEST,
        Intent.REFUND_STATUS,
    }
    # Returns decide their own availability (the Hub and a returns provider: limited mode).
    returns = {i for i in orders if route_of(i).unavailable is not None}
    assert returns == {Intent.EXCHANGE, Intent.RETURN_REQUEST, Intent.REFUND_STATUS}
    assert {i for i in orders - returns if not route_of(i).needs_hub} == {Intent.ORDER_STATUS}


def test_what_no_route_claims_falls_back() -> None:
    assert route_of(None) is UNROUTED
    assert route_of(Intent.VERIFICATION).skill == Skill.FALLBACK


def test_dialogue_state_keeps_names_in_memory_and_values_in_json() -> None:
    state = DialogueState(awaiting=Awaiting.CODE, pending_intent=Intent.CANCEL_ORDER)
    stored = state.to_json()
    assert stored["awaiting"] == "code"
    assert type(stored["awaiting"]) is str
    assert type(stored["pending_intent"]) is str
    back = DialogueState.from_json(stored)
    assert back.awaiting is Awaiting.CODE
    assert back.pending_intent is Intent.CANCEL_ORDER
