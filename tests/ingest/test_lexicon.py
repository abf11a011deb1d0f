"""The lexicon: data files load, aliases resolve with longest match, themes are the taxonomy's."""
from __future__ import annotations

from collections import Counter

import pytest
import yaml

from app.config import ROOT
from app.lexicon import load_lexicon, norm

THEMES = {"open-models", "industry", "geopolitics", "post-training", "scaling", "reasoning", "architecture", "cost",
          "ai-coding", "agents", "agi", "hardware", "datacenters", "business", "talent", "safety", "evaluation"}


def ids(text: str) -> list[str]:
    return [m[3] for m in load_lexicon().match_entities(norm(text))]


def test_themes_are_the_17_of_the_taxonomy():
    lex = load_lexicon()
    assert set(lex.themes) == THEMES
    assert all(t["zh"] and t["en"] for t in lex.themes.values())


def test_longest_match_keeps_versions_together():
    assert ids("DeepSeek R1和DeepSeek-V3") == ["deepseek-r1", "deepseek-v3"]
    assert ids("Claude Opus 4.5发布") == ["claude-opus-4.5"]
    assert ids("Claude Code的用户") == ["claude-code"]
    assert ids("Google Gemini 3") == ["google", "gemini-3"]


def test_transcription_errors_and_chinese_names():
    assert ids("3米analysis的文章") == ["semianalysis"]
    assert ids("GP4") == ["gpt-4"]
    assert ids("英伟达和谷歌") == ["nvidia", "google"]
    assert ids("通义千问3") == ["qwen3"]


def test_latin_boundaries():
    assert ids("metadata") == []
    assert ids("GPT-5.2") != ["gpt-5"]
    assert ids("Groq的芯片") == ["groq"] and ids("Grok的回答") == ["grok"]


def test_entity_aliases_for_search():
    al = load_lexicon().entity_aliases()
    assert al["英伟达"] == "nvidia" and al["DeepSeek R1"] == "deepseek-r1"
    assert al["Lex Fridman"] == "lex-fridman"


def test_entities_have_types():
    lex = load_lexicon()
    assert {e.type for e in lex.entities.values()} <= {"model", "company", "product", "person"}
    assert lex.entities["tpu"].type == "product" and lex.entities["jensen-huang"].type == "person"


def test_cached():
    assert load_lexicon() is load_lexicon()


def test_context_rules_resolve_look_alikes():
    assert ids("比如Grok与英伟达的授权协议") == ["groq", "nvidia"]
    assert ids("Grok的回答很幽默") == ["grok"]
    assert ids("项目采用MIT许可证") == [] and ids("MIT的研究团队") == ["mit"]
    assert ids("信号先经过高通滤波") == [] and ids("高通发布了新芯片") == ["qualcomm"]
    assert ids("一支庞大的卫星舰队") == [] and ids("星舰第五次试飞成功") == ["starship"]
    assert ids("常用的困惑度（Perplexity）就是一个指标") == [] and ids("Perplexity融资了五亿美元") == ["perplexity"]
    assert ids("当父亲得以赴美团聚时") == [] and ids("在美团上点外卖") == ["meituan"]
    assert ids("石油管道和新思科技，还有高通量筛选") == [] and ids("油管、思科和高通") == ["youtube", "cisco", "qualcomm"]


def test_alias_matcher_boundaries_in_one_pass():
    from app.lexicon import AliasMatcher

    m = AliasMatcher({"gpt": "a", "gpt-5": "b", "芯片": "c"})
    assert [h[3] for h in m.find("gpt-5的芯片")] == ["b", "c"]
    assert [h[3] for h in m.find("xgpt-5 gpt-5.2")] == ["a"]  # no match inside a word; GPT-5 ≠ GPT-5.2


