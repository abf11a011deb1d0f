"""HTML pages for one entity, speaker, theme or episode."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.web import queries
from app.web.deps import ClaimQuery, Database, DbDep, render, run_search
from app.web.labels import card
from app.web.pages import pager

router = APIRouter(include_in_schema=False)
PageParam = Annotated[int, Query(ge=1, le=10_000)]
EPISODES_SHOWN = 10  # a speaker page lists this many episodes, the rest folded (the narrator is in all)


def _claims_of(db: Database, field: str, value: str, page: int, path: str) -> dict:
    """One page of the claims filtered by one value, with a pager that stays on this page."""
    query = ClaimQuery(filters={field: (value,)}, page=page)
    results = run_search(db, query, facets=False)
    lookups = db.lookups()
    return {"results": results, "cards": [card(c, lookups) for c in results.claims],
            "pager": pager(query.without_filters().with_page(page), results.total, path),
            "all_url": query.with_page(1).url()}


def _top(conn, table: str, column: str, where: str, value: str, limit: int = 20):
    return queries.top_links(conn, table, column, where_sql=where, params=(value,), limit=limit)


def _stances(conn, where_join: str, value: str) -> dict[str, int]:
    return dict(conn.execute(f"SELECT c.stance, count(*) FROM claims c {where_join} GROUP BY c.stance", (value,)))


def _renamed(items: dict, item_id: str) -> str | None:
    """The one entity or speaker whose alias an unknown id is the slug of: ids are slugs of
    English names, and one changes when the lexicon learns a better name (ssi is now
    safe-superintelligence, with SSI as an alias), so an old link still finds its page."""
    from app.ingest.manifest import slugify

    hits = {i for i, it in items.items() for a in it.get("aliases") or () if a.isascii() and slugify(a) == item_id}
    return hits.pop() if len(hits) == 1 else None


def _moved(request: Request, db, kind: str, item_id: str) -> RedirectResponse | None:
    """A permanent redirect to the page an old id now has (see _renamed), if any."""
    items = db.lookups()[kind]
    if item_id in items or not (new := _renamed(items, item_id)):
        return None
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/{kind}/{new}{query}", status_code=301)


def _subject(db, kind: str, item_id: str, missing: str):
    """(lookups, the item, the connection, the claim query filtered to it) or an HTML 404."""
    field = {"entities": "entity", "speakers": "speaker", "themes": "theme"}[kind]
    lookups = db.lookups()
    item = lookups[kind].get(item_id)
    if item is None:
        raise HTTPException(404, f"{missing}：{item_id[:64]} (no such {field})")
    return lookups, item, db.connection(), ClaimQuery(filters={field: (item_id,)})


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
async def entity_page(request: Request, entity_id: str, db: DbDep, page: PageParam = 1):
    if moved := _moved(request, db, "entities", entity_id):
        return moved
    lookups, entity, conn, base = _subject(db, "entities", entity_id, "没有这个对象")
    matrix = [{**row, "url": base.toggled("speaker", row["speaker"]).url(),
               "cells": {s: base.toggled("speaker", row["speaker"]).toggled("stance", s).url()
                         for s in queries.STANCES}}
              for row in queries.stance_matrix(conn, entity_id)]
    in_claim = "c.id IN (SELECT claim_id FROM claim_entities WHERE entity_id = ?)"
    ctx = {"entity": entity, "lookups": lookups, "matrix": matrix, "stances": queries.STANCES,
           "stance_urls": {s: base.toggled("stance", s).url() for s in queries.STANCES},
           "themes": _top(conn, "claim_themes", "theme_id", in_claim, entity_id, 10),
           "related": [(e, n) for e, n in _top(conn, "claim_entities", "entity_id", in_claim, entity_id, 13)
                       if e != entity_id][:12],
           **_claims_of(db, "entity", entity_id, page, f"/entities/{entity_id}")}
    return render(request, "entity.html", ctx)


@router.get("/speakers/{speaker_id}", response_class=HTMLResponse)
async def speaker_page(request: Request, speaker_id: str, db: DbDep, page: PageParam = 1):
    if moved := _moved(request, db, "speakers", speaker_id):
        return moved
    lookups, speaker, conn, base = _subject(db, "speakers", speaker_id, "没有这位说话人")
    by_speaker = "c.id IN (SELECT claim_id FROM claim_speakers WHERE speaker_id = ?)"
    entities = _top(conn, "claim_entities", "entity_id", by_speaker, speaker_id, 24)
    themes = _top(conn, "claim_themes", "theme_id", by_speaker, speaker_id, 17)
    episodes = [ep for ep_id, ep in lookups["episodes"].items() if speaker_id in lookups["roles"].get(ep_id, {})]
    ctx = {"speaker": speaker, "lookups": lookups, "episodes": episodes, "episodes_shown": EPISODES_SHOWN,
           "entities": [(e, n, base.toggled("entity", e).url()) for e, n in entities],
           "themes": [(t, n, base.toggled("theme", t).url()) for t, n in themes],
           "stances": _stances(conn, "JOIN claim_speakers s ON s.claim_id = c.id WHERE s.speaker_id = ?", speaker_id),
           "stance_urls": {s: base.toggled("stance", s).url() for s in queries.STANCES},
           **_claims_of(db, "speaker", speaker_id, page, f"/speakers/{speaker_id}")}
    return render(request, "speaker.html", ctx)


@router.get("/themes/{theme_id}", response_class=HTMLResponse)
async def theme_page(request: Request, theme_id: str, db: DbDep, page: PageParam = 1):
    lookups, theme, conn, base = _subject(db, "themes", theme_id, "没有这个主题")
    in_theme = "c.id IN (SELECT claim_id FROM claim_themes WHERE theme_id = ?)"
    ctx = {"theme": theme, "lookups": lookups,
           "entities": [(e, n, base.toggled("entity", e).url())
                        for e, n in _top(conn, "claim_entities", "entity_id", in_theme, theme_id, 20)],
           "speakers": [(s, n, base.toggled("speaker", s).url())
                        for s, n in _top(conn, "claim_speakers", "speaker_id", in_theme, theme_id, 12)],
           "stances": _stances(conn, "JOIN claim_themes t ON t.claim_id = c.id WHERE t.theme_id = ?", theme_id),
           "stance_urls": {s: base.toggled("stance", s).url() for s in queries.STANCES},
           **_claims_of(db, "theme", theme_id, page, f"/themes/{theme_id}")}
    return render(request, "theme.html", ctx)


@router.get("/episodes/{episode_id}", response_class=HTMLResponse)
async def episode_page(request: Request, episode_id: str, db: DbDep):
    lookups = db.lookups()
    episode = lookups["episodes"].get(episode_id)
    if episode is None:
        raise HTTPException(404, f"没有这期节目：{episode_id[:64]} (no such episode)")
    segments = queries.episode_segments(db.connection(), episode_id)
    people = sorted(lookups["roles"].get(episode_id, {}).items(),
                    key=lambda kv: ({"host": 0, "guest": 1, "found": 2}.get(kv[1], 3), kv[0]))
    ctx = {"episode": episode, "lookups": lookups, "segments": segments, "people": people,
           "claims_url": ClaimQuery(filters={"episode": (episode_id,)}).url()}
    return render(request, "episode.html", ctx)


@router.get("/episodes", response_class=HTMLResponse)
async def episodes_index(request: Request, db: DbDep):
    lookups = db.lookups()
    return render(request, "episodes.html", {"lookups": lookups, "episodes": list(lookups["episodes"].values())})
