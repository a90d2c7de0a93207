"""Server-rendered pages: the demo's start page and the help-centre articles."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy import select

from deskhand.commerce.demo import CUSTOMERS
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.db.session import transaction
from deskhand.knowledge.articles import article_by_slug
from deskhand.serving.deps import AppState, app_state
from deskhand.serving.problems import Problem

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
State = Annotated[AppState, Depends(app_state)]


def markdown_to_html(body: str) -> Markup:
    """Headings and paragraphs of our article Markdown; everything else is escaped text."""
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{html.escape(' '.join(paragraph))}</p>")
            paragraph.clear()

    for line in body.splitlines():
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading:
            flush()
            level = len(heading.group(1)) + 1  # the page title is the only <h1>
            out.append(f"<h{level}>{html.escape(heading.group(2))}</h{level}>")
        elif line.strip():
            paragraph.append(line.strip())
        else:
            flush()
    flush()
    return Markup("\n".join(out))


@router.get("/", response_class=HTMLResponse)
def index(request: Request, state: State) -> HTMLResponse:
    with transaction(state.sessions) as session:
        brand = find_brand(session)
        articles = list(
            session.scalars(
                select(models.Article)
                .where(models.Article.brand_id == (brand.id if brand else 0))
                .order_by(models.Article.id)
            )
        )
    return templates.TemplateResponse(
        request,
        "index.html",
        {
            "brand": brand,
            "articles": articles,
            "demo": state.settings.demo,
            "customers": [c[0] for c in CUSTOMERS.values()],
            "base_url": state.settings.base_url,
        },
    )


@router.get("/help/{slug}", response_class=HTMLResponse)
def help_article(slug: str, request: Request, state: State) -> HTMLResponse:
    with transaction(state.sessions) as session:
        brand_id = state.demo_brand_id(session)
        article = article_by_slug(session, brand_id, slug)
        if article is None:
            raise Problem(404, "Article not found", "No help article has this address.")
        body = re.sub(r"^# .*\n", "", article.body, count=1)
        return templates.TemplateResponse(
            request,
            "article.html",
            {
                "title": article.title,
                "body": markdown_to_html(body),
                "updated": article.updated_at.date().isoformat(),
                "lang": article.language,
            },
        )
