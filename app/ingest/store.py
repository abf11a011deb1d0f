"""Extraction → database rows: one transaction per file, stable claim ids, idempotent."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from app.ingest.readers import Transcript
from app.ingest.types import EpisodeInfo, Extraction
from app.text.tokenize import index_texts


NARRATOR_NAME = "旁白 Narrator"  # the channel's own voice, whoever narrates


class IngestConflict(ValueError):
    """The file cannot be stored without overwriting something else (one-line reason)."""


@dataclass
class StoreResult:
    status: str  # ingested | replaced | unchanged
    claims: int
    added: int = 0
    removed: int = 0


def claim_id(episode_id: str, text: str, occurrence: int) -> str:
    """Stable short id from the episode and the claim's text: the same claim keeps its id.

    The first 10 characters of the lower-case base32 of that SHA-1 digest, that is its first
    50 bits, encoded 10 bits (two characters) at a time.
    """
    digest = hashlib.sha1(f"{episode_id}\x1f{text}\x1f{occurrence}".encode("utf-8")).digest()
    bits = int.from_bytes(digest[:7], "big") >> 6
    return "".join([_B32_PAIRS[(bits >> shift) & 1023] for shift in (40, 30, 20, 10, 0)])


_B32_PAIRS = [a + b for a in "abcdefghijklmnopqrstuvwxyz234567" for b in "abcdefghijklmnopqrstuvwxyz234567"]


def claim_ids(episode_id: str, texts: list[str]) -> list[str]:
    """The ids of an episode's claims in order: a text said again gets its next occurrence number."""
    seen: dict[str, int] = {}
    ids: list[str] = []
    for text in texts:
        occurrence = seen.get(text, 0)
        seen[text] = occurrence + 1
        ids.append(claim_id(episode_id, text, occurrence))
    return ids


def entity_tokens(entity_ids: list[str]) -> str:
    """Entity ids as index tokens ('deepseek-r1' → 'e_deepseek_r1') for ranking by entity."""
    return " ".join(map(_entity_token, entity_ids))


@lru_cache(maxsize=65536)
def _entity_token(entity_id: str) -> str:
    return "e_" + "".join(c if c.isalnum() else "_" for c in entity_id.lower())


def fingerprint(transcript: Transcript, extractor_version: str, episode: EpisodeInfo) -> str:
    """What a stored episode was made from: the file, the extractor and its manifest entry."""
    manifest = hashlib.sha1(repr(episode).encode("utf-8")).hexdigest()[:12]
    return f"{transcript.sha256}:{extractor_version}:{manifest}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def store_extraction(
    conn: sqlite3.Connection,
    *,
    episode: EpisodeInfo,
    transcript: Transcript,
    extraction: Extraction,
    themes: dict[str, dict],
    extractor_version: str,
    search_texts: list[str] | None = None,
) -> StoreResult:
    """Replace the episode's rows with this extraction atomically; unchanged input is a no-op.

    `search_texts` (index_text of each claim) may come precomputed from a worker process.
    """
    return write_rows(conn, file_rows(episode=episode, transcript=transcript, extraction=extraction, themes=themes,
                                      extractor_version=extractor_version, search_texts=search_texts))


@dataclass
class FileRows:
    """Every row one file writes, made without the database (`file_rows`), stored by `write_rows`."""

    episode_id: str
    file: str
    fingerprint: str
    now: str
    episode: tuple  # the episodes row
    claim_ids: list[str]
    staged: bytes  # all other rows: a serialized SQLite database with the tables of _STAGED


