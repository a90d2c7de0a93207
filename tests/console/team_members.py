"""A team member driving the console's forms through the app (the TestClient keeps cookies)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from deskhand.db.brands import find_brand
from deskhand.domain.vocabulary import TeamRole
from deskhand.team.accounts import add_member
from deskhand.team.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def add(session: Session, email: str, role: TeamRole, now: Any, password: str = PASSWORD) -> int:
    brand = find_brand(session)
    assert brand is not None
    member = add_member(
        session, brand_id=brand.id, email=email, role=role, now=now, password=password
    )
    session.commit()
    return member.id


class Member:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def sign_in(
        self, email: str = DEMO_OWNER_EMAIL, password: str = DEMO_OWNER_PASSWORD
    ) -> Response:
        page = self.client.get("/admin/sign-in")
        assert page.status_code == 200
        return self.client.post(
            "/admin/sign-in",
            data={"csrf": csrf_of(page.text), "email": email, "password": password},
            follow_redirects=False,
        )

    def csrf(self, path: str = "/admin") -> str:
        page = self.client.get(path)
        assert page.status_code == 200, page.text
        return csrf_of(page.text)

    def post(self, path: str, data: dict[str, Any], from_page: str = "/admin") -> Response:
        return self.client.post(
            path, data={"csrf": self.csrf(from_page), **data}, follow_redirects=False
        )
