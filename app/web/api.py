"""The JSON API under /api: the pages' parameters, paginated; CSV of any result set."""
from __future__ import annotations

import csv
import io
import math
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse

from app.records import RECORD_FIELDS, as_csv_row, claim_by_id
from app.web import queries
from app.web.deps import ClaimQuery, ClaimQueryDep, Database, DbDep, EntityType, run_search
from app.web.models import (
    ClaimPublic, ClaimsPublic, EntitiesPublic, EntityDetail, EpisodePublic, EpisodesPublic, ErrorPublic,
    FacetsPublic, HealthPublic, SpeakerPublic, SpeakersPublic, ThemePublic,
)

ERRORS = {404: {"model": ErrorPublic, "description": "unknown id"},
          422: {"model": ErrorPublic, "description": "invalid parameters"}}
router = APIRouter(prefix="/api", tags=["api"], responses={422: ERRORS[422]})
health_router = APIRouter(tags=["health"])
CSV_LIMIT = 100_000
PageQ = Annotated[int, Query(ge=1, le=10_000, description="1-based page number")]
SizeQ = Annotated[int, Query(ge=1, le=200, description="items per page")]


def _page_links(path: str, pairs: list[tuple[str, str]], page: int, page_size: int, total: int) -> dict:
    pages = max(1, math.ceil(total / page_size))

    kept = [(k, v) for k, v in pairs if k not in ("page", "page_size")]

    def url(n: int) -> str:
        return f"{path}?{urlencode(kept + [('page', str(n)), ('page_size', str(page_size))])}"

    return {"total": total, "page": page, "page_size": page_size, "pages": pages,
            "prev": url(page - 1) if page > 1 else None, "next": url(page + 1) if page < pages else None}


def _listing(kind: str, items: list[dict], page: int, page_size: int, pairs: list | None = None) -> dict:
    """One page of a lookup list (entities, speakers, episodes), each item with its page's url."""
    chunk = items[(page - 1) * page_size: page * page_size]
    return {**_page_links(f"/api/{kind}", pairs or [], page, page_size, len(items)),
            kind: [{**item, "url": f"/{kind}/{item['id']}"} for item in chunk]}


def _one(db: Database, kind: str, item_id: str) -> dict:
    """One lookup item (a speaker, an episode) with its page's url, or a JSON 404."""
    item = db.lookups()[kind].get(item_id)
    if item is None:
        raise HTTPException(404, f"no {kind[:-1]} with id {item_id[:64]!r}")
    return {**item, "url": f"/{kind}/{item_id}"}


def _filters(query: ClaimQuery) -> dict[str, list[str]]:
    return {k: list(v) for k, v in query.filters.items()}


