"""Store: one transaction per file, stable ids, unchanged input is a no-op, failures roll back."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.ingest.readers import Transcript
from app.ingest.store import IngestConflict, claim_id, store_extraction
from app.ingest.types import ClaimDraft, EntityDef, EpisodeInfo, Extraction, Person

THEMES = {"cost": {"zh": "成本与价格", "en": "Cost"}, "industry": {"zh": "行业格局与竞争", "en": "Industry"}}
EPISODE = EpisodeInfo(id="ep-1", file="ep1.txt", title="Episode one",
                      guests=[Person("nathan-lambert", "Nathan Lambert", ["兰伯特"], "guest")])
PEOPLE = {"nathan-lambert": EPISODE.guests[0], "narrator": Person("narrator", "Narrator", [], "narrator")}
ENTITIES = {"deepseek-r1": EntityDef("deepseek-r1", "model", "DeepSeek-R1"), "openai": EntityDef("openai", "company", "OpenAI")}


def transcript(lines, sha="a" * 64):
    return Transcript(path=Path("ep1.txt"), lines=lines, encoding="utf-8", sha256=sha)


def claims(*texts, stance="neutral"):
    return [
        ClaimDraft(line_start=i + 1, line_end=i + 1, text=t, speakers=["nathan-lambert"] if i == 0 else ["narrator"],
                   attribution="cue" if i == 0 else "narrator", cue_line=1 if i == 0 else None,
                   entities=["deepseek-r1"] if i == 0 else ["openai"], themes=["cost"], stance=stance)
        for i, t in enumerate(texts)
    ]


def store(conn, texts, sha="a" * 64, version="v1", **kw):
    return store_extraction(conn, episode=EPISODE, transcript=transcript(list(texts), sha),
                            extraction=Extraction(claims(*texts, **kw), PEOPLE, ENTITIES), themes=THEMES,
                            extractor_version=version)


def ids(conn):
    return [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY seq")]


def test_first_ingest_writes_claims_and_links(conn):
    result = store(conn, ["兰伯特提到R1很便宜", "OpenAI很贵"])
    assert (result.status, result.claims) == ("ingested", 2)
    first = ids(conn)[0]
    assert conn.execute("SELECT speaker_id FROM claim_speakers WHERE claim_id=?", (first,)).fetchone()[0] == "nathan-lambert"
    assert conn.execute("SELECT entity_id FROM claim_entities WHERE claim_id=?", (first,)).fetchone()[0] == "deepseek-r1"
    assert conn.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH 'e_deepseek_r1'").fetchone()[0] == 1


def test_unchanged_file_is_a_no_op_and_keeps_ids(conn):
    store(conn, ["兰伯特提到R1很便宜", "OpenAI很贵"])
    before = ids(conn)
    again = store(conn, ["兰伯特提到R1很便宜", "OpenAI很贵"])
    assert again.status == "unchanged"
    assert ids(conn) == before


def test_changed_file_keeps_ids_of_unchanged_claims_and_retires_the_rest(conn):
    store(conn, ["兰伯特提到R1很便宜", "OpenAI很贵"])
    old = ids(conn)
    result = store(conn, ["兰伯特提到R1很便宜", "OpenAI其实不贵"], sha="b" * 64)
    assert result.status == "replaced"
    assert ids(conn)[0] == old[0]
    assert ids(conn)[1] != old[1]
    assert conn.execute("SELECT line_start FROM retired_claims WHERE id=?", (old[1],)).fetchone()[0] == 2


def test_new_extractor_version_reextracts_same_file(conn):
    store(conn, ["一", "二"])
    assert store(conn, ["一", "二"], version="v2").status == "replaced"


def test_failure_mid_file_rolls_back_everything(conn):
    store(conn, ["兰伯特提到R1很便宜", "OpenAI很贵"])
    before = ids(conn)
    with pytest.raises(sqlite3.IntegrityError):
        store(conn, ["新的说法", "另一个"], sha="c" * 64, stance="not-a-stance")
    assert ids(conn) == before
    assert conn.execute("SELECT sha256 FROM episodes").fetchone()[0].startswith("a" * 64)
    assert not conn.in_transaction


def test_episode_id_owned_by_another_file_is_refused(conn):
    store(conn, ["一"])
    other = EpisodeInfo(id="ep-1", file="other.txt")
    with pytest.raises(IngestConflict, match="already belongs"):
        store_extraction(conn, episode=other, transcript=transcript(["x"]),
                         extraction=Extraction(claims("x"), PEOPLE, ENTITIES), themes=THEMES, extractor_version="v1")


def test_claim_id_is_stable_and_short():
    assert claim_id("ep", "文本", 0) == claim_id("ep", "文本", 0)
    assert claim_id("ep", "文本", 0) != claim_id("ep", "文本", 1)
    assert len(claim_id("ep", "文本", 0)) == 10


def test_replacing_an_episode_drops_entities_nobody_mentions_any_more(conn):
    store(conn, ["兰伯特提到R1很便宜", "OpenAI很贵"])
    assert {r[0] for r in conn.execute("SELECT id FROM entities")} == {"deepseek-r1", "openai"}
    only_one = Extraction(claims("兰伯特提到R1很便宜"), PEOPLE, {"deepseek-r1": ENTITIES["deepseek-r1"]})
    store_extraction(conn, episode=EPISODE, transcript=transcript(["x"], "d" * 64), extraction=only_one,
                     themes=THEMES, extractor_version="v1")
    assert {r[0] for r in conn.execute("SELECT id FROM entities")} == {"deepseek-r1"}
