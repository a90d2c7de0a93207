"""Typos of the domain's words: the held-out intent set with one typo in each message.

Each message of `tests/data/intents/<lang>.tsv` gets one typo in its longest word of the
domain vocabulary (a letter dropped, doubled or two swapped, in turn, at a seeded place).
The intent is read from the clean message (as typed and tidied: tidying must not hurt),
from the typo as typed, and from the typo after `hygiene.tidy`; the figures are how often
it is right.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from deskhand.agent.understand.hygiene import tidy, vocabulary
from deskhand.agent.understand.lexical import fold
from deskhand.agent.understand.reading import read_intents_many

HELD_OUT = Path(__file__).parents[3] / "tests" / "data" / "intents"
LANGUAGES = ("en", "de", "nl", "sv", "fr", "es")


def with_typo(text: str, n: int) -> str | None:
    """The message with one typo in its longest domain word, or None when it has none."""
    _, deletes = vocabulary()
    words = [w for w in text.split() if len(w.strip(",.?!¿¡")) >= 5]
    domain = [w for w in words if fold(w.strip(",.?!¿¡")) in deletes]
    if not domain:
        return None
    word = max(domain, key=len)
    core = word.strip(",.?!¿¡")
    rng = random.Random(f"{text}-{n}")
    i = rng.randrange(1, len(core) - 1)
    kind = n % 3
    if kind == 0:
        typo = core[:i] + core[i + 1 :]  # dropped
    elif kind == 1:
        typo = core[:i] + core[i] + core[i:]  # doubled
    else:
        typo = core[:i] + core[i + 1] + core[i] + core[i + 2 :]  # swapped
    return text.replace(core, typo, 1)


def measure(folder: Path = HELD_OUT) -> dict[str, tuple[int, float, float, float, float]]:
    """language -> (messages, right: clean, clean tidied, with the typo, with it tidied)."""
    out = {}
    for lang in LANGUAGES:
        with (folder / f"{lang}.tsv").open(encoding="utf-8", newline="") as fh:
            rows = [(r["intent"], r["text"]) for r in csv.DictReader(fh, delimiter="\t")]
        cases = [(gold, text, with_typo(text, n)) for n, (gold, text) in enumerate(rows)]
        cases = [(g, t, typo) for g, t, typo in cases if typo and typo != t]
        clean = read_intents_many([t for _, t, _ in cases])
        clean_tidied = read_intents_many([tidy(t).text for _, t, _ in cases])
        raw = read_intents_many([typo for _, _, typo in cases if typo])
        fixed = read_intents_many([tidy(typo).text for _, _, typo in cases if typo])
        gold = [g for g, _, _ in cases]

        def right(readings: list, gold: list[str] = gold) -> float:
            return sum(r.guess.intent == g for r, g in zip(readings, gold, strict=True)) / len(gold)

        out[lang] = (len(cases), right(clean), right(clean_tidied), right(raw), right(fixed))
    return out


def section(scores: dict[str, tuple[int, float, float, float, float]]) -> list[str]:
    rows = [
        "| | " + " | ".join(scores) + " |",
        "|---|" + "---|" * len(scores),
        "| messages with a typo | " + " | ".join(str(s[0]) for s in scores.values()) + " |",
    ]
    named = (("clean", 1), ("clean, tidied", 2), ("typo as typed", 3), ("typo, tidied", 4))
    for name, col in named:
        rows.append(f"| {name} | " + " | ".join(f"{s[col]:.3f}" for s in scores.values()) + " |")
    return rows
