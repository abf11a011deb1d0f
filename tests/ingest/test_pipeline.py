"""Pipeline and CLI over real files: bad input is refused by name, the rest still lands, re-ingest is idempotent."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import ROOT
from app.ingest.pipeline import ingest_paths

POINT = [
    "大家好，这里是最佳拍档",
    "今天我们来聊一场访谈",
    "兰伯特提到",
    "DeepSeek R1的推理成本非常低",
    "每百万输出token只要2美元",
    "拉施卡认为",
    "Meta的Llama 4在开源社区表现不佳",
    "感谢收看，我们下期再见",
]


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_bytes(data)
    return p


def texts(conn):
    return [r[0] for r in conn.execute("SELECT text FROM claims ORDER BY episode_id, seq")]


def test_bundled_transcripts_ingest_and_reingest_keeps_ids(conn, bundled_manifest):
    results = ingest_paths(conn, [ROOT / "data" / "transcripts"], manifest=bundled_manifest)
    assert [r.status for r in results] == ["ingested", "ingested"]
    ids = [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY rowid")]
    assert len(ids) > 100
    again = ingest_paths(conn, [ROOT / "data" / "transcripts"], manifest=bundled_manifest)
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    assert [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY rowid")] == ids
    episodes = {r[0] for r in conn.execute("SELECT id FROM episodes")}
    assert episodes == {e.id for e in bundled_manifest.values()}


def test_claim_lines_match_the_file(conn, bundled_manifest):
    ingest_paths(conn, [ROOT / "data" / "transcripts"], manifest=bundled_manifest)
    for file, start, end, text in conn.execute(
        "SELECT e.file, c.line_start, c.line_end, c.text FROM claims c JOIN episodes e ON e.id=c.episode_id"
    ):
        lines = (ROOT / "data" / "transcripts" / file).read_text(encoding="utf-8").split("\n")
        assert "".join(lines[start - 1:end]) == text


@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-8"),
    lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
    lambda s: s.encode("gb18030"),
    lambda s: s.encode("gbk"),
    lambda s: s.replace("\n", "\r\n").encode("utf-8"),
], ids=["utf8", "utf8-bom", "gb18030", "gbk", "crlf"])
def test_encodings_yield_the_same_claims(tmp_path, conn, encode):
    base = write(tmp_path / "a", "x.txt", "\n".join(POINT).encode())
    odd = write(tmp_path / "b", "y.txt", encode("\n".join(POINT)))
    ingest_paths(conn, [base, odd], manifest={})
    rows = conn.execute("SELECT episode_id, text, line_start FROM claims ORDER BY episode_id, seq").fetchall()
    x = [(t, n) for e, t, n in rows if e == "x"]
    y = [(t, n) for e, t, n in rows if e == "y"]
    assert x and x == y


def test_traditional_text_is_matched_but_stored_as_written(tmp_path, conn):
    trad = "\n".join(POINT).replace("兰伯特提到", "蘭伯特提到").replace("推理成本非常低", "推理成本非常低廉").replace(
        "开源社区表现不佳", "開源社區表現不佳")
    ingest_paths(conn, [write(tmp_path, "t.txt", trad.encode())], manifest={})
    joined = "".join(texts(conn))
    assert "開源社區表現不佳" in joined  # displayed as written
    ents = {r[0] for r in conn.execute("SELECT entity_id FROM claim_entities")}
    assert "deepseek-r1" in ents


def test_mixed_folder_each_file_ingests_or_is_refused_by_name(tmp_path, conn):
    folder = tmp_path / "mixed"
    write(folder, "good.txt", "\n".join(POINT).encode())
    write(folder, "empty.txt", b"")
    write(folder, "binary.txt", bytes(range(256)) * 10)
    write(folder, "long.txt", ("\n\n" + "DeepSeek R1的成本很低" * 5000 + "\n兰伯特提到\nOpenAI很强\n").encode())
    write(folder, "latin1.txt", "caf\xe9 na\xefve \xff\xfe".encode("latin-1") + b"\x81\x30")
    write(folder, "notes.md", b"# not a transcript")
    results = {r.path.name: r for r in ingest_paths(conn, [folder], manifest={})}
    assert results["good.txt"].status == "ingested"
    assert results["long.txt"].status == "ingested"
    assert results["empty.txt"].status == "failed" and "empty" in results["empty.txt"].reason
    assert results["binary.txt"].status == "failed" and "binary" in results["binary.txt"].reason
    assert results["notes.md"].status == "skipped"
    assert {r[0] for r in conn.execute("SELECT file FROM episodes")} >= {"good.txt", "long.txt"}
    assert "empty.txt" not in {r[0] for r in conn.execute("SELECT file FROM episodes")}


def test_ten_megabyte_file_ingests(tmp_path, conn):
    block = "\n".join(POINT[2:7]) + "\n"
    data = (block * (10_000_000 // len(block.encode()) + 1)).encode()
    assert len(data) >= 10_000_000
    [result] = ingest_paths(conn, [write(tmp_path, "huge.txt", data)], manifest={})
    assert result.status == "ingested", result.reason
    assert result.claims > 1000


def run_cli(*args, db: Path):
    env = dict(os.environ, PODCLAIMS_DB=str(db))
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_cli_ingest_exit_codes_and_export(tmp_path):
    db = tmp_path / "cli.db"
    folder = tmp_path / "in"
    write(folder, "good.txt", "\n".join(POINT).encode())
    write(folder, "bad.txt", b"\x00\x01\x02")
    proc = run_cli("ingest", str(folder), db=db)
    assert proc.returncode == 1
    assert "bad.txt" in proc.stderr and "binary" in proc.stderr
    exported = run_cli("export", "--format", "jsonl", db=db)
    assert exported.returncode == 0
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert records and set(records[0]) == {"id", "episode", "file", "line_start", "line_end", "text", "speakers",
                                           "attribution", "cue_line", "entities", "themes", "stance", "kind", "url"}
    assert all(r["file"] == "good.txt" for r in records)
    csv_out = run_cli("export", "--format", "csv", db=db)
    assert csv_out.stdout.splitlines()[0].startswith("id,episode,file,line_start")
    assert run_cli("ingest", str(folder / "good.txt"), db=db).returncode == 0
    stats = run_cli("stats", db=db)
    assert stats.returncode == 0 and "claims" in stats.stdout


def test_cli_backup_and_check(tmp_path):
    db = tmp_path / "cli.db"
    run_cli("ingest", str(write(tmp_path, "a.txt", "\n".join(POINT).encode())), db=db)
    assert run_cli("check", db=db).returncode == 0
    copy = tmp_path / "backup.db"
    assert run_cli("backup", str(copy), db=db).returncode == 0
    assert run_cli("stats", "--db", str(copy), db=db).returncode == 0
    assert run_cli("backup", str(copy), db=db).returncode == 2  # never overwrites


def test_cli_errors_are_one_line_not_tracebacks(tmp_path):
    proc = run_cli("export", "--format", "xml", db=tmp_path / "none.db")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_parallel_ingest_stores_the_same_claims_and_isolates_failures(tmp_path, bundled_manifest):
    from app.db import connect

    folder = tmp_path / "in"
    for src in sorted((ROOT / "data" / "transcripts").glob("*.txt")):
        write(folder, src.name, src.read_bytes())
    write(folder, "broken.txt", b"\x00\x01binary")
    write(folder, "small.txt", "\n".join(POINT).encode())
    serial, parallel = connect(tmp_path / "serial.db"), connect(tmp_path / "parallel.db")
    one = ingest_paths(serial, [folder], manifest=bundled_manifest, jobs=1)
    two = ingest_paths(parallel, [folder], manifest=bundled_manifest, jobs=2)
    assert [(r.path.name, r.status, r.claims) for r in one] == [(r.path.name, r.status, r.claims) for r in two]
    assert {r.path.name: r.status for r in two}["broken.txt"] == "failed"
    dump = "SELECT id, episode_id, line_start, line_end, text, stance, kind, search_text FROM claims ORDER BY id"
    assert serial.execute(dump).fetchall() == parallel.execute(dump).fetchall()
    again = ingest_paths(parallel, [folder], manifest=bundled_manifest, jobs=2)
    assert {r.status for r in again if r.path.name != "broken.txt"} == {"unchanged"}


def test_manifest_change_reapplies_to_an_unchanged_file(conn, bundled_manifest):
    import dataclasses

    ingest_paths(conn, [ROOT / "data" / "transcripts"], manifest=bundled_manifest)
    renamed = {f: dataclasses.replace(e, title=e.title + " (修订)") for f, e in bundled_manifest.items()}
    results = ingest_paths(conn, [ROOT / "data" / "transcripts"], manifest=renamed)
    assert {r.status for r in results} == {"replaced"}
    assert all(t.endswith("(修订)") for (t,) in conn.execute("SELECT title FROM episodes"))


def test_cli_uses_a_folders_jsonl_manifest(tmp_path):
    folder = tmp_path / "show"
    write(folder, "ep-a.txt", "\n".join(POINT).encode())
    write(folder, "episodes.jsonl", json.dumps({"id": "Ep A", "file": "ep-a.txt", "title": "第一期",
                                                "date": "2026-01-02"}, ensure_ascii=False).encode())
    db = tmp_path / "m.db"
    proc = run_cli("ingest", str(folder), "--quiet", db=db)
    assert proc.returncode == 0, proc.stderr
    from app.db import connect

    assert [tuple(r) for r in connect(db).execute("SELECT id, title, date FROM episodes")] == [("ep-a", "第一期", "2026-01-02")]