def file_rows(
    *,
    episode: EpisodeInfo,
    transcript: Transcript,
    extraction: Extraction,
    themes: dict[str, dict],
    extractor_version: str,
    search_texts: list[str] | None = None,
) -> FileRows:
    """The rows of `store_extraction`, made without the database: the Python half of storing a
    file, which a caller runs while another thread writes the previous file's rows."""
    now = _now()
    print_ = fingerprint(transcript, extractor_version, episode)
    ids = claim_ids(episode.id, [claim.text for claim in extraction.claims])
    if search_texts is None:
        search_texts = index_texts([claim.text for claim in extraction.claims])  # one segmenter call per file
    claims = list(zip(ids, extraction.claims))
    roles = {p.id: p.role for p in episode.people}
    people = extraction.speakers.values()
    staged = _staged({
        "themes": [(tid, t.get("zh", tid), t.get("en", tid)) for tid, t in themes.items()],
        "speakers": [(p.id, p.name, json.dumps(p.aliases, ensure_ascii=False)) for p in people],
        "renamed_speakers": [(p.id, p.name if p.id != "narrator" else NARRATOR_NAME,
                              json.dumps(p.aliases, ensure_ascii=False))
                             for p in people if p.id in roles or p.id == "narrator"],
        "episode_speakers": [(p.id, roles.get(p.id, "narrator" if p.id == "narrator" else "found")) for p in people],
        "entities": [(ent.id, ent.type, ent.name, ent.name_zh, json.dumps(ent.aliases, ensure_ascii=False))
                     for ent in extraction.entities.values()],
        "claims": [(seq, cid, claim.line_start, claim.line_end, claim.text, claim.attribution, claim.cue_line,
                    claim.stance, claim.kind, search_text, entity_tokens(claim.entities))
                   for seq, ((cid, claim), search_text) in enumerate(zip(claims, search_texts))],
        "claim_speakers": [(cid, s, i) for cid, claim in claims for i, s in enumerate(claim.speakers)],
        "claim_entities": [(cid, e, i) for cid, claim in claims for i, e in enumerate(claim.entities)],
        "claim_themes": [(cid, t, i) for cid, claim in claims for i, t in enumerate(claim.themes)],
    })
    return FileRows(
        episode_id=episode.id,
        file=episode.file,
        fingerprint=print_,
        now=now,
        episode=(episode.id, episode.file, episode.title, episode.podcast, episode.date, episode.language,
                 episode.channel, episode.source_url, print_, transcript.encoding, len(transcript.lines),
                 transcript.text, now),
        claim_ids=ids,
        staged=staged,
    )


# The staging database's tables: their columns are untyped, so values reach the real tables exactly
# as bound (the real tables' own affinities apply there).
_STAGED = {
    "themes": "id, name_zh, name_en",
    "speakers": "id, name, aliases",
    "renamed_speakers": "id, name, aliases",  # the manifest's people and the narrator, named by this file
    "episode_speakers": "speaker_id, role",
    "entities": "id, type, name, name_zh, aliases",
    "claims": "seq INTEGER PRIMARY KEY, id, line_start, line_end, text, attribution, cue_line, stance, kind, "
              "search_text, entity_text",
    "claim_speakers": "claim_id, speaker_id, position",
    "claim_entities": "claim_id, entity_id, position",
    "claim_themes": "claim_id, theme_id, position",
}


def _staged(tables: dict[str, list[tuple]]) -> bytes:
    """The rows in a small in-memory SQLite database, serialized.

    The writing thread copies each table with one INSERT … SELECT. Inserting the rows there one
    by one (executemany) took the GIL back after every row, and while this thread runs Python
    each of those waits lasts up to the switch interval.
    """
    db = _staging_db()
    db.execute("BEGIN")
    try:
        for table in _STAGED:
            db.execute(f"DELETE FROM {table}")
            rows = tables[table]
            if rows:
                db.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)
    except BaseException:
        db.execute("ROLLBACK")  # the next file starts its own transaction on this database
        raise
    db.execute("COMMIT")  # auto_vacuum: the pages the last file's rows no longer need leave the image
    return db.serialize()


_STAGING = threading.local()


