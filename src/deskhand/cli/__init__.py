"""`deskhand demo | serve | worker | migrate | chat | kb | tasks | train-intents | bench |
secrets | privacy | backup | restore | returns | shopify | users | test | synonyms`.

One module per command group; each has `register(sub)`, which adds its parsers and sets
`run` on them. A new command is a module and one line in COMMANDS.
"""

from __future__ import annotations

import argparse

from deskhand.cli import (
    agent_tests,
    backup,
    bench,
    chat,
    kb,
    privacy,
    returns,
    secrets,
    server,
    shopify,
    synonyms,
    tasks,
    train,
    users,
)

COMMANDS = [
    server,
    chat,
    kb,
    tasks,
    train,
    bench,
    secrets,
    privacy,
    backup,
    returns,
    shopify,
    users,
    agent_tests,
    synonyms,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deskhand", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code
