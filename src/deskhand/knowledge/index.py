"""The per-brand in-memory search index: BM25 over stemmed words and the e5 embeddings.

Built from the stored chunks on first use (no embedding is computed here) and rebuilt
when the brand's knowledge-base version token changes, which every ingestion, edit and
removal does. Each chunk is stemmed with the stemmer of its own language; a question is
stemmed with its language's stemmer and with English's, since brands often write in
English for shoppers who ask in their own language.
"""

from __future__ import annotations

import bisect
import logging
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime

import bm25s
import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.models import KnowledgeChunk, KnowledgeVersion
from deskhand.knowledge.analysis import WORD, analyse, stem_words
from deskhand.knowledge.embedding import DIM, from_bytes
from deskhand.knowledge.lexicon import translations
from deskhand.knowledge.translations import memberships

# Letters a compound may put between its parts ("-ungs-", "-nings-", "-s-", "-en-").
LINK = 6


def question_terms(
    text: str, lang: str, written_in: frozenset[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """(the question's own terms, its glossary terms in the KB's other languages).

    Own terms are stemmed in the question's language and in English (brands often write
    in English, and shoppers mix it in); glossary terms come from `lexicon.py` for each
    language the knowledge base is written in (`written_in`) other than the question's.
    """
    own = dict.fromkeys(analyse(text, lang))
    if lang != "en":
        own.update(dict.fromkeys(analyse(text, "en")))
    stems = stem_words(WORD.findall(text.lower()), lang)
    expanded: dict[str, None] = {}
    for other in sorted(written_in | {"en"}):
        if other != lang:
            expanded.update(dict.fromkeys(analyse(translations(stems, lang, other), other)))
    return list(own), [t for t in expanded if t not in own]


@dataclass(frozen=True)
class ArticleRef:
    id: int
    slug: str
    title: str
    url: str
    language: str
    group: str = ""  # the translations group it belongs to ("" when none)
    outdated: bool = False  # a translation behind the group's newest change


@dataclass
class KnowledgeIndex:
    """Everything a search needs, in arrays aligned by row."""

    token: str
    chunk_ids: list[int]
    article_of: list[int]  # row -> article id
    articles: dict[int, ArticleRef]
    headings: list[str]
    anchors: list[str]
    texts: list[str]
    languages: list[str]
    vectors: np.ndarray  # (rows, DIM) float32, L2-normalised
    bm25: bm25s.BM25 | None
    vocab: dict[str, int]
    _language_masks: dict[str, np.ndarray] = field(default_factory=dict)
    _written_in: frozenset[str] | None = None
    _rows_of: dict[int, list[int]] | None = None  # article id -> its rows, in order
    _sorted_vocab: list[str] | None = None

    def knows_compound(self, stem: str) -> bool:
        """Whether `stem` is a compound the knowledge base writes with a linking part the
        shopper left out: "betalsätt" for "betalningssätt", "Zahlart" for "Zahlungsart".

        Some word must begin as the stem begins (4+ letters), end as it ends (3+ letters)
        and put at most `LINK` letters between the two.
        """
        if self._sorted_vocab is None:
            self._sorted_vocab = sorted(self.vocab)
        words = self._sorted_vocab
        for cut in range(4, len(stem) - 2):
            head, tail = stem[:cut], stem[cut:]
            i = bisect.bisect_left(words, head)
            while i < len(words) and words[i].startswith(head):
                word = words[i]
                if len(stem) < len(word) <= len(stem) + LINK and word.endswith(tail):
                    return True
                i += 1
        return False

    def __len__(self) -> int:
        return len(self.chunk_ids)

    @property
    def written_in(self) -> frozenset[str]:
        """The languages the knowledge base is written in."""
        if self._written_in is None:
            self._written_in = frozenset(self.languages)
        return self._written_in

    def language_is(self, lang: str) -> np.ndarray:
        """1.0 for rows written in `lang`, else 0.0 (cached per language)."""
        found = self._language_masks.get(lang)
        if found is None:
            found = np.array([lg == lang for lg in self.languages], dtype=np.float32)
            self._language_masks[lang] = found
        return found

    def translated_row(self, row: int, language: str) -> int | None:
        """The same passage (by its place in the article) in the up-to-date translation of
        row's article into `language` ("*": any up-to-date one), if there is one."""
        group = self.articles[self.article_of[row]].group
        if not group:
            return None
        if self._rows_of is None:
            self._rows_of = {}
            for i, article_id in enumerate(self.article_of):
                self._rows_of.setdefault(article_id, []).append(i)
        own_id = self.article_of[row]
        place = self._rows_of[own_id].index(row)
        for article_id, rows in self._rows_of.items():
            ref = self.articles[article_id]
            if ref.group != group or ref.outdated:
                continue
            if ref.language == language or (language == "*" and article_id != own_id):
                return rows[place] if place < len(rows) else None
        return None

    def lexical_scores(self, terms: list[str]) -> np.ndarray:
        ids = [self.vocab[t] for t in terms if t in self.vocab]
        if self.bm25 is None or not ids:
            return np.zeros(len(self), dtype=np.float32)
        return np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32)


def build_index(
    token: str,
    rows: list[tuple[int, int, str, str, str, str, bytes]],
    articles: dict[int, ArticleRef],
) -> KnowledgeIndex:
    """An index over (chunk id, article id, heading, anchor, text, language, embedding) rows."""
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG
    vocab: dict[str, int] = {}
    corpus_ids: list[list[int]] = []
    for _, article_id, heading, _, text, lang, _ in rows:
        title = articles[article_id].title
        terms = analyse(f"{title} {heading} {text}", lang)
        corpus_ids.append([vocab.setdefault(t, len(vocab)) for t in terms])
    bm25 = None
    if rows:
        bm25 = bm25s.BM25()
        bm25.index(
            bm25s.tokenization.Tokenized(ids=corpus_ids, vocab=vocab),
            create_empty_token=False,
            show_progress=False,
        )
    vectors = (
        np.vstack([from_bytes(r[6]) for r in rows]).astype(np.float32)
        if rows
        else np.zeros((0, DIM), dtype=np.float32)
    )
    return KnowledgeIndex(
        token=token,
        chunk_ids=[r[0] for r in rows],
        article_of=[r[1] for r in rows],
        articles=articles,
        headings=[r[2] for r in rows],
        anchors=[r[3] for r in rows],
        texts=[r[4] for r in rows],
        languages=[r[5] for r in rows],
        vectors=vectors,
        bm25=bm25,
        vocab=vocab,
    )


_indexes: dict[tuple[str, int], KnowledgeIndex] = {}
_build_lock = threading.Lock()


def version_token(session: Session, brand_id: int) -> str:
    return (
        session.scalar(select(KnowledgeVersion.token).where(KnowledgeVersion.brand_id == brand_id))
        or ""
    )


def mark_changed(session: Session, brand_id: int, now: datetime) -> None:
    """Give the brand's knowledge base a new version token: every process rebuilds its index.

    A random token (not a counter) so that a change rolled back can never be confused
    with a later one that reaches the same number.
    """
    row = session.get(KnowledgeVersion, brand_id)
    token = str(uuid.uuid4())
    if row is None:
        session.add(KnowledgeVersion(brand_id=brand_id, token=token, changed_at=now))
    else:
        row.token, row.changed_at = token, now
    session.flush()


def load_index(session: Session, brand_id: int) -> KnowledgeIndex:
    """Build a brand's index from its stored chunks (no model call)."""
    token = version_token(session, brand_id)
    linked = memberships(session, brand_id)
    articles = {}
    for a in session.scalars(select(models.Article).where(models.Article.brand_id == brand_id)):
        member = linked.get(a.id)
        group, outdated = (member.group, member.outdated) if member else ("", False)
        articles[a.id] = ArticleRef(a.id, a.slug, a.title, a.url, a.language, group, outdated)
    rows = [
        (r[0], r[1], r[2], r[3], r[4], r[5], r[6])
        for r in session.execute(
            select(
                KnowledgeChunk.id,
                KnowledgeChunk.article_id,
                KnowledgeChunk.heading,
                KnowledgeChunk.anchor,
                KnowledgeChunk.text,
                KnowledgeChunk.language,
                KnowledgeChunk.embedding,
            )
            .where(KnowledgeChunk.brand_id == brand_id)
            .order_by(KnowledgeChunk.article_id, KnowledgeChunk.position)
        )
    ]
    return build_index(token, rows, articles)


def index_for(session: Session, brand_id: int) -> KnowledgeIndex:
    """The brand's current index: cached in the process, rebuilt when its token changed."""
    key = (session.get_bind().engine.url.render_as_string(hide_password=True), brand_id)
    token = version_token(session, brand_id)
    found = _indexes.get(key)
    if found is not None and found.token == token:
        return found
    with _build_lock:
        found = _indexes.get(key)
        if found is not None and found.token == token:
            return found
        fresh = load_index(session, brand_id)
        if fresh.token == token:
            _indexes[key] = fresh
        return fresh
