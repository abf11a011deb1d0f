"""The web app: create_app() wires the database, routes, error pages and middleware."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.config import settings
from app.web.deps import STATIC_DIR, Database, DatabaseUnavailable, make_env, render
from app.web.middleware import HeadMiddleware, RequestLogMiddleware, SecurityHeadersMiddleware

log = logging.getLogger("podclaims.web")

DESCRIPTION = """Claims made on Chinese AI podcasts: who said what about which model, company
or theme. Every list takes the same parameters as the pages (`q`, `speaker`, `entity`,
`type`, `theme`, `stance`, `kind`, `episode`, `page`, `page_size`); repeat a filter to OR
its values, different filters AND. Add `format=csv` to `/api/claims` for a CSV download."""


def _wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path in ("/api", "/healthz", "/openapi.json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _validation_message(exc: RequestValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
        name = loc[0] if loc else "request"
        got = err.get("input")
        if isinstance(got, str) and len(got) > 60:  # don't echo a 10,000-character query back whole
            got = got[:60] + "…"
        suffix = f" (got {got!r})" if isinstance(got, (str, int, float)) else ""
        out.append(f"{name}: {err.get('msg', 'invalid value')}{suffix}")
    return out


def _error(request: Request, status: int, title: str, messages: list[str]):
    if _wants_json(request):
        return JSONResponse({"detail": "; ".join(messages) or title, "errors": messages}, status_code=status)
    template = "404.html" if status == 404 else "error.html"
    try:
        return render(request, template, {"status": status, "title": title, "messages": messages},
                      status_code=status)
    except Exception:  # a broken template must not turn an error page into a 500
        log.exception("event=error_page_failed status=%s", status)
        return HTMLResponse(f"<h1>{status} {title}</h1>", status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            detail = exc.detail if exc.detail and exc.detail != "Not Found" else "没有这个页面 (not found)"
            return _error(request, 404, "找不到 Not found", [str(detail)])
        response = _error(request, exc.status_code, str(exc.detail), [str(exc.detail)])
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_params(request: Request, exc: RequestValidationError):
        return _error(request, 422, "参数无效 Invalid parameters", _validation_message(exc))

    @app.exception_handler(DatabaseUnavailable)
    async def no_database(request: Request, exc: DatabaseUnavailable):
        log.warning("event=db_unavailable reason=%r", str(exc))
        return _error(request, 503, "数据库暂不可用 Database unavailable", [str(exc)])

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        log.exception("event=unhandled path=%s", request.url.path)
        return _error(request, 500, "内部错误 Internal error", ["the error was logged"])


def warm_up(db: Database) -> None:
    """Load the names and the tokenizer's dictionary now, not on a reader's first request."""
    from app.web.deps import ClaimQuery, run_search

    try:
        db.lookups()
        run_search(db, ClaimQuery(q="DeepSeek 成本"), facets=True)
    except Exception:  # the site still starts; the error shows on the requests that hit it
        log.exception("event=warm_up_failed")


def create_app(db_path: Path | None = None, *, cache_size: int = 512) -> FastAPI:
    """The site over one SQLite file (default: settings.db), opened read-only per worker."""
    db = Database(db_path or settings.db, cache_size=cache_size)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            db.connection()
            warm_up(db)
            log.info("event=startup db=%s", db.path)
        except DatabaseUnavailable as exc:
            log.warning("event=startup db=%s unavailable=%r", db.path, str(exc))
        yield
        db.close()

    app = FastAPI(title="podclaims", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.db = db
    app.state.templates = make_env()
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HeadMiddleware)
    app.add_middleware(RequestLogMiddleware)
    _install_error_handlers(app)

    from app.web import api, browse, docs, pages

    app.include_router(pages.router)
    app.include_router(browse.router)
    app.include_router(api.router)
    app.include_router(api.health_router)
    app.include_router(docs.router)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


# PODCLAIMS_WEB_CACHE=0 turns the page and result caches off (bench/web.py measures both ways).
app = create_app(cache_size=settings.web_cache)
