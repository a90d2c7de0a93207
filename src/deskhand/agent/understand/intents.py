"""Intent classification: a softmax head trained on our own multilingual examples."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from deskhand.agent.understand.embeddings import embed_queries

DATA = Path(__file__).parent / "data" / "train"
MODEL = Path(__file__).parent / "model" / "intent_head.npz"

INTENTS = (
    "order_status",
    "change_item",
    "change_address",
    "cancel_order",
    "add_item",
    "return_request",
    "exchange",
    "refund_status",
    "policy_shipping",
    "policy_returns",
    "policy_changes",
    "policy_payment",
    "human_handoff",
    "greeting",
    "thanks",
    "goodbye",
    "other",
)


@dataclass(frozen=True)
class IntentGuess:
    intent: str
    confidence: float
    runner_up: str
    runner_up_confidence: float


def read_examples(folder: Path) -> list[tuple[str, str, str]]:
    """(language, intent, text) for every line of every <lang>.tsv in the folder."""
    rows: list[tuple[str, str, str]] = []
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if rec["intent"] not in INTENTS:
                    raise ValueError(f"{path.name}: unknown intent {rec['intent']!r}")
                rows.append((path.stem, rec["intent"], rec["text"].strip()))
    return rows


def data_fingerprint(folder: Path = DATA) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.tsv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train_head(
    x: np.ndarray,
    y: np.ndarray,
    n_classes: int,
    *,
    l2: float = 1e-4,
    epochs: int = 400,
    lr: float = 2.0,
    temperature_from: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Full-batch gradient descent on softmax cross-entropy; small, exact, numpy only."""
    rng = np.random.default_rng(7)
    w = rng.normal(0, 0.01, (x.shape[1], n_classes)).astype(np.float32)
    b = np.zeros(n_classes, dtype=np.float32)
    onehot = np.eye(n_classes, dtype=np.float32)[y]
    scale = 20.0  # e5 cosine geometry is compressed; a fixed scale speeds convergence
    for _ in range(epochs):
        logits = scale * (x @ w) + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - onehot) / len(x)
        w -= lr * (scale * x.T @ grad + l2 * w)
        b -= lr * grad.sum(axis=0)
    return w * scale, b


def train(folder: Path = DATA, out: Path = MODEL) -> dict[str, float]:
    """Embed every training example, fit the head, save it beside the code."""
    rows = read_examples(folder)
    x = embed_queries([t for _, _, t in rows])
    y = np.array([INTENTS.index(i) for _, i, _ in rows])
    w, b = train_head(x, y, len(INTENTS))
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        w=w.astype(np.float32),
        b=b.astype(np.float32),
        intents=np.array(INTENTS),
        fingerprint=np.array(data_fingerprint(folder)),
    )
    pred = (x @ w + b).argmax(axis=1)
    return {"examples": float(len(rows)), "train_accuracy": float((pred == y).mean())}


@cache
def _head() -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    data = np.load(MODEL)
    return data["w"], data["b"], tuple(str(s) for s in data["intents"])


def head_fingerprint() -> str:
    return str(np.load(MODEL)["fingerprint"])


def probabilities(vectors: np.ndarray) -> np.ndarray:
    w, b, _ = _head()
    logits = vectors @ w + b
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def classify(text: str) -> IntentGuess:
    p = probabilities(embed_queries([text]))[0]
    labels = _head()[2]
    first, second = np.argsort(p)[::-1][:2]
    return IntentGuess(labels[first], float(p[first]), labels[second], float(p[second]))
