"""HTML pages for searching claims and a claim's permalink."""
from __future__ import annotations

import math

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.web import queries
from app.web.deps import VARY, ClaimQuery, ClaimQueryDep, Database, DbDep, render, run_search, wants_fragment
from app.web.labels import LABELS, FacetValue, card, label, word

router = APIRouter(include_in_schema=False)

FACET_ORDER = ("speaker", "model", "company", "product", "person", "theme", "stance", "kind", "episode")
FACET_SHOWN = 8



def facet_groups(query: ClaimQuery, results, lookups: dict) -> list[dict]:
    """The engine's facets as sidebar groups; entities split by type (model, company …)."""
    groups: dict[str, list[dict]] = {name: [] for name in FACET_ORDER}
    for facet in results.facets:
        for value, engine_label, count in facet.values:
            group = facet.field
            if facet.field == "entity":
                group = lookups["entities"].get(value, {}).get("type", "product")
            if group not in groups:
                continue
            name = label(lookups, facet.field, value) if facet.field in ("entity", "episode") else engine_label
            groups[group].append(FacetValue(facet.field, value, name or value, count, query.active(facet.field, value),
                                            query.toggle_url(facet.field, value)))
    out = []
    for name in FACET_ORDER:
        values = sorted(groups[name], key=lambda v: (not v.active, -v.count, v.label))
        if values:
            out.append({"name": name, "title": word("field", name), "values": values, "shown": FACET_SHOWN})
    return out


def pager(query: ClaimQuery, total: int, path: str = "/claims") -> dict:
    pages = max(1, math.ceil(total / query.page_size))
    window = sorted({1, pages, *range(max(1, query.page - 2), min(pages, query.page + 2) + 1)})
    links, last = [], 0
    for n in window:
        if n - last > 1:
            links.append(None)  # an ellipsis
        links.append({"n": n, "url": query.with_page(n).url(path), "current": n == query.page})
        last = n
    return {
        "pages": pages, "links": links if pages > 1 else [],
        "prev": query.with_page(query.page - 1).url(path) if query.page > 1 else None,
        "next": query.with_page(query.page + 1).url(path) if query.page < pages else None,
    }


def claims_context(db: Database, query: ClaimQuery) -> dict:
    from app.search.engine import FACET_CAP

    results = run_search(db, query)
    lookups = db.lookups()
    chips = [{"field": f, "id": v, "label": label(lookups, f, v), "remove": query.toggled(f, v).url()}
             for f, v in query.chips()]
    return {
        "query": query, "results": results, "lookups": lookups, "chips": chips,
        "cards": [card(c, lookups) for c in results.claims],
        "facets": facet_groups(query, results, lookups), "pager": pager(query, results.total),
        "facets_exact": all(f.exact for f in results.facets), "facet_sample": FACET_CAP,
        "csv_url": query.url("/claims.csv"), "api_url": query.url("/api/claims"),
        "clear_url": query.without_filters().url(), "examples": LABELS.get("examples", []),
    }


def _claims_response(request: Request, db: Database, query: ClaimQuery, *, home: bool) -> Response:
    fragment = wants_fragment(request)
    version = db.version()
    key = ("claims", home, fragment, query.key())
    body = db.pages.get(version, key)
    if body is None:
        title = "podclaims · AI 播客观点库" if home else "观点检索 · podclaims"
        ctx = {**claims_context(db, query), "home": home, "fragment": fragment,
               "page_title": f"{query.q} · {title}" if query.q else title}
        body = render(request, "claims.html", ctx, block="results" if fragment else None).body
        db.pages.put(version, key, body)
    return HTMLResponse(body, headers={"Vary": VARY})


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, db: DbDep, query: ClaimQueryDep):
    return _claims_response(request, db, query, home=not (query.q or query.filters or query.page > 1))


@router.get("/claims", response_class=HTMLResponse)
async def claims(request: Request, db: DbDep, query: ClaimQueryDep):
    return _claims_response(request, db, query, home=False)


@router.get("/favicon.ico")
async def favicon():
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/claims.csv")
async def claims_csv(db: DbDep, query: ClaimQueryDep):
    from app.web.api import csv_response

    return csv_response(db, query)


def _json_ld(request: Request, data: dict, lookups: dict, episode: dict, url: str) -> dict:
    claim = data["claim"]
    base = str(request.base_url).rstrip("/")
    authors = []
    for sp in claim["speakers"]:
        if sp == "narrator":
            authors.append({"@type": "Organization", "name": episode.get("channel") or "narrator"})
        else:
            authors.append({"@type": "Person", "name": label(lookups, "speaker", sp), "url": f"{base}/speakers/{sp}"})
    appearance = {"@type": "PodcastEpisode", "name": episode.get("title"), "url": episode.get("source_url"),
                  "datePublished": episode.get("date"), "inLanguage": episode.get("language"),
                  "partOfSeries": {"@type": "PodcastSeries", "name": episode.get("podcast")}}
    return {
        "@context": "https://schema.org", "@type": "Claim", "@id": url, "url": url,
        "text": claim["text"], "author": authors, "datePublished": episode.get("date"),
        "appearance": {k: v for k, v in appearance.items() if v}, "inLanguage": episode.get("language"),
        "about": [{"@type": "Thing", "name": label(lookups, "entity", e), "url": f"{base}/entities/{e}"}
                  for e in claim["entities"]],
        "keywords": [label(lookups, "theme", t) for t in claim["themes"]],
    }


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
async def claim_page(request: Request, claim_id: str, db: DbDep):
    conn = db.connection()
    data = queries.claim_page_data(conn, claim_id) if len(claim_id) <= 64 else None
    if data is None:
        target = queries.retired_target(conn, claim_id) if len(claim_id) <= 64 else None
        if target:
            return RedirectResponse(target, status_code=301)
        raise HTTPException(404, f"没有这条观点：{claim_id[:64]} (no claim with this id)")
    lookups = db.lookups()
    episode = lookups["episodes"].get(data["claim"]["episode"], {})
    url = str(request.base_url).rstrip("/") + data["claim"]["url"]
    ctx = {**data, "lookups": lookups, "episode": episode, "permalink": url,
           "json_ld": _json_ld(request, data, lookups, episode, url)}
    return render(request, "claim.html", ctx)
