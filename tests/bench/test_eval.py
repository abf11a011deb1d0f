"""Scoring functions of bench/eval.py on tiny hand-made inputs."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import eval as ev  # noqa: E402


def C(a, b, speakers=("narrator",), alt=None, entities=(), themes=("industry",), stance="neutral", kind="opinion"):
    d = {"line_start": a, "line_end": b, "speakers": list(speakers), "entities": list(entities),
         "themes": list(themes), "stance": stance, "kind": kind}
    if alt:
        d["speakers_alt"] = alt
    return d


def test_jaccard_and_best_match():
    assert ev.jaccard(C(1, 4), C(3, 6)) == pytest.approx(2 / 6)
    assert ev.best_match(C(3, 5), [C(1, 3), C(4, 8)]) == (1, 2)
    assert ev.best_match(C(10, 11), [C(1, 3)]) == (None, 0)


def test_perfect_prediction_scores_one():
    gold = [C(1, 3, ["a"], entities=["x"]), C(4, 5)]
    s = ev.score(gold, [dict(g) for g in gold])
    assert s["boundary"]["f1"] == 1.0 and s["speaker_acc"] == 1.0 and s["entities"]["f1"] == 1.0
    assert s["line_speaker_acc"] == 1.0 and s["kind_acc"] == 1.0


def test_entities_named_on_neither_side_are_not_scored_as_zero():
    gold = [C(1, 3, ["a"]), C(4, 5)]
    s = ev.score(gold, [dict(g) for g in gold])
    assert s["entities"]["f1"] is None
    s = ev.score(gold, [dict(gold[0], entities=["x"]), dict(gold[1])])
    assert s["entities"]["f1"] == 0.0  # a name the gold does not have is an error


def test_boundaries_need_jaccard_half():
    gold = [C(1, 4)]
    s = ev.score(gold, [C(1, 1), C(2, 4)])
    assert s["boundary"]["p"] == pytest.approx(0.5) and s["boundary"]["r"] == 1.0


def test_speakers_alt_and_named_figures():
    gold = [C(1, 2, ["a"], alt=[["narrator"]]), C(3, 4, ["narrator"]), C(5, 6, ["b"])]
    pred = [C(1, 2, ["narrator"]), C(3, 4, ["a"]), C(5, 6, ["b"])]
    s = ev.score(gold, pred)
    assert s["speaker_acc"] == pytest.approx(2 / 3)
    assert s["named_precision"] == pytest.approx(1 / 2)  # 'a' on a narrator claim is wrong
    assert s["named_recall"] == pytest.approx(1 / 2)  # gold 'a' got narrator (accepted, but not exact)
    assert s["person_agreement"] == pytest.approx(1.0)  # only (5,6) names people on both sides
    assert s["line_speaker_acc"] == pytest.approx(4 / 6)


def test_micro_prf_entities_and_themes():
    gold = [C(1, 2, entities=["x", "y"], themes=["cost"])]
    pred = [C(1, 2, entities=["x", "z"], themes=["cost", "industry"])]
    s = ev.score(gold, pred)
    assert s["entities"]["p"] == pytest.approx(0.5) and s["entities"]["r"] == pytest.approx(0.5)
    assert s["themes"]["p"] == pytest.approx(0.5) and s["themes"]["r"] == 1.0


def test_uncovered_gold_lines_count_wrong():
    s = ev.score([C(1, 4, ["a"])], [C(1, 2, ["a"])])
    assert s["line_speaker_acc"] == pytest.approx(0.5)


def test_a_malformed_gold_stops_with_its_file_and_line(tmp_path):
    good = '{"file": "x.txt", "line_start": 1, "line_end": 2, "speakers": ["a"], "speakers_alt": [["narrator"]]}'
    path = tmp_path / "gold.jsonl"
    path.write_text(good + "\n" + good.replace('[["narrator"]]', '[[["narrator"]]]') + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"gold.jsonl:2: speakers_alt"):
        ev.read_jsonl(path)
    path.write_text(good + "\n{oops\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"gold.jsonl:2: not JSON"):
        ev.read_jsonl(path)
    path.write_text(good + "\n", encoding="utf-8")
    assert ev.read_jsonl(path)[0]["speakers_alt"] == [["narrator"]]


def test_gold_spans_cut_the_extractors_claims_where_the_golds_are(tmp_path):
    from app.ingest.extract import extract_claims
    from app.ingest.types import EpisodeInfo

    lines = ["大家好，这里是最佳拍档", "今天我们来聊聊芯片", "英伟达的营收增长了三倍。", "这主要来自数据中心业务。",
             "谷歌的TPU也越来越受欢迎。", "很多公司开始租用TPU。", "这让英伟达感到了压力。"]
    path = tmp_path / "chips.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    gold = [{"file": "chips.txt", "line_start": 3, "line_end": 5, "speakers": ["narrator"], "entities": ["nvidia", "google", "tpu"],
             "themes": ["hardware"], "stance": "positive", "kind": "fact"},
            {"file": "chips.txt", "line_start": 6, "line_end": 7, "speakers": ["narrator"], "entities": ["tpu", "nvidia"],
             "themes": ["hardware"], "stance": "negative", "kind": "fact"}]
    with ev.gold_spans(gold):
        pred = ev.run_extractor(gold, path, use_folder_manifest=False)
    assert [(p["line_start"], p["line_end"]) for p in pred] == [(3, 5), (6, 7)]
    assert ev.score(gold, pred)["boundary"]["f1"] == 1.0
    # the extractor cuts as it likes again once the block is left
    own = extract_claims(lines, EpisodeInfo(id="x", file="chips.txt"))
    assert [(c.line_start, c.line_end) for c in own.claims] != [(3, 5), (6, 7)]
