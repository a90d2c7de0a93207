"""`deskhand users add | list`: team members of a real install, from the command line."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime

from deskhand.cli.common import settings_from
from deskhand.db.brands import find_brand
from deskhand.db.session import make_engine, make_sessionmaker, transaction
from deskhand.demo import prepare_database
from deskhand.domain.vocabulary import TeamRole
from deskhand.team.accounts import AccountError, add_member, members_of
from deskhand.team.audit import record_change


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (at least 12 characters): ")
    if first != getpass.getpass("The same password again: "):
        raise AccountError("The two passwords differ.")
    return first


def add(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=args.demo)
    prepare_database(settings)
    engine = make_engine(settings.resolved_database_url())
    try:
        with transaction(make_sessionmaker(engine)) as session:
            brand = find_brand(session, args.brand)
            if brand is None:
                print("no brand found: set one up first (or name it with --brand)", file=sys.stderr)
                return 2
            now = datetime.now(UTC)
            member = add_member(
                session,
                brand_id=brand.id,
                email=args.email,
                role=TeamRole(args.role),
                now=now,
                name=args.name,
                password=_password(args),
            )
            record_change(
                session,
                brand_id=brand.id,
                member=None,
                actor="command line",
                area="team",
                action="member added",
                before={},
                after={"email": member.email, "role": member.role},
                now=now,
            )
            print(
                f"{member.email} is {member.role} of {brand.name}: sign in at "
                f"{settings.base_url}/admin"
            )
    except AccountError as exc:
        print(f"not added: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def list_members(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=args.demo)
    prepare_database(settings)
    engine = make_engine(settings.resolved_database_url())
    try:
        with transaction(make_sessionmaker(engine)) as session:
            brand = find_brand(session, args.brand)
            if brand is None:
                print("no brand found", file=sys.stderr)
                return 2
            for m in members_of(session, brand.id):
                state = (
                    "active"
                    if m.active and m.password_hash
                    else "invited"
                    if m.active
                    else "removed"
                )
                print(f"{m.email}\t{m.role}\t{state}")
    finally:
        engine.dispose()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = sub.add_parser("users", help="team members who sign in to the admin console")
    commands = users.add_subparsers(dest="users_command", required=True)
    new = commands.add_parser("add", help="add a member with a password")
    new.add_argument("email")
    new.add_argument("--role", choices=[r.value for r in TeamRole], default="owner")
    new.add_argument("--name", default="")
    new.add_argument("--brand", help="the brand's slug (default: the first brand)")
    new.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    new.add_argument("--data-dir")
    new.add_argument("--demo", action="store_true", help="the demo's database")
    new.set_defaults(run=add)
    listed = commands.add_parser("list", help="list the team")
    listed.add_argument("--brand")
    listed.add_argument("--data-dir")
    listed.add_argument("--demo", action="store_true")
    listed.set_defaults(run=list_members)
