"""`deskhand chat`: talk to the demo agent in the terminal."""

from __future__ import annotations

import argparse

from deskhand.channels.plain import render_plain
from deskhand.cli.common import settings_from
from deskhand.demo import prepare_database
from deskhand.web.client import InProcessClient


def chat(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=True)
    prepare_database(settings)
    client = InProcessClient(settings)
    conv = client.start(locale=args.locale)
    print(
        "Chat with the Fjord & Finch demo agent. Type 'quit' to leave; '/1', '/2' press a "
        "button.\nDemo shoppers: ava@example.com, ben@example.com, chloe@example.com, "
        "dan@example.com, finn@example.com\n"
    )
    buttons: list[str] = []
    seen_outbox = {m["id"] for m in client.outbox()}
    while True:
        try:
            line = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.lower() in ("quit", "exit", ":q"):
            return 0
        if not line:
            continue
        if line.startswith("/") and line[1:].isdigit() and 0 < int(line[1:]) <= len(buttons):
            status, body = conv.send(action=buttons[int(line[1:]) - 1])
        else:
            status, body = conv.send(text=line)
        if status != 200:
            print(f"[{status}] {body.get('title')}: {body.get('detail', '')}")
            continue
        buttons = []
        for message in body["messages"]:
            for block in message["blocks"]:
                for b in block.get("buttons", []):
                    buttons.append(b["action"])
            print("agent> " + render_plain(message["blocks"]).replace("\n", "\n       "))
            print(f"       ({message['meta']['skill']} · {message['meta']['outcome']})")
        if buttons:
            print("       buttons: " + "  ".join(f"/{i + 1}" for i in range(len(buttons))))
        for m in client.outbox():
            if m["id"] not in seen_outbox:
                seen_outbox.add(m["id"])
                print(f"  ✉ [demo outbox → {m['to']}] {m['subject']}")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("chat", help="talk to the demo agent in the terminal")
    p.add_argument("--data-dir")
    p.add_argument("--locale", default=None)
    p.set_defaults(run=chat)
