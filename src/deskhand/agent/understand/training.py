"""Fit the intent head: model selection, calibration and the 'unsure' band, on training data only.

Needs the `bench` extra (scikit-learn); the head it writes is plain numpy arrays, so
answering shoppers needs none of this. Everything here is decided by cross-validation on
`data/train/`: the held-out set in `tests/data/` is never read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from deskhand.agent.understand.intents import (
    DATA,
    INTENTS,
    MODEL,
    data_fingerprint,
    read_examples,
)
from deskhand.agent.understand.lexical import LexicalVectors, lexical_terms
from deskhand.nlp.embeddings import embed_queries

# The grid is small on purpose: the corpus is a few thousand lines and the curve is flat.
C_GRID = (4.0, 16.0, 64.0, 256.0)
EMBEDDING_SCALE_GRID = (1.5, 2.5)
FOLDS = 5
# Costs that place the unsure band: acting on a wrong intent is worse than one extra
# question, so ask when that is cheaper on the training folds.
WRONG_ACTION_COST = 3.0
QUESTION_COST = 1.0


@dataclass
class Head:
    vocabulary: list[str]
    idf: np.ndarray
    w_lex: np.ndarray  # (vocabulary, intents)
    w_emb: np.ndarray  # (384, intents), already multiplied by the embedding scale
    b: np.ndarray

    def logits(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        lex = LexicalVectors(self.vocabulary, self.idf)
        out: np.ndarray = vectors @ self.w_emb + self.b
        for row, text in enumerate(texts):
            cols, weights = lex.transform(text)
            out[row] += weights @ self.w_lex[cols]
        return out


def fit_head(texts: list[str], vectors: np.ndarray, y: np.ndarray, c: float, scale: float) -> Head:
    """Multinomial logistic regression over [TF-IDF terms, scale * embedding]."""
    # scikit-learn (and scipy, joblib with it) is the optional `bench` extra, needed only to
    # train: imported here so answering shoppers never loads it. It ships no type information
    # (pyproject's mypy section says so).
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=lexical_terms, sublinear_tf=True)
    terms = vectorizer.fit_transform(texts)
    features = sparse.hstack([terms, sparse.csr_matrix(vectors * scale)]).tocsr()
    model = LogisticRegression(C=c, max_iter=5000).fit(features, y)
    n_terms = terms.shape[1]
    vocabulary = [""] * n_terms
    for term, col in vectorizer.vocabulary_.items():
        vocabulary[col] = term
    coef = model.coef_.T.astype(np.float32)
    return Head(
        vocabulary=vocabulary,
        idf=vectorizer.idf_.astype(np.float32),
        w_lex=coef[:n_terms],
        w_emb=coef[n_terms:] * scale,
        b=model.intercept_.astype(np.float32),
    )


def folds_of(y: np.ndarray, langs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified by language and intent, so every fold is a small copy of the corpus."""
    # Optional `bench` extra, untyped: see fit_head.
    from sklearn.model_selection import StratifiedKFold

    strata = np.array([f"{lang}:{label}" for lang, label in zip(langs, y, strict=True)])
    splitter = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    return list(splitter.split(np.zeros(len(y)), strata))


def out_of_fold_logits(
    texts: list[str],
    vectors: np.ndarray,
    y: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    c: float,
    scale: float,
) -> np.ndarray:
    """Every training example scored by a head that never saw it."""
    # Optional `bench` extra (comes with scikit-learn), untyped: see fit_head.
    from joblib import Parallel, delayed

    def one(train_idx: np.ndarray, test_idx: np.ndarray) -> np.ndarray:
        head = fit_head([texts[i] for i in train_idx], vectors[train_idx], y[train_idx], c, scale)
        return head.logits([texts[i] for i in test_idx], vectors[test_idx])

    parts = Parallel(n_jobs=2)(delayed(one)(tr, te) for tr, te in folds)
    out = np.zeros((len(y), len(INTENTS)), dtype=np.float32)
    for (_, te), part in zip(folds, parts, strict=True):
        out[te] = part
    return out


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z)
    probabilities: np.ndarray = p / p.sum(axis=1, keepdims=True)
    return probabilities


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of held-in-fold logits."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 200))
    nll = [-np.log(softmax(logits / t)[np.arange(len(y)), y] + 1e-12).mean() for t in grid]
    return float(grid[int(np.argmin(nll))])


