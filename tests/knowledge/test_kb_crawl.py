"""Importing a help centre from a local server: sitemap, links, robots.txt, limits, failures."""

from __future__ import annotations

import socket
from datetime import datetime
from urllib.robotparser import RobotFileParser

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.knowledge.conftest import FakeClock, Site

from deskhand.db import models
from deskhand.knowledge.crawl import crawl_delay, crawl_site
from deskhand.knowledge.fetch import Fetcher, FetchError
from deskhand.knowledge.parsers import IngestError


def page(title: str, heading: str, text: str, links: str = "") -> str:
    return (
        f"<html lang='en'><head><title>{title} | Help</title><script>track()</script></head>"
        f"<body><nav>Menu</nav><main><h1>{title}</h1><h2>{heading}</h2><p>{text}</p>{links}"
        "</main></body></html>"
    )


def build(site: Site) -> None:
    site.page("/robots.txt", "User-agent: *\nDisallow: /help/internal\n", kind="text/plain")
    site.page(
        "/sitemap.xml",
        "<?xml version='1.0'?><urlset>"
        f"<url><loc>{site.base}/help/gift-wrap</loc></url>"
        f"<url><loc>{site.base}/help/internal</loc></url>"
        f"<url><loc>{site.base}/blog/news</loc></url>"
        "</urlset>",
        kind="application/xml",
    )
    site.page(
        "/help/",
        page(
            "Help centre",
            "Welcome",
            "Find answers about gift wrapping and store pickup here.",
            "<a href='/help/pickup'>Pickup</a> <a href='/shop/cart'>Cart</a>",
        ),
    )
    site.page(
        "/help/gift-wrap",
        page("Gift wrapping", "Can you wrap my order?", "Yes, gift wrap costs EUR 3.50 per order."),
    )
    site.page(
        "/help/pickup",
        page("Store pickup", "Can I collect my order?", "Collect orders at our Utrecht studio."),
    )
    site.page("/help/internal", page("Internal", "Secret", "Staff discount codes live here."))
    site.page("/blog/news", page("News", "New season", "Our autumn collection is here."))


def test_crawl_imports_sitemap_and_linked_pages_under_the_prefix_and_obeys_robots(
    session: Session, brand: models.Brand, now: datetime, help_site: Site
) -> None:
    build(help_site)
    start = f"{help_site.base}/help/"
    report = crawl_site(session, brand, start, now=now, allow_private=True)
    assert {r.title for r in report.pages} == {"Help centre", "Gift wrapping", "Store pickup"}
    assert (f"{help_site.base}/help/internal", "disallowed by robots.txt") in report.skipped
    assert "/help/internal" not in help_site.hits  # robots.txt was obeyed: never fetched
    assert "/blog/news" not in help_site.hits
    assert "/shop/cart" not in help_site.hits
    wrap = session.scalar(select(models.Article).where(models.Article.title == "Gift wrapping"))
    assert wrap is not None
    assert (wrap.url, wrap.source, wrap.origin, wrap.format) == (
        f"{help_site.base}/help/gift-wrap",
        f"{help_site.base}/help/gift-wrap",
        start,
        "html",
    )
    assert "track()" not in wrap.body


def test_recrawl_updates_changed_pages_in_place_and_removes_vanished_ones(
    session: Session, brand: models.Brand, now: datetime, help_site: Site
) -> None:
    build(help_site)
    start = f"{help_site.base}/help/"
    crawl_site(session, brand, start, now=now, allow_private=True)
    wrap_id = session.scalar(
        select(models.Article.id).where(models.Article.title == "Gift wrapping")
    )
    help_site.page(
        "/help/gift-wrap",
        page("Gift wrapping", "Can you wrap my order?", "Yes, gift wrap costs EUR 4.00 per order."),
    )
    help_site.pages.pop("/help/pickup")
    help_site.page("/help/", page("Help centre", "Welcome", "Answers about gift wrapping."))
    report = crawl_site(session, brand, start, now=now, allow_private=True)
    statuses = {r.title: r.status for r in report.pages}
    assert statuses["Gift wrapping"] == "updated"
    assert report.removed == ["Store pickup"]
    wrap = session.get_one(models.Article, wrap_id)
    assert "EUR 4.00" in wrap.body
    assert (
        session.scalar(select(models.Article).where(models.Article.title == "Store pickup")) is None
    )


