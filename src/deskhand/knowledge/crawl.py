"""Import a help centre from its URL: the sitemap's pages, or the links under one prefix.

robots.txt is read first and obeyed, its Crawl-delay (or Request-rate) included, up to
`MAX_CRAWL_DELAY` seconds between requests; at most `max_pages` pages and `MAX_TOTAL_BYTES` are
fetched. Each page becomes one article whose source and citation URL is the page's
address, all with the start URL as their origin (so `kb remove <start URL>` removes the
whole import). A page that fails is skipped and reported; a start URL that cannot be
reached fails the import before anything is changed. Re-crawling updates changed pages
in place and removes pages the site no longer lists.

Where the pages go is a `PageSink`: `crawl_site` writes them into the caller's session (the
command line's one transaction); a background task passes a sink that writes each page in
its own short transaction, so no transaction is held across a network fetch, and a
`progress` callback that hears of every page (`CrawlProgress`).
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.knowledge.fetch import (
    MAX_CRAWL_DELAY,
    USER_AGENT,
    Clock,
    Fetched,
    Fetcher,
    FetchError,
)
from deskhand.knowledge.ingest import IngestResult, after_change, remove_found, store_document
from deskhand.knowledge.parsers import (
    IngestError,
    ParsedDocument,
    html_to_markdown,
    links_of,
    parse_document,
)

MAX_PAGES = 50
MAX_TOTAL_BYTES = 50 * 1024 * 1024
MAX_SITEMAPS = 10
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.IGNORECASE)
_SKIP_EXTENSIONS = re.compile(
    r"\.(?:png|jpe?g|gif|svg|webp|ico|css|js|json|zip|gz|mp4|mp3|woff2?|ttf|xml)$", re.I
)


@dataclass
class CrawlReport:
    start_url: str
    pages: list[IngestResult] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, why)
    removed: list[str] = field(default_factory=list)
    truncated: bool = False  # more pages were found than the limit allows
    delay: float = 0.0  # seconds waited between requests, as robots.txt asks


@dataclass
class CrawlProgress:
    """How far a crawl is: pages read (imported or skipped) of those found so far."""

    done: int = 0
    found: int = 0
    current: str = ""  # the page being read now ("" between pages and at the end)
    errors: list[str] = field(default_factory=list)  # "url: why", the latest few


class PageSink(Protocol):
    """Where a crawl's pages are written."""

    def store(self, doc: ParsedDocument, url: str, start_url: str) -> IngestResult: ...

    def finish(self, start_url: str, seen: set[str], kept: set[str] | None) -> list[str]:
        """After the last page: remove the import's articles not in `seen` or `kept`
        (`kept` None: the crawl stopped early, remove nothing); the removed titles."""
        ...


@dataclass
class SessionSink:
    """Every page into one session (the caller's transaction)."""

    session: Session
    brand: models.Brand
    now: datetime
    language: str | None = None

    def store(self, doc: ParsedDocument, url: str, start_url: str) -> IngestResult:
        return store_document(
            self.session,
            self.brand,
            doc,
            source=url,
            origin=start_url,
            url=url,
            language=self.language,
            now=self.now,
            check=False,
        )

    def finish(self, start_url: str, seen: set[str], kept: set[str] | None) -> list[str]:
        return finish_import(self.session, self.brand, start_url, seen, kept, self.now)


def finish_import(
    session: Session,
    brand: models.Brand,
    start_url: str,
    seen: set[str],
    kept: set[str] | None,
    now: datetime,
) -> list[str]:
    """Remove the pages the site no longer lists (unless `kept` is None), then re-check."""
    removed: list[str] = []
    if kept is not None:
        gone = [
            a
            for a in session.scalars(
                select(models.Article).where(
                    models.Article.brand_id == brand.id, models.Article.origin == start_url
                )
            )
            if a.source not in seen and a.source not in kept
        ]
        removed = remove_found(session, brand, gone, now=now, check=False)
    after_change(session, brand, now)
    return removed


MAX_ERRORS_SHOWN = 5


