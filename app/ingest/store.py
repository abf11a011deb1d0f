"""Extraction → database rows: one transaction per file, stable claim ids, idempotent."""
from __future__ import annotations

import hashlib
import json
import sqlite3
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
    return begin_extraction(conn, episode=episode, transcript=transcript, extraction=extraction, themes=themes,
                            extractor_version=extractor_version, search_texts=search_texts).finish()


@dataclass
class PendingStore:
    """An episode's open transaction holding all its rows but the claims (see `begin_extraction`)."""

    conn: sqlite3.Connection | None  # None: nothing left to do (unchanged input)
    episode_id: str
    result: StoreResult

    def finish(self) -> StoreResult:
        """Insert the staged claims and commit; on any failure roll back (the database as it was) and raise."""
        if self.conn is None:
            return self.result
        try:
            _insert_staged_claims(self.conn, self.episode_id)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return self.result


def begin_extraction(
    conn: sqlite3.Connection,
    *,
    episode: EpisodeInfo,
    transcript: Transcript,
    extraction: Extraction,
    themes: dict[str, dict],
    extractor_version: str,
    search_texts: list[str] | None = None,
) -> PendingStore:
    """`store_extraction` but for its two costliest steps, left to `PendingStore.finish()`: inserting
    the claims (the FTS5 trigger indexes them) and the COMMIT.

    Those release the GIL: a caller may run `finish()` in another thread while it extracts the next
    file, as long as nothing else uses the connection meanwhile. Raises like store_extraction, with
    the database as it was.
    """
    print_ = fingerprint(transcript, extractor_version, episode)
    row = conn.execute("SELECT id, file, sha256 FROM episodes WHERE id = ? OR file = ?", (episode.id, episode.file)).fetchall()
    for existing in row:
        if existing["file"] != episode.file:
            raise IngestConflict(f"episode id {episode.id!r} already belongs to {existing['file']}")
        if existing["id"] != episode.id:
            raise IngestConflict(f"file already ingested as episode {existing['id']!r}")
    if row and row[0]["sha256"] == print_:
        count = conn.execute("SELECT count(*) FROM claims WHERE episode_id = ?", (episode.id,)).fetchone()[0]
        return PendingStore(None, episode.id, StoreResult("unchanged", count))

    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # the claims' links go in before them; checked at COMMIT
        result = _replace_episode(conn, episode, transcript, extraction, themes, print_, replacing=bool(row),
                                  search_texts=search_texts)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return PendingStore(conn, episode.id, result)


def stored_fingerprints(conn: sqlite3.Connection) -> dict[str, str]:
    """File name → fingerprint of what is stored, to skip unchanged files before extracting them."""
    return {r[0]: r[1] for r in conn.execute("SELECT file, sha256 FROM episodes")}


