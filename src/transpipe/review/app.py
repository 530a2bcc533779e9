"""The review web application (Starlette): pages, the JSON API, and who may use them.

Owns the HTTP surface of ``transpipe review``:

* pages ``/`` (articles and their readiness) and ``/articles/{name}`` (the review table),
  rendered by Jinja2 with autoescaping; the page's script and style are two fixed files
  served from memory (``/static/review.js``, ``/static/review.css``), no CDN;
* the JSON API documented in ``docs/review.md`` (``/api/...``), which the page itself uses.

Access: every page and API request needs the per-run token: pages take it from ``?token=``
(answered with an ``HttpOnly; SameSite=Strict`` cookie) or that cookie; the API only from the
``X-Transpipe-Token`` header, so no form or link on another site can change anything. No
token is 401, a wrong one 403. Every response carries a strict Content-Security-Policy (no
inline script, no third-party origin), ``nosniff``, ``no-referrer`` (the URL holds the token)
and ``no-store``. Nothing from a request becomes a file path: articles and segments are looked
up in the store by name and id, and files are written only by the project (store, memory,
``published/``).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from transpipe.errors import TranspipeError
from transpipe.review import exports
from transpipe.review.project import ReviewProject, segment_json
from transpipe.review.store import Stale
from transpipe.review.terms import glossary_entries, inflect_for_context

TOKEN_HEADER = "X-Transpipe-Token"
TOKEN_COOKIE = "transpipe_token"
MAX_BODY_BYTES = 1024 * 1024
_HERE = Path(__file__).parent
STATIC_TYPES = {
    "review.js": "text/javascript; charset=utf-8",
    "review.css": "text/css; charset=utf-8",
}
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        b"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]

Endpoint = Callable[[Request], Awaitable[Response]]


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


class ReviewApp:
    """Routes bound to one project and one token."""

    def __init__(self, project: ReviewProject, token: str) -> None:
        self.project = project
        self.token = token
        self.templates = Environment(
            loader=FileSystemLoader(_HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )
        self.static = {name: (_HERE / "static" / name).read_bytes() for name in STATIC_TYPES}

    # -- access ------------------------------------------------------------------------------

    def _token_matches(self, given: str) -> bool:
        return secrets.compare_digest(given.encode(), self.token.encode())

    def page(self, endpoint: Endpoint) -> Endpoint:
        async def guarded(request: Request) -> Response:
            query = request.query_params.get("token")
            given = query or request.cookies.get(TOKEN_COOKIE)
            if not given:
                return self._refusal(401, "This page needs the token printed by transpipe review.")
            if not self._token_matches(given):
                return self._refusal(403, "Wrong token.")
            response = await endpoint(request)
            if query:
                response.set_cookie(
                    TOKEN_COOKIE, self.token, httponly=True, samesite="strict", path="/"
                )
            return response

        return guarded

    def api(self, endpoint: Endpoint) -> Endpoint:
        async def guarded(request: Request) -> Response:
            given = request.headers.get(TOKEN_HEADER)
            if not given:
                return _error(401, f"missing {TOKEN_HEADER} header")
            if not self._token_matches(given):
                return _error(403, "wrong token")
            try:
                return await endpoint(request)
            except TranspipeError as error:
                return _error(422, str(error))

        return guarded

    def _refusal(self, status: int, message: str) -> HTMLResponse:
        html = self.templates.get_template("refused.html").render(message=message)
        return HTMLResponse(html, status_code=status)

    # -- pages -------------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        html = self.templates.get_template("index.html").render(
            articles=self.project.articles(), warnings=self.project.warnings
        )
        return HTMLResponse(html)

    async def article_page(self, request: Request) -> Response:
        name = request.path_params["name"]
        article = self.project.store.article(name)
        if article is None:
            return self._refusal(404, "No such article.")
        html = self.templates.get_template("article.html").render(article=article, token=self.token)
        return HTMLResponse(html)

    async def static_file(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.static:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(self.static[name], media_type=STATIC_TYPES[name])

    # -- API ---------------------------------------------------------------------------------

    async def list_articles(self, request: Request) -> Response:
        return JSONResponse(self.project.articles())

    async def list_segments(self, request: Request) -> Response:
        segments = self.project.segments_json(request.path_params["name"])
        if segments is None:
            return _error(404, "no such article")
        return Response(segments, media_type="application/json")

    async def article_stats(self, request: Request) -> Response:
        name = request.path_params["name"]
        if self.project.store.article(name) is None:
            return _error(404, "no such article")
        rows = self.project.store.segments(name)
        return JSONResponse({"article": name, "post_editing": exports.post_editing(rows)})

    async def export(self, request: Request) -> Response:
        name = request.path_params["name"]
        article = self.project.store.article(name)
        if article is None:
            return _error(404, "no such article")
        fmt = request.query_params.get("format", "po")
        rows = self.project.store.segments(name)
        result = exports.export(article, rows, fmt, self.project.settings.clock())
        disposition = f'attachment; filename="{result.filename}"'
        return Response(
            result.data,
            media_type=result.media_type,
            headers={"content-disposition": disposition.encode("ascii", "replace").decode()},
        )

    async def publish(self, request: Request) -> Response:
        name = request.path_params["name"]
        article = self.project.store.article(name)
        if article is None:
            return _error(404, "no such article")
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        fmt = body.get("format", "txt")
        if not isinstance(fmt, str):
            return _error(400, "format must be txt, md or html")
        result = exports.publish(
            self.project.directory,
            article,
            self.project.store.segments(name),
            fmt=fmt,
            allow_unreviewed=body.get("allow_unreviewed") is True,
            force=body.get("force") is True,
            terms=self.project.settings.terms,
            created=self.project.settings.clock(),
        )
        if result.refused or result.path is None:
            return _error(409, result.refused, readiness=result.readiness)
        shown = result.path.relative_to(self.project.directory).as_posix()
        return JSONResponse({"path": shown, "readiness": result.readiness})

    async def update_segment(self, request: Request) -> Response:
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        target, status, version = body.get("target"), body.get("status"), body.get("version")
        seconds = body.get("seconds", 0)
        if not isinstance(target, str):
            return _error(400, "target must be a string")
        if status not in ("approved", "review"):
            return _error(400, 'status must be "approved" or "review"')
        if not isinstance(version, int) or isinstance(version, bool):
            return _error(400, "version must be the integer the segment was read with")
        if not isinstance(seconds, int | float) or isinstance(seconds, bool):
            return _error(400, "seconds must be a number")
        result = self.project.update(
            request.path_params["segment_id"],
            target=target,
            status=status,
            version=version,
            seconds=float(seconds),
        )
        if result is None:
            return _error(404, "no such segment")
        if isinstance(result, Stale):
            return _error(
                409,
                f"segment changed since version {result.expected} (now {result.current.version})",
                current=segment_json(result.current),
            )
        return JSONResponse({**segment_json(result.row), "memory": result.memory})

    async def check_segment(self, request: Request) -> Response:
        row = self.project.segment(request.path_params["segment_id"])
        if row is None:
            return _error(404, "no such segment")
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        target = body.get("target")
        if not isinstance(target, str):
            return _error(400, "target must be a string")
        from transpipe.review.records import audit_records, issue_records

        checked = self.project.check(row, target)
        return JSONResponse(
            {
                "findings": issue_records(checked.issues),
                "audit": audit_records(checked.audit),
                "term_failures": checked.term_failures,
            }
        )

    async def segment_context(self, request: Request) -> Response:
        row = self.project.segment(request.path_params["segment_id"])
        if row is None:
            return _error(404, "no such segment")
        concepts = [m.get("concept", "") for m in row.term_matches]
        concepts += [a.get("concept", "") for a in row.audit]
        return JSONResponse(
            {
                "memory": self.project.memory_matches(row),
                "glossary": glossary_entries(
                    self.project.glossary(),
                    [c for c in concepts if isinstance(c, str) and c],
                    row.term_matches,
                ),
                "history": self.project.store.history(row.id),
            }
        )

    async def inflect(self, request: Request) -> Response:
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        fields = {k: body.get(k, "") for k in ("term", "lang", "before", "replaced", "default")}
        if not all(isinstance(v, str) for v in fields.values()) or not fields["term"]:
            return _error(400, "term, lang, before, replaced and default must be strings")
        form = inflect_for_context(
            fields["term"],
            fields["lang"],
            before=fields["before"][-200:],
            replaced=fields["replaced"][:500],
            default=fields["default"],
        )
        return JSONResponse({"form": form})


async def _json_body(request: Request) -> dict[str, Any] | Response:
    declared = request.headers.get("content-length", "0")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return _error(413, f"request body above {MAX_BODY_BYTES} bytes")
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        return _error(413, f"request body above {MAX_BODY_BYTES} bytes")
    try:
        body = json.loads(raw or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, "the body must be a JSON object")
    if not isinstance(body, dict):
        return _error(400, "the body must be a JSON object")
    return body


async def _no_content(request: Request) -> Response:
    return Response(status_code=204)


def create_app(project: ReviewProject, token: str) -> ASGIApp:
    """The ASGI application serving ``project`` to holders of ``token``."""
    app = ReviewApp(project, token)
    routes = [
        Route("/", app.page(app.index)),
        Route("/articles/{name}", app.page(app.article_page)),
        Route("/static/{name}", app.static_file),
        Route("/favicon.ico", _no_content),
        Route("/api/articles", app.api(app.list_articles)),
        Route("/api/articles/{name}/segments", app.api(app.list_segments)),
        Route("/api/articles/{name}/stats", app.api(app.article_stats)),
        Route("/api/articles/{name}/export", app.api(app.export)),
        Route("/api/articles/{name}/publish", app.api(app.publish), methods=["POST"]),
        Route("/api/segments/{segment_id}", app.api(app.update_segment), methods=["PUT"]),
        Route("/api/segments/{segment_id}/check", app.api(app.check_segment), methods=["POST"]),
        Route("/api/segments/{segment_id}/context", app.api(app.segment_context)),
        Route("/api/inflect", app.api(app.inflect), methods=["POST"]),
    ]
    return SecurityHeaders(Starlette(routes=routes))
