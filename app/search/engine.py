"""search_claims: FTS5 retrieval over a bounded window, re-ranking, filters and facets.

How the work stays bounded on big databases, and what stays exact:
- One pass reads (rowid, bm25) of the newest RANK_CAP + 1 matches (FTS5 walks rowids in order
  and stops; bm25 is computed only for those rows). When the query matches at most RANK_CAP
  claims that is the whole set: ranking, total and facets are exact. Above it (a common word)
  the newest RANK_CAP matches are ranked, the total is a count capped at COUNT_CAP
  (`total_exact` False when over), and claims matching ALL the query's concepts are read by
  a second bounded pass, so a specific multi-word query still finds its best claims anywhere.
- The best CANDIDATES rows by bm25 (more for deep pages) are re-ranked in Python: coverage of
  the query's concepts, exact entity match (claim_entities), theme agreement, proximity.
- Facets count the result set when it has at most FACET_CAP claims; otherwise the newest
  FACET_CAP of it (Facet.exact False). Costly results are cached per database state.
- Browsing (empty query) reads episode by episode from the newest and stops at the page.
- Filters: normally each FTS match is joined to claims and checked (EXISTS on the link tables).
  When one indexed field (speaker, entity, theme, episode) holds at most SMALL_FILTER claims
  and the query matches SET_VS_SCAN times more, the filter's rowid set is read first and each
  match is only looked up in it: the same rows, order and bm25, without the per-match join.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

from app.records import claims_by_rowid
from app.search.highlight import highlight
from app.search.query import ParsedQuery, parse_query

RANK_CAP = 4000
CANDIDATES = 120
FACET_CAP = 1500
COUNT_CAP = 50000
SMALL_FILTER = 30000  # a filter this selective is turned into its rowid set before the FTS scan
FACET_FIELDS = ("speaker", "entity", "type", "theme", "stance", "kind", "episode")
BM25_WEIGHTS = (1.0, 2.0)  # search_text, entity_text
FACET_VALUES_MAX = 50
SYNONYM_CREDIT = 0.5
BM25_SHARE = 0.3
THEME_SHARE = 0.3  # the extractor's theme for the claim agrees with a theme the query names
RERANK_TOKENS = 400  # proximity and coverage look at a claim's first tokens only (claims are short)


@dataclass
class SearchFilters:
    """Each None or a list of ids: OR within a field, AND across fields."""

    speaker: list[str] | None = None
    entity: list[str] | None = None
    type: list[str] | None = None  # entity type
    theme: list[str] | None = None
    stance: list[str] | None = None
    kind: list[str] | None = None
    episode: list[str] | None = None

    def active(self) -> dict[str, list[str]]:
        out = {}
        for name in FACET_FIELDS:
            vals = getattr(self, name)
            if isinstance(vals, str):
                vals = [vals]
            vals = [str(v) for v in (vals or []) if v is not None and str(v) != ""]
            if vals:
                out[name] = sorted(set(vals))
        return out


@dataclass
class Facet:
    field: str
    values: list[tuple[str, str, int]]  # (id, label, count), by count desc
    exact: bool = True


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    page_size: int
    claims: list[dict]
    facets: list[Facet] = field(default_factory=list)
    total_exact: bool = True


# ---------------------------------------------------------------- filters

_FILTER_SQL = {
    "speaker": "EXISTS (SELECT 1 FROM claim_speakers x WHERE x.claim_id = c.id AND x.speaker_id IN ({}))",
    "entity": "EXISTS (SELECT 1 FROM claim_entities x WHERE x.claim_id = c.id AND x.entity_id IN ({}))",
    "type": "EXISTS (SELECT 1 FROM claim_entities x JOIN entities y ON y.id = x.entity_id"
            " WHERE x.claim_id = c.id AND y.type IN ({}))",
    "theme": "EXISTS (SELECT 1 FROM claim_themes x WHERE x.claim_id = c.id AND x.theme_id IN ({}))",
    "stance": "c.stance IN ({})",
    "kind": "c.kind IN ({})",
    "episode": "c.episode_id IN ({})",
}


def _filter_clause(filters: SearchFilters | None, sql: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """WHERE clause and parameters for the filters; `sql` overrides some fields' SQL (browsing)."""
    active = (filters or SearchFilters()).active()
    parts, params = [], []
    for name, vals in active.items():
        parts.append((sql or {}).get(name, _FILTER_SQL[name]).format(",".join("?" * len(vals))))
        params.extend(vals)
    return " AND ".join(parts), params