def _replace_episode(conn, episode, transcript, extraction, themes, print_, *, replacing,
                     search_texts=None) -> StoreResult:
    now = _now()
    old_claims = {
        r["id"]: r for r in conn.execute("SELECT id, line_start, line_end FROM claims WHERE episode_id = ?", (episode.id,))
    }
    conn.execute("DELETE FROM claims WHERE episode_id = ?", (episode.id,))
    conn.execute("DELETE FROM episode_speakers WHERE episode_id = ?", (episode.id,))
    conn.execute(
        """INSERT INTO episodes (id, file, title, podcast, date, language, channel, source_url, sha256,
                                 encoding, line_count, source_text, ingested_at)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
           ON CONFLICT(id) DO UPDATE SET title=excluded.title, podcast=excluded.podcast, date=excluded.date,
             language=excluded.language, channel=excluded.channel, source_url=excluded.source_url,
             sha256=excluded.sha256, encoding=excluded.encoding, line_count=excluded.line_count,
             source_text=excluded.source_text, ingested_at=excluded.ingested_at""",
        (episode.id, episode.file, episode.title, episode.podcast, episode.date, episode.language,
         episode.channel, episode.source_url, print_, transcript.encoding, len(transcript.lines),
         transcript.text, now),
    )
    conn.executemany(
        "INSERT INTO themes (id, name_zh, name_en) VALUES (?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET name_zh=excluded.name_zh, name_en=excluded.name_en",
        [(tid, t.get("zh", tid), t.get("en", tid)) for tid, t in themes.items()],
    )
    _store_people(conn, episode, extraction)
    conn.executemany(
        "INSERT INTO entities (id, type, name, name_zh, aliases) VALUES (?,?,?,?,?) ON CONFLICT(id) DO NOTHING",
        [(ent.id, ent.type, ent.name, ent.name_zh, json.dumps(ent.aliases, ensure_ascii=False))
         for ent in extraction.entities.values()],
    )

    ids = claim_ids(episode.id, [claim.text for claim in extraction.claims])
    new_ids = set(ids)
    if search_texts is None:
        search_texts = index_texts([claim.text for claim in extraction.claims])  # one segmenter call per file
    claims = list(zip(ids, extraction.claims))
    _stage_claims(conn, [
        (seq, cid, claim.line_start, claim.line_end, claim.text, claim.attribution, claim.cue_line, claim.stance,
         claim.kind, search_text, entity_tokens(claim.entities))
        for seq, ((cid, claim), search_text) in enumerate(zip(claims, search_texts))])
    conn.executemany(
        "INSERT OR IGNORE INTO claim_speakers (claim_id, speaker_id, position) VALUES (?,?,?)",
        [(cid, s, i) for cid, claim in claims for i, s in enumerate(claim.speakers)],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO claim_entities (claim_id, entity_id, position) VALUES (?,?,?)",
        [(cid, e, i) for cid, claim in claims for i, e in enumerate(claim.entities)],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO claim_themes (claim_id, theme_id, position) VALUES (?,?,?)",
        [(cid, t, i) for cid, claim in claims for i, t in enumerate(claim.themes)],
    )
    retired = [(cid, episode.id, r["line_start"], r["line_end"], now) for cid, r in old_claims.items() if cid not in new_ids]
    conn.executemany("INSERT OR REPLACE INTO retired_claims VALUES (?,?,?,?,?)", retired)
    conn.execute("DELETE FROM retired_claims WHERE id IN (SELECT id FROM temp.ingest_claims)")
    if replacing:  # only a replaced episode can leave entities or speakers nobody refers to
        conn.execute("DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM claim_entities)")
        conn.execute(
            "DELETE FROM speakers WHERE id NOT IN (SELECT speaker_id FROM claim_speakers)"
            " AND id NOT IN (SELECT speaker_id FROM episode_speakers)"
        )
    added = len(new_ids - set(old_claims))
    return StoreResult("replaced" if replacing else "ingested", len(extraction.claims), added, len(retired))


def _store_people(conn: sqlite3.Connection, episode: EpisodeInfo, extraction: Extraction) -> None:
    """The speakers of the extraction and the episode's link to each (with its role)."""
    roles = {p.id: p.role for p in episode.people}
    for person in extraction.speakers.values():
        conn.execute(
            "INSERT INTO speakers (id, name, aliases) VALUES (?,?,?) ON CONFLICT(id) DO NOTHING",
            (person.id, person.name, json.dumps(person.aliases, ensure_ascii=False)),
        )
        if person.id in roles or person.id == "narrator":
            conn.execute(
                "UPDATE speakers SET name = ?, aliases = ? WHERE id = ?",
                (person.name if person.id != "narrator" else NARRATOR_NAME, json.dumps(person.aliases, ensure_ascii=False), person.id),
            )
        conn.execute(
            "INSERT OR IGNORE INTO episode_speakers (episode_id, speaker_id, role) VALUES (?,?,?)",
            (episode.id, person.id, roles.get(person.id, "narrator" if person.id == "narrator" else "found")),
        )


def _stage_claims(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """Keep the claim rows (seq, id, line_start, … entity_text) of one episode in a temporary table
    (in place of the previous episode's)."""
    conn.execute(_STAGE_CLAIMS)
    conn.execute("DELETE FROM temp.ingest_claims")
    conn.executemany("INSERT INTO temp.ingest_claims VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)


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
           FROM temp.ingest_claims ORDER BY seq""",
        (episode_id,),
    )


# untyped columns: values reach `claims` exactly as bound (its own column affinities apply there)
_STAGE_CLAIMS = """CREATE TEMP TABLE IF NOT EXISTS ingest_claims (
    seq INTEGER PRIMARY KEY, id, line_start, line_end, text, attribution, cue_line, stance, kind,
    search_text, entity_text)"""


def delete_episode(conn: sqlite3.Connection, episode_id: str) -> bool:
    """Remove one episode and its claims (their ids are kept as retired permalinks)."""
    with conn:
        cur = conn.execute("DELETE FROM episodes WHERE id = ?", (episode_id,))
    return cur.rowcount > 0