def _prefix_of(url: str) -> str:
    """Everything up to the last '/': the folder a crawl stays in."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _robots(fetcher: Fetcher, url: str) -> RobotFileParser:
    robots = RobotFileParser()
    try:
        got = fetcher.get(f"{_origin_of(url)}/robots.txt")
    except FetchError:
        got = None
    if got is not None and got.status in (401, 403):
        robots.parse(["User-agent: *", "Disallow: /"])  # refused robots.txt: stay out
    elif got is not None and got.ok:
        robots.parse(got.text().splitlines())
    else:
        robots.parse([])  # no robots.txt: everything allowed
    return robots


def crawl_delay(robots: RobotFileParser) -> float:
    """The pause robots.txt asks for between requests (Crawl-delay, else Request-rate)."""
    delay = robots.crawl_delay(USER_AGENT)
    if delay:
        return float(delay)
    rate = robots.request_rate(USER_AGENT)
    if rate and rate.requests > 0:
        return rate.seconds / rate.requests
    return 0.0


def _sitemap_urls(fetcher: Fetcher, sitemaps: list[str]) -> list[str]:
    """Page URLs from sitemaps (and sitemap indexes), in order, without repeats."""
    pages: dict[str, None] = {}
    queue, seen = deque(sitemaps), set[str]()
    while queue and len(seen) < MAX_SITEMAPS:
        sitemap = queue.popleft()
        if sitemap in seen:
            continue
        seen.add(sitemap)
        try:
            got = fetcher.get(sitemap)
        except FetchError:
            continue
        if not got.ok:
            continue
        body = got.text()
        # Regex rather than an XML parser: no entity expansion, nothing to exploit.
        locs = [html.unescape(loc) for loc in _LOC.findall(body)]
        if "<sitemapindex" in body.lower():
            queue.extend(locs)
        else:
            pages.update(dict.fromkeys(locs))
    return list(pages)


def _document_of(page: Fetched) -> ParsedDocument | None:
    if page.content_type in ("text/html", "application/xhtml+xml", ""):
        title, lang, markdown = html_to_markdown(page.text())
        name = urlsplit(page.url).path.rsplit("/", 1)[-1] or "index"
        return ParsedDocument(title or name, markdown, "html", language=lang)
    if page.content_type in ("text/plain", "text/markdown", "application/pdf"):
        return parse_document(urlsplit(page.url).path.rsplit("/", 1)[-1] or "page", page.body)
    return None


def crawl_site(
    session: Session,
    brand: models.Brand,
    start_url: str,
    *,
    now: datetime,
    allow_private: bool = False,
    max_pages: int = MAX_PAGES,
    language: str | None = None,
    clock: Clock | None = None,
) -> CrawlReport:
    """Import the pages of a help centre into `session`; raise IngestError if nothing could
    be imported. `clock` is where the fetcher waits between requests (the real one unless a
    test passes its own)."""
    return crawl_into(
        SessionSink(session, brand, now, language),
        start_url,
        allow_private=allow_private,
        max_pages=max_pages,
        clock=clock,
    )


def crawl_into(
    sink: PageSink,
    start_url: str,
    *,
    allow_private: bool = False,
    max_pages: int = MAX_PAGES,
    clock: Clock | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
) -> CrawlReport:
    """Crawl the help centre at `start_url`, each page into `sink`; `progress` hears before
    and after every page."""
    start_url = urldefrag(start_url.strip())[0]
    report = CrawlReport(start_url)
    state = CrawlProgress()

    def tell(current: str = "") -> None:
        if progress is not None:
            state.done, state.current = len(report.pages) + len(report.skipped), current
            state.errors = [f"{u}: {why}" for u, why in report.skipped[-MAX_ERRORS_SHOWN:]]
            progress(state)

    sitemap_mode = start_url.lower().endswith(".xml")
    prefix = _origin_of(start_url) + "/" if sitemap_mode else _prefix_of(start_url)
    seen_sources: set[str] = set()
    with Fetcher(allow_private=allow_private, clock=clock) as fetcher:
        robots = _robots(fetcher, start_url)
        fetcher.delay = crawl_delay(robots)
        report.delay = min(fetcher.delay, MAX_CRAWL_DELAY)

        def allowed(url: str) -> bool:
            return robots.can_fetch(USER_AGENT, url)

        if sitemap_mode:
            candidates = _sitemap_urls(fetcher, [start_url])
            if not candidates:
                raise FetchError(f"{start_url}: the sitemap could not be read or lists no pages")
        else:
            if not allowed(start_url):
                raise FetchError(f"{start_url}: the site's robots.txt does not allow importing it")
            first = fetcher.get(start_url)  # unreachable: FetchError, nothing changed
            if not first.ok:
                raise FetchError(f"{start_url}: the server answered {first.status}")
            listed = robots.site_maps() or [f"{_origin_of(start_url)}/sitemap.xml"]
            candidates = [start_url, *_sitemap_urls(fetcher, listed)]
        queue = deque(dict.fromkeys(u for u in candidates if u.startswith(prefix)))
        queued = set(queue)
        follow_links = not sitemap_mode
        while queue:
            state.found = min(len(queued), max_pages)
            url = queue.popleft()
            if len(report.pages) + len(report.skipped) >= max_pages:
                report.truncated = True
                break
            if fetcher.bytes_read > MAX_TOTAL_BYTES:
                report.truncated = True
                break
            if not allowed(url):
                report.skipped.append((url, "disallowed by robots.txt"))
                continue
            tell(url)
            try:
                page = first if not sitemap_mode and url == start_url else fetcher.get(url)
                if not page.ok:
                    report.skipped.append((url, f"HTTP {page.status}"))
                    continue
                if follow_links and page.content_type in ("text/html", ""):
                    for href in links_of(page.text()):
                        link = urldefrag(urljoin(page.url, href))[0]
                        if (
                            link.startswith(prefix)
                            and link not in queued
                            and not _SKIP_EXTENSIONS.search(urlsplit(link).path)
                        ):
                            queued.add(link)
                            queue.append(link)
                doc = _document_of(page)
                if doc is None:
                    report.skipped.append((url, f"not a page ({page.content_type})"))
                    continue
                result = sink.store(doc, url, start_url)
                seen_sources.add(url)
                report.pages.append(result)
            except IngestError as exc:
                report.skipped.append((url, str(exc)))
            finally:
                state.found = min(len(queued), max_pages)
                tell()
    if not report.pages:
        reasons = "; ".join(f"{u}: {why}" for u, why in report.skipped[:3]) or "no pages found"
        raise IngestError(f"{start_url}: no page could be imported ({reasons})")
    # Only a page the site no longer lists, or answers 404/410 for, is removed.
    kept = (
        None
        if report.truncated
        else {u for u, why in report.skipped if why not in ("HTTP 404", "HTTP 410")}
    )
    report.removed = sink.finish(start_url, seen_sources, kept)
    return report
