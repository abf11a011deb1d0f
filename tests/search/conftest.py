"""A small claims database written row by row, the way the ingest store writes it."""
from __future__ import annotations

import pytest

from app.db import connect
from app.ingest.store import entity_tokens
from app.text.tokenize import index_text

EPISODES = [
    ("ep-new", "new.txt", "新一期", "2026-02-01"),
    ("ep-old", "old.txt", "旧一期", "2025-02-03"),
]
SPEAKERS = [("narrator", "Narrator"), ("nathan-lambert", "Nathan Lambert"), ("dylan-patel", "Dylan Patel")]
ENTITIES = [
    ("deepseek", "company", "DeepSeek", "深度求索"),
    ("deepseek-r1", "model", "DeepSeek-R1", None),
    ("gpt-4", "model", "GPT-4", None),
    ("openai", "company", "OpenAI", None),
    ("nvidia", "company", "NVIDIA", "英伟达"),
    ("qwen", "model", "Qwen (Tongyi Qianwen)", "通义千问"),
    ("meta", "company", "Meta", None),
    ("llama-4", "model", "Llama 4", None),
]
THEMES = [("cost", "成本与价格", "Cost"), ("hardware", "芯片与硬件", "Hardware"), ("post-training", "后训练与强化学习", "Post-training"),
          ("open-models", "开源与开放权重", "Open weights")]

# (key, episode, seq, text, speakers, entities, themes, stance, kind)
CLAIMS = [
    ("r1cost", "ep-old", 1, "而DeepSeek R1模型在推理成本方面表现出色，每百万输出Token的成本仅为2美元，而OpenAI的GPT-4则高达60美元",
     ["dylan-patel"], ["deepseek-r1", "gpt-4", "openai"], ["cost"], "positive", "fact"),
    ("r1open", "ep-new", 1, "中国公司DeepSeek发布了开放权重的模型DeepSeek R1，瞬间震惊了业界",
     ["narrator"], ["deepseek", "deepseek-r1"], ["open-models"], "positive", "fact"),
    ("costword", "ep-new", 2, "训练一个模型的实际成本可能更高，低成本的方案并不多", ["narrator"], [], ["cost"], "negative", "opinion"),
    ("compute", "ep-new", 3, "计算成本在过去一年下降了很多", ["nathan-lambert"], [], ["cost"], "neutral", "fact"),
    ("nvidia", "ep-new", 4, "英伟达也推出了针对特定场景的新芯片", ["narrator"], ["nvidia"], ["hardware"], "positive", "fact"),
    ("nvidia-en", "ep-old", 2, "相比之下，Nvidia从成立之初就专注于为外部客户提供计算方案", ["dylan-patel"], ["nvidia"], ["hardware"],
     "neutral", "fact"),
    ("qwen", "ep-new", 5, "阿里巴巴的通义千问发布了大量高性能开源模型", ["nathan-lambert"], ["qwen"], ["open-models"], "positive", "fact"),
    ("posttrain", "ep-new", 6, "后训练阶段的RLVR彻底改变了模型的训练方式", ["nathan-lambert"], [], ["post-training"], "positive", "opinion"),
    ("llama", "ep-new", 7, "Meta的Llama 4表现令人失望", ["narrator"], ["meta", "llama-4"], ["open-models"], "negative", "opinion"),
    ("price", "ep-old", 3, "API提供商对输入Token的收费大约为输出Token的四分之一", ["dylan-patel"], [], ["cost"], "neutral", "fact"),
    ("html", "ep-old", 4, "有人写了<script>alert(1)</script> & \"引号\"来测试成本", ["narrator"], [], ["cost"], "neutral", "fact"),
    ("trad", "ep-old", 5, "後訓練的推理成本很高", ["narrator"], [], ["post-training"], "negative", "opinion"),
    ("long", "ep-old", 6, "这是一段很长的开场白。" * 30 + "然而英伟达的芯片成本才是关键。" + "后面还有很多别的话。" * 30,
     ["narrator"], ["nvidia"], ["hardware"], "neutral", "opinion"),
]


def build_fixture_db(path):
    conn = connect(path)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO episodes (id, file, title, date, sha256, line_count, source_text, ingested_at) VALUES (?,?,?,?,?,?,?,?)",
        [(e, f, t, d, "x", 100, "", "2026-01-01") for e, f, t, d in EPISODES])
    conn.executemany("INSERT INTO speakers (id, name) VALUES (?,?)", SPEAKERS)
    conn.executemany("INSERT INTO entities (id, type, name, name_zh) VALUES (?,?,?,?)", ENTITIES)
    conn.executemany("INSERT INTO themes VALUES (?,?,?)", THEMES)
    for key, ep, seq, text, spk, ents, ths, stance, kind in CLAIMS:
        conn.execute(
            "INSERT INTO claims (id, episode_id, seq, line_start, line_end, text, attribution, stance, kind,"
            " search_text, entity_text) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (key, ep, seq, seq * 10, seq * 10 + 2, text, "narrator", stance, kind, index_text(text), entity_tokens(ents)))
        conn.executemany("INSERT INTO claim_speakers VALUES (?,?,?)", [(key, s, i) for i, s in enumerate(spk)])
        conn.executemany("INSERT INTO claim_entities VALUES (?,?,?)", [(key, e, i) for i, e in enumerate(ents)])
        conn.executemany("INSERT INTO claim_themes VALUES (?,?,?)", [(key, t, i) for i, t in enumerate(ths)])
    conn.execute("COMMIT")
    return conn


@pytest.fixture
def sdb(tmp_path):
    conn = build_fixture_db(tmp_path / "search.db")
    yield conn
    conn.close()


def ids(results) -> list[str]:
    return [c["id"] for c in results.claims]