# ---------------------------------------------------------------- cache

class _Cache:
    """Small LRU keyed by the database's state, so a new ingest invalidates it."""

    def __init__(self, size: int = 256):
        self.size, self.data, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
            return None

    def put(self, key, value):
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)

    def clear(self):
        with self.lock:
            self.data.clear()


CACHE = _Cache()


def _db_state(conn: sqlite3.Connection) -> tuple:
    row = conn.execute(
        "SELECT (SELECT max(rowid) FROM claims), (SELECT count(*) FROM episodes), (SELECT max(ingested_at) FROM episodes)"
    ).fetchone()
    name = conn.execute("PRAGMA database_list").fetchone()[2] or f"memory:{id(conn)}"
    # data_version moves when another connection commits, total_changes when this one writes
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    return (name, tuple(row), id(conn), version, conn.total_changes)


# ---------------------------------------------------------------- retrieval

# A small filter set as a membership test on the FTS rowid: the unary + keeps SQLite from
# driving the FTS table by it (one full-text query per rowid); the set is built once per
# statement, and every match is then checked with a lookup instead of a join and EXISTS.
_ROWID_FILTER = "+f.rowid IN (SELECT value FROM json_each(?))"

# Per field: its claims counted on an index (bounded), and its claims' rowids with c bound.
_DRIVERS = {
    "speaker": ("SELECT 1 FROM claim_speakers WHERE speaker_id IN ({})",
                "claim_speakers x JOIN claims c ON c.id = x.claim_id WHERE x.speaker_id IN ({})"),
    "entity": ("SELECT 1 FROM claim_entities WHERE entity_id IN ({})",
               "claim_entities x JOIN claims c ON c.id = x.claim_id WHERE x.entity_id IN ({})"),
    "theme": ("SELECT 1 FROM claim_themes WHERE theme_id IN ({})",
              "claim_themes x JOIN claims c ON c.id = x.claim_id WHERE x.theme_id IN ({})"),
    "episode": ("SELECT 1 FROM claims WHERE episode_id IN ({})", "claims c WHERE c.episode_id IN ({})"),
}
SET_VS_SCAN = 2  # the set pays when the query matches this many times more claims than the filter holds


def _small_filter_set(conn, filters: SearchFilters | None, expr: str) -> list[int] | None:
    """Rowids of the claims passing the filters when one indexed field bounds them to at most
    SMALL_FILTER (counted on its index) and the query matches SET_VS_SCAN times more claims
    (FTS5 counts without ranking); None otherwise, and the FTS scan checks each match as before.

    The scans then test each FTS match against this set instead of joining claims and running
    the filter's EXISTS on every match: the same rows in the same order with the same bm25
    (which does not depend on the filter), at a fraction of the cost when a common word meets a
    narrow filter (AI + one speaker).
    """
    active = (filters or SearchFilters()).active()
    best = None
    for name, (count_sql, _) in _DRIVERS.items():
        if name in active:
            vals = active[name]
            n = conn.execute(f"SELECT count(*) FROM ({count_sql.format(','.join('?' * len(vals)))} LIMIT ?)",
                             [*vals, SMALL_FILTER + 1]).fetchone()[0]
            if n <= SMALL_FILTER and (best is None or n < best[0]):
                best = (n, name)
    if best is None:
        return None
    n, name = best
    cap = SET_VS_SCAN * n
    matches = conn.execute("SELECT count(*) FROM (SELECT 1 FROM claims_fts WHERE claims_fts MATCH ? LIMIT ?)",
                           [expr, cap + 1]).fetchone()[0]
    if matches <= cap:
        return None
    vals = active[name]
    rest_sql, rest_params = _filter_clause(SearchFilters(**{k: v for k, v in active.items() if k != name}))
    drive = _DRIVERS[name][1].format(",".join("?" * len(vals)))
    sql = f"SELECT c.rowid FROM {drive}" + (f" AND {rest_sql}" if rest_sql else "")
    return [r[0] for r in conn.execute(sql, [*vals, *rest_params])]


def _fts_from(filter_sql: str) -> tuple[str, str]:
    """FROM and extra WHERE for an FTS query, joining claims only when a filter needs it."""
    if filter_sql == _ROWID_FILTER:
        return "claims_fts f", f" AND {filter_sql}"
    if filter_sql:
        return "claims_fts f CROSS JOIN claims c ON c.rowid = f.rowid", f" AND {filter_sql}"  # FTS drives
    return "claims_fts f", ""


