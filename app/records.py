"""Claim records as the interface defines them, read from the database in bulk."""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator

RECORD_FIELDS = [
    "id", "episode", "file", "line_start", "line_end", "text", "speakers", "attribution",
    "cue_line", "entities", "themes", "stance", "kind", "url",
]

_BASE = """SELECT c.rowid AS rowid, c.id, c.episode_id AS episode, e.file, c.line_start, c.line_end, c.text,
                  c.attribution, c.cue_line, c.stance, c.kind
           FROM claims c JOIN episodes e ON e.id = c.episode_id"""


def _links(conn: sqlite3.Connection, table: str, column: str, ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT claim_id, {column} FROM {table} WHERE claim_id IN ({marks}) ORDER BY claim_id, position", chunk
        ):
            out[row[0]].append(row[1])
    return out


def _assemble(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[dict]:
    ids = [r["id"] for r in rows]
    speakers = _links(conn, "claim_speakers", "speaker_id", ids)
    entities = _links(conn, "claim_entities", "entity_id", ids)
    themes = _links(conn, "claim_themes", "theme_id", ids)
    records = []
    for r in rows:
        rec = {k: r[k] for k in ("id", "episode", "file", "line_start", "line_end", "text")}
        rec["speakers"] = speakers.get(r["id"], [])
        rec["attribution"] = r["attribution"]
        rec["cue_line"] = r["cue_line"]
        rec["entities"] = entities.get(r["id"], [])
        rec["themes"] = themes.get(r["id"], [])
        rec["stance"] = r["stance"]
        rec["kind"] = r["kind"]
        rec["url"] = f"/claims/{r['id']}"
        records.append(rec)
    return records


def claims_by_rowid(conn: sqlite3.Connection, rowids: list[int]) -> list[dict]:
    """Records for these claim rowids, in the order given."""
    if not rowids:
        return []
    found: dict[int, sqlite3.Row] = {}
    for start in range(0, len(rowids), 500):
        chunk = rowids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"{_BASE} WHERE c.rowid IN ({marks})", chunk):
            found[row["rowid"]] = row
    rows = [found[r] for r in rowids if r in found]
    return _assemble(conn, rows)


def claim_by_id(conn: sqlite3.Connection, claim_id: str) -> dict | None:
    rows = conn.execute(f"{_BASE} WHERE c.id = ?", (claim_id,)).fetchall()
    return _assemble(conn, rows)[0] if rows else None


def iter_claims(conn: sqlite3.Connection, *, episode: str | None = None, batch: int = 1000) -> Iterator[dict]:
    """Every claim (or one episode's), ordered by episode and position, in batches."""
    where, params = ("WHERE c.episode_id = ?", [episode]) if episode else ("", [])
    cur = conn.execute(f"{_BASE} {where} ORDER BY c.episode_id, c.seq", params)
    while True:
        rows = cur.fetchmany(batch)
        if not rows:
            return
        yield from _assemble(conn, rows)


def as_csv_row(record: dict) -> dict:
    """Lists become ';'-joined strings for CSV."""
    return {k: ";".join(v) if isinstance(v, list) else ("" if v is None else v) for k, v in record.items() if k in RECORD_FIELDS}


def only_fields(records: Iterable[dict], extra: tuple[str, ...] = ()) -> list[dict]:
    keep = RECORD_FIELDS + list(extra)
    return [{k: r[k] for k in keep if k in r} for r in records]
