"""Latin discovery on small hand-written lines: word counts, "First Last" pairs, spans by unit."""
from __future__ import annotations

import pytest

from app.ingest.discover import latin_by_unit, latin_counts
from app.lexicon import load_lexicon


def test_latin_counts_counts_whole_words_and_reads_first_last_pairs():
    lex = load_lexicon()
    counts = latin_counts(["Zed Quill说Wiz很好", "Wiz和Zed Quill", "Quill OK x"], lex)
    assert counts["Wiz"] == 2 and counts["Quill"] == 3 and counts["OK"] == 1
    assert "x" not in counts  # a word has two characters at least
    assert counts.first_names == {"zed": "zed-quill"}


def test_a_pair_is_two_whole_words_on_one_line():
    lex = load_lexicon()
    assert latin_counts(["Zed", "Quill"], lex).first_names == {}  # a line break is no space
    assert latin_counts(["Zed  Quill"], lex).first_names == {}  # one space only
    assert latin_counts(["A3Zed Quill"], lex).first_names == {}  # A3Zed is one word
    assert latin_counts(["3Zed Quill"], lex).first_names == {"zed": "zed-quill"}  # digits then Zed
    assert latin_counts(["Zed Quill3"], lex).first_names == {}
    assert latin_counts(["Bo Zed Quill"], lex).first_names == {"bo": "bo-zed", "zed": "zed-quill"}


def test_latin_by_unit_lists_the_entities_of_each_span_in_order():
    lex = load_lexicon()
    raws = ["没有拉丁字母", "Zed Quill和Moltbook", "社交平台Moltbook", "Zed Quill 2025年"]
    counts = latin_counts(raws, lex)
    counts.named = set()
    got = latin_by_unit(raws, lex, counts, None)
    assert sorted(got) == [1, 2, 3]
    assert [list(g) for g in got[1]] == [["zed-quill"], ["moltbook"]]
    assert [list(g) for g in got[3]] == [["zed-quill"]]  # the year before 年 is no version


def test_an_unknown_word_before_ai_names_a_company_but_a_field_does_not():
    lex = load_lexicon()
    raws = ["这家公司就是 Surge AI", "Physical AI 是下一个方向", "Google AI 发布了新模型"]
    counts = latin_counts(raws, lex)
    counts.named = set()
    found = latin_by_unit(raws, lex, counts, set())
    assert [(e.id, e.type) for d in found.get(0, []) for e in d.values()] == [("surge-ai", "company")]
    assert not any(e.id.endswith("-ai") for i in (1, 2) for d in found.get(i, []) for e in d.values())


def _unit_ids(raws: list[str]) -> list[set[str]]:
    """The ids latin_by_unit finds in each unit of raws."""
    lex = load_lexicon()
    counts = latin_counts(raws, lex)
    counts.named = set()
    found = latin_by_unit(raws, lex, counts, set())
    return [{e.id for d in found.get(i, []) for e in d.values()} for i in range(len(raws))]


def test_a_possessive_name_stays_whole_and_research_ends_a_company_name():
    ids = _unit_ids(["都源于一个名为Garry's List的项目", "Garry's List的诞生", "一款来自Nous Research的全新智能体",
                     "Nous Research发布了新模型", "全球100多家Neocloud算力提供商"])
    assert ids[0] == {"garrys-list"} and ids[1] == {"garrys-list"}  # not "list"
    assert ids[2] == {"nous-research"} and ids[3] == {"nous-research"}  # not "nous"
    assert ids[4] == set()  # a kind of cloud provider, no name


def test_a_claude_model_named_version_first_gets_the_tier_first_id():
    ids = _unit_ids(["Anthropic推出的Claude 4.6 Opus旗舰模型", "Claude 5 Sonnet重磅发布", "Claude 3.5 Sonnet依然很强"])
    assert ids[0] == {"claude-opus-4.6"} and ids[1] == {"claude-sonnet-5"}
    assert "claude-sonnet-3.5" not in ids[2]  # Claude 3.5 Sonnet keeps its own order


def test_a_release_suffix_makes_a_known_model_more_specific():
    ids = _unit_ids(["团队推出了最新模型DeepSeek-V3.2-Exp", "它基于DeepSeek-V3.1-Terminus继续训练", "DeepSeek-V3.2依然开源"])
    assert "deepseek-v3.2-exp" in ids[0] and "deepseek-v3.2" not in ids[0]
    assert "deepseek-v3.1-terminus" in ids[1]
    assert "deepseek-v3.2" in ids[2]


def test_a_company_followed_by_one_name_is_its_product():
    ids = _unit_ids(["那么你试试GitHub Spark", "Amazon Bedrock平台上", "OpenAI CEO奥特曼说"])
    assert ids[0] == {"github-spark"} and ids[1] == {"amazon-bedrock"}
    assert "openai-ceo" not in ids[2]  # common vocabulary after a company is no product


def test_a_company_followed_by_a_model_code_is_its_model_but_not_a_level_or_quarter():
    ids = _unit_ids(["接下来第三个，MiniMax M3走的是完全不同的路线", "他是前Meta E9杰出工程师", "Alphabet Q3财报"])
    assert ids[0] == {"minimax-m3"}
    assert "meta-e9" not in ids[1] and "alphabet-q3" not in ids[2]