def _scan(conn, expr: str, filter_sql: str, params: list) -> list[tuple[int, float]]:
    """(rowid, bm25) of the newest RANK_CAP + 1 matches: one pass that tells whether the set is
    small (then it is all of it) and otherwise is the window that gets ranked."""
    frm, extra = _fts_from(filter_sql)
    w = ", ".join(str(x) for x in BM25_WEIGHTS)
    sql = (f"SELECT f.rowid, bm25(claims_fts, {w}) FROM {frm} WHERE claims_fts MATCH ?{extra}"
           " ORDER BY f.rowid DESC LIMIT ?")
    return [(r[0], r[1]) for r in conn.execute(sql, [expr, *params, RANK_CAP + 1])]


def _capped_count(conn, expr: str, filter_sql: str, params: list) -> tuple[int, bool]:
    frm, extra = _fts_from(filter_sql)
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {frm} WHERE claims_fts MATCH ?{extra} LIMIT ?)"
    n = conn.execute(sql, [expr, *params, COUNT_CAP + 1]).fetchone()[0]
    return (n, True) if n <= COUNT_CAP else (COUNT_CAP, False)


# ---------------------------------------------------------------- re-ranking

@lru_cache(maxsize=4096)
def _spellings(name: str, aliases: str | None) -> tuple[tuple[str, ...], ...]:
    """Index token tuples of a speaker's name and aliases (the speakers row's JSON list)."""
    from app.text.tokenize import tokens

    try:
        forms = [name] + [str(a) for a in (json.loads(aliases) if aliases else [])]
    except (TypeError, ValueError):
        forms = [name]
    out: list[tuple[str, ...]] = []
    for form in forms:
        toks = tuple(t.text for t in tokens(str(form or ""), subwords=False) if t.text.strip())
        if toks and toks not in out:
            out.append(toks)
    return tuple(out)


_SPEAKER_NAMES = _Cache(16)  # vocabulary, not results: kept apart from CACHE, keyed by the same state


def _speaker_names(conn, state) -> dict[str, tuple[str, list[tuple[str, ...]]]]:
    """Single index token of a speaker's name or alias → (speaker id, token tuples of all its
    spellings); cached per database state. A token two speakers share names neither."""
    names = _SPEAKER_NAMES.get(state)
    if names is None:
        names, clash = {}, set()
        try:
            rows = conn.execute("SELECT id, name, aliases FROM speakers").fetchall()
        except sqlite3.Error:
            rows = []
        for sid, name, aliases in rows:
            spellings = list(_spellings(str(name or ""), aliases))
            for toks in spellings:
                if len(toks) == 1 and len(toks[0]) > 1:
                    if toks[0] in names and names[toks[0]][0] != sid:
                        clash.add(toks[0])
                    names[toks[0]] = (sid, spellings)
        names = {k: v for k, v in names.items() if k not in clash}
        _SPEAKER_NAMES.put(state, names)
    return names


def _entity_hit(query_entity: str, claim_entities: list[str]) -> float:
    """1 when the claim names the entity (or a version of it: llama → llama-4), 0.5 for its
    family or maker (deepseek-r1 → deepseek), else 0."""
    best = 0.0
    for e in claim_entities:
        if e == query_entity or e.startswith(query_entity + "-"):
            return 1.0
        if query_entity.startswith(e + "-"):
            best = 0.5
    return best