def _staging_db() -> sqlite3.Connection:
    """This thread's staging database, its tables made once: making a database and its nine tables
    for every file (parsing them, preparing its inserts again) was a third of the cost of staging
    the corpus. A forked process makes its own: a connection must not cross a fork."""
    if getattr(_STAGING, "pid", None) != os.getpid():
        db = sqlite3.connect(":memory:", isolation_level=None)  # transactions are _staged's own
        db.execute("PRAGMA auto_vacuum = FULL")
        for table, columns in _STAGED.items():
            db.execute(f"CREATE TABLE {table} ({columns})")
        _STAGING.db, _STAGING.pid = db, os.getpid()
    return _STAGING.db


def write_rows(conn: sqlite3.Connection, rows: FileRows) -> StoreResult:
    """Replace the episode's rows with `rows` in one transaction; unchanged input is a no-op.

    Raises IngestConflict or sqlite3.Error with the database as it was. It is a few statements,
    each SQLite's own work, which releases the GIL: a caller may run it in a helper thread while it
    extracts the next file, as long as nothing else uses the connection meanwhile. The staged
    rows stay attached to the connection as the database `stage` until the next file's replace them.
    """
    stored = conn.execute("SELECT id, file, sha256 FROM episodes WHERE id = ? OR file = ?",
                          (rows.episode_id, rows.file)).fetchall()
    for existing in stored:
        if existing["file"] != rows.file:
            raise IngestConflict(f"episode id {rows.episode_id!r} already belongs to {existing['file']}")
        if existing["id"] != rows.episode_id:
            raise IngestConflict(f"file already ingested as episode {existing['id']!r}")
    if stored and stored[0]["sha256"] == rows.fingerprint:
        count = conn.execute("SELECT count(*) FROM claims WHERE episode_id = ?", (rows.episode_id,)).fetchone()[0]
        return StoreResult("unchanged", count)

    _attach_staged(conn, rows.staged)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # the claims' links go in before them; checked at COMMIT
        result = _replace_episode(conn, rows, replacing=bool(stored))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return result


def _attach_staged(conn: sqlite3.Connection, staged: bytes) -> None:
    attached = conn.execute("PRAGMA database_list").fetchall()  # all rows: no statement may be left open
    if "stage" not in {r[1] for r in attached}:
        conn.execute("ATTACH DATABASE ':memory:' AS stage")
    conn.deserialize(staged, name="stage")


def stored_fingerprints(conn: sqlite3.Connection) -> dict[str, str]:
    """File name → fingerprint of what is stored, to skip unchanged files before extracting them."""
    return {r[0]: r[1] for r in conn.execute("SELECT file, sha256 FROM episodes")}