def test_page_limit_bounds_the_crawl(
    session: Session, brand: models.Brand, now: datetime, help_site: Site
) -> None:
    build(help_site)
    report = crawl_site(
        session, brand, f"{help_site.base}/help/", now=now, allow_private=True, max_pages=2
    )
    assert report.truncated
    assert len(report.pages) + len(report.skipped) == 2


def test_crawl_waits_between_requests_as_robots_txt_asks(
    session: Session, brand: models.Brand, now: datetime, help_site: Site
) -> None:
    build(help_site)
    help_site.page(
        "/robots.txt",
        "User-agent: *\nCrawl-delay: 1\nDisallow: /help/internal\n",
        kind="text/plain",
    )
    clock = FakeClock()  # the crawl's waits are asked for and counted, not waited
    help_site.clock = clock.monotonic  # each request is stamped with the crawl's time
    report = crawl_site(
        session, brand, f"{help_site.base}/help/", now=now, allow_private=True, clock=clock
    )
    assert report.delay == 1.0
    assert len(report.pages) == 3
    gaps = [b - a for a, b in zip(help_site.times, help_site.times[1:], strict=False)]
    assert len(gaps) >= 4  # robots.txt, the start page, the sitemap, two more pages
    assert min(gaps) >= 0.95
    assert len(clock.sleeps) == len(gaps)  # the crawl asked to wait before every request
    assert min(clock.sleeps) >= 0.95


@pytest.mark.parametrize(
    ("rules", "delay"),
    [
        ("User-agent: *\nCrawl-delay: 3\n", 3.0),
        ("User-agent: *\nRequest-rate: 1/5\n", 5.0),
        ("User-agent: DeskhandBot\nCrawl-delay: 2\n\nUser-agent: *\nCrawl-delay: 9\n", 2.0),
        ("User-agent: *\nDisallow: /private\n", 0.0),
    ],
)
def test_crawl_delay_is_read_from_robots_txt(rules: str, delay: float) -> None:
    robots = RobotFileParser()
    robots.parse(rules.splitlines())
    assert crawl_delay(robots) == delay


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_url_fails_clearly_and_changes_nothing(
    session: Session, brand: models.Brand, now: datetime
) -> None:
    before = session.scalar(select(func.count(models.Article.id)))
    with pytest.raises(IngestError, match="could not reach the server"):
        crawl_site(
            session, brand, f"http://127.0.0.1:{free_port()}/help/", now=now, allow_private=True
        )
    session.rollback()
    assert session.scalar(select(func.count(models.Article.id))) == before


def test_private_and_loopback_addresses_are_refused_unless_allowed(
    session: Session, brand: models.Brand, now: datetime, help_site: Site
) -> None:
    build(help_site)
    for url in (f"{help_site.base}/help/", "http://localhost/help", "http://10.0.0.1/x"):
        with pytest.raises(FetchError, match="private or local address"):
            crawl_site(session, brand, url, now=now)
    assert help_site.hits == []
    with pytest.raises(FetchError, match="only http"):
        crawl_site(session, brand, "file:///etc/passwd", now=now)


def test_pages_over_the_byte_limit_are_refused(help_site: Site) -> None:
    help_site.page("/big", "<p>" + "x" * 5000 + "</p>")
    with (
        Fetcher(allow_private=True, max_bytes=1000) as fetcher,
        pytest.raises(FetchError, match="larger than"),
    ):
        fetcher.get(f"{help_site.base}/big")


def test_sitemap_url_imports_only_the_listed_pages(
    session: Session, brand: models.Brand, now: datetime, help_site: Site
) -> None:
    build(help_site)
    report = crawl_site(
        session, brand, f"{help_site.base}/sitemap.xml", now=now, allow_private=True
    )
    assert {r.title for r in report.pages} == {"Gift wrapping", "News"}
    assert "/help/pickup" not in help_site.hits
