"""Document scanning helpers (app/ingest/scan.py, app/ingest/docclass.py)."""
from __future__ import annotations

import re

from app.ingest.scan import literal_led


def _lines(patterns: list[str], lines: list[str]) -> set[int]:
    return {i for i, t in enumerate(lines) for p in patterns if re.search(p, t)}


def test_literal_led_splits_a_leading_choice_and_drops_a_leading_optional_group():
    assert literal_led("(感谢|谢谢)(大家|收看)") == ["(?:感谢)(?:(大家|收看))", "(?:谢谢)(?:(大家|收看))"]
    assert literal_led("(就|这里)?不(再|多)?展开了") == ["不(再|多)?展开了"]
    assert literal_led("(我们)?就?(来|将)?(介绍|讲讲)") == ["(?:介绍)(?:)", "(?:讲讲)(?:)"]
    lines = ["感谢大家", "谢谢收看", "谢谢你", "这里不展开了", "就不再展开了", "不展开"]
    for p in ["(感谢|谢谢)(大家|收看)", "(就|这里)?不(再|多)?展开了"]:
        assert _lines(literal_led(p), lines) == _lines([p], lines)


def test_literal_led_leaves_what_it_cannot_split():
    for p in ["(a|b)c|d", r"(a|b)\1", "(a|b)*c", "(a|b){2}c", "(a)?+b", "(a)?", "(a|b|c|d|e)x", "[(a|b)]x", r"(\d|b)x"]:
        assert literal_led(p) == [p]


def test_doc_matches_are_finditer_over_the_document():
    from app.ingest.docclass import _DIGIT_LINE, doc_matches

    doc = "2024年3月发布\n没有数字\n价格涨了15%和2.5%\n第12345年6月\n一二三个"
    lines = [m.span() for m in _DIGIT_LINE.finditer(doc)]
    for p in [r"\d{4}年\d{1,2}月", r"\d+(\.\d+)?%", r"[一二三]+个", r"\d|个"]:
        rx = re.compile(p)
        assert [m.span() for m in doc_matches(rx, doc, lines)] == [m.span() for m in rx.finditer(doc)]


def test_non_capturing_keeps_classes_escapes_and_patterns_that_refer_to_groups():
    from app.ingest.scan import non_capturing

    assert non_capturing("(a|b)c(?=d)") == "(?:a|b)c(?=d)"
    assert non_capturing(r"[(]\((x)") == r"[(]\((?:x)"
    assert non_capturing("[]()](y)") == "[]()](?:y)"
    assert non_capturing(r"(a)\1") == r"(a)\1"


def test_text_searches_find_what_the_patterns_find():
    from app.ingest.scan import text_searches

    pats = ["(今天)?就?(来|将)?(介绍|讲讲)", "^(好了|好的)$", "(感谢|谢谢)(大家|收看)"]
    for text in ["今天就来介绍一下", "讲讲", "好的", "好的吗", "谢谢收看", "谢谢\n大家", "来介"]:
        assert any(rx.search(text) for rx in text_searches(pats)) == any(re.search(p, text) for p in pats)


def test_lookbehind_last_moves_a_one_character_lookbehind_after_its_literal():
    from app.ingest.scan import lookbehind_last

    p = "(?:不少人|(?<![所没])有人|外界)(?:认为|表示)"
    assert lookbehind_last(p) == "(?:不少人|有(?<![所没]有)人|外界)(?:认为|表示)"
    lines = ["有人认为", "所有人认为", "没有人表示", "\n有人表示", "外界认为", "不少人表示", "所有人"]
    assert _lines([lookbehind_last(p)], lines) == _lines([p], lines)
    for q in [r"\(?<!a)b", "[(?<!a)b]", "(?<!过去)(?:x)", "(?<![所没])有+", r"(?<!a)\d", r"(?<!a)b\1(c)"]:
        assert lookbehind_last(q) == q


def test_literal_led_splits_a_leading_class_of_plain_characters():
    from app.ingest.scan import literal_led

    assert literal_led(r"[?？]\s*$") == [r"(?:\?)(?:\s*$)", r"(?:？)(?:\s*$)"]
    lines = ["为什么?", "为什么？ ", "为什么", "?？"]
    assert _lines(literal_led(r"[?？]\s*$"), lines) == _lines([r"[?？]\s*$"], lines)
    for p in ["[^ab]c", "[a-c]x", "[ab]*c", "[abcde]x", r"[\d]x", "x[ab]"]:
        assert literal_led(p) == [p]


def test_choices_spread_over_the_alternatives_of_one_group():
    from app.ingest.scan import choices_spread, group_alternatives

    p = "(?:展开了?(?:讨论|探讨)|各有特色|(?:我们|咱们)(?:先|再)?来看|的最后$)"
    assert group_alternatives(p) == ["展开了?(?:讨论|探讨)", "各有特色", "(?:我们|咱们)(?:先|再)?来看", "的最后$"]
    spread = choices_spread(p)
    assert spread == "(?:展开了?(?:讨论|探讨)|各有特色|我们(?:(?:先|再)?来看)|咱们(?:(?:先|再)?来看)|的最后$)"
    lines = ["我们先来看", "咱们来看看", "节目的最后", "各有特色的", "你们来看", "展开讨论", "最后的"]
    assert _lines([spread], lines) == _lines([p], lines)
    for q in ["(a|b)c", "(a|b)|(c)", "(?:(x|y)*z|w)", "(?=a|b)", "(?:a)(?:b)", r"(?:(a|b)\1)"]:
        assert choices_spread(q) == q
