"""The scoring rules of `deskhand bench understanding` (the Bitext label mapping, strict and
lenient accuracy, macro-F1, calibration error) on small hand-made cases."""

from __future__ import annotations

import numpy as np
import pytest

from deskhand.bench.bitext import BitextRow, _bitext_label, agent_label, score
from deskhand.bench.understanding import ece, macro_f1


@pytest.mark.parametrize(
    ("intent", "text", "label"),
    [
        ("track_order", "where is my order 123456", "order_status"),
        ("change_order", "i need to change my order", "change_item"),
        ("get_refund", "i want a refund", "return_request"),
        ("check_payment_methods", "which payment options are there", "policy_question"),
        ("contact_customer_service", "customer service number", "human_handoff"),
        ("delivery_period", "when will my parcel arrive", "order_status"),
        ("delivery_period", "how long does delivery take", "policy_question"),
        ("recover_password", "i forgot my password", "other"),
    ],
)
def test_bitext_intents_map_to_agent_labels(intent: str, text: str, label: str) -> None:
    assert _bitext_label(intent, text) == label


def test_the_four_policy_intents_are_one_policy_question() -> None:
    assert {agent_label(i) for i in ("policy_shipping", "policy_payment")} == {"policy_question"}
    assert agent_label("cancel_order") == "cancel_order"


def test_lenient_accepts_policy_versus_status_and_nothing_else() -> None:
    rows = [
        BitextRow("a", "track_order", "order_status"),
        BitextRow("b", "track_refund", "refund_status"),
        BitextRow("c", "delivery_period", "policy_question"),
        BitextRow("d", "cancel_order", "cancel_order"),
    ]
    gold = [r.label for r in rows]
    predicted = ["policy_question", "policy_question", "order_status", "change_item"]
    assert score(gold, predicted, rows) == (0.0, 0.75)
    assert score(gold, gold, rows) == (1.0, 1.0)


def test_macro_f1_and_calibration_error() -> None:
    y = np.array([0, 0, 1, 1])
    assert macro_f1(y, y, 2) == 1.0
    assert macro_f1(y, np.array([0, 0, 0, 1]), 2) == pytest.approx((0.8 + 2 / 3) / 2)
    assert ece(np.array([0.9, 0.9]), np.array([True, True])) == pytest.approx(0.1)