def expected_calibration_error(probs: np.ndarray, y: np.ndarray, bins: int = 15) -> float:
    """Weighted gap between confidence and accuracy over equal-width confidence bins."""
    conf = probs.max(axis=1)
    right = probs.argmax(axis=1) == y
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            ece += inside.mean() * abs(conf[inside].mean() - right[inside].mean())
    return float(ece)


def place_unsure_band(probs: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(confidence floor, top-2 margin) below which the agent asks instead of acting."""
    top = np.sort(probs, axis=1)[:, ::-1]
    right = probs.argmax(axis=1) == y
    best = (np.inf, 0.0, 0.0)
    for floor in np.arange(0.30, 0.91, 0.02):
        for margin in np.arange(0.0, 0.41, 0.05):
            unsure = (top[:, 0] < floor) | (top[:, 0] - top[:, 1] < margin)
            cost = WRONG_ACTION_COST * (~right & ~unsure).sum() + QUESTION_COST * unsure.sum()
            if cost < best[0]:
                best = (cost, float(floor), float(margin))
    return round(best[1], 2), round(best[2], 2)


def language_model(
    texts: list[str], langs: np.ndarray, vocabulary: list[str]
) -> tuple[list[str], np.ndarray]:
    """Per-language log-probabilities of the head's terms (naive Bayes, add-one smoothing).

    Our corpus is the best evidence of how shoppers write in each language; language
    detection asks it when a message is short.
    """
    codes = sorted(set(langs.tolist()))
    index = {term: i for i, term in enumerate(vocabulary)}
    counts = np.ones((len(vocabulary), len(codes)))
    for text, lang in zip(texts, langs, strict=True):
        column = codes.index(str(lang))
        for term in lexical_terms(text):
            row = index.get(term)
            if row is not None:
                counts[row, column] += 1
    return codes, np.log(counts / counts.sum(axis=0))


def train(
    folder: Path = DATA, out: Path = MODEL, log: Callable[[str], object] = print
) -> dict[str, float]:
    """Choose, calibrate and fit the head on every training example; save it beside the code."""
    rows = read_examples(folder)
    texts = [t for _, _, t in rows]
    langs = np.array([lang for lang, _, _ in rows])
    y = np.array([INTENTS.index(i) for _, i, _ in rows])
    log(f"embedding {len(texts)} training examples ...")
    vectors = embed_queries(texts)
    folds = folds_of(y, langs)
    best: tuple[float, float, float, np.ndarray] | None = None
    for c in C_GRID:
        for scale in EMBEDDING_SCALE_GRID:
            logits = out_of_fold_logits(texts, vectors, y, folds, c, scale)
            accuracy = float((logits.argmax(axis=1) == y).mean())
            log(f"  C={c:g} embedding scale={scale:g}: cross-validated accuracy {accuracy:.4f}")
            if best is None or accuracy > best[0]:
                best = (accuracy, c, scale, logits)
    assert best is not None
    cv_accuracy, c, scale, logits = best
    temperature = fit_temperature(logits, y)
    probs = softmax(logits / temperature)
    floor, margin = place_unsure_band(probs, y)
    head = fit_head(texts, vectors, y, c, scale)
    lang_codes, lang_logp = language_model(texts, langs, head.vocabulary)
    ece_before, ece_after = (
        expected_calibration_error(softmax(logits), y),
        expected_calibration_error(probs, y),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        vocabulary=np.array("\n".join(head.vocabulary)),
        idf=head.idf,
        w_lex=head.w_lex.astype(np.float16),
        w_emb=head.w_emb.astype(np.float32),
        b=head.b,
        temperature=np.array(temperature, dtype=np.float32),
        unsure_floor=np.array(floor, dtype=np.float32),
        unsure_margin=np.array(margin, dtype=np.float32),
        lang_codes=np.array(lang_codes),
        lang_logp=lang_logp.astype(np.float16),
        cv_accuracy=np.array(cv_accuracy, dtype=np.float32),
        cv_ece_before=np.array(ece_before, dtype=np.float32),
        cv_ece=np.array(ece_after, dtype=np.float32),
        intents=np.array(INTENTS),
        fingerprint=np.array(data_fingerprint(folder)),
    )
    in_sample = head.logits(texts, vectors).argmax(axis=1)
    return {
        "examples": float(len(rows)),
        "c": c,
        "embedding_scale": scale,
        "cv_accuracy": cv_accuracy,
        "temperature": temperature,
        "cv_ece_before": ece_before,
        "cv_ece": ece_after,
        "unsure_floor": floor,
        "unsure_margin": margin,
        "train_accuracy": float((in_sample == y).mean()),
    }
