"""Write one benchmark's section into docs/benchmarks.md, keeping the others."""

from __future__ import annotations

import re
from pathlib import Path

HEADER = (
    "# Benchmarks\n\nFigures measured on the project's 2-core machine; machines are "
    "shared and noisy, so read medians and ratios from one run.\n"
)


def write_section(path: Path, title: str, body: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def remove_section(path: Path, title: str) -> None:
    """Drop a section a benchmark no longer writes (it was renamed or merged into another)."""
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        path.write_text(pattern.sub("", text).rstrip() + "\n", encoding="utf-8")
