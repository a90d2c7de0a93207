"""Server-rendered pages: the demo's start page and the help-centre articles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import select

from deskhand.commerce.demo import CUSTOMERS
from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.knowledge.articles import article_by_slug
from deskhand.serving.deps import AppState, CurrentBrand, OptionalBrand, app_state
from deskhand.serving.problems import Problem

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
State = Annotated[AppState, Depends(app_state)]
# CommonMark with raw HTML off: an article's text is shown, never run as markup.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})
_HEADINGS = ("heading_open", "heading_close")


def markdown_to_html(body: str) -> Markup:
    """An article's Markdown as HTML; headings one level down (the title is the only <h1>)."""
    tokens = _MARKDOWN.parse(body)
    for token in tokens:
        if token.type in _HEADINGS:
            token.tag = f"h{min(int(token.tag[1:]) + 1, 6)}"
    return Markup(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))


@router.get("/", response_class=HTMLResponse)
def index(request: Request, state: State, brand: OptionalBrand) -> HTMLResponse:
    with transaction(state.sessions) as session:
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
def help_article(slug: str, request: Request, state: State, brand: CurrentBrand) -> HTMLResponse:
    with transaction(state.sessions) as session:
        article = article_by_slug(session, brand.id, slug)
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
