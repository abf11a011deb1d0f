"""Read-only SQL for the pages beyond search: names, counts, matrices, transcripts."""
from __future__ import annotations

import json
import sqlite3

from app.records import claim_by_id, iter_claims

STANCES = ("positive", "negative", "mixed", "neutral")


def load_lookups(conn: sqlite3.Connection) -> dict:
    """Every id's display data, with claim counts: small tables, loaded once per data_version."""
    counts = {
        "speakers": dict(conn.execute("SELECT speaker_id, count(*) FROM claim_speakers GROUP BY speaker_id")),
        "entities": dict(conn.execute("SELECT entity_id, count(*) FROM claim_entities GROUP BY entity_id")),
        "themes": dict(conn.execute("SELECT theme_id, count(*) FROM claim_themes GROUP BY theme_id")),
        "episodes": dict(conn.execute("SELECT episode_id, count(*) FROM claims GROUP BY episode_id")),
    }
    speakers = {
        r["id"]: {"id": r["id"], "name": r["name"], "aliases": json.loads(r["aliases"] or "[]"),
                  "claims": counts["speakers"].get(r["id"], 0)}
        for r in conn.execute("SELECT id, name, aliases FROM speakers ORDER BY id")
    }
    entities = {}
    for r in conn.execute("SELECT id, type, name, name_zh, aliases FROM entities ORDER BY id"):
        name_zh = r["name_zh"] or None
        entities[r["id"]] = {
            "id": r["id"], "type": r["type"], "name": r["name"], "name_zh": name_zh,
            "aliases": json.loads(r["aliases"] or "[]"), "claims": counts["entities"].get(r["id"], 0),
            "label": f"{r['name']}（{name_zh}）" if name_zh and name_zh != r["name"] else r["name"],
        }
    themes = {
        r["id"]: {"id": r["id"], "name_zh": r["name_zh"], "name_en": r["name_en"],
                  "claims": counts["themes"].get(r["id"], 0)}
        for r in conn.execute("SELECT id, name_zh, name_en FROM themes ORDER BY id")
    }
    episodes = {}
    for r in conn.execute(
        "SELECT id, file, title, podcast, date, language, channel, source_url, line_count FROM episodes"
        " ORDER BY date DESC, id"
    ):
        episodes[r["id"]] = {**dict(r), "title": r["title"] or r["id"], "claims": counts["episodes"].get(r["id"], 0)}
    roles: dict[str, dict[str, str]] = {}
    for r in conn.execute("SELECT episode_id, speaker_id, role FROM episode_speakers"):
        roles.setdefault(r["episode_id"], {})[r["speaker_id"]] = r["role"]
    return {"speakers": speakers, "entities": entities, "themes": themes, "episodes": episodes, "roles": roles}


def source_lines(conn: sqlite3.Connection, episode_id: str) -> list[str]:
    row = conn.execute("SELECT source_text FROM episodes WHERE id = ?", (episode_id,)).fetchone()
    return row["source_text"].split("\n") if row else []


def claim_page_data(conn: sqlite3.Connection, claim_id: str, *, context: int = 3) -> dict | None:
    """A claim with its context lines, cue line and neighbours in the episode."""
    claim = claim_by_id(conn, claim_id)
    if claim is None:
        return None
    seq = conn.execute("SELECT seq FROM claims WHERE id = ?", (claim_id,)).fetchone()["seq"]
    prev_row = conn.execute("SELECT id, text FROM claims WHERE episode_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1",
                            (claim["episode"], seq)).fetchone()
    next_row = conn.execute("SELECT id, text FROM claims WHERE episode_id = ? AND seq > ? ORDER BY seq LIMIT 1",
                            (claim["episode"], seq)).fetchone()
    lines = source_lines(conn, claim["episode"])
    start = max(1, claim["line_start"] - context)
    end = min(len(lines), claim["line_end"] + context)
    ctx = [{"n": n, "text": lines[n - 1], "in_claim": claim["line_start"] <= n <= claim["line_end"]}
           for n in range(start, end + 1)]
    cue = None
    if claim["cue_line"] and 1 <= claim["cue_line"] <= len(lines):
        cue = {"n": claim["cue_line"], "text": lines[claim["cue_line"] - 1]}
    return {"claim": claim, "context": ctx, "cue": cue,
            "prev": dict(prev_row) if prev_row else None, "next": dict(next_row) if next_row else None}


