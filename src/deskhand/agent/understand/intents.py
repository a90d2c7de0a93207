"""Intent classification: a calibrated linear head over an embedding and TF-IDF terms.

The head is trained by `deskhand train-intents` (see `training.py`) on our own
multilingual examples and shipped as plain numpy arrays in `model/intent_head.npz`.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from deskhand.agent.understand.lexical import LexicalVectors, lexical_terms
from deskhand.domain.vocabulary import CLASSIFIED, Intent
from deskhand.nlp.embeddings import embed_queries

DATA = Path(__file__).parent / "data" / "train"
MODEL = Path(__file__).parent / "model" / "intent_head.npz"

INTENTS = CLASSIFIED  # the head's labels, in the order of its columns


@dataclass(frozen=True)
class IntentGuess:
    intent: Intent
    confidence: float  # calibrated: of the guesses made at 0.8, about 80% are right
    runner_up: Intent
    runner_up_confidence: float
    candidates: tuple[tuple[Intent, float], ...] = ()  # the top few, most likely first
    unsure: bool = False  # inside the band where the agent asks rather than guesses


def read_examples(folder: Path) -> list[tuple[str, Intent, str]]:
    """(language, intent, text) for every line of every <lang>.tsv in the folder."""
    rows: list[tuple[str, Intent, str]] = []
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if rec["intent"] not in INTENTS:
                    raise ValueError(f"{path.name}: unknown intent {rec['intent']!r}")
                rows.append((path.stem, Intent(rec["intent"]), rec["text"].strip()))
    return rows


def data_fingerprint(folder: Path = DATA) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.tsv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class _Head:
    lexical: LexicalVectors
    w_lex: np.ndarray
    w_emb: np.ndarray
    b: np.ndarray
    temperature: float
    unsure_floor: float
    unsure_margin: float
    labels: tuple[Intent, ...]
    lang_codes: tuple[str, ...]
    lang_logp: np.ndarray  # (vocabulary, languages)


@cache
def _head() -> _Head:
    data = np.load(MODEL)
    return _Head(
        lexical=LexicalVectors(str(data["vocabulary"]).split("\n"), data["idf"]),
        w_lex=data["w_lex"].astype(np.float32),
        w_emb=data["w_emb"],
        b=data["b"],
        temperature=float(data["temperature"]),
        unsure_floor=float(data["unsure_floor"]),
        unsure_margin=float(data["unsure_margin"]),
        labels=tuple(Intent(str(s)) for s in data["intents"]),
        lang_codes=tuple(str(s) for s in data["lang_codes"]),
        lang_logp=data["lang_logp"].astype(np.float32),
    )


def head_fingerprint() -> str:
    return str(np.load(MODEL)["fingerprint"])


def unsure_band() -> tuple[float, float]:
    """(confidence floor, top-2 margin) chosen by cross-validation when the head was trained."""
    head = _head()
    return head.unsure_floor, head.unsure_margin


def probabilities(vectors: np.ndarray, texts: list[str]) -> np.ndarray:
    """Calibrated intent probabilities, one row per (embedding, text) pair."""
    head = _head()
    logits = vectors @ head.w_emb + head.b
    for row, text in enumerate(texts):
        cols, weights = head.lexical.transform(text)
        if len(cols):
            logits[row] += weights.astype(np.float32) @ head.w_lex[cols]
    logits = logits / head.temperature
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    calibrated: np.ndarray = p / p.sum(axis=1, keepdims=True)
    return calibrated


def corpus_language(text: str, languages: tuple[str, ...]) -> dict[str, float] | None:
    """How likely each of `languages` is to have written `text`, judged by our own corpus.

    None when a language is not in the corpus or the text shares no term with it.
    """
    head = _head()
    if not set(languages) <= set(head.lang_codes):
        return None
    rows = [head.lexical.index[t] for t in lexical_terms(text) if t in head.lexical.index]
    if not rows:
        return None
    columns = [head.lang_codes.index(lang) for lang in languages]
    ll = head.lang_logp[rows][:, columns].sum(axis=0)
    p = np.exp(ll - ll.max())
    return dict(zip(languages, (p / p.sum()).tolist(), strict=True))


def guess_of(p: np.ndarray) -> IntentGuess:
    """The guess one probability row stands for, with its place against the unsure band."""
    head = _head()
    order = np.argsort(p)[::-1]
    first, second = order[0], order[1]
    unsure = p[first] < head.unsure_floor or p[first] - p[second] < head.unsure_margin
    return IntentGuess(
        intent=head.labels[first],
        confidence=float(p[first]),
        runner_up=head.labels[second],
        runner_up_confidence=float(p[second]),
        candidates=tuple((head.labels[i], float(p[i])) for i in order[:4]),
        unsure=bool(unsure),
    )


def classify(text: str) -> IntentGuess:
    return guess_of(probabilities(embed_queries([text]), [text])[0])