def _rerank(conn, pq: ParsedQuery, scored: dict[int, float]) -> list[tuple[int, float]]:
    rows = conn.execute(
        f"SELECT c.rowid, substr(c.search_text, 1, {RERANK_TOKENS * 4}), (SELECT group_concat(x.entity_id, ' ') FROM claim_entities x"
        " WHERE x.claim_id = c.id), (SELECT group_concat(x.theme_id, ' ') FROM claim_themes x WHERE x.claim_id = c.id),"
        " (SELECT group_concat(x.speaker_id, ' ') FROM claim_speakers x WHERE x.claim_id = c.id)"
        " FROM claims c WHERE c.rowid IN (SELECT value FROM json_each(?))",
        [json.dumps(list(scored))],
    ).fetchall()
    texts = {r[0]: r[1].split() for r in rows}
    claim_ents = {r[0]: (r[2] or "").split() for r in rows}
    claim_themes = {r[0]: set((r[3] or "").split()) for r in rows}
    claim_speakers = {r[0]: set((r[4] or "").split()) for r in rows}
    best = max((-s for s in scored.values()), default=1.0) or 1.0
    qents = pq.entities
    n = len(pq.concepts)
    out = []
    for rid, bm in scored.items():
        toks = texts.get(rid, [])
        joined = " " + " ".join(toks) + " "
        ents = claim_ents.get(rid, [])
        positions = []
        hits = 0.0
        for c in pq.concepts:
            ent_hit = max((_entity_hit(e, ents) for e in c.entities), default=0.0)
            if c.speakers and claim_speakers.get(rid, set()) & set(c.speakers):
                ent_hit = 1.0  # the person named in the query says it
            terms, exact = c.terms(), c.exact_terms()
            pos = [i for i, t in enumerate(toks) if t in terms]
            phrase_hit = any(len(a) > 1 and (" " + " ".join(a) + " ") in joined for a in c.alternatives)
            if ent_hit == 1.0 or any(toks[i] in exact for i in pos):
                hits += 1.0
            elif pos or phrase_hit or ent_hit:
                hits += max(ent_hit, SYNONYM_CREDIT)  # a synonym or the family only: below the word typed
            positions.append(pos)
        coverage = hits / n if n else 0.0
        entity = sum(_entity_hit(e, ents) for e in qents) / len(qents) if qents else 0.0
        proximity = 0.0
        pairs = [(a, b) for a, b in zip(positions, positions[1:]) if a and b]
        if pairs:
            close = sum(1 for a, b in pairs if min(abs(x - y) for x in a for y in b) <= 12)
            proximity = close / max(1, n - 1)
        theme = len(claim_themes.get(rid, set()) & set(pq.themes)) / len(pq.themes) if pq.themes else 0.0
        score = 1.0 * coverage + 0.6 * entity + 0.3 * proximity + THEME_SHARE * theme + BM25_SHARE * (-bm / best)
        out.append((rid, round(score, 6)))
    out.sort(key=lambda x: (-x[1], -x[0]))
    return out


# ---------------------------------------------------------------- facets

_FACET_SQL = """
WITH r AS MATERIALIZED (SELECT c.id, c.episode_id, c.stance, c.kind FROM claims c WHERE {where})
SELECT 'speaker', x.speaker_id, count(*) FROM r CROSS JOIN claim_speakers x ON x.claim_id = r.id GROUP BY 2
UNION ALL SELECT 'entity', x.entity_id, count(*) FROM r CROSS JOIN claim_entities x ON x.claim_id = r.id GROUP BY 2
UNION ALL SELECT 'type', y.type, count(DISTINCT r.id) FROM r CROSS JOIN claim_entities x ON x.claim_id = r.id
          JOIN entities y ON y.id = x.entity_id GROUP BY 2
UNION ALL SELECT 'theme', x.theme_id, count(*) FROM r CROSS JOIN claim_themes x ON x.claim_id = r.id GROUP BY 2
UNION ALL SELECT 'stance', r.stance, count(*) FROM r GROUP BY 2
UNION ALL SELECT 'kind', r.kind, count(*) FROM r GROUP BY 2
UNION ALL SELECT 'episode', r.episode_id, count(*) FROM r GROUP BY 2
"""

_LABEL_SQL = {
    "speaker": "SELECT id, name FROM speakers WHERE id IN ({})",
    "entity": "SELECT id, CASE WHEN name_zh IS NOT NULL AND name_zh != '' AND name_zh != name"
              " THEN name || ' ' || name_zh ELSE name END FROM entities WHERE id IN ({})",
    "theme": "SELECT id, name_zh FROM themes WHERE id IN ({})",
    "episode": "SELECT id, CASE WHEN title != '' THEN title ELSE id END FROM episodes WHERE id IN ({})",
}
_FIXED_LABELS = {
    "type": {"model": "模型 model", "company": "公司 company", "product": "产品 product", "person": "人物 person"},
    "stance": {"positive": "正面 positive", "negative": "负面 negative", "neutral": "中性 neutral", "mixed": "两面 mixed"},
    "kind": {"prediction": "预测 prediction", "fact": "事实 fact", "opinion": "观点 opinion", "advice": "建议 advice"},
}


