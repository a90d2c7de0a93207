"""The Content page: the articles, writing and editing one (Markdown, with a preview and the
agent tests it would break), uploading a file, how an article was chunked, the contradictions
with the rules, the articles used most and the questions that found no answer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import Response
from markdown_it import MarkdownIt
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from deskhand.console.breakage import would_break
from deskhand.console.content_views import content_gaps, most_used_articles
from deskhand.console.deps import Editor, EditorForm, Member, SignedInMember, console_router
from deskhand.console.forms import PostedForm
from deskhand.console.routes.crawl import crawl_view
from deskhand.db import models
from deskhand.knowledge.consistency import findings_for
from deskhand.knowledge.ingest import ingest_upload, list_articles, remove_found, write_article
from deskhand.knowledge.parsers import MAX_FILE_BYTES, IngestError
from deskhand.suites.runner import CaseResult
from deskhand.tasks.queue import TaskKind
from deskhand.tasks.table import recent_tasks
from deskhand.team.audit import record_change

router = console_router()
MARKDOWN = MarkdownIt("commonmark", {"html": False})
WRITTEN = "written:"
MAX_BODY = 200_000


def _article(me: SignedInMember, article_id: int) -> models.Article | None:
    row = me.console.db.get(models.Article, article_id)
    return row if row is not None and row.brand_id == me.console.brand.id else None


@router.get("/content")
def content_page(me: Member) -> Response:
    console = me.console
    return console.render(
        "content.html",
        articles=list_articles(console.db, console.brand.id),
        findings=findings_for(console.db, console.brand.id),
        used=most_used_articles(console.db, console.brand.id, console.now),
        gaps=content_gaps(console.db, console.brand.id, console.now),
        crawls=[
            crawl_view(t)
            for t in recent_tasks(console.db, console.brand.id, TaskKind.CRAWL_HELP_CENTRE)
        ],
        error="",
    )


def _editor(
    me: SignedInMember,
    *,
    article: models.Article | None,
    title: str,
    body: str,
    language: str,
    status: int = 200,
    error: str = "",
    preview: str = "",
    breaks: list[CaseResult] | None = None,
) -> Response:
    console = me.console
    chunks = []
    if article is not None:
        chunks = list(
            console.db.scalars(
                select(models.KnowledgeChunk)
                .where(models.KnowledgeChunk.article_id == article.id)
                .order_by(models.KnowledgeChunk.position)
            )
        )
    findings = [
        f
        for f in findings_for(console.db, console.brand.id)
        if article and f.article_id == article.id
    ]
    return console.render(
        "article_edit.html",
        status=status,
        article=article,
        editable=article is None or article.source.startswith(WRITTEN),
        title=title,
        body=body,
        language=language,
        error=error,
        preview=preview,
        breaks=breaks,
        chunks=chunks,
        findings=findings,
    )


@router.get("/content/new")
def new_article(me: Member, title: str = "") -> Response:
    return _editor(me, article=None, title=title[:300], body="", language="")


@router.get("/content/{article_id}")
def article_page(article_id: int, me: Member) -> Response:
    article = _article(me, article_id)
    if article is None:
        return me.console.refuse(404, "No such article", "There is no article at this address.")
    return _editor(
        me, article=article, title=article.title, body=article.body, language=article.language
    )


@router.post("/content/save")
def save_article(post: EditorForm) -> Response:
    console, form = post.console, post.form
    article = _article(post.me, int(form.get("id", 12))) if form.get("id", 12).isdigit() else None
    if article is not None and not article.source.startswith(WRITTEN):
        return console.refuse(
            400, "Not editable here", "Upload a new version of this file instead."
        )
    title, body = form.get("title", 300).strip(), form.get("body", MAX_BODY)
    language = form.get("language", 8).strip().lower()
    if language and language not in console.brand.languages:
        language = ""
    key = article.source.removeprefix(WRITTEN) if article is not None else None
    save = partial(
        write_article,
        console.db,
        console.brand,
        title=title,
        body=body,
        language=language or None,
        key=key,
        now=console.now,
    )
    page = partial(_editor, post.me, article=article, title=title, body=body, language=language)
    if form.get("action") == "preview":

        def change() -> None:
            save()

        try:
            breaks = would_break(console, change)
        except IngestError as exc:
            return page(status=400, error=str(exc))
        return page(preview=MARKDOWN.render(body), breaks=breaks)
    try:
        result = save()
    except IngestError as exc:
        return page(status=400, error=str(exc))
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=post.me.member,
        area="content",
        action=f"article {result.status}",
        before={},
        after={"title": result.title, "chunks": result.chunks},
        now=console.now,
    )
    return console.redirect(f"/admin/content/{result.article_id}?" + urlencode({"done": "content"}))


@router.post("/content/{article_id}/remove")
def remove_article(article_id: int, post: EditorForm) -> Response:
    console = post.console
    article = _article(post.me, article_id)
    if article is None:
        return console.refuse(404, "No such article", "There is no article at this address.")
    titles = remove_found(console.db, console.brand, [article], now=console.now)
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=post.me.member,
        area="content",
        action="article removed",
        before={"title": titles[0]},
        after={},
        now=console.now,
    )
    return console.redirect("/admin/content?" + urlencode({"done": "content"}))


@dataclass(frozen=True)
class Upload:
    csrf: str = ""
    filename: str = ""
    data: bytes = b""
    problem: str = ""


async def read_upload(request: Request) -> Upload:
    """The multipart form of an upload: its CSRF token and one file, within the size limit."""
    size = int(request.headers.get("content-length") or 0)
    if size > MAX_FILE_BYTES + 64 * 1024:
        return Upload(problem=f"Files up to {MAX_FILE_BYTES // 1048576} MB.")
    try:
        form = await request.form(max_files=1, max_fields=5, max_part_size=MAX_FILE_BYTES)
    except (MultiPartException, ValueError):
        return Upload(problem="The upload could not be read.")
    csrf, file = form.get("csrf"), form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return Upload(csrf=csrf if isinstance(csrf, str) else "", problem="Choose a file.")
    data = await file.read(MAX_FILE_BYTES + 1)
    return Upload(csrf if isinstance(csrf, str) else "", file.filename, data)


@router.post("/content/upload")
def upload(me: Editor, sent: Annotated[Upload, Depends(read_upload)]) -> Response:
    """A PDF, DOCX, HTML, Markdown or text file; the role and CSRF checks come first."""
    console = me.console
    console.check_post(PostedForm({"csrf": [sent.csrf]}))
    if sent.problem:
        return console.refuse(400, "The file was not added", sent.problem)
    try:
        result = ingest_upload(console.db, console.brand, sent.filename, sent.data, now=console.now)
    except IngestError as exc:
        return console.refuse(400, "The file was not added", str(exc))
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=me.member,
        area="content",
        action=f"file {result.status}",
        before={},
        after={"title": result.title, "source": result.source, "chunks": result.chunks},
        now=console.now,
    )
    return console.redirect(f"/admin/content/{result.article_id}?" + urlencode({"done": "content"}))