def test_a_short_form_of_a_name_found_in_full_before_is_that_name():
    from app.ingest.extract import extract_claims
    from app.ingest.types import EpisodeInfo
    lines = ["大家好，这里是测试频道", "Anthropic推出了Claude Fable 5。", "这是今年最受关注的发布。",
             "而Fable 5是第一个面向普通公众开放的版本。", "训练数据一共有两万亿个词。", "另一个叫Base 9的小模型也开源了。"]
    ex = extract_claims(lines, EpisodeInfo(id="u", file="u.txt", from_manifest=False))
    later = next(c for c in ex.claims if "普通公众" in c.text)
    assert "claude-fable-5" in later.entities and "fable-5" not in later.entities
    base = next(c for c in ex.claims if "Base 9" in c.text)
    assert "claude-fable-5" not in base.entities  # no earlier name ends with it


@pytest.mark.parametrize("lines, marker, name, pair", [
    # a pair ending in a product word is no person whose first name is the company
    (["Lightmatter是一家光计算公司。", "Lightmatter的估值超过四十亿美元。", "这家公司的芯片性能很强。",
      "他们还打造了光引擎Lightmatter Guide"], "估值", "lightmatter", "lightmatter-guide"),
    # a word used alone (twice) before a pair it starts is a name of its own
    (["Polymarket是一个预测市场。", "用户在Polymarket上下注。", "Polymarket的核心规则很简单。",
      "后来出现了Polymarket Agents这样的工具"], "预测市场", "polymarket", "polymarket-agents"),
])
def test_a_company_name_that_starts_a_later_pair_stays_the_companys(lines, marker, name, pair):
    from app.ingest.extract import extract_claims
    from app.ingest.types import EpisodeInfo
    ex = extract_claims(lines, EpisodeInfo(id="u", file="u.txt", from_manifest=False))
    first = next(c for c in ex.claims if marker in c.text)
    assert name in first.entities and pair not in first.entities, first.entities


def test_a_code_named_again_and_again_is_a_product_but_not_a_number_format():
    lex = load_lexicon()
    raws = ["MI455X是全球首款2nm GPU芯片", "MI455X用的是CoWoS-L封装", "MI455X的吞吐量很高", "它支持FP16和FP16的混合精度",
            "FP16很常见", "P99延迟很低"]
    counts = latin_counts(raws, lex)
    counts.named = set()
    ids = {i: set().union(*got) for i, got in latin_by_unit(raws, lex, counts, set()).items()}
    assert ids.get(0) == {"mi455x"}
    assert "fp16" not in ids.get(3, set()) and 5 not in ids


def test_a_stop_word_written_in_two_words_is_no_name():
    # neoclouds is a kind of company, not one: written Neo Clouds it is no name either
    got = _unit_ids(["还有一个新角色叫Neo Clouds新型云服务商", "Neo Clouds主要有两种模式", "Neo Clouds的客户",
                     "Zed Quill的客户"])
    assert got[:3] == [set(), set(), set()]
    assert got[3] == {"zed-quill"}


def test_benchmarks_are_no_entities():
    got = _unit_ids(["在SWE-bench Verified测试里拿到了80.6%", "在BrowseComp和FrontierMath两大基准测试中拿下了最优成绩",
                     "BrowseComp的题目很难", "FrontierMath的题目也很难", "Zed Quill的得分", "在Quill-AGI Test中"])
    assert got == [set(), set(), set(), set(), {"zed-quill"}, set()]


def test_a_version_written_on_to_a_known_name_reads_as_when_spaced():
    ids = _unit_ids(["AlphaFold2和AlphaFold 2是同一个模型", "谷歌的TPUv7芯片", "NVLink5.0的带宽翻倍", "HBM5的带宽"])
    assert ids[0] == {"alphafold-2"}  # not alphafold2 beside alphafold-2
    assert ids[1] == {"tpu-v7"}
    assert ids[2] == {"nvlink-5.0"}
    assert "hbm-5" not in ids[3]  # the lexicon writes HBM's versions on (hbm4): so does the text


def test_the_labels_of_a_diarised_transcript_are_no_entities():
    ids = _unit_ids(["[Speaker 1]: 今天我们聊聊Moltbook", "[Speaker 0]: 好的", "[Speaker 1]: Moltbook很火"])
    assert ids == [{"moltbook"}, set(), {"moltbook"}]


def test_the_verified_split_of_a_benchmark_is_no_entity():
    ids = _unit_ids(["它在SWE-bench Verified测试里拿到了79分", "Verified的得分也很高"])
    assert ids == [set(), set()]


def test_a_pair_that_only_glosses_a_chinese_term_names_no_person():
    raws = ["最近出现了一个新概念叫做循环工程（Loop Engineering）", "你可以用/loop指令让提示词重复运行",
            "主持人是迈克尔·卡根（Michael Kagan）", "Michael说芯片很重要"]
    counts = latin_counts(raws, load_lexicon())
    assert "loop" not in counts.first_names  # a practice, glossed
    assert counts.first_names.get("michael") == "michael-kagan"  # a person, glossed


def test_an_accented_latin_name_is_read_whole_and_slugged_without_accents():
    ids = _unit_ids(["亨利·庞加莱（Henri Poincaré）接近了相对论", "埃尔德什（Paul Erdős）证明了定理", "一个3×4的矩阵"])
    assert ids[0] == {"henri-poincare"}  # not henri-poincar
    assert ids[1] <= {"paul-erdos"}  # a glossed name is the people finder's; never paul-erd
    assert ids[2] == set()  # × is no letter


def test_a_claude_tier_with_a_version_names_a_claude_model_without_the_family_name():
    ids = _unit_ids(["前代Sonnet 4.6、旗舰Opus 4.8做了横向对比", "Sonnet 5得分57.4%", "Sonnet级别的模型"])
    assert ids[0] == {"claude-sonnet-4.6", "claude-opus-4.8"}
    assert ids[1] == {"claude-sonnet-5"}
    assert ids[2] == set()  # a tier without a version is no model of its own
