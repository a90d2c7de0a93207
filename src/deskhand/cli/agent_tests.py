"""`deskhand test <file-or-dir> [--junit out.xml]`: run the brand's agent tests in a sandbox.

Exit 0 when every test passes, 1 when one fails, 2 when a suite file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from deskhand.agent.engine import Agent
from deskhand.cli.common import settings_from
from deskhand.db.brands import find_brand
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.demo import prepare_database
from deskhand.suites.junit import junit_xml
from deskhand.suites.runner import run_suites
from deskhand.suites.spec import SuiteError, load_suites


def run(args: argparse.Namespace) -> int:
    try:
        suites = load_suites(Path(args.path))
    except SuiteError as exc:
        print(f"cannot read the suite: {exc}", file=sys.stderr)
        return 2
    if not suites:
        print(f"no suite files (.yaml) at {args.path}", file=sys.stderr)
        return 2
    settings = settings_from(args, demo=args.demo)
    prepare_database(settings)
    engine = make_engine(settings.resolved_database_url())
    session = make_sessionmaker(engine)()
    try:
        brand = find_brand(session, args.brand)
        if brand is None:
            print("no brand found (name one with --brand)", file=sys.stderr)
            return 2
        agent = Agent(settings, settings.resolved_secret_key())
        results = run_suites(
            session, agent, brand, suites, now=datetime.now(UTC), base_url=settings.base_url
        )
    finally:
        session.rollback()  # the sandbox: nothing the tests did is kept
        session.close()
        engine.dispose()
    for r in results:
        print(f"{'PASS' if r.passed else 'FAIL'}  {r.suite} :: {r.name}")
        for failure in r.failures:
            print(f"      {failure}")
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    if args.junit:
        Path(args.junit).write_text(junit_xml(results), encoding="utf-8")
    return 1 if failed else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("test", help="run agent tests (YAML conversations) in a sandbox")
    p.add_argument("path", help="a suite file or a folder of them")
    p.add_argument("--junit", help="write JUnit XML here (for CI)")
    p.add_argument("--brand", help="the brand's slug (default: the first brand)")
    p.add_argument("--data-dir")
    p.add_argument("--demo", action="store_true", help="the demo's database")
    p.set_defaults(run=run)
