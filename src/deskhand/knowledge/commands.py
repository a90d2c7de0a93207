"""What `deskhand kb add | list | remove | search | check` do; the CLI only prints the lines."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from deskhand.config import Settings
from deskhand.db import migrate, models
from deskhand.db.brands import find_brand
from deskhand.db.session import make_engine, make_sessionmaker, transaction
from deskhand.knowledge.consistency import Finding, check_consistency, findings_for
from deskhand.knowledge.crawl import crawl_site
from deskhand.knowledge.ingest import ingest_file, list_articles, remove_articles
from deskhand.knowledge.parsers import IngestError
from deskhand.knowledge.retrieval import ANSWER_THRESHOLD, OWN_LANGUAGE_LIFT, search
from deskhand.nlp.language import detect_language

Lines = list[str]


def _brand(session: Session, slug: str | None) -> models.Brand | None:
    return find_brand(session, slug)


def _summary(findings: list[Finding]) -> str:
    counts = {
        k: sum(1 for f in findings if f.kind == k) for k in ("contradiction", "missing_topic")
    }
    if not any(counts.values()):
        return "consistency check: the articles agree with the policy rules"
    return (
        f"consistency check: {counts['contradiction']} contradiction(s), "
        f"{counts['missing_topic']} missing topic(s) - see `deskhand kb check`"
    )


def _add(
    session: Session, brand: models.Brand, args: argparse.Namespace, settings: Settings
) -> Lines:
    now = datetime.now(UTC)
    target: str = args.target
    if target.startswith(("http://", "https://")):
        report = crawl_site(
            session,
            brand,
            target,
            now=now,
            allow_private=settings.allow_private_urls,
            max_pages=args.max_pages,
            language=args.language,
        )
        lines = [f"{r.status:9} {r.title}  ({r.chunks} chunks)  {r.source}" for r in report.pages]
        lines += [f"skipped   {url}: {why}" for url, why in report.skipped]
        lines += [f"removed   {title}" for title in report.removed]
        if report.truncated:
            lines.append(f"stopped at the limit of {args.max_pages} pages")
        if report.delay:
            lines.append(
                f"waited {report.delay:g} s between requests, as the site's robots.txt asks"
            )
    else:
        r = ingest_file(
            session,
            brand,
            Path(target),
            title=args.title,
            language=args.language,
            now=now,
            translation_of=getattr(args, "translation_of", None),
        )
        lines = [f"{r.status:9} {r.title}  ({r.chunks} chunks, {r.language})  id {r.article_id}"]
    return [*lines, _summary(findings_for(session, brand.id))]


def _list(session: Session, brand: models.Brand) -> Lines:
    rows = list_articles(session, brand.id)
    if not rows:
        return ["the knowledge base is empty"]
    return [
        f"{a.id:>4}  {a.language}  {a.format:8}  {a.chunks:>3} chunks  "
        f"{a.updated_at:%Y-%m-%d %H:%M}  {a.title}  [{a.source}]"
        for a in rows
    ]


def _search(session: Session, brand: models.Brand, args: argparse.Namespace) -> Lines:
    lang = args.language or detect_language(
        args.question, tuple(brand.languages), brand.default_language
    )
    result = search(session, brand.id, args.question, language=lang, k=args.k)
    if not result.hits:
        return ["the knowledge base is empty"]
    lines = [
        f"{h.score:.3f}  {h.article.title} > {h.heading or '(intro)'}  {h.url}\n"
        f"       {' '.join(h.text.split())[:160]}"
        for h in result.hits
    ]
    verdict = (
        "confident: the agent answers from the first passage"
        if result.confident
        else "not an answer: the agent says it couldn't find that and offers a human"
    )
    line = ANSWER_THRESHOLD + (OWN_LANGUAGE_LIFT if result.own_language else 0.0)
    unknown = f"; words the help centre never uses: {', '.join(result.unknown)}"
    return [
        *lines,
        f"question language {lang}; threshold {line:.3f}"
        + (unknown if result.unknown else "")
        + f"; {verdict}",
    ]


def _check(session: Session, brand: models.Brand) -> tuple[int, Lines]:
    findings = check_consistency(session, brand, datetime.now(UTC))
    if not findings:
        return 0, ["no findings: the articles agree with the policy rules and cover every topic"]
    lines = []
    for f in findings:
        lines.append(f"{f.kind:14} {f.facet:20} {f.message}")
        if f.excerpt:
            lines.append(f"{'':35}> {f.excerpt}")
    contradictions = any(f.kind == "contradiction" for f in findings)
    return (1 if contradictions else 0), lines


def run_kb(settings: Settings, args: argparse.Namespace) -> tuple[int, Lines]:
    """Run one `kb` subcommand; (exit code, lines to print)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url())
    try:
        migrate.upgrade(engine)
        with transaction(make_sessionmaker(engine)) as session:
            brand = _brand(session, args.brand)
            if brand is None:
                return 2, [
                    "no such brand in this database (run `deskhand demo` once, or pass --brand)"
                ]
            command = args.kb_command
            if command == "add":
                return 0, _add(session, brand, args, settings)
            if command == "list":
                return 0, _list(session, brand)
            if command == "remove":
                removed = remove_articles(session, brand, args.ref, now=datetime.now(UTC))
                if not removed:
                    return 1, [
                        f"no article matches {args.ref!r} (an id, slug, file, URL or source)"
                    ]
                return 0, [
                    *(f"removed   {t}" for t in removed),
                    _summary(findings_for(session, brand.id)),
                ]
            if command == "search":
                return 0, _search(session, brand, args)
            return _check(session, brand)
    except IngestError as exc:
        return 1, [f"error: {exc}", "nothing was changed"]
    finally:
        engine.dispose()


def add_kb_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `kb` command and its subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="where the SQLite database lives")
    common.add_argument("--brand", help="brand slug (default: the first brand)")
    kb = sub.add_parser("kb", help="manage the knowledge base: add, list, remove, search, check")
    kbs = kb.add_subparsers(dest="kb_command", required=True)
    add = kbs.add_parser(
        "add", parents=[common], help="add or update a file (md, html, txt, pdf, docx) or a URL"
    )
    add.add_argument("target", help="a file path, or a help-centre URL or sitemap.xml to crawl")
    add.add_argument("--title", help="the article title (default: from the document)")
    add.add_argument("--language", help="en, de, nl, sv, fr or es (default: detected)")
    add.add_argument("--max-pages", type=int, default=50, help="crawl at most this many pages")
    add.add_argument(
        "--translation-of",
        metavar="SLUG",
        help="link the file as a translation of the article with this slug (or its group)",
    )
    kbs.add_parser("list", parents=[common], help="list the articles")
    remove = kbs.add_parser("remove", parents=[common], help="remove articles and their chunks")
    remove.add_argument(
        "ref", help="an article id or slug, a file path, a URL or a crawl's start URL"
    )
    search = kbs.add_parser("search", parents=[common], help="show what retrieval finds")
    search.add_argument("question")
    search.add_argument("--k", type=int, default=5)
    search.add_argument("--language", help="the question's language (default: detected)")
    kbs.add_parser("check", parents=[common], help="compare the articles with the policy rules")
