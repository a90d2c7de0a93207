"""`deskhand bench no-answer`: does the agent say "I couldn't find that" when it should?

The demo help centre (four articles, each in six languages, through the real ingestion
path) is asked three kinds of question per language: answerable ones
(`tests/data/kb_questions/<lang>.tsv` and `held_out/`), near misses
(`near_miss.tsv`: about the shop, plausible, not answered by any article: "Do you offer a
student discount?") and off-topic ones (`off_topic.tsv`). The decision measured is
`SearchResult.confident`, the one the agent acts on. Per language: recall of the
no-answer decision (near misses declined), its precision (declined questions that were
near misses, not answerable ones), and how many answerable questions are still answered.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from deskhand.bench.kb import LANGS, QUESTIONS, read_off_topic, read_questions
from deskhand.bench.report import write_section
from deskhand.config import Settings
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.demo import prepare_database
from deskhand.knowledge.retrieval import (
    ANSWER_THRESHOLD,
    OWN_LANGUAGE_LIFT,
    SURE_THRESHOLD,
    search_many,
)
from deskhand.nlp.embeddings import warm_up

TITLE = "No-answer decision (`deskhand bench no-answer`)"


def read_near_misses(folder: Path, lang: str) -> list[str]:
    with (folder / "near_miss.tsv").open(encoding="utf-8", newline="") as fh:
        return [
            r["question"]
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            if r["language"] == lang
        ]


def measure(settings: Settings, folder: Path) -> dict[str, dict[str, float]]:
    prepare_database(settings, reset=True)
    engine = make_engine(settings.resolved_database_url())
    out: dict[str, dict[str, float]] = {}
    with make_sessionmaker(engine)() as session:
        for lang in LANGS:
            answerable = [q for *_, q in read_questions(folder, lang)]
            answerable += [q for *_, q in read_questions(folder / "held_out", lang)]
            near = read_near_misses(folder, lang)
            off = [q for lg, q in read_off_topic(folder) if lg == lang]

            def confident(questions: list[str], lang: str = lang) -> list[bool]:
                return [r.confident for r in search_many(session, 1, questions, language=lang)]

            kept = confident(answerable)
            near_declined = sum(not c for c in confident(near))
            answerable_declined = sum(not c for c in kept)
            out[lang] = {
                "answerable": len(answerable),
                "near": len(near),
                "answered": sum(kept) / len(kept),
                "recall": near_declined / len(near),
                "precision": near_declined / max(1, near_declined + answerable_declined),
                "off_declined": sum(not c for c in confident(off)) / len(off),
            }
    engine.dispose()
    return out


def main(args: argparse.Namespace) -> int:
    warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        figures = measure(Settings(data_dir=Path(tmp) / "demo", demo=True), QUESTIONS)
    lines = [
        "| language | answerable | answered | near misses | declined (recall) | "
        "precision | off-topic declined |",
        "|---|---|---|---|---|---|---|",
    ]
    for lang, f in figures.items():
        lines.append(
            f"| {lang} | {f['answerable']:.0f} | {f['answered']:.3f} | {f['near']:.0f} | "
            f"**{f['recall']:.3f}** | **{f['precision']:.3f}** | {f['off_declined']:.3f} |"
        )
    body = "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d}. Demo help centre: four articles in six "
            "languages, linked as translations. The decision is `SearchResult.confident`: "
            f"a passage answers at a fused score of {SURE_THRESHOLD:.2f} or more, or from "
            f"{ANSWER_THRESHOLD:.2f} when the help centre knows every content word of the "
            f"question (both lines {OWN_LANGUAGE_LIFT:.2f} higher when the help centre is written "
            "in the question's language). Near misses: "
            "`tests/data/kb_questions/near_miss.tsv` (20 per language, about the shop, "
            "plausible, answered by no article); recall = near misses declined; "
            "precision = declined questions that were near misses rather than answerable "
            "ones. The near-miss set was written for this decision and its "
            "two lines were chosen on it: the figures are not held out.",
            "",
            *lines,
        ]
    )
    print(body)
    write_section(Path(args.out), TITLE, body)
    return 0
