"""`deskhand synonyms add|remove|list`: the brand's own words for its products.

Shoppers name products in their own words; the agent knows everyday product words in six
languages, and a brand adds its own ("theekoker", "Reisekocher") for a product title.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from deskhand.cli.common import settings_from
from deskhand.commerce.registry import store_for
from deskhand.db import migrate
from deskhand.db.brands import find_brand
from deskhand.db.product_synonyms import BadSynonym, add_synonym, remove_synonym, synonyms_of
from deskhand.db.session import make_engine, make_sessionmaker, transaction


def synonyms(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=False)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url())
    try:
        migrate.upgrade(engine)
        with transaction(make_sessionmaker(engine)) as session:
            brand = find_brand(session, args.brand)
            if brand is None:
                print(
                    "error: no such brand (run `deskhand demo` once, or pass --brand)",
                    file=sys.stderr,
                )
                return 2
            if args.synonyms_command == "list":
                for name, words in synonyms_of(session, brand.id).items():
                    print(f"{name}: {', '.join(words)}")
                return 0
            titles = {p.title.casefold(): p.title for p in store_for(session, brand).products()}
            title = titles.get(" ".join(args.product.split()).casefold())
            if title is None:
                print(
                    f"error: no product titled {args.product!r} in the catalogue", file=sys.stderr
                )
                return 1
            try:
                if args.synonyms_command == "add":
                    added = add_synonym(session, brand.id, title, args.word, datetime.now(UTC))
                    print(f"{'added' if added else 'already there'}: {args.word} -> {title}")
                    return 0
                removed = remove_synonym(session, brand.id, title, args.word)
            except BadSynonym as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            print(f"{'removed' if removed else 'not found'}: {args.word} -> {title}")
            return 0 if removed else 1
    finally:
        engine.dispose()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("synonyms", help="the brand's own words for its products")
    p.add_argument("--data-dir", default=None)
    p.add_argument("--brand", default=None, help="brand slug (default: the first brand)")
    commands = p.add_subparsers(dest="synonyms_command", required=True)
    for name in ("add", "remove"):
        c = commands.add_parser(name, help=f"{name} a word for a product")
        c.add_argument("product", help="the product's catalogue title, e.g. 'Travel Kettle'")
        c.add_argument("word", help="the shopper's word, e.g. theekoker")
    commands.add_parser("list", help="every synonym of the brand")
    p.set_defaults(run=synonyms)