def _facets_for(conn, where: str, params: list, exact: bool) -> list[Facet]:
    counts: dict[str, list[tuple[str, int]]] = {f: [] for f in FACET_FIELDS}
    for fld, val, n in conn.execute(_FACET_SQL.format(where=where), params):
        if val is not None:
            counts[fld].append((val, n))
    facets = []
    for fld in FACET_FIELDS:
        vals = sorted(counts[fld], key=lambda x: (-x[1], x[0]))[:FACET_VALUES_MAX]
        labels = dict(_FIXED_LABELS.get(fld, {}))
        if fld in _LABEL_SQL and vals:
            ids = [v for v, _ in vals]
            labels.update({r[0]: r[1] for r in conn.execute(_LABEL_SQL[fld].format(",".join("?" * len(ids))), ids)})
        facets.append(Facet(fld, [(v, labels.get(v, v), n) for v, n in vals], exact))
    return facets


def _facets_over_rowids(conn, rowids: list[int], exact: bool) -> list[Facet]:
    return _facets_for(conn, "c.rowid IN (SELECT value FROM json_each(?))", [json.dumps(rowids)], exact)


# ---------------------------------------------------------------- entry point

def search_claims(
    conn: sqlite3.Connection,
    q: str = "",
    filters: SearchFilters | None = None,
    *,
    page: int = 1,
    page_size: int = 20,
    facets: bool = True,
) -> SearchResults:
    """Claims matching `q` (ranked) or, with an empty `q`, browsing by filters (newest episode first)."""
    try:
        page = max(1, int(page))
    except (TypeError, ValueError):
        page = 1
    try:
        page_size = max(1, min(200, int(page_size)))
    except (TypeError, ValueError):
        page_size = 20
    q = q if isinstance(q, str) else ("" if q is None else str(q))
    if not q.strip():
        return _browse(conn, q, filters, page, page_size, facets)
    filter_sql, params = _filter_clause(filters)
    pq = parse_query(q)
    if pq.empty:
        return SearchResults(q, 0, page, page_size, [], [], True)
    pq.add_speakers(_speaker_names(conn, _db_state(conn)))
    return _search(conn, q, pq, filter_sql, params, page, page_size, facets, filters)


_BROWSE_FILTER_SQL = {  # IN-subqueries let SQLite drive a filtered browse from the link-table indexes
    "speaker": "c.id IN (SELECT claim_id FROM claim_speakers WHERE speaker_id IN ({}))",
    "entity": "c.id IN (SELECT claim_id FROM claim_entities WHERE entity_id IN ({}))",
    "type": "c.id IN (SELECT x.claim_id FROM claim_entities x JOIN entities y ON y.id = x.entity_id WHERE y.type IN ({}))",
    "theme": "c.id IN (SELECT claim_id FROM claim_themes WHERE theme_id IN ({}))",
}



def _episodes_by_date(conn, state) -> list[tuple[str, int]]:
    """(episode id, claim count), newest first; cached per database state."""
    key = (state, "episodes")
    eps = CACHE.get(key)
    if eps is None:
        counts = dict(conn.execute("SELECT episode_id, count(*) FROM claims GROUP BY episode_id").fetchall())
        eps = [(r[0], counts.get(r[0], 0)) for r in conn.execute("SELECT id FROM episodes ORDER BY date DESC, id")]
        CACHE.put(key, eps)
    return eps


def _walk_episodes(conn, state, where: str, params: list, start: int, stop: int) -> list[int]:
    """Rowids [start:stop] in browse order, reading episode by episode (newest first)."""
    out: list[int] = []
    seen = 0
    for eid, count in _episodes_by_date(conn, state):
        if not where and seen + count <= start:
            seen += count  # a whole episode before the page: skip it without reading
            continue
        cond = f" AND {where}" if where else ""
        rows = [r[0] for r in conn.execute(
            f"SELECT c.rowid FROM claims c WHERE c.episode_id = ?{cond} ORDER BY c.seq", [eid, *params])]
        for rid in rows:
            if start <= seen < stop:
                out.append(rid)
            seen += 1
        if seen >= stop:
            break
    return out


