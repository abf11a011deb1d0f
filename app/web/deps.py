"""What every route needs: the read-only database, the claim-list parameters, rendering."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Annotated, Literal
from urllib.parse import quote_plus, urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments import render_block

from app.config import ROOT, settings
from app.web.database import LRU, Database, DatabaseUnavailable  # noqa: F401 (re-exported for routes)

TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"

Stance = Literal["positive", "negative", "neutral", "mixed"]
Kind = Literal["prediction", "fact", "opinion", "advice"]
EntityType = Literal["model", "company", "product", "person"]
FILTER_FIELDS = ("speaker", "entity", "type", "theme", "stance", "kind", "episode")


async def get_db(request: Request) -> Database:
    return request.app.state.db


DbDep = Annotated[Database, Depends(get_db)]


@dataclass(frozen=True)
class ClaimQuery:
    """The state of a claim list: the query, the filters, the page; it builds every link."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    page_size: int = field(default_factory=lambda: settings.page_size)

    @property
    def custom_page_size(self) -> bool:
        return self.page_size != settings.page_size

    def pairs(self, *, with_page: bool = True) -> list[tuple[str, str]]:
        out = [("q", self.q)] if self.q else []
        for name in FILTER_FIELDS:
            out += [(name, v) for v in self.filters.get(name, ())]
        if with_page and self.page > 1:
            out.append(("page", str(self.page)))
        if self.custom_page_size:
            out.append(("page_size", str(self.page_size)))
        return out

    def url(self, path: str = "/claims", **extra: str) -> str:
        query = urlencode(self.pairs() + list(extra.items()))
        return f"{path}?{query}" if query else path

    def toggle_url(self, name: str, value: str, path: str = "/claims") -> str:
        """`self.toggled(name, value).url(path)`, fast: the sidebar builds ~100 of these per page."""
        encoded = self.__dict__.get("_encoded")
        if encoded is None:
            encoded = [(k, f"{quote_plus(k)}={quote_plus(v)}") for k, v in self.pairs(with_page=False)]
            object.__setattr__(self, "_encoded", encoded)
        pair = f"{quote_plus(name)}={quote_plus(value)}"
        if value in self.filters.get(name, ()):
            parts = [e for e in encoded if e[1] != pair]
        else:
            order = FILTER_FIELDS.index(name) if name in FILTER_FIELDS else len(FILTER_FIELDS)
            at = next((i for i, (k, _) in enumerate(encoded)
                       if k in FILTER_FIELDS and FILTER_FIELDS.index(k) > order or k == "page_size"), len(encoded))
            parts = encoded[:at] + [(name, pair)] + encoded[at:]
        query = "&".join(p for _, p in parts)
        return f"{path}?{query}" if query else path

    def active(self, name: str, value: str) -> bool:
        return value in self.filters.get(name, ())

    def toggled(self, name: str, value: str) -> "ClaimQuery":
        values = self.filters.get(name, ())
        values = tuple(v for v in values if v != value) if value in values else values + (value,)
        filters = {k: v for k, v in {**self.filters, name: values}.items() if v}
        return replace(self, filters=filters, page=1)

    def without_filters(self) -> "ClaimQuery":
        return replace(self, filters={}, page=1)

    def with_page(self, page: int) -> "ClaimQuery":
        return replace(self, page=page)

    def chips(self) -> list[tuple[str, str]]:
        return [(name, v) for name in FILTER_FIELDS for v in self.filters.get(name, ())]

    def key(self) -> tuple:
        return (self.q, tuple(sorted((k, tuple(sorted(v))) for k, v in self.filters.items())), self.page, self.page_size)

    def search_filters(self):
        from app.search.engine import SearchFilters

        return SearchFilters(**{name: list(v) if v else None for name, v in self.filters.items()})


IdList = Annotated[list[str] | None, Query(max_length=50, description="ids; repeat the parameter to OR values")]


def _ids(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for v in values or ():
        v = v.strip()
        if v and v not in out:
            out.append(v)
    return tuple(out)


MAX_QUERY_CHARS = 500


async def claim_query(
    q: Annotated[str, Query(description=f"search words, Chinese or English (the first {MAX_QUERY_CHARS} characters count)")] = "",
    speaker: IdList = None,
    entity: IdList = None,
    type: Annotated[list[EntityType] | None, Query(description="entity type: claims about any entity of this type")] = None,
    theme: IdList = None,
    stance: Annotated[list[Stance] | None, Query()] = None,
    kind: Annotated[list[Kind] | None, Query()] = None,
    episode: IdList = None,
    page: Annotated[int, Query(ge=1, le=10_000, description="1-based page number")] = 1,
    page_size: Annotated[int, Query(ge=1, le=100, description="claims per page")] = settings.page_size,
) -> ClaimQuery:
    """The list parameters shared by /claims, /api/claims, /api/facets and the CSV."""
    raw = {"speaker": speaker, "entity": entity, "type": type, "theme": theme, "stance": stance,
           "kind": kind, "episode": episode}
    filters = {k: _ids(v) for k, v in raw.items() if _ids(v)}
    # any string searches: a pasted paragraph is cut, never refused
    return ClaimQuery(q=" ".join(q.split())[:MAX_QUERY_CHARS], filters=filters, page=page, page_size=page_size)


ClaimQueryDep = Annotated[ClaimQuery, Depends(claim_query)]


def run_search(db: Database, query: ClaimQuery, *, facets: bool = True, page_size: int | None = None):
    """The engine's results for this state, cached per data_version."""
    from app.search.engine import search_claims

    version = db.version()
    size = page_size or query.page_size
    key = (query.key(), facets, size)
    cached = db.results.get(version, key)
    if cached is not None:
        return cached
    results = search_claims(db.connection(), query.q, query.search_filters(), page=query.page,
                            page_size=size, facets=facets)
    db.results.put(version, key, results)
    return results


# ---- rendering: one template, the whole page or one block of it ----

def wants_fragment(request: Request) -> bool:
    """htmx asks for the results block; a history restore wants the whole page."""
    headers = request.headers
    return headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"


def _static_versions() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:10] for p in STATIC_DIR.glob("*") if p.is_file()}


def make_env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    versions = _static_versions()
    env.globals["static"] = lambda name: f"/static/{name}?v={versions.get(name, '0')}"
    env.globals["htmx_file"] = next((n for n in sorted(versions) if n.startswith("htmx-")), "htmx.min.js")
    from app.web import labels

    env.globals.update(labels.GLOBALS)
    env.filters.update(labels.FILTERS)
    return env


VARY = "HX-Request, HX-History-Restore-Request"


def render(request: Request, name: str, context: dict, *, block: str | None = None,
           status_code: int = 200, headers: dict | None = None) -> HTMLResponse:
    env: Environment = request.app.state.templates
    ctx = {"request": request, **context}
    body = render_block(env, name, block, ctx) if block else env.get_template(name).render(ctx)
    return HTMLResponse(body, status_code=status_code, headers=headers)
