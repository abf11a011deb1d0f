"""The straight path: file → lines → claims → database, one transaction per file."""
from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.config import ROOT
from app.ingest.manifest import EpisodeInfo, episode_for_file
from app.ingest.readers import UnreadableTranscript, find_transcripts, read_transcript
from app.ingest.store import IngestConflict, store_extraction


@dataclass
class FileResult:
    """What happened to one file: ingested | replaced | unchanged | failed | skipped."""

    path: Path
    status: str
    episode: str | None = None
    claims: int = 0
    reason: str = ""
    bytes: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Digest of the extraction code and the lexicon: a change re-extracts unchanged files."""
    h = hashlib.sha256()
    for path in sorted((ROOT / "app" / "ingest").glob("*.py")) + sorted((ROOT / "app" / "text").glob("*.py")) + [
        ROOT / "app" / "lexicon.py"
    ] + sorted((ROOT / "data" / "lexicon").glob("*.yaml")) + sorted((ROOT / "data" / "search").glob("*.yaml")):
        if path.exists():
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def ingest_file(
    conn: sqlite3.Connection,
    path: Path,
    *,
    manifest: dict[str, EpisodeInfo],
    max_bytes: int = 50 * 1024 * 1024,
) -> FileResult:
    """Read, extract and store one file; any failure leaves the database as it was."""
    from app.ingest.extract import extract_claims
    from app.lexicon import load_lexicon

    started = time.perf_counter()
    path = Path(path)
    try:
        transcript = read_transcript(path, max_bytes=max_bytes)
        episode = episode_for_file(path, manifest)
        lexicon = load_lexicon()
        extraction = extract_claims(transcript.lines, episode, lexicon)
        if not extraction.claims:
            raise UnreadableTranscript("no claims found in the text")
        stored = store_extraction(
            conn,
            episode=episode,
            transcript=transcript,
            extraction=extraction,
            themes=lexicon.themes,
            extractor_version=extractor_version(),
        )
    except (UnreadableTranscript, IngestConflict) as exc:
        return FileResult(path, "failed", reason=str(exc), seconds=time.perf_counter() - started)
    except sqlite3.Error as exc:
        return FileResult(path, "failed", reason=f"database error: {exc}", seconds=time.perf_counter() - started)
    except Exception as exc:  # an extractor bug must not stop the other files
        return FileResult(path, "failed", reason=f"internal error: {exc.__class__.__name__}: {exc}",
                          seconds=time.perf_counter() - started)
    return FileResult(path, stored.status, episode=episode.id, claims=stored.claims,
                      bytes=path.stat().st_size, seconds=time.perf_counter() - started)


def ingest_paths(
    conn: sqlite3.Connection,
    paths: list[Path],
    *,
    manifest: dict[str, EpisodeInfo],
    max_bytes: int = 50 * 1024 * 1024,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Ingest files and folders; every file gets a result, failures never stop the rest."""
    files, skipped = find_transcripts(paths)
    if on_start:
        on_start(len(files))
    results = [FileResult(p, "skipped", reason=why) for p, why in skipped]
    for path in files:
        result = ingest_file(conn, path, manifest=manifest, max_bytes=max_bytes)
        results.append(result)
        if on_file:
            on_file(result)
    return results
