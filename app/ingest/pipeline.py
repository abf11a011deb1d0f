"""The straight path: file → lines → claims → database, one transaction per file."""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from app.config import ROOT
from app.db import bulk_writes
from app.ingest.manifest import EpisodeInfo, episode_for_file
from app.ingest.readers import Transcript, UnreadableTranscript, find_transcripts, read_transcript
from app.ingest.store import FileRows, IngestConflict, file_rows, fingerprint, stored_fingerprints, write_rows
from app.ingest.types import Extraction


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
        ROOT / "app" / "lexicon.py", ROOT / "app" / "datafiles.py"
    ] + sorted((ROOT / "data" / "lexicon").glob("*.yaml")) + sorted((ROOT / "data" / "lexicon").glob("*.txt")) + sorted((ROOT / "data" / "search").glob("*.yaml")):
        if path.exists():
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Prepared:
    """A file read and extracted, ready to store (made in this process or a worker)."""

    path: Path
    episode: EpisodeInfo
    transcript: Transcript
    extraction: Extraction | None  # None: unchanged since it was stored
    search_texts: list[str]
    started: float


def prepare_file(path: Path, *, manifest: dict[str, EpisodeInfo], max_bytes: int,
                 stored: dict[str, str]) -> Prepared | FileResult:
    """Read and extract one file (no database): a Prepared, or a failed FileResult with the reason."""
    from app.ingest.extract import extract_claims
    from app.lexicon import load_lexicon
    from app.text.tokenize import index_texts

    started = time.perf_counter()
    path = Path(path)
    try:
        transcript = read_transcript(path, max_bytes=max_bytes)
        episode = episode_for_file(path, manifest)
        if stored.get(path.name) == fingerprint(transcript, extractor_version(), episode):
            return Prepared(path, episode, transcript, None, [], started)
        extraction = extract_claims(transcript.lines, episode, load_lexicon())
        if not extraction.claims:
            raise UnreadableTranscript("no claims found in the text")
        search_texts = index_texts([c.text for c in extraction.claims])
    except UnreadableTranscript as exc:
        return FileResult(path, "failed", reason=str(exc), seconds=time.perf_counter() - started)
    except Exception as exc:  # an extractor bug must not stop the other files
        return FileResult(path, "failed", reason=f"internal error: {exc.__class__.__name__}: {exc}",
                          seconds=time.perf_counter() - started)
    return Prepared(path, episode, transcript, extraction, search_texts, started)


def store_prepared(conn: sqlite3.Connection, prepared: Prepared | FileResult) -> FileResult:
    """Store one prepared file in its own transaction; any failure leaves the database as it was."""
    return begin_prepared(conn, prepared)()


def begin_prepared(conn: sqlite3.Connection, prepared: Prepared | FileResult) -> Callable[[], FileResult]:
    """`store_prepared` in two steps: this builds the file's rows (Python, no database); the step it
    returns writes them in one transaction and gives the FileResult. That step is all of the file's
    SQL and may run in another thread; nothing else may use the connection until it has returned."""
    if isinstance(prepared, FileResult):
        return partial(_given, prepared)
    # the file's size is read here: a system call in the helper thread would wait for the GIL once more
    size = prepared.path.stat().st_size
    if prepared.extraction is None:
        return partial(_count_unchanged, conn, prepared, size)
    from app.lexicon import load_lexicon

    rows = file_rows(
        episode=prepared.episode,
        transcript=prepared.transcript,
        extraction=prepared.extraction,
        themes=load_lexicon().themes,
        extractor_version=extractor_version(),
        search_texts=prepared.search_texts,
    )
    return partial(_write, conn, prepared, rows, size)


def _write(conn: sqlite3.Connection, prepared: Prepared, rows: FileRows, size: int) -> FileResult:
    try:
        stored = write_rows(conn, rows)
    except IngestConflict as exc:
        return _failed(prepared, str(exc))
    except sqlite3.Error as exc:
        return _failed(prepared, f"database error: {exc}")
    return _stored_result(prepared, stored.status, stored.claims, size)


def _count_unchanged(conn: sqlite3.Connection, prepared: Prepared, size: int) -> FileResult:
    try:
        count = conn.execute("SELECT count(*) FROM claims c JOIN episodes e ON e.id = c.episode_id "
                             "WHERE e.file = ?", (prepared.path.name,)).fetchone()[0]
    except sqlite3.Error as exc:
        return _failed(prepared, f"database error: {exc}")
    return _stored_result(prepared, "unchanged", count, size)


def _given(result: FileResult) -> FileResult:
    return result


def _stored_result(prepared: Prepared, status: str, claims: int, size: int) -> FileResult:
    return FileResult(prepared.path, status, episode=prepared.episode.id, claims=claims,
                      bytes=size, seconds=time.perf_counter() - prepared.started)


def _failed(prepared: Prepared, reason: str) -> FileResult:
    return FileResult(prepared.path, "failed", reason=reason, seconds=time.perf_counter() - prepared.started)


