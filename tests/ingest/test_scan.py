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


def test_required_strings_are_held_by_every_match():
    from app.ingest.scan import required_strings, telling_strings

    assert required_strings("[^，,。]{2,12}(完成|结束)?(之后|以后|后|之前|期间)[，,]") == {
        "后，", "后,", "之前，", "之前,", "期间，", "期间,"}  # 之后， holds 后，
    assert required_strings("(我们|咱们)[^。]{0,8}(来讲讲|来聊聊)") == {"来讲讲", "来聊聊"}  # the longer
    assert required_strings("^(不过|此外)", lines=True) == {"\n不过", "\n此外"}
    assert required_strings("(是|为)$", lines=True) == {"是\n", "为\n"}
    assert required_strings("(?<![所没])有人(认为)?") == {"有人"}
    assert required_strings("(?i)openai") is None and required_strings(r"\d+") is None
    assert telling_strings("^第[一二0-9]+") == {"\n第"}  # no digit at an edge: the scanner checks boundaries there
    assert telling_strings("(是|为)") is None  # one character: too common to sift by


def test_line_patterns_find_the_lines_that_match_alone():
    from itertools import accumulate

    from app.ingest.scan import LinePattern, sift
    from app.lexicon import MultiMatcher

    lines = ["不过这个", "在项目完成之后，我们", "好了", "而且不过", "第3点", "这是", "他说是", "", "不过"]
    doc = "\n".join(lines)
    starts = list(accumulate([len(x) + 1 for x in lines], initial=0))[:-1]
    groups = [(["(不过|此外)", "第[一二0-9]+", "[^，,。]{2,12}(之后|以后)[，,]"], True),
              (["(是|为)$", "^好了$", "我们"], False), (["不过"], True), (["(是|为)$"], False)]
    for pats, anchor in groups:
        lp = LinePattern(pats, anchor)
        assert lp.sifted is not None
        hits = MultiMatcher({"cue": {k: [lp.sifted] for k in lp.sifted.required}}, raw=("cue",)).scan(doc)["cue"]
        expected = {i for i, t in enumerate(lines) if lp.line_rx.search(t)}
        assert lp.lines(doc, starts, lines, sift(hits, starts)) == expected


def test_a_few_keys_are_found_as_the_automaton_finds_them(monkeypatch):
    from app import lexicon

    table = {"马斯克": "musk", "埃隆·马斯克": "musk", "gpt": "gpt", "gpt-5": "gpt5", "aa": "a"}
    for doc in ["埃隆·马斯克说gpt-5.2和gpt-5", "aaa马斯克gpt2025年", "", "😀马斯克"]:
        few = lexicon.MultiMatcher({"p": table}).scan(doc)
        monkeypatch.setattr(lexicon, "FEW_KEYS", 0)
        assert lexicon.MultiMatcher({"p": table}).scan(doc) == few
        monkeypatch.undo()


def test_every_line_pattern_of_the_lexicon_is_line_safe():
    """A pattern line_safe cannot rewrite (\\s inside a class…) sends its whole group down the
    line-by-line path: correct, but several times slower on every file."""
    from app.ingest.scan import LINE_GROUPS, line_safe
    from app.lexicon import load_lexicon

    lex = load_lexicon()
    unsafe = [(key, p) for key, _ in LINE_GROUPS.values() for p in lex.cues.get(key) or [] if line_safe(str(p)) is None]
    assert unsafe == []
