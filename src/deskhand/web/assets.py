"""Files every page needs without the internet: favicons, and the API docs' Swagger UI.

The Swagger UI's script and styles (Swagger UI 5, which reads OpenAPI 3.1) are the files the
`fastapi-offline` package ships; they are served from here, so /docs works on a machine with
no internet and loads nothing from a CDN.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).parent / "static"
SWAGGER = Path(str(files("fastapi_offline") / "static"))
SWAGGER_FILES = {"swagger-ui-bundle.js", "swagger-ui.css"}  # all /docs needs
CACHED = {"Cache-Control": "public, max-age=86400"}


@router.get("/favicon.svg")
def favicon_svg() -> Response:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml", headers=CACHED)


@router.get("/favicon.ico")
def favicon_ico() -> Response:
    return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon", headers=CACHED)


@router.get("/docs")
def api_docs(request: Request) -> HTMLResponse:
    """The OpenAPI document in Swagger UI, every file of it served by Deskhand itself."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title=f"{request.app.title} – API",
        swagger_js_url="/docs/assets/swagger-ui-bundle.js",
        swagger_css_url="/docs/assets/swagger-ui.css",
        swagger_favicon_url="/favicon.svg",
    )


@router.get("/docs/assets/{name}")
def docs_asset(name: str) -> Response:
    if name not in SWAGGER_FILES:
        return Response("Not found", status_code=404, media_type="text/plain")
    media = "text/javascript" if name.endswith(".js") else "text/css"
    return FileResponse(SWAGGER / name, media_type=media, headers=CACHED)