def ingest_file(
    conn: sqlite3.Connection,
    path: Path,
    *,
    manifest: dict[str, EpisodeInfo],
    max_bytes: int = 50 * 1024 * 1024,
) -> FileResult:
    """Read, extract and store one file; any failure leaves the database as it was."""
    prepared = prepare_file(path, manifest=manifest, max_bytes=max_bytes, stored=stored_fingerprints(conn))
    return store_prepared(conn, prepared)


def _prepared_in_workers(files: list[Path], jobs: int, **kwargs) -> Iterator[Prepared | FileResult]:
    """prepare_file over `files` in `jobs` worker processes, yielded in order, a bounded number ahead."""
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        pending: deque = deque()
        for path in files:
            pending.append((path, pool.submit(prepare_file, path, **kwargs)))
            if len(pending) >= 2 * jobs:
                yield _result(*pending.popleft())
        while pending:
            yield _result(*pending.popleft())


def _result(path: Path, future) -> Prepared | FileResult:
    try:
        return future.result()
    except Exception as exc:  # a worker that died (out of memory, killed) fails only its file
        return FileResult(path, "failed", reason=f"worker failed: {exc.__class__.__name__}: {exc}")


def ingest_paths(
    conn: sqlite3.Connection,
    paths: list[Path],
    *,
    manifest: dict[str, EpisodeInfo],
    max_bytes: int = 50 * 1024 * 1024,
    jobs: int = 1,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Ingest files and folders; every file gets a result, failures never stop the rest.

    With jobs > 1, files are read and extracted in worker processes while this process stores
    them, in order, each in its own transaction (only this process writes). Each file's last
    writes run in a helper thread, when `conn` may be used from one (app.db.connect's can).
    """
    files, skipped = find_transcripts(paths)
    if on_start:
        on_start(len(files))
    results = [FileResult(p, "skipped", reason=why) for p, why in skipped]
    options = dict(manifest=manifest, max_bytes=max_bytes, stored=stored_fingerprints(conn))
    if jobs > 1 and len(files) > 1:
        prepared = _prepared_in_workers(files, jobs, **options)
    else:
        prepared = (prepare_file(path, **options) for path in files)
    with bulk_writes(conn), _quick_handoffs(), _collections_spared() as spare:
        for result in _stored(conn, spare(prepared)):
            results.append(result)
            if on_file:
                on_file(result)
    return results


@contextmanager
def _quick_handoffs(interval: float = 0.0002) -> Iterator[None]:
    """Python's thread switch interval at most `interval` seconds (5 ms by default), restored afterwards.

    The helper thread of `_stored` needs the GIL back after each of its SQLite calls (a file is
    about twenty), while this thread runs Python; it gets it only once this thread has run for the
    switch interval. Writing the corpus against a busy main thread took the helper 20 s with 1 ms
    (4 s of it writing), 10 s with 0.2 ms.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, interval))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


@contextmanager
def _collections_spared(young: int = 10_000) -> Iterator[Callable[[Iterator], Iterator]]:
    """Python's garbage collector kept from going over the same objects again and again.

    The lexicon, its matchers and the tokenizer's tables (loaded on first use) are hundreds of
    thousands of objects that live as long as the process; each full collection went over them
    all: gc.freeze() sets aside what is alive once the first file is prepared (the context gives a
    wrapper of the prepared files that does it), gc.unfreeze() at the end gives it back. A young
    collection runs every `young` net new container objects instead of 700: a file's scan makes
    hundreds of thousands of short-lived tuples, and with 700 the collector ran about 600 times
    over the corpus, 25 times with 10,000 (0.35 s of collecting → 0.05 s). Restored afterwards.
    """
    def spare(items: Iterator) -> Iterator:
        frozen = False
        for item in items:
            if not frozen:
                gc.freeze()
                frozen = True
            yield item

    thresholds = gc.get_threshold()
    gc.set_threshold(max(young, thresholds[0]), *thresholds[1:])
    try:
        yield spare
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _stored(conn: sqlite3.Connection, prepared: Iterator[Prepared | FileResult],
            ahead: int = 6) -> Iterator[FileResult]:
    """store_prepared over `prepared`, in order.

    This thread only builds each file's rows; a helper thread writes them (all of the file's SQL,
    which releases the GIL) while this one prepares the next files, up to `ahead` files ahead of it.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="podclaims-store") as helper:
        if not _usable_from(helper, conn):
            yield from (store_prepared(conn, item) for item in prepared)
            return
        writing: deque[Future[FileResult]] = deque()
        for item in prepared:
            writing.append(helper.submit(begin_prepared(conn, item)))
            while writing and (writing[0].done() or len(writing) > ahead):
                yield writing.popleft().result()
        while writing:
            yield writing.popleft().result()


def _usable_from(helper: ThreadPoolExecutor, conn: sqlite3.Connection) -> bool:
    """Whether the helper thread may use `conn` (app.db.connect's connections allow it)."""
    try:
        helper.submit(conn.execute, "SELECT 1").result()
    except sqlite3.ProgrammingError:
        return False
    return True