def _replace_episode(conn: sqlite3.Connection, rows: FileRows, *, replacing: bool) -> StoreResult:
    """The statements of `write_rows` inside its transaction: each copies one staged table (in the
    order it was staged, so that the first of two equal links wins as it always did)."""
    old_claims = _delete_episode_rows(conn, rows.episode_id) if replacing else {}
    conn.execute(
        """INSERT INTO episodes (id, file, title, podcast, date, language, channel, source_url, sha256,
                                 encoding, line_count, source_text, ingested_at)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
           ON CONFLICT(id) DO UPDATE SET title=excluded.title, podcast=excluded.podcast, date=excluded.date,
             language=excluded.language, channel=excluded.channel, source_url=excluded.source_url,
             sha256=excluded.sha256, encoding=excluded.encoding, line_count=excluded.line_count,
             source_text=excluded.source_text, ingested_at=excluded.ingested_at""",
        rows.episode,
    )
    conn.execute(  # WHERE true: an upsert after a SELECT needs a WHERE clause to be parsed as one
        "INSERT INTO themes (id, name_zh, name_en) SELECT id, name_zh, name_en FROM stage.themes WHERE true "
        "ORDER BY rowid ON CONFLICT(id) DO UPDATE SET name_zh=excluded.name_zh, name_en=excluded.name_en")
    conn.execute("INSERT INTO speakers (id, name, aliases) SELECT id, name, aliases FROM stage.speakers WHERE true "
                 "ORDER BY rowid ON CONFLICT(id) DO NOTHING")
    conn.execute("UPDATE speakers SET name = r.name, aliases = r.aliases FROM stage.renamed_speakers r "
                 "WHERE r.id = speakers.id")
    conn.execute("INSERT OR IGNORE INTO episode_speakers (episode_id, speaker_id, role) "
                 "SELECT ?, speaker_id, role FROM stage.episode_speakers ORDER BY rowid", (rows.episode_id,))
    conn.execute("INSERT INTO entities (id, type, name, name_zh, aliases) SELECT id, type, name, name_zh, aliases "
                 "FROM stage.entities WHERE true ORDER BY rowid ON CONFLICT(id) DO NOTHING")
    for table, other in (("claim_speakers", "speaker_id"), ("claim_entities", "entity_id"), ("claim_themes", "theme_id")):
        conn.execute(f"INSERT OR IGNORE INTO {table} (claim_id, {other}, position) "
                     f"SELECT claim_id, {other}, position FROM stage.{table} ORDER BY rowid")
    _insert_staged_claims(conn, rows.episode_id)
    new_ids = set(rows.claim_ids)
    retired = [(cid, rows.episode_id, r["line_start"], r["line_end"], rows.now)
               for cid, r in old_claims.items() if cid not in new_ids]
    if retired:
        conn.executemany("INSERT OR REPLACE INTO retired_claims VALUES (?,?,?,?,?)", retired)
    conn.execute("DELETE FROM retired_claims WHERE id IN (SELECT id FROM stage.claims)")
    if replacing:  # only a replaced episode can leave entities or speakers nobody refers to
        conn.execute("DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM claim_entities)")
        conn.execute(
            "DELETE FROM speakers WHERE id NOT IN (SELECT speaker_id FROM claim_speakers)"
            " AND id NOT IN (SELECT speaker_id FROM episode_speakers)"
        )
    added = len(new_ids - set(old_claims))
    return StoreResult("replaced" if replacing else "ingested", len(rows.claim_ids), added, len(retired))


def _delete_episode_rows(conn: sqlite3.Connection, episode_id: str) -> dict[str, sqlite3.Row]:
    """Delete a stored episode's claims (their links go with them) and speaker links; give the
    claims' old lines by id (a new episode has none, and is spared these statements)."""
    old_claims = {
        r["id"]: r for r in conn.execute("SELECT id, line_start, line_end FROM claims WHERE episode_id = ?",
                                         (episode_id,))
    }
    conn.execute("DELETE FROM claims WHERE episode_id = ?", (episode_id,))
    conn.execute("DELETE FROM episode_speakers WHERE episode_id = ?", (episode_id,))
    return old_claims


def _insert_staged_claims(conn: sqlite3.Connection, episode_id: str) -> None:
    """Insert the staged claims with ONE statement.

    The FTS5 index (filled by a trigger) writes out its pending terms whenever a statement opens
    a savepoint: one INSERT per claim would write one tiny index segment per claim, and merge
    them over and over.
    """
    conn.execute(
        """INSERT INTO claims (id, episode_id, seq, line_start, line_end, text, attribution, cue_line,
                               stance, kind, search_text, entity_text)
           SELECT id, ?, seq, line_start, line_end, text, attribution, cue_line, stance, kind, search_text, entity_text
           FROM stage.claims ORDER BY seq""",
        (episode_id,),
    )


def delete_episode(conn: sqlite3.Connection, episode_id: str) -> bool:
    """Remove one episode and its claims (their ids are kept as retired permalinks)."""
    with conn:
        cur = conn.execute("DELETE FROM episodes WHERE id = ?", (episode_id,))
    return cur.rowcount > 0