def retired_target(conn: sqlite3.Connection, claim_id: str) -> str | None:
    """Where an old claim id now points: the claim covering most of its lines, else its episode."""
    old = conn.execute("SELECT episode_id, line_start, line_end FROM retired_claims WHERE id = ?", (claim_id,)).fetchone()
    if old is None:
        return None
    row = conn.execute(
        """SELECT id, min(line_end, ?) - max(line_start, ?) AS overlap FROM claims
           WHERE episode_id = ? AND line_start <= ? AND line_end >= ?
           ORDER BY overlap DESC, seq LIMIT 1""",
        (old["line_end"], old["line_start"], old["episode_id"], old["line_end"], old["line_start"]),
    ).fetchone()
    if row:
        return f"/claims/{row['id']}"
    if conn.execute("SELECT 1 FROM episodes WHERE id = ?", (old["episode_id"],)).fetchone():
        return f"/episodes/{old['episode_id']}#L{old['line_start']}"
    return None


def stance_matrix(conn: sqlite3.Connection, entity_id: str) -> list[dict]:
    """Speakers × stance counts of the claims about one entity, busiest speaker first."""
    rows = conn.execute(
        """SELECT cs.speaker_id AS speaker, c.stance AS stance, count(*) AS n
           FROM claim_entities ce JOIN claims c ON c.id = ce.claim_id
           JOIN claim_speakers cs ON cs.claim_id = ce.claim_id
           WHERE ce.entity_id = ? GROUP BY cs.speaker_id, c.stance""",
        (entity_id,),
    ).fetchall()
    table: dict[str, dict] = {}
    for r in rows:
        entry = table.setdefault(r["speaker"], {"speaker": r["speaker"], "total": 0, **{s: 0 for s in STANCES}})
        entry[r["stance"]] = r["n"]
        entry["total"] += r["n"]
    return sorted(table.values(), key=lambda e: (-e["total"], e["speaker"]))


def top_links(conn: sqlite3.Connection, link_table: str, column: str, *, where_sql: str, params: tuple,
              limit: int = 20) -> list[tuple[str, int]]:
    """The ids of one link table most often found among the claims matched by where_sql."""
    sql = (f"SELECT l.{column}, count(*) AS n FROM {link_table} l JOIN claims c ON c.id = l.claim_id "
           f"WHERE {where_sql} GROUP BY l.{column} ORDER BY n DESC, l.{column} LIMIT ?")
    return [(r[0], r[1]) for r in conn.execute(sql, params + (limit,))]


def episode_segments(conn: sqlite3.Connection, episode_id: str) -> list[dict]:
    """The transcript as runs of plain lines and claims (each claim with its lines)."""
    lines = source_lines(conn, episode_id)
    claims = sorted(iter_claims(conn, episode=episode_id), key=lambda c: (c["line_start"], c["line_end"]))
    segments: list[dict] = []
    cursor = 1
    for claim in claims:
        start = max(claim["line_start"], cursor)
        if start > claim["line_end"]:  # fully inside the previous claim's lines: list it there
            if segments and segments[-1]["claim"]:
                segments[-1].setdefault("also", []).append(claim)
            continue
        if start > cursor:
            segments.append({"claim": None, "lines": _numbered(lines, cursor, start - 1)})
        segments.append({"claim": claim, "lines": _numbered(lines, start, claim["line_end"])})
        cursor = claim["line_end"] + 1
    if cursor <= len(lines):
        segments.append({"claim": None, "lines": _numbered(lines, cursor, len(lines))})
    return segments


def _numbered(lines: list[str], start: int, end: int) -> list[tuple[int, str]]:
    return [(n, lines[n - 1]) for n in range(start, min(end, len(lines)) + 1)]
