"""Ingest a folder in another process while readers search without pause: no failed read, no lost claim."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from app.config import ROOT
from app.db import connect
from app.search.engine import search_claims

QUERIES = ["DeepSeek 成本", "英伟达", "开源", "Meta Llama", "后训练 RLVR", ""]


def make_folder(tmp_path: Path, copies: int) -> Path:
    """Copies of the bundled transcripts under new names: each a new episode."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    sources = sorted((ROOT / "data" / "transcripts").glob("*.txt"))
    for i in range(copies):
        for src in sources:
            (folder / f"copy{i:02d}_{src.name}").write_bytes(src.read_bytes())
    return folder


def test_readers_never_fail_and_no_claim_is_lost(tmp_path):
    db = tmp_path / "live.db"
    connect(db).close()  # migrated before readers open it
    folder = make_folder(tmp_path, copies=6)
    errors: list[BaseException] = []
    seen: dict[int, list[int]] = {}  # each reader's browse totals, in the order it saw them
    stop = threading.Event()

    def reader(n: int) -> None:
        conn = connect(db)
        totals = seen.setdefault(n, [])
        i = 0
        while not stop.is_set():
            try:
                q = QUERIES[(i + n) % len(QUERIES)]
                res = search_claims(conn, q, page=1, page_size=10)
                assert res.total >= len(res.claims)
                if q == "":
                    totals.append(res.total)
            except BaseException as exc:  # any failed read fails the test
                errors.append(exc)
                return
            i += 1

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    env = dict(os.environ, PODCLAIMS_DB=str(db))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "app", "ingest", "--quiet", str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert not errors, repr(errors[:3])
    runs = sum(len(t) for t in seen.values())
    assert runs > 5, f"readers only ran {runs} browse queries in {time.perf_counter() - started:.1f}s"
    # what one reader sees only grows: each file lands whole or not at all, and never goes away
    for totals in seen.values():
        assert totals == sorted(totals)
    assert len({t for totals in seen.values() for t in totals}) >= 3, "readers did not overlap the ingest"

    conn = connect(db)
    per_episode = dict(conn.execute("SELECT episode_id, count(*) FROM claims GROUP BY episode_id").fetchall())
    assert len(per_episode) == 12
    # every copy of a transcript yields exactly as many claims as the others: none lost
    by_source: dict[str, set[int]] = {}
    for episode, n in per_episode.items():
        by_source.setdefault(episode[len("copy00-"):], set()).add(n)
    assert all(len(counts) == 1 for counts in by_source.values()), by_source
    assert search_claims(conn, "").total == sum(per_episode.values())
