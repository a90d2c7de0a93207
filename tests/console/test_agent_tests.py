"""Agent tests: suites read with clear errors, run in a sandbox, pass and fail for the right
reason, JUnit XML, `deskhand test` exit codes, the console's page and the policy check."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskhand.agent.engine import Agent
from deskhand.cli import main
from deskhand.config import Settings
from deskhand.db import models
from deskhand.suites.junit import junit_xml
from deskhand.suites.runner import run_suites
from deskhand.suites.spec import SuiteError, parse_suite
from deskhand.suites.stored import DEMO_SUITES
from tests.console.team_members import Member
from tests.console.test_policy_settings import DEMO_FORM

FAILING = """
name: Wrong on purpose
tests:
  - name: expects a fee inside the free window
    customer: ava@example.com
    conversation:
      - shopper: I need to cancel my order 1001
        expect:
          outcome: not_eligible
          contains: ["EUR 5.00"]
          no_links: [/hub/orders/1001/cancel]
"""


def demo_suite() -> list:
    path = DEMO_SUITES / "fjord_and_finch.yaml"
    return [(path.name, parse_suite(path.read_text(), path.name))]


def test_a_bad_suite_says_where_and_why() -> None:
    with pytest.raises(SuiteError, match="not valid YAML"):
        parse_suite("name: [unclosed", "x.yaml")
    with pytest.raises(SuiteError, match=r"tests\.0\.conversation\.0\.expect\.skil: Extra inputs"):
        parse_suite(
            "name: s\ntests:\n  - name: t\n    conversation:\n"
            "      - shopper: hi\n        expect: {skil: policy}\n",
            "x.yaml",
        )
    with pytest.raises(SuiteError, match="tests: Field required"):
        parse_suite("name: s\n", "x.yaml")


def test_the_demo_suite_passes_and_keeps_nothing(session: Session, settings: Settings) -> None:
    brand = session.scalars(select(models.Brand)).one()
    count = session.scalar(select(func.count()).select_from(models.Conversation))
    agent = Agent(settings, settings.resolved_secret_key())
    now = datetime.now(UTC)
    results = run_suites(session, agent, brand, demo_suite(), now=now, base_url="http://x")
    assert len(results) == 6
    assert [r.failures for r in results if not r.passed] == []
    session.rollback()
    assert session.scalar(select(func.count()).select_from(models.Conversation)) == count


def test_a_wrong_expectation_fails_for_the_right_reason(
    session: Session, settings: Settings
) -> None:
    brand = session.scalars(select(models.Brand)).one()
    agent = Agent(settings, settings.resolved_secret_key())
    [result] = run_suites(
        session,
        agent,
        brand,
        [("f", parse_suite(FAILING, "f"))],
        now=datetime.now(UTC),
        base_url="http://x",
    )
    assert result.failures == [
        "turn 1 ('I need to cancel my order 1001'): outcome was hub_link, expected not_eligible",
        "turn 1 ('I need to cancel my order 1001'): the reply does not say 'EUR 5.00'",
        "turn 1 ('I need to cancel my order 1001'): a link contains '/hub/orders/1001/cancel'",
    ]
    xml = ET.fromstring(junit_xml([result]))
    assert xml.get("failures") == "1"
    failure = xml.find("testsuite/testcase/failure")
    assert failure is not None
    assert "expected not_eligible" in (failure.get("message") or "")


def test_deskhand_test_exit_codes_and_junit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    junit = tmp_path / "results.xml"
    assert (
        main(["test", str(DEMO_SUITES), "--demo", "--data-dir", str(data), "--junit", str(junit)])
        == 0
    )
    assert ET.parse(junit).getroot().get("tests") == "6"
    failing = tmp_path / "failing.yaml"
    failing.write_text(FAILING)
    assert (
        main(["test", str(failing), "--demo", "--data-dir", str(data), "--junit", str(junit)]) == 1
    )
    assert ET.parse(junit).getroot().get("failures") == "1"
    (tmp_path / "bad.yaml").write_text("name: [")
    assert main(["test", str(tmp_path / "bad.yaml"), "--demo", "--data-dir", str(data)]) == 2


def test_the_console_runs_the_suites_and_the_policy_check_names_what_breaks(
    client: TestClient, owner: Member
) -> None:
    page = owner.post("/admin/tests/run", {}, "/admin/tests")
    assert page.status_code == 200
    assert "Results: 6 passed, 0 failed" in page.text
    # No free cancellation any more: the test that says "no fee inside the window" breaks.
    form = {**DEMO_FORM, "cancel_window": "0", "action": "check"}
    check = owner.post("/admin/policy", form, "/admin/policy")
    assert check.status_code == 200
    assert "Agent tests these values would break" in check.text
    assert "a cancellation inside the free window costs nothing" in check.text
    assert "the reply says &#39;5.00&#39;" in check.text
    assert "an open order&#39;s size can change in the Hub" not in check.text


def test_owner_saves_a_suite_a_viewer_only_runs(
    client: TestClient, db: Session, owner: Member
) -> None:
    bad = owner.post("/admin/tests/save", {"source": "name: x\ntests: []"}, "/admin/tests")
    assert bad.status_code == 400
    assert "tests: List should have at least 1 item" in bad.text
    ok = owner.post("/admin/tests/save", {"source": FAILING}, "/admin/tests")
    assert ok.status_code == 303
    run = owner.post("/admin/tests/run", {}, "/admin/tests")
    assert "Results: 6 passed, 1 failed" in run.text
    assert "outcome was hub_link, expected not_eligible" in run.text
