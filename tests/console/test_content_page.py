"""The Content page: write an article with a preview (and the agent tests it would break),
see its chunks, upload a file, remove; the articles used most and the content gaps."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from tests.conftest import Chat
from tests.console.team_members import Member

BODY = (
    "# Gift wrapping\n\nWe wrap every order in recycled paper for free.\n\n"
    "## Cards\n\nAdd a card at checkout."
)


def test_write_preview_save_see_chunks_and_remove(
    client: TestClient, db: Session, owner: Member
) -> None:
    form = {"title": "Gift wrapping", "body": BODY, "language": "en"}
    preview = owner.post("/admin/content/save", {**form, "action": "preview"}, "/admin/content/new")
    assert preview.status_code == 200
    assert "<h2>Cards</h2>" in preview.text  # the Markdown, rendered
    assert "None: every agent test that passes now still passes." in preview.text
    db.rollback()
    assert (
        db.scalars(select(models.Article).where(models.Article.title == "Gift wrapping")).first()
        is None
    )

    saved = owner.post("/admin/content/save", {**form, "action": "save"}, "/admin/content/new")
    assert saved.status_code == 303
    page = client.get(saved.headers["location"]).text
    assert "Content saved." in page
    assert "How it was chunked (" in page
    assert "Add a card at checkout." in page
    article_id = int(re.search(r"/admin/content/(\d+)", saved.headers["location"]).group(1))

    edited = owner.post(
        "/admin/content/save",
        {**form, "id": str(article_id), "body": BODY + "\n\nRibbons too.", "action": "save"},
        f"/admin/content/{article_id}",
    )
    assert edited.headers["location"].startswith(f"/admin/content/{article_id}?")
    assert "Ribbons too." in client.get(f"/admin/content/{article_id}").text

    empty = owner.post(
        "/admin/content/save", {"title": "", "body": "x", "action": "save"}, "/admin/content/new"
    )
    assert empty.status_code == 400
    assert "an article needs a title" in empty.text

    gone = owner.post(f"/admin/content/{article_id}/remove", {}, "/admin/content")
    assert gone.status_code == 303
    assert client.get(f"/admin/content/{article_id}").status_code == 404
    log = client.get("/admin/audit").text
    assert "article added" in log
    assert "article removed" in log


def test_upload_a_file_with_csrf_and_role_checks(client: TestClient, viewer: Member) -> None:
    file = {
        "file": ("care.md", b"# Care\n\nWash wool cold and lay it flat to dry.", "text/markdown")
    }
    page = client.get("/admin/content").text
    assert "Upload a file" not in page  # a viewer gets no form
    token = re.search(r'name="csrf" value="(\w+)"', page).group(1)
    assert client.post("/admin/content/upload", data={"csrf": token}, files=file).status_code == 403
    owner = Member(client)
    owner.sign_in()
    forged = client.post("/admin/content/upload", data={"csrf": "0" * 64}, files=file)
    assert forged.status_code == 403
    token = re.search(r'name="csrf" value="(\w+)"', client.get("/admin/content").text).group(1)
    ok = client.post(
        "/admin/content/upload", data={"csrf": token}, files=file, follow_redirects=False
    )
    assert ok.status_code == 303
    assert "Wash wool cold" in client.get(ok.headers["location"]).text
    bad = client.post(
        "/admin/content/upload",
        data={"csrf": token},
        files={"file": ("x.exe", b"MZ\x00\x01", "application/octet-stream")},
    )
    assert bad.status_code == 400


def test_articles_used_most_and_the_questions_without_an_answer(
    client: TestClient, db: Session, owner: Member
) -> None:
    Chat(client, locale="en").send("How long does delivery to Germany take?")
    db.rollback()
    brand = db.scalars(select(models.Brand)).one()
    now = datetime.now(UTC)
    conv = models.Conversation(
        id=str(uuid.uuid4()),
        brand_id=brand.id,
        channel="webchat",
        token_hash="x",
        status="open",
        language="en",
        customer_id=None,
        verified_at=None,
        state={},
        client_key="t",
        created_at=now,
        updated_at=now,
    )
    db.add(conv)
    for seq, role, text, meta in (
        (1, "shopper", "Do you sell gift cards for the Oslo shop?", {}),
        (2, "agent", None, {"intent": "policy_payment", "skill": "policy", "outcome": "no_answer"}),
    ):
        db.add(
            models.Message(
                id=str(uuid.uuid4()),
                brand_id=brand.id,
                conversation_id=conv.id,
                seq=seq,
                role=role,
                channel="webchat",
                language="en",
                text=text,
                action=None,
                blocks=[],
                meta=meta,
                created_at=now + timedelta(seconds=seq),
            )
        )
    db.commit()
    page = client.get("/admin/content").text
    used = page.split("Used most (last 30 days)")[1].split("Questions without an answer")[0]
    assert re.search(r"<td>[^<]*[Ss]hipping[^<]*</td><td>1</td>", used)
    gaps = page.split("Questions without an answer")[1]
    assert "Do you sell gift cards for the Oslo shop?" in gaps
    assert "/admin/content/new?title=Do+you+sell+gift+cards+for+the+Oslo+shop%3F" in gaps
