"""`deskhand kb …`: manage the knowledge base (the commands live in knowledge/commands.py)."""

from __future__ import annotations

import argparse
import sys

from deskhand.cli.common import settings_from
from deskhand.knowledge.commands import add_kb_parser, run_kb


def kb(args: argparse.Namespace) -> int:
    code, lines = run_kb(settings_from(args, demo=False), args)
    for line in lines:
        print(line, file=sys.stderr if code and line.startswith("error") else sys.stdout)
    return code


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add_kb_parser(sub)
    sub.choices["kb"].set_defaults(run=kb)
