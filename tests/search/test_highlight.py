"""Marks on the original text: escaping, no inserted spaces, traditional script, snippets."""
import re

from app.search.highlight import highlight
from app.search.query import parse_query


def plain(html: str) -> str:
    from html import unescape

    return unescape(re.sub(r"</?mark>", "", html))


def test_marks_words_without_inserting_spaces():
    text = "这款模型以更低的算力成本达到了接近Sota的性能"
    out = highlight(text, parse_query("成本"))
    assert out == "这款模型以更低的算力<mark>成本</mark>达到了接近Sota的性能"
    assert plain(out) == text


def test_everything_else_is_escaped():
    text = '有人写了<script>alert(1)</script> & "引号"来测试成本'
    out = highlight(text, parse_query("<script> 成本"))
    assert "<script>" not in out
    assert "&lt;" in out and "&amp;" in out and "<mark>成本</mark>" in out
    assert plain(out) == text


def test_sub_words_are_not_marked_twice():
    out = highlight("低成本方案", parse_query("成本 低成本"))
    assert out.count("<mark>") == 1 and plain(out) == "低成本方案"


def test_names_marked_as_written():
    out = highlight("DeepSeek-R1与deepseek r1", parse_query("deepseek r1"))
    assert out == "<mark>DeepSeek-R1</mark>与<mark>deepseek r1</mark>"


def test_traditional_text_is_highlighted_for_a_simplified_query():
    assert highlight("後訓練很重要", parse_query("后训练")) == "<mark>後訓練</mark>很重要"


def test_long_claim_gets_a_snippet_around_the_match():
    text = "开场白。" * 100 + "英伟达的芯片" + "结尾。" * 100
    out = highlight(text, parse_query("英伟达"))
    assert "<mark>英伟达</mark>" in out
    assert out.startswith("…") and out.endswith("…")
    assert len(plain(out)) < 200


def test_no_query_is_escaped_text():
    assert highlight("a<b", None) == "a&lt;b"


def test_cached_highlight_is_identical():
    from app.search import highlight as hl

    texts = ["这款模型以更低的算力成本达到了接近Sota的性能", "後訓練的推理成本很高", "DeepSeek-R1 的成本" * 30,
             '有人写了<script>alert(1)</script> & "引号"来测试成本']
    queries = ["成本", "后训练 成本", "DeepSeek R1", "<script>"]
    fresh = []
    for q in queries:
        for t in texts:
            hl._match_spans.cache_clear()
            hl._token_spans.cache_clear()
            fresh.append(highlight(t, parse_query(q)))
    cached = [highlight(t, parse_query(q)) for q in queries for t in texts]
    assert cached == fresh == [highlight(t, parse_query(q)) for q in queries for t in texts]
    assert hl._token_spans.cache_info().currsize <= hl.TOKEN_CACHE