def test_multi_matcher_counts_characters_beyond_the_bmp():
    """The scan runs over UTF-16 code units when it can; positions are still in characters."""
    from app.lexicon import MultiMatcher

    m = MultiMatcher({"k": {"芯片": "a", "gpt": "b", "𠀀字": "c"}, "raw": {"片": "d"}}, raw=("raw",))
    assert m.scan("gpt的芯片") == {"k": [(0, 3, "gpt", "b"), (4, 6, "芯片", "a")], "raw": [(5, 6, "片", "d")]}
    assert m.scan("😀gpt的芯片") == {"k": [(1, 4, "gpt", "b"), (5, 7, "芯片", "a")], "raw": [(6, 7, "片", "d")]}
    assert m.scan("𠀀字与芯片")["k"] == [(0, 2, "𠀀字", "c"), (3, 5, "芯片", "a")]
    assert m.scan("\ud800芯片")["k"] == [(1, 3, "芯片", "a")]  # a lone surrogate
    assert m.scan("与芯\u7247")["k"] == [(1, 3, "芯片", "a")]
    assert m.scan("r\u4700")["raw"] == []  # the bytes of 片 (72 47) across two characters (00 72 47 00)
    only_astral = MultiMatcher({"k": {"𠀀字": "c"}})
    assert only_astral.scan("芯片") == {"k": []} and only_astral.scan("𠀀字")["k"] == [(0, 2, "𠀀字", "c")]


def test_norm_lines_equals_norm_per_line():
    from app.lexicon import norm, norm_lines

    lines = ["臺灣的 Ｇｅｍｉｎｉ ３ 模型，好？", "迪倫 · 帕特爾", "埃隆・马斯克", "a ·", "Ｘ　Ｙ", "ΣΑΣ abc",
             "𠮷野家 說", "e\u0301 Café", " · x", "x ・ y", "Ｇ\u0301", "", "GPT-4_o — 2", "a\rb"]
    assert norm_lines(lines) == [norm(l.replace("\r", " ")) for l in lines]


def test_glued_product_names_resolve():
    assert ids("GoogleCloud排名第三") == ["google-cloud"]
    assert ids("微软的Office365订阅") == ["microsoft", "office-365"]


def test_places_are_not_entities():
    assert ids("xAI在田纳西州孟菲斯市的Memphis数据中心") == ["xai"]


def test_one_space_turns_each_run_of_separators_into_one_space():
    import re

    from app.lexicon import one_space

    runs = re.compile(r"[ \t\u3000\-_‐‑–—]+")
    for text in ["GPT-4o mini", "a \t\u3000b", "a  -  b", "x—y–z", "  lead_tail  ", "中文", "", "a\n  b"]:
        assert one_space(text) == runs.sub(" ", text)


def test_no_cue_or_keyword_is_listed_twice():
    """A word listed twice (two stance weights, two kinds, twice in a theme) would take whichever
    entry the table builder meets first: the data would say two things at once."""
    classify = yaml.safe_load((ROOT / "data" / "lexicon" / "classify.yaml").read_text(encoding="utf-8"))
    stance = Counter(w for words in classify["stance"]["cues"].values() for w in words)
    kind = classify["kind"]
    kinds = Counter(w for k in ("prediction", "advice", "fact", "opinion") for words in (kind.get(k) or {}).values()
                    for w in words)
    kinds.update(kind.get("none") or [])
    themes = yaml.safe_load((ROOT / "data" / "lexicon" / "themes.yaml").read_text(encoding="utf-8"))["themes"]
    per_theme = Counter((tid, w) for tid, t in themes.items() for w in t.get("keywords") or [])
    assert [w for w, n in stance.items() if n > 1] == []
    assert [w for w, n in kinds.items() if n > 1] == []
    assert [w for w, n in per_theme.items() if n > 1] == []


def test_a_key_given_twice_in_a_data_file_is_refused_not_silently_dropped(tmp_path):
    from app.datafiles import YAMLError, read_yaml

    f = tmp_path / "classify.yaml"
    f.write_text("kind:\n  fact:\n    1.0: [当时]\n    1.0: [这是一个]\n", encoding="utf-8")
    with pytest.raises(YAMLError, match="duplicate key 1.0"):
        read_yaml(f)
    f.write_text("kind:\n  fact:\n    1.0: [当时, 这是一个]\n", encoding="utf-8")
    assert read_yaml(f) == {"kind": {"fact": {1.0: ["当时", "这是一个"]}}}


