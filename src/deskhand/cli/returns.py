"""`deskhand returns token | provider`: the staff API's token, and who runs a brand's returns."""

from __future__ import annotations

import argparse
import sys

from deskhand.cli.common import settings_from
from deskhand.db.brands import find_brand
from deskhand.db.integrations import connect
from deskhand.db.session import make_engine, make_sessionmaker, transaction
from deskhand.domain.policy import PolicyRules
from deskhand.domain.vocabulary import IntegrationKind, ReturnsProviderKind
from deskhand.returns.staff import staff_token

_INTEGRATION = {
    ReturnsProviderKind.LOOP: IntegrationKind.LOOP,
    ReturnsProviderKind.AFTERSHIP: IntegrationKind.AFTERSHIP,
}


def token(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=args.demo)
    print(staff_token(settings.resolved_secret_key(), args.brand))
    return 0


def provider(args: argparse.Namespace) -> int:
    """Choose the provider; Loop and AfterShip are connected with their keys (sealed)."""
    settings = settings_from(args, demo=args.demo)
    kind = ReturnsProviderKind(args.kind)
    if kind in _INTEGRATION and not (args.api_key and args.webhook_secret):
        print(f"{kind.value} needs --api-key and --webhook-secret", file=sys.stderr)
        return 2
    engine = make_engine(settings.resolved_database_url())
    try:
        with transaction(make_sessionmaker(engine, settings)) as session:
            brand = find_brand(session, args.brand)
            if brand is None:
                print(f"no brand {args.brand!r}", file=sys.stderr)
                return 1
            rules = PolicyRules.from_json(brand.policy)
            brand.policy = {**rules.to_json(), "returns_provider": kind.value}
            if kind in _INTEGRATION:
                config = {"base_url": args.base_url} if args.base_url else {}
                secrets = {"api_key": args.api_key, "webhook_secret": args.webhook_secret}
                connect(
                    session, settings, brand.id, _INTEGRATION[kind], config=config, secrets=secrets
                )
    finally:
        engine.dispose()
    print(f"{args.brand}: returns run by {kind.value}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("returns", help="returns: the staff API's token, the returns provider")
    inner = p.add_subparsers(dest="returns_command", required=True)
    t = inner.add_parser("token", help="print the staff token of a brand (Bearer, returns API)")
    t.add_argument("--brand", default="demo", help="the brand's slug (default: demo)")
    t.add_argument("--data-dir", help="where the data (and the demo's generated secret) live")
    t.add_argument("--demo", action="store_true", help="the demo's secret (deskhand demo)")
    t.set_defaults(run=token)
    v = inner.add_parser("provider", help="who runs the brand's returns (and its keys)")
    v.add_argument("kind", choices=[k.value for k in ReturnsProviderKind])
    v.add_argument("--brand", default="demo", help="the brand's slug (default: demo)")
    v.add_argument("--api-key", default="", help="Loop: X-Authorization; AfterShip: as-api-key")
    v.add_argument("--webhook-secret", default="", help="the secret the provider signs with")
    v.add_argument("--base-url", default="", help="another API base (a test server)")
    v.add_argument("--data-dir", help="where the data (and the demo's generated secret) live")
    v.add_argument("--demo", action="store_true", help="the demo's database and secret")
    v.set_defaults(run=provider)