def _browse(conn, q, filters, page, page_size, want_facets) -> SearchResults:
    """Browse in episode date order. Small filtered sets are sorted by SQL; big ones (or no
    filter) are read episode by episode from the newest, which stops once the page is full."""
    where, params = _filter_clause(filters, _BROWSE_FILTER_SQL)
    state = _db_state(conn)
    key = (state, "browse", where, tuple(params))
    cached = CACHE.get(key)
    if cached is None:
        if where:
            n = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM claims c WHERE {where} LIMIT ?)",
                             [*params, COUNT_CAP + 1]).fetchone()[0]
            cached = (min(n, COUNT_CAP), n <= COUNT_CAP)
        else:
            cached = (conn.execute("SELECT count(*) FROM claims").fetchone()[0], True)
        CACHE.put(key, cached)
    total, total_exact = cached
    exists_where, exists_params = _filter_clause(filters)

    def browse_rowids(start: int, stop: int) -> list[int]:
        if where and total <= RANK_CAP:  # a small filtered set: let SQL sort it
            return [r[0] for r in conn.execute(
                f"SELECT c.rowid FROM claims c JOIN episodes e ON e.id = c.episode_id WHERE {where}"
                " ORDER BY e.date DESC, c.episode_id, c.seq LIMIT ? OFFSET ?", [*params, stop - start, start])]
        return _walk_episodes(conn, state, exists_where, exists_params, start, stop)

    rowids = browse_rowids((page - 1) * page_size, page * page_size)
    facet_list: list[Facet] = []
    if want_facets:
        fkey = (state, "browse-facets", where, tuple(params))
        facet_list = CACHE.get(fkey)
        if facet_list is None:
            if total_exact and total <= FACET_CAP:
                facet_list = _facets_for(conn, where or "1", params, True)
            else:  # a bounded set: the newest FACET_CAP claims of the result set
                facet_list = _facets_over_rowids(conn, browse_rowids(0, FACET_CAP), False)
            CACHE.put(fkey, facet_list)
    records = claims_by_rowid(conn, rowids)
    for rec in records:
        rec["score"] = None
        rec["highlight"] = highlight(rec["text"], None)
    return SearchResults(q, total, page, page_size, records, facet_list, total_exact)


def _search(conn, q, pq: ParsedQuery, filter_sql, params, page, page_size, want_facets, filters=None) -> SearchResults:
    state = _db_state(conn)
    key = (state, "search", pq.match_any(), filter_sql, tuple(params))
    cached = CACHE.get(key)
    if cached is None or len(cached[0]) < page * page_size <= cached[4]:
        cached = _rank(conn, pq, filter_sql, params, page * page_size, filters)
        CACHE.put(key, cached)
    ranked, total, total_exact, facet_rowids, reachable = cached
    start = (page - 1) * page_size
    page_rows = ranked[start:start + page_size]
    records = claims_by_rowid(conn, [r for r, _ in page_rows])
    for (_, score), rec in zip(page_rows, records):
        rec["score"] = score
        rec["highlight"] = highlight(rec["text"], pq)
    facet_list: list[Facet] = []
    if want_facets:
        fkey = (state, "facets", pq.match_any(), filter_sql, tuple(params))
        facet_list = CACHE.get(fkey)
        if facet_list is None:
            exact = total_exact and len(facet_rowids) == total
            facet_list = _facets_over_rowids(conn, facet_rowids, exact)
            CACHE.put(fkey, facet_list)
    return SearchResults(q, total, page, page_size, records, facet_list, total_exact)


def _rank(conn, pq: ParsedQuery, filter_sql, params, want: int, filters: SearchFilters | None = None):
    """(ranked [(rowid, score)], total, total_exact, facet rowids, rows reachable by paging)."""
    any_expr = pq.match_any()
    if filter_sql:
        small = _small_filter_set(conn, filters, any_expr)
        if small is not None:
            if not small:
                return [], 0, True, [], 0
            filter_sql, params = _ROWID_FILTER, [json.dumps(small)]
    rows = _scan(conn, any_expr, filter_sql, params)
    if not rows:
        return [], 0, True, [], 0
    windowed = len(rows) > RANK_CAP
    rows = rows[:RANK_CAP]
    total, total_exact = _capped_count(conn, any_expr, filter_sql, params) if windowed else (len(rows), True)
    facet_rowids = [r for r, _ in rows[:FACET_CAP]]
    limit = max(CANDIDATES, want)
    scored: dict[int, float] = dict(sorted(rows, key=lambda r: r[1])[:limit])
    if len(pq.concepts) > 1 and windowed:
        # claims matching every concept, found beyond the window too; bm25 sums over the same
        # phrases in the AND and OR forms, so their scores compare with the others
        for rid, bm in sorted(_scan(conn, pq.match_all(), filter_sql, params)[:RANK_CAP], key=lambda r: r[1])[:limit]:
            scored.setdefault(rid, bm)
    ranked = _rerank(conn, pq, scored)
    return ranked, total, total_exact, facet_rowids, len(rows)
