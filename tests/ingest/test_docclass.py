"""The document-level labels (app/ingest/docclass.py): which patterns run where."""
import re

from app.ingest.docclass import _DIGIT_LINE, _Sorted, digit_first, doc_matches


def test_digit_first_knows_patterns_that_start_with_a_digit():
    for p in [r"\d{4}年", r"(?:19|20)\d\d年", r"20\d\d年(底|前)", r"[0-9]+%", r"[\d]x", "1|2"]:
        assert digit_first(p), p
    for p in [r"\d*x", r"\d|个", r"[^0-9]x", r"[0-9a]", r"(将|也将)会", r"\D"]:
        assert not digit_first(p), p


def test_digit_first_patterns_search_the_digit_lines_only_and_find_the_same():
    doc = "1999年和2024年\n没有数字的一行\n从2010年到2020年底\n第12345年"
    lines = [m.span() for m in _DIGIT_LINE.finditer(doc)]
    for p in [r"(?:19|20)\d\d年", r"20\d\d年(底|之前|前)", r"\d+年"]:
        rx = re.compile(p)
        assert [m.span() for m in doc_matches(rx, doc, lines)] == [m.span() for m in rx.finditer(doc)]


def test_sorted_items_within_claims_in_any_order():
    items = _Sorted([1, 5, 5, 9], ["a", "b", "c", "d"])
    assert items.within(0, 5) == ["a"]
    assert items.within(5, 9) == ["b", "c"]
    assert items.within(0, 2) == ["a"]  # an earlier claim than the last: searched from the start
    assert items.within(9, 20) == ["d"]


def test_a_literal_prefix_is_searched_over_the_whole_document():
    from app.ingest.docclass import literal_prefix

    assert literal_prefix(r"20\d\d年(底|前)") and literal_prefix("晚些时候")
    assert not literal_prefix(r"(?:19|20)\d\d年") and not literal_prefix(r"\d+%") and not literal_prefix("[一二]个")
