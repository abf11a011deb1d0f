"""Links built by ClaimQuery: the fast toggle_url agrees with toggled().url(), and round-trips."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from hypothesis import given, strategies as st

from app.web.deps import FILTER_FIELDS, ClaimQuery

values = st.sampled_from(["a", "b c", "&x=1", "中文", "<s>", "deepseek-r1", "100%"])
filters = st.dictionaries(st.sampled_from(FILTER_FIELDS), st.lists(values, min_size=1, max_size=3, unique=True).map(tuple))
queries = st.builds(ClaimQuery, q=st.sampled_from(["", "DeepSeek R1 成本", "a&b=c"]), filters=filters,
                    page=st.integers(1, 3), page_size=st.sampled_from([20, 50]))


@given(query=queries, field=st.sampled_from(FILTER_FIELDS), value=values)
def test_toggle_url_matches_toggled(query, field, value):
    assert query.toggle_url(field, value) == query.toggled(field, value).url()


@given(query=queries)
def test_url_round_trips(query):
    pairs = parse_qsl(urlsplit(query.url()).query)
    got: dict[str, list[str]] = {}
    for k, v in pairs:
        got.setdefault(k, []).append(v)
    assert got.get("q", [""]) == [query.q] if query.q else "q" not in got
    for name, vals in query.filters.items():
        assert tuple(got[name]) == vals
    assert int(got.get("page", ["1"])[0]) == query.page


def test_toggling_twice_restores_the_query():
    query = ClaimQuery(q="x", filters={"speaker": ("a",)}, page=3)
    back = query.toggled("stance", "positive").toggled("stance", "positive")
    assert back.filters == query.filters and back.page == 1
