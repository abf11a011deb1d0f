"""The fast store path stores exactly what the plain one did: ids, rows, rollbacks, one file per transaction."""
from __future__ import annotations

import base64
import hashlib
import random
import sqlite3
import sys
import time
from pathlib import Path

import pytest

import app.ingest.pipeline as pipeline
from app.db import bulk_writes, connect
from app.ingest.pipeline import FileResult, ingest_paths
from app.ingest.readers import Transcript, _looks_binary
from app.ingest.store import claim_id, file_rows, store_extraction, write_rows
from app.ingest.types import ClaimDraft, EpisodeInfo, Extraction, Person

POINT = "\n".join(["大家好，这里是最佳拍档", "兰伯特提到", "DeepSeek R1的推理成本非常低", "每百万输出token只要2美元",
                   "拉施卡认为", "Meta的Llama 4在开源社区表现不佳", "感谢收看，我们下期再见"])
EPISODE = EpisodeInfo(id="ep-1", file="ep1.txt")
PEOPLE = {"narrator": Person("narrator", "Narrator", [], "narrator")}


def reference_claim_id(episode_id: str, text: str, occurrence: int) -> str:
    digest = hashlib.sha1(f"{episode_id}\x1f{text}\x1f{occurrence}".encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii")[:10].lower()


def test_claim_id_is_the_base32_prefix_of_the_sha1():
    rng = random.Random(7)
    for _ in range(5000):
        chars = [chr(rng.choice([rng.randint(32, 126), rng.randint(0x4E00, 0x9FFF)])) for _ in range(rng.randint(0, 30))]
        text = "".join(chars)
        occurrence = rng.randint(0, 3)
        assert claim_id("ep", text, occurrence) == reference_claim_id("ep", text, occurrence)


def reference_looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    return sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12)) > max(8, len(sample) // 100)


def test_binary_sniffing_counts_control_bytes_as_before():
    rng = random.Random(3)
    for _ in range(2000):
        pool = rng.choice([b"ab\n\t\r\x0c", b"ab\x01\x02\x1f\x7f\n", bytes(range(1, 256))])
        data = bytes(rng.choice(pool) for _ in range(rng.choice([0, 5, 300, 900])))
        assert _looks_binary(data) == reference_looks_binary(data)


def drafts(*texts, stance="neutral", speaker="narrator"):
    return [ClaimDraft(line_start=i + 1, line_end=i + 1, text=t, speakers=[speaker], attribution="narrator",
                       cue_line=None, stance=stance) for i, t in enumerate(texts)]


def store(conn, texts, sha="a" * 64, **kw):
    transcript = Transcript(path=Path("ep1.txt"), lines=list(texts), encoding="utf-8", sha256=sha)
    extraction = Extraction(drafts(*texts, **kw), PEOPLE, {})
    return store_extraction(conn, episode=EPISODE, transcript=transcript, extraction=extraction, themes={},
                            extractor_version="v1")


def test_text_with_nul_and_control_characters_is_stored_exactly(conn):
    texts = ["带\x00空字符", "tab\there \"quoted\" \\ back", "第二个\x00"]
    store(conn, texts)
    assert [r[0] for r in conn.execute("SELECT text FROM claims ORDER BY seq")] == texts


def test_rows_are_built_without_the_database_and_written_in_one_commit(conn, db_path):
    transcript = Transcript(path=Path("ep1.txt"), lines=["一", "二"], encoding="utf-8", sha256="a" * 64)
    rows = file_rows(episode=EPISODE, transcript=transcript, extraction=Extraction(drafts("一", "二"), PEOPLE, {}),
                     themes={}, extractor_version="v1")
    other = connect(db_path)
    assert other.execute("SELECT count(*) FROM episodes").fetchone()[0] == 0
    assert not conn.in_transaction
    assert write_rows(conn, rows).claims == 2
    assert other.execute("SELECT count(*) FROM claims").fetchone()[0] == 2
    assert other.execute("SELECT count(*) FROM claim_speakers").fetchone()[0] == 2


def test_each_file_is_staged_alone_although_the_staging_database_is_reused():
    transcript = Transcript(path=Path("ep1.txt"), lines=["一"] * 200, encoding="utf-8", sha256="a" * 64)
    big = file_rows(episode=EPISODE, transcript=transcript, themes={}, extractor_version="v1",
                    extraction=Extraction(drafts(*[f"第{i}条" for i in range(200)]), PEOPLE, {}))
    small = file_rows(episode=EPISODE, transcript=transcript, themes={}, extractor_version="v1",
                      extraction=Extraction(drafts("一", "二"), PEOPLE, {}))
    image = sqlite3.connect(":memory:")
    image.deserialize(small.staged)
    assert [r[0] for r in image.execute("SELECT text FROM claims ORDER BY seq")] == ["一", "二"]
    assert image.execute("SELECT count(*) FROM claim_speakers").fetchone()[0] == 2
    assert len(small.staged) < len(big.staged)  # the big file's pages are not carried along


def test_a_file_that_fails_to_stage_leaves_the_staging_database_usable():
    transcript = Transcript(path=Path("ep1.txt"), lines=["一"], encoding="utf-8", sha256="a" * 64)
    bad = drafts("一")
    bad[0].cue_line = object()  # no SQLite value: staging its row fails
    with pytest.raises(sqlite3.Error):
        file_rows(episode=EPISODE, transcript=transcript, extraction=Extraction(bad, PEOPLE, {}), themes={},
                  extractor_version="v1")
    rows = file_rows(episode=EPISODE, transcript=transcript, extraction=Extraction(drafts("二"), PEOPLE, {}),
                     themes={}, extractor_version="v1")
    image = sqlite3.connect(":memory:")
    image.deserialize(rows.staged)
    assert [r[0] for r in image.execute("SELECT text FROM claims")] == ["二"]


def test_a_link_to_an_unknown_speaker_rolls_the_file_back_at_commit(conn):
    store(conn, ["一", "二"])
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store(conn, ["三"], sha="b" * 64, speaker="nobody")
    assert [r[0] for r in conn.execute("SELECT text FROM claims ORDER BY seq")] == ["一", "二"]
    assert not conn.in_transaction


def test_a_failure_in_the_last_step_fails_that_file_only(tmp_path, conn, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(POINT, encoding="utf-8")
    real = pipeline.prepare_file

    def bad_stance_for_b(path, **kwargs):
        prepared = real(path, **kwargs)
        if Path(path).name == "b.txt":
            prepared.extraction.claims[-1].stance = "not-a-stance"  # the CHECK fails when the claims go in
        return prepared

    monkeypatch.setattr(pipeline, "prepare_file", bad_stance_for_b)
    seen = []
    results = ingest_paths(conn, [folder], manifest={}, on_file=lambda r: seen.append(r.path.name))
    assert [(r.path.name, r.status) for r in results] == [
        ("a.txt", "ingested"), ("b.txt", "failed"), ("c.txt", "ingested")]
    assert seen == ["a.txt", "b.txt", "c.txt"]
    assert "CHECK constraint" in results[1].reason
    assert {r[0] for r in conn.execute("SELECT file FROM episodes")} == {"a.txt", "c.txt"}
    assert conn.execute("SELECT count(*) FROM claims WHERE episode_id = 'b'").fetchone()[0] == 0


def test_a_connection_bound_to_its_thread_still_ingests(tmp_path, db_path):
    connect(db_path).close()  # migrated
    plain = sqlite3.connect(db_path)
    plain.isolation_level = None
    plain.row_factory = sqlite3.Row
    (tmp_path / "x.txt").write_text(POINT, encoding="utf-8")
    [result] = ingest_paths(plain, [tmp_path / "x.txt"], manifest={})
    assert result.status == "ingested" and result.claims > 0


def test_bulk_writes_restores_the_checkpoint_interval_and_cache_size(conn):
    before = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0], conn.execute("PRAGMA cache_size").fetchone()[0]
    with bulk_writes(conn, checkpoint_pages=5000, cache_kib=30000):
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 5000
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -30000
    assert (conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0], conn.execute("PRAGMA cache_size").fetchone()[0]) == before


def test_ingest_shortens_the_thread_switch_interval_and_restores_it(tmp_path, conn):
    (tmp_path / "x.txt").write_text(POINT, encoding="utf-8")
    before = sys.getswitchinterval()
    seen = []
    ingest_paths(conn, [tmp_path / "x.txt"], manifest={}, on_file=lambda r: seen.append(sys.getswitchinterval()))
    assert seen and seen[0] <= 0.001
    assert sys.getswitchinterval() == before


@pytest.mark.parametrize("delay", [0.0, 0.02])
def test_every_file_comes_back_in_order_however_slow_the_helper(conn, monkeypatch, delay):
    real = pipeline.begin_prepared

    def slow(conn, item):
        step = real(conn, item)
        return lambda: (time.sleep(delay), step())[1]

    monkeypatch.setattr(pipeline, "begin_prepared", slow)
    items = [FileResult(Path(f"{i}.txt"), "failed", reason=str(i)) for i in range(20)]

    def prepared():
        for item in items:
            time.sleep(0.005)
            yield item

    assert [r.reason for r in pipeline._stored(conn, prepared(), ahead=3)] == [str(i) for i in range(20)]
