"""User string → concepts → safe FTS5: aliases, synonyms, hostile input."""
from app.search.query import parse_query


def alternatives(q: str) -> list[set[str]]:
    return [{" ".join(a) for a in c.alternatives} for c in parse_query(q).concepts]


def test_entity_alias_expands_both_ways():
    assert {"nvidia", "英伟达"} <= alternatives("nvidia")[0]
    assert {"nvidia", "英伟达"} <= alternatives("英伟达")[0]
    assert {"qwen", "通义千问"} <= alternatives("通义千问")[0]
    assert parse_query("Qwen").entities == ["qwen"]


def test_r1_means_deepseek_r1():
    assert parse_query("R1").entities == ["deepseek-r1"]
    assert parse_query("DeepSeek R1 成本").entities == ["deepseek-r1"]


def test_synonyms_come_from_data():
    alts = alternatives("成本")[0]
    assert {"成本", "费用", "价格", "cost"} <= alts


def test_stop_words_only_is_empty():
    assert parse_query("的 the 了 of").empty
    assert parse_query("").empty


def test_operators_are_words_not_syntax():
    expr = parse_query('"a" OR b* NEAR(c, d) col:^e -f AND NOT').match_any()
    assert "*" not in expr and "^" not in expr and "NEAR" not in expr