def csv_response(db: Database, query: ClaimQuery) -> StreamingResponse:
    """Every claim of the result set (not only one page), as UTF-8 CSV with a BOM for spreadsheets.

    An async generator, so each chunk is made on the event loop like every other use of the
    worker's connection and caches (a sync one would run in a thread beside them)."""

    async def rows():
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=RECORD_FIELDS, extrasaction="ignore")
        buf.write("\ufeff")
        writer.writeheader()
        page, sent = 1, 0
        while sent < CSV_LIMIT:
            results = run_search(db, ClaimQuery(q=query.q, filters=query.filters, page=page, page_size=500),
                                 facets=False)
            for record in results.claims:
                writer.writerow(as_csv_row(record))
            sent += len(results.claims)
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
            if not results.claims or page * 500 >= results.total:
                break
            page += 1

    return StreamingResponse(rows(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="claims.csv"'})


@router.get("/claims", summary="Search claims", response_model=ClaimsPublic,
            responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"}})
async def api_claims(db: DbDep, query: ClaimQueryDep,
                     format: Annotated[Literal["json", "csv"], Query(description="csv: every matching claim")] = "json"):
    """Search claims: the same engine, ranking and filters as the /claims page."""
    if format == "csv":
        return csv_response(db, query)
    results = run_search(db, query, facets=False)
    links = _page_links("/api/claims", query.pairs(with_page=False), query.page, query.page_size, results.total)
    return {**links, "total_exact": results.total_exact, "query": results.query, "filters": _filters(query),
            "claims": results.claims}


@router.get("/claims/{claim_id}", summary="One claim", response_model=ClaimPublic,
            responses={404: ERRORS[404], 301: {"description": "a retired id"}})
async def api_claim(claim_id: str, db: DbDep):
    """One claim; an id retired by a re-ingest redirects to the claim now covering its lines."""
    conn = db.connection()
    record = claim_by_id(conn, claim_id) if len(claim_id) <= 64 else None
    if record is None:
        target = queries.retired_target(conn, claim_id) if len(claim_id) <= 64 else None
        if target and target.startswith("/claims/"):
            return RedirectResponse("/api" + target, status_code=301)
        raise HTTPException(404, f"no claim with id {claim_id[:64]!r}")
    return record


@router.get("/facets", summary="Facet counts", response_model=FacetsPublic)
async def api_facets(db: DbDep, query: ClaimQueryDep):
    """Facet counts (speaker, entity, type, theme, stance, kind, episode) for a query and filters."""
    results = run_search(db, query, facets=True)
    return {"query": results.query, "filters": _filters(query), "total": results.total,
            "facets": [{"field": f.field, "values": [{"id": i, "label": lab, "count": n} for i, lab, n in f.values]}
                       for f in results.facets]}


@router.get("/entities", summary="Entities", response_model=EntitiesPublic)
async def api_entities(db: DbDep, type: Annotated[list[EntityType] | None, Query()] = None,
                       page: PageQ = 1, page_size: SizeQ = 50):
    """Entities with their claim counts, most discussed first."""
    items = [e for e in db.lookups()["entities"].values() if not type or e["type"] in type]
    items.sort(key=lambda e: (-e["claims"], e["id"]))
    return _listing("entities", items, page, page_size, [("type", t) for t in type or ()])


@router.get("/entities/{entity_id}", summary="One entity, speakers × stance", response_model=EntityDetail,
            responses={404: ERRORS[404]})
async def api_entity(entity_id: str, db: DbDep):
    """One entity and who said what about it (speakers × stance counts)."""
    entity = db.lookups()["entities"].get(entity_id)
    if entity is None:
        raise HTTPException(404, f"no entity with id {entity_id[:64]!r}")
    return {**entity, "url": f"/entities/{entity_id}",
            "speakers_by_stance": queries.stance_matrix(db.connection(), entity_id)}


@router.get("/speakers", summary="Speakers", response_model=SpeakersPublic)
async def api_speakers(db: DbDep, page: PageQ = 1, page_size: SizeQ = 50):
    """Speakers with their claim counts."""
    items = sorted(db.lookups()["speakers"].values(), key=lambda s: (-s["claims"], s["id"]))
    return _listing("speakers", items, page, page_size)


@router.get("/speakers/{speaker_id}", summary="One speaker", response_model=SpeakerPublic, responses={404: ERRORS[404]})
async def api_speaker(speaker_id: str, db: DbDep):
    return _one(db, "speakers", speaker_id)


@router.get("/episodes", summary="Episodes", response_model=EpisodesPublic)
async def api_episodes(db: DbDep, page: PageQ = 1, page_size: SizeQ = 50):
    """Ingested episodes, newest first."""
    return _listing("episodes", list(db.lookups()["episodes"].values()), page, page_size)


@router.get("/episodes/{episode_id}", summary="One episode", response_model=EpisodePublic, responses={404: ERRORS[404]})
async def api_episode(episode_id: str, db: DbDep):
    return _one(db, "episodes", episode_id)


@router.get("/themes", summary="Themes", response_model=list[ThemePublic])
async def api_themes(db: DbDep):
    """The themes, with their claim counts."""
    return [{**t, "url": f"/themes/{t['id']}"} for t in db.lookups()["themes"].values()]


@health_router.get("/healthz", summary="Health check", response_model=HealthPublic, response_model_exclude_none=True,
                   responses={503: {"model": HealthPublic}})
async def healthz(db: DbDep):
    """200 while the database answers, 503 otherwise."""
    try:
        version = db.version()
        lookups = db.lookups()
    except Exception as exc:  # DatabaseUnavailable or sqlite3.Error: the site is down, say so
        return JSONResponse({"status": "unavailable", "detail": str(exc)}, status_code=503)
    return {"status": "ok", "data_version": version, "episodes": len(lookups["episodes"]),
            "claims": sum(e["claims"] for e in lookups["episodes"].values())}