def test_yes_no_on_off_in_a_data_file_are_words_not_booleans(tmp_path):
    """YAML 1.1 reads yes / no / on / off as booleans: the stop word "on" became True and the
    spelling 诺: no became "false" (克里斯蒂亚诺 → ristiafalse)."""
    from app.datafiles import read_yaml
    from app.ingest.discover import cfg
    from app.ingest.romanize import translit_guess

    f = tmp_path / "d.yaml"
    f.write_text("words: [on, off, yes, no]\nspelling: {诺: no}\nflag: true\n", encoding="utf-8")
    assert read_yaml(f) == {"words": ["on", "off", "yes", "no"], "spelling": {"诺": "no"}, "flag": True}
    lex = load_lexicon()
    assert "on" in cfg(lex)["stop"] and "true" not in cfg(lex)["stop"]
    assert "false" not in translit_guess("克里斯蒂亚诺·阿蒙", lex)


def test_a_persons_dotted_name_gives_its_parts_as_short_forms_but_not_a_common_first_name():
    lex = load_lexicon()
    assert {"利奥波德", "阿申布伦纳"} <= set(lex.person_short["leopold-aschenbrenner"])
    assert "彼得" not in lex.person_short.get("peter-steinberger", [])  # many people are 彼得
    # a short form counts once the full name was seen in the same text
    from app.ingest.extract import extract_claims
    from app.ingest.types import EpisodeInfo
    ep = EpisodeInfo(id="x", file="x.txt")
    lines = ["大家好，这里是最佳拍档", "今天我们来聊聊", "利奥波德·阿申布伦纳曾在OpenAI工作。", "后来利奥波德写了一篇长文。"]
    ex = extract_claims(lines, ep)
    assert "leopold-aschenbrenner" in ex.claims[-1].entities
    ex = extract_claims(["大家好，这里是最佳拍档", "今天我们来聊聊", "后来利奥波德写了一篇长文。"], ep)
    assert all("leopold-aschenbrenner" not in c.entities for c in ex.claims)


def test_carmakers_and_agencies_named_in_chinese_or_by_acronym_resolve():
    assert ids("福特、丰田、通用汽车这些公司造的车") == ["ford", "toyota", "general-motors"]
    assert ids("美国联邦通信委员会也就是FCC") == ["fcc", "fcc"]
    assert ids("FDA批准了这项临床试验") == ["fda"]


def test_scientists_named_in_passing_resolve_and_longer_names_win():
    assert ids("牛顿和爱因斯坦") == ["isaac-newton", "albert-einstein"]
    assert ids("玻尔兹曼机不是玻尔提出的") == ["ludwig-boltzmann", "niels-bohr"]
    assert ids("亨利·福特创办了福特汽车") == ["henry-ford", "ford"]  # the man, then his company


def test_the_platform_x_is_named_where_someone_posts_on_it():
    assert ids("马斯克在X上发了一条消息") == ["elon-musk", "x"]
    assert ids("在X光下看得很清楚") == [] and ids("5X的增长") == []


def test_claude_models_the_corpus_names_without_claude():
    assert ids("Mythos系列模型") == ["claude-mythos"]
    assert ids("Fable 5和Mythos 5") == ["claude-fable-5", "claude-mythos-5"]
    assert ids("Fabless模式") == []


def test_names_inside_other_words_and_named_after_things_are_not_their_people():
    assert ids("这批次里根本不存在这种芯片") == [] and ids("里根政府的政策") == ["ronald-reagan"]
    assert ids("著名的费米悖论") == [] and ids("费米实验室的物理学家") == [] and ids("费米提出了这个问题") == ["enrico-fermi"]
    assert ids("五种柏拉图正多面体") == [] and ids("柏拉图在其对话录中") == ["plato"]


def test_deaccent_keeps_the_length_and_leaves_other_scripts_alone():
    from app.lexicon import deaccent

    assert deaccent("Poincaré和Erdős") == "Poincare和Erdos"
    assert deaccent("3×4 Straße 한국") == "3×4 Straße 한국"  # no base letter for ×, ß; Hangul kept


def test_a_slug_drops_accents_but_keeps_other_scripts():
    from app.ingest.manifest import slugify

    assert slugify("Henri Poincaré") == "henri-poincare"
    assert slugify("李飞飞") == "李飞飞"
