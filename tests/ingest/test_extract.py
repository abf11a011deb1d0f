"""Extractor behaviour on small hand-written fixtures (never the gold files)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.ingest.extract import extract_claims
from app.ingest.types import EpisodeInfo, Person
from app.lexicon import load_lexicon, norm

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "extract"


def _episode(spec: dict) -> EpisodeInfo:
    h = spec.get("host")
    return EpisodeInfo(
        id="fixture", file="panel.txt",
        host=Person(id=h["id"], name=h["name"], aliases=h["aliases"], role="host") if h else None,
        guests=[Person(id=g["id"], name=g["name"], aliases=g["aliases"], role="guest") for g in spec["guests"]],
    )


@pytest.fixture(scope="module")
def panel():
    exp = json.loads((FIX / "panel.expected.json").read_text(encoding="utf-8"))
    lines = (FIX / "panel.txt").read_text(encoding="utf-8").splitlines()
    ex = extract_claims(lines, _episode(exp["episode"]))
    return lines, exp, ex


def _claim_at(ex, line):
    for c in ex.claims:
        if c.line_start <= line <= c.line_end:
            return c
    return None


def _cue_speakers(lines, ep, line):
    """The speakers of the claim at line, which a cue must attribute."""
    claim = _claim_at(extract_claims(lines, ep), line)
    assert claim.attribution == "cue", claim
    return claim.speakers


def test_claims_ordered_non_overlapping_and_text_is_joined_lines(panel):
    lines, _, ex = panel
    prev_end = 0
    for c in ex.claims:
        assert c.line_start > prev_end and c.line_end >= c.line_start
        prev_end = c.line_end
        assert c.text == "".join(lines[c.line_start - 1:c.line_end])
        assert 1 <= len(c.themes) <= 3
        assert c.stance in {"positive", "negative", "neutral", "mixed"}
        assert c.kind in {"prediction", "fact", "opinion", "advice"}


def test_expected_claims(panel):
    _, exp, ex = panel
    for e in exp["claims"]:
        c = next((c for c in ex.claims if c.line_start == e["line_start"]), None)
        assert c is not None, f"no claim starts at line {e['line_start']}: {[(x.line_start, x.line_end) for x in ex.claims]}"
        for k in ("speakers", "attribution", "cue_line", "kind", "stance"):
            if k in e:
                got = sorted(getattr(c, k)) if k == "speakers" else getattr(c, k)
                want = sorted(e[k]) if k == "speakers" else e[k]
                assert got == want, (e["line_start"], k, got, want)
        for eid in e.get("entities_include", []):
            assert eid in c.entities, (e["line_start"], c.entities)
        for eid in e.get("entities_exclude", []):
            assert eid not in c.entities, (e["line_start"], c.entities)


def test_excluded_lines(panel):
    _, exp, ex = panel
    for ln in exp["excluded_lines"]:
        assert _claim_at(ex, ln) is None, ln


def test_speakers_and_entities_tables(panel):
    _, _, ex = panel
    used = {s for c in ex.claims for s in c.speakers}
    assert used <= set(ex.speakers) and "narrator" in ex.speakers
    ents = {e for c in ex.claims for e in c.entities}
    assert ents <= set(ex.entities)
    assert ex.entities["gemini-3.1-pro"].type == "model"
    assert ex.entities["nvidia"].type == "company"


def test_break_resets_carry(panel):
    _, _, ex = panel
    assert _claim_at(ex, 10).speakers == ["narrator"]


def test_traditional_chinese_input():
    ep = EpisodeInfo(id="t", file="t.txt", guests=[Person(id="amy-chamberlain", name="Amy", aliases=["張伯倫"])])
    lines = ["張伯倫認為", "輝達的晶片依然領先", "谷歌的模型表現出色"]
    ex = extract_claims(lines, ep)
    assert ex.claims and ex.claims[0].speakers == ["amy-chamberlain"]
    assert "nvidia" in ex.claims[0].entities
    assert ex.claims[0].text == "".join(lines[: ex.claims[0].line_end])


def test_empty_and_junk_input_never_raise():
    ep = EpisodeInfo(id="x", file="x.txt", from_manifest=False)
    assert extract_claims([], ep).claims == []
    junk = ["\x00\x01\ufffd" * 50, "", "   ", "ABC DEF GHI", "😀" * 100, None]
    ex = extract_claims(junk, ep)  # type: ignore[list-item]
    assert isinstance(ex.claims, list)


def test_huge_single_line_scales_linearly():
    import time

    ep = EpisodeInfo(id="x", file="x.txt", from_manifest=False)
    line = ("英伟达的GPU依然领先，OpenAI发布了GPT-5。" * 40000)[:1_000_000]
    extract_claims([line[:10_000]], ep)  # warm caches
    t = time.perf_counter()
    extract_claims([line[:100_000]], ep)
    tenth = time.perf_counter() - t
    t = time.perf_counter()
    ex = extract_claims([line], ep)
    whole = time.perf_counter() - t
    # ten times the text: about ten times the time (a quadratic step would take a hundred),
    # whatever the speed of the machine
    assert whole < 25 * tenth + 0.5, (whole, tenth)
    assert ex.claims and all(c.line_start == c.line_end == 1 for c in ex.claims)
    pos = 0
    for c in ex.claims:  # exact, ordered, non-overlapping excerpts of the line
        j = line.find(c.text, pos)
        assert j >= pos
        pos = j + len(c.text)


def test_one_line_transcript_yields_claims_like_its_lines():
    """A whole transcript on one line (sentences ending in 。？！) forms the same claims as
    the same sentences one per line, with line 1 and exact substrings as text."""
    sents = (FIX / "oneline.txt").read_text(encoding="utf-8").splitlines()
    one = "".join(sents)
    assert len(one) > 200
    ep = EpisodeInfo(id="o", file="o.txt", from_manifest=False)
    ex1, exn = extract_claims([one], ep), extract_claims(sents, ep)
    assert len(ex1.claims) >= 3
    assert [c.text for c in ex1.claims] == [c.text for c in exn.claims]
    assert [(c.speakers, c.entities, c.stance, c.kind) for c in ex1.claims] == \
        [(c.speakers, c.entities, c.stance, c.kind) for c in exn.claims]
    for c in ex1.claims:
        assert c.line_start == c.line_end == 1 and c.text in one


def test_split_line_keeps_every_character():
    from app.ingest.scan import split_line

    line = "第一句话很短。" + "逗号，" * 80 + "结尾！？没有标点的尾巴"
    parts = split_line(line)
    assert "".join(parts) == line and len(parts) > 3
    assert split_line("短句。") == ["短句。"]
    assert all(len(p) <= 130 for p in parts)


def test_a_sentence_unit_keeps_the_stray_punctuation_after_its_end():
    from app.ingest.scan import split_line

    line = ("停电像病毒一样迅速蔓延。，" + "原本灯火辉煌的橱窗瞬间陷入黑暗。" * 12 + "自动驾驶的未来，到底会走向何方？。"
            + "整个交通系统依然在缓慢运转。")
    parts = split_line(line)
    assert "".join(parts) == line
    assert parts[0] == "停电像病毒一样迅速蔓延。，" and not any(p[0] in "，。？" for p in parts)
    # the question that ends in stray punctuation is still a question: no claim of its own
    claims = extract_claims(["大家好，这里是测试频道", line], EpisodeInfo(id="u", file="u.txt", from_manifest=False))
    assert not any("何方" in c.text and len(c.text) < 30 for c in claims.claims)
    assert all(not c.text.startswith("，") for c in claims.claims)


def test_unknown_episode_discovers_people_and_coins_ids():
    lines = ["大家好，这里是最佳拍档", "今天播客主持人莱克斯·弗里德曼", "邀请到了芯片分析师迪伦·帕特尔Dylan Patel",
             "今天我们就来拆解一下这场对话"] + ["填充的叙述内容"] * 30 + [
             "帕特尔认为", "台积电的产能依然紧张", "弗里德曼提到", "他每天都用Claude写代码"]
    ep = EpisodeInfo(id="u", file="u.txt", from_manifest=False)
    ex = extract_claims(lines, ep)
    ids = {s for c in ex.claims for s in c.speakers}
    assert "dylan-patel" in ids
    assert "lex-fridman" in ids
    c = next(c for c in ex.claims if "台积电" in c.text)
    assert c.speakers == ["dylan-patel"] and "tsmc" in c.entities


def test_surname_alone_not_mapped_without_manifest_or_full_name():
    lines = ["弗里德曼提到", "这个模型很好"] * 3
    ep = EpisodeInfo(id="u", file="u.txt", from_manifest=False)
    ex = extract_claims(lines, ep)
    assert all(c.speakers == ["narrator"] for c in ex.claims)


def test_a_news_outlet_named_as_a_source_is_an_entity():
    ex = extract_claims(["据路透社报道这家公司正在融资", "华尔街日报随后证实了这个消息", "黄仁勋在CNBC的采访中谈到了芯片"],
                        EpisodeInfo(id="t", file="t.txt", from_manifest=False))
    ents = {e for c in ex.claims for e in c.entities}
    assert {"reuters", "wall-street-journal", "cnbc"} <= ents, ents


def test_lexicon_passed_explicitly_is_used():
    lex = load_lexicon()
    ep = EpisodeInfo(id="x", file="x.txt")
    ex = extract_claims(["尤其是3米analysis的报告指出GP4的成本很高"], ep, lex)
    assert {"semianalysis", "gpt-4"} <= set(ex.claims[0].entities)


# ---------------------------------------------------------------- stance, kind, discovery rules

def _sk(text: str) -> tuple[str, str]:
    from app.ingest.classify import stance_and_kind

    return stance_and_kind(norm(text), load_lexicon())


@pytest.mark.parametrize("text,stance", [
    ("这家实验室是业内最不混乱的团队", "positive"),        # negated criticism is praise
    ("这款显卡并不便宜", "negative"),                      # negated praise is criticism
    ("这个框架表现出色但是在长文本上存在短板", "mixed"),     # both sides of a contrast
    ("团队内部很混乱但是交付能力依然强大", "mixed"),
    ("新方法能减少模型的幻觉问题", "positive"),            # a problem that is reduced
    ("训练的成本一路提升", "negative"),                    # a cost going up is bad news
    ("这家公司总部位于加州", "neutral"),
    ("新版本在代码任务上明显优于上一代", "positive"),        # 优于 is praise
    ("模型会先把用户的问题拆成几步", "neutral"),             # 用户的问题 is no problem
    ("公司的财务状况不仅没有任何危机", "positive"),          # 没有 negates though 不仅 does not
    ("这个想法不仅不被看好", "negative"),                    # 不 after 不仅 negates too
    ("这支团队毫不犹豫地取得了成功", "positive"),            # 毫不 is no negator
])
def test_stance_rules(text, stance):
    assert _sk(text)[0] == stance


@pytest.mark.parametrize("text,kind", [
    ("他认为这类模型将会在明年普及", "prediction"),          # a forecast inside a judgement
    ("她建议初学者先从小模型练起", "advice"),
    ("这家公司在2024年3月发布了第一款芯片", "fact"),
    ("他认为这种架构的设计非常关键", "opinion"),
    ("这是一个稀疏的语言模型，通常只激活一部分参数", "fact"),  # descriptive narration
    ("预训练是一种通过回归预测来预测下一个词的方法", "fact"),  # 预测 as a technical term
    ("这类专用芯片将取代现有的通用处理器", "prediction"),     # 将 + a verb of change
    ("授权交易也会成为一种常见的合作方式", "prediction"),
    ("这家公司将数据转化为训练用的文本", "fact"),            # 将 as the object marker
    ("人形机器人十年内就能走进每个家庭", "prediction"),       # within N years
    ("这家公司在过去十年内发布了五款芯片", "fact"),            # …not over the past N years
    ("这家公司的推荐系统每天处理十亿次请求", "fact"),          # 推荐系统 names a system
    ("公司全年营收非常可观，市值也随之上涨", "fact"),         # a record of money, with a judgement word
    ("这款名为星火的工具真正的亮点是年初新增的功能", "fact"),  # a name and a date
    ("问题的根本在于大家总是把工具当成了目的", "opinion"),     # an argument's words
    ("这种做法也许很难长久，模型的规模永远不够", "opinion"),
])
def test_kind_rules(text, kind):
    assert _sk(text)[1] == kind


def test_habitual_hui_is_no_forecast():
    assert _sk("模型会先输出思考过程，再给出答案")[1] != "prediction"


def test_a_condition_is_an_argument_not_a_forecast():
    forecast = "这样一来，GPU可能会进入空闲状态"
    condition = "如果计算和通信不能重叠，GPU可能会进入空闲状态"
    assert _sk(forecast)[1] == "prediction"
    assert _sk(condition)[1] != "prediction"


def test_discovery_first_names_and_speakers_are_not_products():
    lines = ["今天我们聊聊Kai Host的访谈", "Anthropic的CEO Dario提到了Zed Quill的项目", "Zed认为Kai说得对", "Zed又提到Kai"]
    ep = EpisodeInfo(id="x", file="x.txt", host=Person(id="kai-host", name="Kai Host", aliases=["Kai"], role="host"),
                     guests=[])
    ex = extract_claims(lines, ep)
    ents = set(ex.entities)
    assert "kai" not in ents and "zed" not in ents and "dario" not in ents
    assert "dario-amodei" in ents  # a lexicon person's short form is that person


def test_a_lexicon_persons_bare_first_name_needs_that_person_named_in_the_document():
    plan = ["这次调整只针对个人用户", "也就是使用Claude免费版、专业版、Max版的用户", "而Max套餐的用量限制也被砍了一半"]
    ex = extract_claims(plan, EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    assert "max-tegmark" not in ex.entities  # Max alone is a plan here, not Max Tegmark
    book = ["物理学家马克斯·泰格马克写过一本关于AI未来的书", "书中的观点影响了很多研究者", "后来Max的这本书被翻译成了多种语言"]
    ex = extract_claims(book, EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    last = [c for c in ex.claims if c.line_end == 3][0]
    assert "max-tegmark" in last.entities


def test_a_known_product_with_a_name_of_its_own_is_the_more_specific_product():
    def ents(line: str) -> list[str]:
        ex = extract_claims([line], EpisodeInfo(id="x", file="x.txt", from_manifest=False))
        return [e for c in ex.claims for e in c.entities]

    tiers = ents("政府版（Claude Gov）和企业版（Claude for Work）不受影响")
    assert {"claude-gov", "claude-for-work"} <= set(tiers)
    assert "claude" not in tiers  # the family inside the longer name is not named on its own
    assert "claude-cowork" in ents("Anthropic还推出了Claude Cowork，面向普通办公用户")
    plain = ents("但是Gemini API和H100 GPU的用户照旧")
    assert "gemini-api" not in plain and "h100-gpu" not in plain  # common words name no product
    both = ents("Claude和Claude Cowork的用户都收到了通知")
    assert "claude" in both and "claude-cowork" in both


def test_a_person_glossed_in_latin_is_named_later_by_family_name_alone():
    lines = ["当年迈克尔·卡根（Michael Kagan）加入了团队", "负责网络技术的研发", "", "第二个故事是关于芯片的",
             "据说卡根后来成为了首席技术官", "他推动了很多项目"]
    ex = extract_claims(lines, EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    later = [c for c in ex.claims if c.line_start >= 4]
    assert later and "michael-kagan" in [e for c in later for e in c.entities]
    # a family name that is a common word is no alias (a person named 高·层 is not every 高层)
    from app.ingest.discover import DocCounts, glossed_surnames
    from app.lexicon import load_lexicon, norm

    counts = DocCounts()
    counts.cache, counts.first_names = {}, {}
    got = glossed_surnames(norm("约翰·方面（John Fang）和迈克尔·卡根（Michael Kagan）"), load_lexicon(), counts, None)
    assert set(got) == {"卡根"} and got["卡根"].id == "michael-kagan"


def test_a_version_read_out_in_chinese_names_the_model_and_the_text_stays_as_written():
    ex = extract_claims(["美国市场上最强的Opus 四点五模型月租是两百美元", "Meta发布的Llama三点三表现不错"],
                        EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    ents = [e for c in ex.claims for e in c.entities]
    assert "claude-opus-4.5" in ents and "llama-3.3" in ents and "llama" not in ents
    assert "Opus 四点五" in "".join(c.text for c in ex.claims)


def test_a_transliterated_first_name_with_a_chinese_family_name_is_a_person():
    from app.ingest.people import dotted_names

    lex = load_lexicon()
    assert dotted_names("托尼·刘在对话中提出了一个类比", lex) == [("托尼·刘", None)]
    assert dotted_names("萨姆·奥特曼和托尼·刘", lex) == [("萨姆·奥特曼", None), ("托尼·刘", None)]
    assert dotted_names("约翰·冯·诺依曼", lex) != [("约翰·冯·诺", None)]  # never a piece of a longer name
    lines = ["本期我们来聊托尼·刘的访谈", "托尼·刘在对话中提出了一个有趣的类比", "他认为机器人和AI的发展路径高度相似"]
    ex = extract_claims(lines, EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    said = next(c for c in ex.claims if c.line_end == 3)
    assert said.speakers == ["tony-liu"]


def test_a_year_up_to_the_episodes_date_tells_the_past_not_a_forecast():
    past = ["从AlexNet到2020年GPT-3的横空出世", "这十几年可以被看作是Scaling Laws的黄金时代"]
    ahead = ["到2030年全球数据中心的耗电量", "可能占到总用电量的一成"]

    def kind(lines, date):
        ex = extract_claims(lines, EpisodeInfo(id="x", file="x.txt", date=date, from_manifest=False))
        return ex.claims[0].kind

    assert kind(past, "2025-06-01") != "prediction"
    assert kind(ahead, "2025-06-01") == "prediction"
    assert kind(past, None) == "prediction"  # no date known: the cue counts, as a text alone reads


def test_a_frame_around_a_pronoun_is_a_cue_for_the_person_named_before():
    from app.ingest.attribute import build_people, find_cue
    from app.lexicon import norm

    ep = EpisodeInfo(id="x", file="x.txt", guests=[Person(id="ann-lee", name="Ann Lee", aliases=["安·李"], role="guest")])
    people = build_people(ep, load_lexicon())
    for line in ["在他看来，接下来扛起大旗的会是模拟芯片", "用她自己的话说，这是一次豪赌", "据他透露，团队只有二十人"]:
        cue = find_cue(norm(line), people, ["ann-lee"])
        assert cue is not None and cue.speakers == ["ann-lee"], line
    assert find_cue(norm("在他的实验室里有很多GPU"), people, ["ann-lee"]) is None


def test_a_transliterated_name_without_a_dot_that_speaks_is_a_person():
    lines = ["网友艾哈迈德（Ahmad）在推文中盘点了这家公司的问题", "首先是算力不够", "",
             "艾哈迈德说这家公司悄悄换了模型", "用户完全不知情", "", "艾哈迈德还提到自己的项目被下架了", "关键是他并没有侵权"]
    ex = extract_claims(lines, EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    said = [c for c in ex.claims if c.line_start in (4, 7)]
    assert said and all(c.speakers == ["ahmad"] for c in said)
    # a run of such characters seen once is no one (多东西 in 很多东西说明…)
    from app.ingest.people import translit_names
    from app.lexicon import norm
    assert translit_names([norm("很多东西说明了问题")], load_lexicon()) == []
    # …nor, however often, a run that crosses the segmenter's words
    assert translit_names([norm("生活中很多东西说明了一切")] * 4, load_lexicon()) == []


def test_document_labels_equal_per_claim_labels():
    """The document-level classifier (docclass.py) gives the per-claim functions' labels."""
    from app.ingest.classify import stance_and_kind, themes_for
    from app.ingest.docclass import ClaimLabels
    from app.ingest.scan import scanner
    from app.lexicon import load_lexicon, norm

    lex = load_lexicon()
    claims = ["这个模型并不便宜，但是表现非常出色", "到2030年AI将会取代3个行业，成本下降了50%",
              "我们建议大家先学习基础", "OpenAI的收入达到了100亿美元"]
    doc = "\n".join(norm(c) for c in claims)
    labels = ClaimLabels(doc, scanner(lex).scan(doc), lex)
    assert labels.doc_themes  # the document's own topics pull its claims a little
    a = 0
    for c in claims:
        n = norm(c)
        got = labels.labels(a, a + len(n), [], None)
        assert got == (themes_for(n, [], lex, doc_prior=labels.doc_themes), *stance_and_kind(n, lex))
        a += len(n) + 1


# ---------------------------------------------------------------- narrator meta-talk, announcements, short model names

_PANEL2 = {"host": {"id": "amy-host", "name": "Amy Host", "aliases": ["艾米"]},
           "guests": [{"id": "bob-guest", "name": "Bob Guest", "aliases": ["鲍勃"]}]}


def _run(name: str):
    lines = (FIX / name).read_text(encoding="utf-8").splitlines()
    return lines, extract_claims(lines, _episode(_PANEL2))


def test_narrator_meta_talk_breaks_carry_and_announcement_is_no_claim():
    lines, ex = _run("meta.txt")
    at = {ln: _claim_at(ex, ln) for ln in range(1, len(lines) + 1)}
    # "艾米大概介绍了一下X" alone asserts nothing; "大家应该都很熟悉了 / 我尽量简单过" is channel talk
    assert at[3] is None and at[4] is None and at[5] is None
    # the facts after the narrator's own voice are the narrator's, not the host's
    assert at[6] is not None and at[6].speakers == ["narrator"]
    # "讨论围绕X展开" is a transition
    assert at[9] is None


def test_model_short_name_after_full_name():
    lines, ex = _run("meta.txt")
    c = _claim_at(ex, 7)
    assert "DeepSeek" not in c.text and "deepseek-r1" in c.entities  # "R1" alone, after the full name


# ---------------------------------------------------------------- long runs of fragment lines, kind of narration

def test_cap_cuts_at_a_natural_start_not_mid_sentence():
    lines, ex = _run("longrun.txt")
    # a claim that grows past the line cap is cut where a new frame opens (在…中),
    # not at the line that happens to reach the cap
    assert any(c.line_start == 8 for c in ex.claims), [(c.line_start, c.line_end) for c in ex.claims]
    assert _claim_at(ex, 8).line_end >= 10


def test_topic_after_connective_joins_the_cue_line_after_it():
    lines, ex = _run("longrun.txt")
    c = _claim_at(ex, 12)  # 不过，对于X / 鲍勃表示Y: one claim, Bob's
    assert c is not None and c.line_start == 12 and c.line_end == 13 and c.speakers == ["bob-guest"]


def test_back_to_a_subject_is_a_transition_and_contrast_pronoun_is_a_cue():
    lines, ex = _run("longrun.txt")
    assert _claim_at(ex, 14) is None  # 随后两人又聊回了技术方面
    assert _claim_at(ex, 16).speakers == ["amy-host"]
    lines = ["艾米提到这项设计还很早期", "芯片的功耗会下降", "内存的占用也会下降", "训练速度会更快",
             "相反，他建议大家先关注软件生态"]
    c = _claim_at(extract_claims(lines, _episode(_PANEL2)), 5)  # 相反，他建议…: a cue of its own
    assert c.line_start == 5 and c.speakers == ["amy-host"] and c.attribution == "cue"


def test_a_line_ending_a_sentence_with_duiyu_continues_it():
    lines = ["这家公司发布了新的模型", "模型的权重已经公开", "因此选择合适的托管方式",
             "对于保护用户数据至关重要", "此外，用户还可以在本地运行模型"]
    ex = extract_claims(lines, _episode(_PANEL2))
    c = _claim_at(ex, 3)
    assert c is not None and c.line_end == 4


@pytest.mark.parametrize("text,kind", [
    ("注意力机制主要依赖于查询、键和值三个矩阵", "fact"),     # how a method works
    ("集群分别用于训练和推理，每块GPU的功耗大约为700瓦", "fact"),
    ("这种方法将输入转化为向量表示", "fact"),                  # 将 as the object marker
    ("辅助损失用来防止模型只依赖少数几个专家进行预测", "fact"),  # 预测 as a technical term
    ("团队其实开发了一套分布式优化器，把参数扩展到一万亿", "fact"),  # what a team built
    ("说白了，这就是一场能源竞赛", "opinion"),                  # the narrator summing up
])
def test_kind_of_descriptive_narration(text, kind):
    assert _sk(text)[1] == kind


def test_entity_subject_starts_a_claim_unless_the_line_before_needs_it():
    ep = _episode(_PANEL2)
    ex = extract_claims(["研究团队设计了新的芯片", "芯片的功耗明显下降", "内存占用也减少了",
                         "英伟达已经在最新的GPU中采用了水冷"], ep)
    assert _claim_at(ex, 4).line_start == 4  # 英伟达已经…: a new subject
    ex = extract_claims(["团队削减了生产计划", "原本计划生产很多芯片", "这个举动表明",
                         "英伟达已经在担心出口限制"], ep)
    assert _claim_at(ex, 4).line_start < 4  # …表明 / 英伟达…: one sentence


# ---------------------------------------------------------------- talk summaries (one speaker found in the text)

def test_talk_summary_pronoun_cues_with_adverbs_and_frames():
    lines = (FIX / "talk.txt").read_text(encoding="utf-8").splitlines()
    ex = extract_claims(lines, EpisodeInfo(id="t", file="talk.txt", from_manifest=False))
    talker = _claim_at(ex, 5).speakers
    assert talker == ["maria-gonzalez"]  # the one speaker found in the text, id from the Latin name given
    c = _claim_at(ex, 10)  # 她突然发现: a pronoun cue behind an adverb
    assert c.line_start == 10 and c.speakers == talker and c.attribution == "cue"
    c = _claim_at(ex, 14)  # 她自己都坦言
    assert c.line_start == 14 and c.speakers == talker and c.attribution == "cue"
    # 最开始 opens a frame: a natural place to cut a claim that runs past its cap
    import re
    frames = [re.compile(str(p)) for p in load_lexicon().cues["frame_lines"]]
    assert any(rx.match("最开始") for rx in frames)


def test_name_in_apposition_is_no_cue():
    from app.ingest.attribute import build_people, find_cue
    from app.lexicon import norm

    people = build_people(_episode(_PANEL2), load_lexicon())
    name = next(iter(people.persons.values())).name
    assert find_cue(norm(f"{name}作为前数据库公司的架构师"), people, None) is None
    assert find_cue(norm(f"{name}认为"), people, None) is not None


@pytest.mark.parametrize("text,stance", [
    ("注意力机制也存在一个明显的缺点", "negative"),
    ("市场对需求减少的担忧导致股价下跌", "negative"),        # 减少的担忧: a worry, not reduced
    ("每块显卡的功耗从400瓦提升到了700瓦", "neutral"),       # a measured change, not a judgement
    ("这家公司在移动市场错失良机前景仍不明朗", "negative"),
    ("新产品的交互依然笨拙而且存在大量噪声", "negative"),
    ("预训练是算力受限的阶段", "neutral"),                   # compute-bound: a technical term
    ("模型的可靠性仍然是一个挑战", "negative"),              # 可靠性: the topic, not praise
    ("这个团队在芯片设计上取得了显著的成果", "positive"),
    ("当前过度乐观的预测大多都是为了融资", "negative"),        # too much of a good thing is blame
    ("投资人对这家公司盲目自信", "negative"),
    ("通过技术攻克了封装的瓶颈", "positive"),                   # a bottleneck overcome
    ("这个过程是无可替代的", "positive"),
    ("所有瓶颈都能在两三年内化解", "positive"),                 # a problem resolved after it
    ("封装的瓶颈得到了解决", "positive"),
    ("Gemini在2026年的颓势早就显露无遗", "negative"),            # decline
    ("买来的是快速贬值的算力", "negative"),                       # loss of value
    ("他紧接着就泼了一盆冷水", "negative"),
])
def test_stance_rules_added(text, stance):
    assert _sk(text)[0] == stance


@pytest.mark.parametrize("text,stance", [
    ("为了确保服务的稳定性，团队会定期轮换机器", "neutral"),      # a goal, not a judgement
    ("系统用备用电源来确保供电的可靠", "neutral"),
    ("随着技术的进步，芯片的体积也在变化", "neutral"),           # a backdrop clause
    ("这次升级确保了服务的稳定", "positive"),                    # 确保了: achieved, judged
    ("这种做法可能会伴随着一定的风险", "negative"),               # 伴随着 is no 随着
    ("集群的建设还需要高效的冷却系统", "neutral"),               # a requirement, not praise
    ("这是行业需要解决的难题", "negative"),                      # a need keeps its problem
    ("研究人员反复实验，最终找到最佳的参数组合", "neutral"),       # the object of a search
])
def test_stance_goal_backdrop_and_requirement_frames(text, stance):
    assert _sk(text)[0] == stance


@pytest.mark.parametrize("text,stance", [
    ("他会因为算力没榨干而焦虑", "negative"),        # 没 negates 榨干; 而 ends its scope
    ("现阶段贸然开放存在不小的风险", "negative"),    # 不小 is no negator
    ("这套系统没有任何卡顿", "positive"),           # negated stutter is praise
    ("评论家用优势函数来估计每一步的回报", "neutral"),    # technical terms, not praise
    ("启发式学习是这篇文章提出的范式", "neutral"),
    ("模型通过梯度下降来更新参数", "neutral"),
    ("这是竞品目前难以企及的核心能力", "positive"),         # 难以 as praise: others cannot match it
])
def test_stance_negator_scope(text, stance):
    assert _sk(text)[0] == stance


@pytest.mark.parametrize("text,kind", [
    ("软件在云端运行，识别菜名后生成图片", "fact"),               # 别 inside 识别 is no advice
    ("参数量一路增长到万亿级别", "fact"),
    ("最开始他用传统方法开发了一个应用", "fact"),                 # 最 as time, not a superlative
    ("这家公司最近削减了芯片订单", "fact"),                      # 最近: a reported event
    ("模型会首先分解问题，然后一步步推理", "fact"),               # habitual 会, not a forecast
    ("实验通常会在少量GPU上进行", "fact"),
    ("模型可能会提到几个不同的例子", "fact"),
])
def test_kind_word_internal_and_habitual_cues(text, kind):
    assert _sk(text)[1] == kind


def _fixture_claims(name: str):
    lines = (FIX / name).read_text(encoding="utf-8").splitlines()
    return extract_claims(lines, EpisodeInfo(id="u", file=name, from_manifest=False)).claims


def _ents_of(claims, needle: str) -> list[str]:
    return next(c for c in claims if needle in c.text).entities


def test_model_short_form_resolves_after_its_maker_in_the_claim():
    claims = _fixture_claims("coref_gloss.txt")
    assert "deepseek-v3" in _ents_of(claims, "发布了V3模型")       # DeepSeek … V3 → deepseek-v3
    assert "deepseek-r1" not in _ents_of(claims, "R1这个名字")      # no maker, no full form: not R1


def test_english_gloss_of_a_title_is_no_entity_but_a_company_gloss_is():
    claims = _fixture_claims("coref_gloss.txt")
    title = _ents_of(claims, "充满爱意的机器")
    assert not any("loving" in e or "machines" in e for e in title)
    assert "sequoia-capital" in _ents_of(claims, "红杉资本")
    assert "vercel" in _ents_of(claims, "Vercel")


def _themes(text: str) -> list[str]:
    from app.ingest.classify import themes_for

    return themes_for(norm(text), [], load_lexicon())


def test_repeated_theme_keyword_counts_once():
    # 预训练 three times must not push the second topic (昂贵 → cost) under secondary_ratio
    assert set(_themes("预训练、预训练、还是预训练，已经极其昂贵")) == {"scaling", "cost"}


@pytest.mark.parametrize("text,theme", [
    ("这种方法节省了一半的计算成本", "cost"),
    ("API提供商的收费标准", "cost"),
    ("测试结果显示它的表现最好", "evaluation"),
    ("它在头脑风暴中表现优于对手", "evaluation"),
    ("以CPU主导的经典计算架构", "hardware"),
    ("用户可以在网上公开获取模型权重", "open-models"),
    ("未来的AI会彻底改变人类的未来", "agi"),
    ("如果机器产生了自我意识会怎样", "agi"),
    ("人们担心AI失控之后无人能管", "safety"),
    ("这家公司的市值一度突破万亿美元", "business"),
    ("工程师需要掌握新的技能", "talent"),
    ("这个网络包含2个隐藏层，每层有16个神经元", "architecture"),
    ("1969年他出生于德黑兰，度过了无忧无虑的童年", "talent"),
    ("现在的产品经理必须变成一个实干家", "talent"),
    ("开启自动浏览之后它会帮你订好机票", "agents"),
])
def test_added_theme_keywords(text, theme):
    assert theme in _themes(text)


def test_weak_industry_words_are_no_theme_alone():
    # 实验室 / 落后 alone said nothing about competition in the golds (careers, feelings)
    assert _themes("只要能进入顶尖AI实验室，员工的人生都会改变") == ["talent"]
    assert "industry" not in _themes("从未像现在这样感到落后的程序员")
    # 思考 alone is any thinking (产品思考, 喜欢思考); 深度思考 / 思考过程 are a model's reasoning
    assert "reasoning" not in _themes("X的核心用户是那些喜欢阅读、喜欢思考的人")
    assert "reasoning" in _themes("模型会先进行深度思考再给出答案")


def test_city_names_are_places_not_entities():
    ep = EpisodeInfo(id="p", file="p.txt", from_manifest=False)
    lines = ["xAI把能源中心建在了密西西比州的Southaven市", "Southaven市里有一座旧发电厂", "Memphis数据中心拥有大量GPU"]
    ents = {e for c in extract_claims(lines, ep).claims for e in c.entities}
    assert "xai" in ents
    assert not ents & {"southaven", "memphis"}


def test_a_subject_with_its_predicate_starts_a_claim_but_a_list_does_not():
    ep = _episode(_PANEL2)
    ex = extract_claims(["云计算市场的格局很清楚", "份额最大的是一家老牌公司", "排在第二位的也很稳定",
                         "谷歌的硬件团队拥有很好的芯片", "但是主要用在内部服务"], ep)
    assert _claim_at(ex, 4).line_start == 4  # 谷歌的硬件团队…: a new subject
    ex = extract_claims(["这几家公司的芯片都在进步", "市场竞争越来越激烈", "价格也在下降",
                         "英伟达、AMD和英特尔", "都推出了新的产品"], ep)
    assert _claim_at(ex, 4).line_start < 4  # 英伟达、AMD…: a list, the sentence goes on


def test_next_company_opened_by_a_topic_phrase_breaks_the_carried_speaker():
    ep = _episode(_PANEL2)
    ex = extract_claims(["鲍勃认为", "Meta可以从庞大的用户基础中获得收益", "广告业务会更强",
                         "对于OpenAI来说", "商业模式面临很大挑战"], ep)
    assert _claim_at(ex, 2).speakers == ["bob-guest"]
    assert _claim_at(ex, 4).speakers == ["narrator"]


def test_narrator_skipping_a_part_or_pointing_viewers_elsewhere_is_no_claim():
    ep = _episode(_PANEL2)
    lines = ["鲍勃认为开源模型会继续缩小和闭源模型的差距", "而且成本也会进一步下降", "具体内容我们就不多展开说了",
             "感兴趣的朋友可以去看一下原视频", "此外鲍勃还提到芯片的供应依然紧张"]
    ex = extract_claims(lines, ep)
    assert _claim_at(ex, 3) is None and _claim_at(ex, 4) is None
    assert _claim_at(ex, 1) is not None and _claim_at(ex, 5) is not None


def test_a_name_opening_a_description_is_no_cue_but_a_name_reaching_its_verb_is():
    ep = _episode(_PANEL2)
    ex = extract_claims(["鲍勃当时还有一份正式的工作", "每天只能在晚上写代码"], ep)
    assert ex.claims[0].speakers == ["narrator"]  # the narrator describes Bob
    ex = extract_claims(["鲍勃接下来提到了一个新的训练方法", "它可以大幅节省算力"], ep)
    assert ex.claims[0].speakers == ["bob-guest"] and ex.claims[0].attribution == "cue"


def test_a_pronoun_stands_for_the_person_named_just_before_even_without_a_cue():
    ep = _episode(_PANEL2)
    ex = extract_claims(["这套评测方法最早由鲍勃设计", "被很多实验室采用", "他认为评测比训练更难做好",
                         "因为好的题目很难收集"], ep)
    assert _claim_at(ex, 3).speakers == ["bob-guest"]


def test_two_of_three_guests_are_the_two_most_named():
    ep = _episode({"guests": [{"id": "ann", "name": "Ann", "aliases": ["安妮"]},
                              {"id": "ben", "name": "Ben", "aliases": ["本杰明"]},
                              {"id": "cat", "name": "Cat", "aliases": ["凯特"]}]})
    lines = ["安妮和本杰明创办了这家实验室", "凯特曾经起诉过这家实验室", "安妮负责研究", "本杰明负责工程",
             "安妮每天和本杰明通话", "两位创始人都认为", "算力是最大的瓶颈"]
    ex = extract_claims(lines, ep)
    assert sorted(_claim_at(ex, 6).speakers) == ["ann", "ben"]


def test_the_founders_of_a_company_the_narration_turns_to_are_not_the_episode_pair():
    ep = _episode({"guests": [{"id": "ann", "name": "Ann", "aliases": ["安妮"]},
                              {"id": "ben", "name": "Ben", "aliases": ["本杰明"]}]})
    lines = ["安妮和本杰明创办了这家实验室", "安妮负责研究", "排在第五位的是另一家公司", "这家公司的两位创始人都来自谷歌",
             "他们曾经参与过围棋模型的研发"]
    assert _claim_at(extract_claims(lines, ep), 4).speakers == ["narrator"]


def test_an_adverbial_phrase_or_an_addressee_may_sit_between_a_name_and_its_verb():
    ep = _episode(_PANEL2)
    for line in ["鲍勃在节目中非常直白地指出", "鲍勃非常诚恳地对他说"]:
        ex = extract_claims([line, "能源才是最底层的约束"], ep)
        assert ex.claims[0].speakers == ["bob-guest"], line


def test_another_person_as_the_subject_ends_a_carried_speaker():
    ep = _episode(_PANEL2)
    ex = extract_claims(["鲍勃认为", "数据才是真正的瓶颈", "模型本身并不缺", "最后是艾米",
                         "她的想法来自早年的一次实验"], ep)
    assert _claim_at(ex, 2).speakers == ["bob-guest"]
    assert _claim_at(ex, 5).speakers != ["bob-guest"]


def test_the_owner_of_a_thing_is_not_who_a_later_pronoun_stands_for():
    ep = _episode(_PANEL2)
    ex = extract_claims(["这段经历要从艾米说起", "当时读了鲍勃的论文", "他突然觉得智能来自简单的原则",
                         "而不是复杂的编程"], ep)
    assert _claim_at(ex, 3).speakers == ["amy-host"]


def test_pieces_of_a_known_name_in_a_list_are_not_discovered_as_people():
    from app.ingest.people import discover_people
    lines = ["大家好，这里是测试频道", "深度学习三巨头杰弗里·辛顿、杨立昆、约书亚·本吉奥", "今天我们来聊聊他们的对话"]
    ep = discover_people(lines, load_lexicon(), EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    assert sorted(p.id for p in ep.people) == ["geoffrey-hinton", "yann-lecun", "yoshua-bengio"]


def test_deep_learning_is_no_talent_theme_but_learning_advice_is():
    lex = load_lexicon()
    from app.ingest.classify import themes_for
    from app.lexicon import norm
    assert "talent" not in themes_for(norm("深度学习和机器学习的模型越来越大"), [], lex)
    assert "talent" in themes_for(norm("初学者应该先学习基础课程"), [], lex)


def test_a_pronoun_after_a_time_word_is_a_cue():
    ep = _episode(_PANEL2)
    ex = extract_claims(["艾米认为数据是瓶颈", "而不是算法本身", "鲍勃负责评测工作。", "于是他意识到",
                         "评测比训练更难做好"], ep)
    assert _claim_at(ex, 4).speakers == ["bob-guest"] and _claim_at(ex, 4).attribution == "cue"


def test_a_person_of_the_episode_who_never_speaks_is_an_entity_of_the_claims_naming_him():
    ep = _episode({"guests": [{"id": "bob-guest", "name": "Bob Guest", "aliases": ["鲍勃"]},
                              {"id": "donald-trump", "name": "Donald Trump", "aliases": ["特朗普"]}]})
    ex = extract_claims(["鲍勃认为", "特朗普的能源政策对数据中心有利", "电力供应会更加充足"], ep)
    assert "donald-trump" in ex.claims[0].entities and "bob-guest" not in ex.claims[0].entities


def test_a_speaker_is_no_entity_of_his_own_claim_but_is_of_the_narrators_story_about_him():
    ep = _episode({"guests": [{"id": "yann-lecun", "name": "Yann LeCun", "aliases": ["杨立昆"]}]})
    ex = extract_claims(["大家好，这里是测试频道", "1988年杨立昆加入了贝尔实验室", "在那里做出了第一个识别系统。",
                         "杨立昆认为", "评测比训练更难做好"], ep)
    story, own = _claim_at(ex, 2), _claim_at(ex, 5)
    assert story.speakers == ["narrator"] and "yann-lecun" in story.entities
    assert own.speakers == ["yann-lecun"] and "yann-lecun" not in own.entities


def test_a_dotted_name_after_the_intro_is_a_speaker_only_if_it_speaks():
    from app.ingest.people import discover_people
    lines = ["大家好，这里是测试频道"] + ["今天这个平台的故事要从头讲起"] * 60 + [
        "云安全公司的主管加尔·纳格利发布了一条视频", "纳格利直言", "平台的注册功能没有任何限制",
        "早年约翰·霍普菲尔德的网络也启发了很多人", "这个平台很快就沦为了骗局"]
    ep = discover_people(lines, load_lexicon(), EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    assert [p.aliases[0] for p in ep.guests] == ["加尔·纳格利"]
    assert _claim_at(extract_claims(lines, ep), 64).speakers == [ep.guests[0].id]


def test_a_hyphenated_name_is_one_person_and_its_part_before_an_adverb_is_no_chinese_name():
    from app.ingest.people import discover_people
    lex = load_lexicon()
    # 杰克·帕克-霍尔德 and 杰克·帕克·霍尔德 are one person, not 杰克·帕克 and someone else
    lines = ["大家好，这里是测试频道", "这期请到了杰克·帕克-霍尔德", "今天我们就来聊聊世界模型"] + ["模型的故事要从头讲起"] * 3 + \
        ["杰克·帕克-霍尔德提到", "世界模型有深厚的渊源", "杰克·帕克·霍尔德强调", "机器人需要虚拟的训练环境"]
    ep = discover_people(lines, lex, EpisodeInfo(id="h", file="h.txt", from_manifest=False))
    assert [p.id for p in ep.people] == ["jack-parker-holder"]
    # 林赛则认为: 林赛 of 杰克·林赛 and the adverb 则, not a Chinese name 林赛则
    lines = ["大家好，这里是测试频道", "参与访谈的是杰克·林赛（Jack Lindsey）和乔什·巴特森（Josh Batson）", "今天我们就来聊聊"] + \
        ["模型的故事要从头讲起"] * 3 + ["林赛指出", "模型会规划", "巴特森认为", "模型会反思", "林赛则认为", "模型有B计划",
                                      "林赛则补充说", "这很重要"]
    ep = discover_people(lines, lex, EpisodeInfo(id="l", file="l.txt", from_manifest=False))
    assert sorted(p.id for p in ep.people) == ["jack-lindsey", "josh-batson"]


def test_a_lexicon_person_named_after_the_preview_speaks_by_first_name_alone():
    from app.ingest.people import discover_people
    # 鲍里斯·切尔尼 is in the lexicon; the text then says only 鲍里斯 before its verbs
    lines = ["大家好，这里是最佳拍档，我是大飞", "今天我们继续来分享红杉资本AI峰会的内容", "这次被采访的嘉宾是Claude Code的缔造者",
             "鲍里斯·切尔尼（Boris Cherny）", "这场对话中", "鲍里斯公开了一个事实", "他已经不再手写代码", "鲍里斯给出的答案非常直接"]
    ep = discover_people(lines, load_lexicon(), EpisodeInfo(id="b", file="b.txt", from_manifest=False))
    assert [p.id for p in ep.people] == ["boris-cherny"]


def test_common_transliteration_characters_make_a_dotted_name():
    from app.ingest.people import dotted_names
    lex = load_lexicon()
    # 白 of 伊丽莎白 and 通 of 斯通 are transliteration characters too
    assert dotted_names("与首席技术官伊丽莎白·斯通（Elizabeth Stone）进行一场深度对话", lex) == \
        [("伊丽莎白·斯通", "Elizabeth Stone")]
    assert dotted_names("物理学家沃尔夫冈·泡利认为", lex)[0][0] == "沃尔夫冈·泡利"
    assert dotted_names("詹姆斯·特雷尔各自独立地提出了一个理论", lex)[0][0] == "詹姆斯·特雷尔"  # not 特雷尔各
    lines = ["大家好，这里是最佳拍档", "今天我们和首席技术官伊丽莎白·斯通（Elizabeth Stone）进行一场深度对话"] + \
        ["流媒体的故事要从头讲起"] * 3 + ["伊丽莎白提到", "奈飞的技术版图可以分为几个板块"]
    ex = extract_claims(lines, EpisodeInfo(id="n", file="n.txt", from_manifest=False))
    assert _claim_at(ex, 6).speakers == ["elizabeth-stone"]


def test_a_chinese_name_glossed_in_latin_is_a_person_but_a_glossed_term_is_not():
    from app.ingest.people import discover_people, paren_names
    lex = load_lexicon()
    assert paren_names("科技博主哈利波特尔（Harry Potter）谈到", lex) == [("哈利波特尔", "Harry Potter")]
    assert paren_names("他开启了氛围编程（Vibe Coding）的模式", lex) == []
    lines = ["大家好，这里是测试频道", "科技博主哈利波特尔（Harry Potter）最近接受了采访", "今天我们来聊聊", "哈利波特尔认为",
             "模型会越来越便宜"]
    ep = discover_people(lines, lex, EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    assert [p.id for p in ep.people] == ["harry-potter"]
    assert extract_claims(lines, ep).claims[-1].speakers == ["harry-potter"]


def test_an_owner_named_between_a_speaker_and_his_pronoun_does_not_take_the_pronoun():
    ep = _episode(_PANEL2)
    ex = extract_claims(["鲍勃透露", "这次转型的冲击前所未有", "而艾米的战略格局", "也让他坚定了加入的决心",
                         "他在访谈中提到", "算力才是竞争的核心"], ep)
    assert _claim_at(ex, 5).speakers == ["bob-guest"]


def test_the_english_gloss_of_a_chinese_term_is_no_entity_but_a_glossed_name_is():
    from app.ingest.discover import cfg, is_term_gloss
    c = cfg(load_lexicon())

    def gloss(text: str, span: str) -> bool:
        s = text.find(span)
        return is_term_gloss(text, s, s + len(span), c)

    assert gloss("他提出了协同设计(Extreme Co-Design)的理念", "Extreme Co-Design")
    assert not gloss("由赵晟佳(Shengjia Zhao)担任首席科学家", "Shengjia Zhao")  # a name in pinyin
    assert not gloss("红杉资本(Sequoia Capital)的合伙人", "Sequoia Capital")  # a company
    assert not gloss("普尔基特·阿格拉瓦尔(Pulkit Agrawal)认为", "Pulkit Agrawal")  # a transliteration


def test_a_latin_name_reaches_its_verb_over_a_space_a_time_phrase_or_the_topic_of_an_attitude():
    ep = _episode({"guests": [{"id": "bob-guest", "name": "Bob Guest", "aliases": ["Bob Guest", "Bob"]}]})
    for line in ["Bob 在开发的时候就发现", "Bob 对当前所谓的智能体之年提出了质疑"]:
        ex = extract_claims([line, "现有的编码工具几乎帮不上忙"], ep)
        assert ex.claims[0].speakers == ["bob-guest"], line


def test_a_persons_claim_leans_to_opinion_where_the_narrators_reads_as_fact():
    from app.ingest.docclass import ClaimLabels
    from app.ingest.scan import scanner
    from app.lexicon import load_lexicon, norm

    lex = load_lexicon()
    doc = norm("这种架构很核心")  # one weak judgement word only
    labels = ClaimLabels(doc, scanner(lex).scan(doc), lex)
    assert labels.labels(0, len(doc), [], None, person=False)[2] == "fact"
    assert labels.labels(0, len(doc), [], None, person=True)[2] == "opinion"


def test_a_name_ending_in_a_company_word_is_one_company():
    ep = EpisodeInfo(id="c", file="c.txt", from_manifest=False)
    ex = extract_claims(["Science Corporation研发的视网膜假体已经进入临床", "Black Forest Labs发布了新的图像模型"], ep)
    ents = {e for c in ex.claims for e in c.entities}
    assert {"science-corporation", "black-forest-labs"} <= ents
    assert not ents & {"corporation", "science", "black-forest"}
    assert ex.entities["science-corporation"].type == "company"


def test_named_versions_the_lexicon_lacks_keep_their_version():
    ex = extract_claims(["大家好，这里是测试频道", "DeepSeek团队发布了技术报告DeepSeek-OCR 2。", "他们设计了全新的编码器DeepEncoder V2。",
                         "编码器基于Qwen2-0.5B魔改而来。", "OpenAI-CEO说Gemini API很好用。"], _episode(_PANEL2))
    assert [c.entities for c in ex.claims] == [["deepseek", "deepseek-ocr-2"], ["deepencoder-v2"], ["qwen2-0.5b"],
                                                ["openai", "gemini"]]


def test_a_latin_word_after_a_class_noun_is_a_name_even_if_named_once():
    ex = extract_claims(["大家好，这里是测试频道", "云安全公司Wiz的主管发布了一条视频。", "他说对方还会继续调查。", "这个Demo很有意思。"],
                        _episode(_PANEL2))
    assert "wiz" in ex.claims[0].entities and not any("demo" in c.entities for c in ex.claims)


def test_a_latin_word_listed_beside_a_known_name_is_a_name_even_if_named_once():
    ex = extract_claims(["大家好，这里是测试频道", "Waymo的份额持续提升，对Uber和Lyft构成了直接竞争。",
                         "这个Demo和Uber的不同。"], _episode(_PANEL2))
    assert "lyft" in ex.claims[0].entities
    assert not any("demo" in c.entities for c in ex.claims)  # a stop word stays one beside a name


def test_a_company_glossed_in_latin_is_a_name_not_a_term():
    ex = extract_claims(["大家好，这里是测试频道", "他后来创办了罗宾汉基金会（Robin Hood Foundation）。",
                         "这种极致协同设计（Extreme Co Design）很少见。"], _episode(_PANEL2))
    assert ex.claims[0].entities == ["robin-hood-foundation"] and ex.entities["robin-hood-foundation"].type == "company"
    assert ex.claims[1].entities == []  # the gloss of a term


def test_the_gloss_of_a_term_with_its_short_form_is_no_name():
    ex = extract_claims(["大家好，这里是测试频道", "他正式提出了启发式学习（Heuristic Learning，简称HL）的概念。"],
                        _episode(_PANEL2))
    assert ex.claims[0].entities == []


def test_a_year_after_a_name_is_no_version():
    ex = extract_claims(["大家好，这里是测试频道", "这可能是Scale AI 2025年以来最好的季度。", "Meta 2024年发布了新模型。",
                         "Meta2025年又发布了一个。"], _episode(_PANEL2))
    assert [c.entities for c in ex.claims] == [["scale-ai"], ["meta"], ["meta"]]


def test_x_the_platform_is_named_with_its_class_noun_and_a_bare_x_is_a_letter():
    ex = extract_claims(["大家好，这里是测试频道", "他在X平台上发布了一条视频。", "其中X是输入矩阵，W是权重。"],
                        _episode(_PANEL2))
    assert ex.claims[0].entities == ["x"] and ex.claims[1].entities == []


def test_a_name_with_only_adverbs_is_a_cue_and_others_views_end_the_carry():
    ex = extract_claims(["大家好，这里是测试频道", "鲍勃在访谈中", "描绘了一个机器人普及的未来社会。", "家务都交给机器人完成。",
                         "在当下的市场中", "不少人对机器人的实用价值提出质疑", "认为它只是一个会跳舞的玩具。"], _episode(_PANEL2))
    assert [(c.line_start, c.speakers, c.attribution) for c in ex.claims] == [
        (2, ["bob-guest"], "cue"), (4, ["bob-guest"], "carried"), (5, ["narrator"], "narrator")]


def test_a_question_of_several_lines_and_its_lead_in_are_no_claims():
    ex = extract_claims(["大家好，这里是测试频道", "世界模型的进展一直很慢。", "也许，看到这里", "你可能会有个疑问", "为什么大语言模型",
                         "更新一代比一代快", "而世界模型始终只有几家公司在推进呢？", "要理解这个问题", "大语言模型的数据多，成本低。"],
                        _episode(_PANEL2))
    assert [(c.line_start, c.line_end) for c in ex.claims] == [(2, 2), (9, 9)]


def test_ba_is_a_cue_only_with_a_verb_of_saying_after_its_object():
    ep = _episode(_PANEL2)
    ex = extract_claims(["大家好，这里是测试频道", "鲍勃把大模型比作新的电力", "谁掌握它谁就掌握未来。",
                         "艾米把目光投向了芯片。", "芯片的产能一直紧张。"], ep)
    assert _claim_at(ex, 2).speakers == ["bob-guest"] and _claim_at(ex, 2).attribution == "cue"
    assert _claim_at(ex, 4).speakers != ["amy-host"]


def test_required_chars_are_the_literals_every_match_holds():
    import re

    from app.ingest.docclass import required_chars
    for pattern, text in [(r"从(?:19|20)\d\d年[^。，；]{0,30}?到20\d\d年", "从2022年开始到2024年"),
                          (r"(?:[一二三四五六七八九十几两数]|[^0-9][0-9]{1,3})年(?:之)?后", "三年之后"),
                          (r"(?i)claude", "CLAUDE"), (r"a|b", "b")]:
        assert re.search(pattern, text) and all(ch in text for ch in required_chars(pattern))
    assert required_chars(r"从(?:19|20)\d\d年") == ("从", "年")


def test_a_dotted_name_glossed_in_latin_is_one_person_with_all_its_parts():
    from app.ingest.people import discover_people, dotted_names, paren_names
    lex = load_lexicon()
    assert paren_names("保罗·都铎·琼斯（Paul Tudor Jones）最新的访谈", lex) == [("保罗·都铎·琼斯", "Paul Tudor Jones")]
    assert dotted_names("阿尼尔·塞斯提到", lex, "阿尼尔·塞斯提到") == [("阿尼尔·塞斯", None)]
    lines = ["大家好，这里是测试频道", "保罗·都铎·琼斯（Paul Tudor Jones）最新的访谈", "雷·库兹韦尔（Ray Kurzweil）的曲线",
             "雷·库的预测", "保罗说", "善意能改变一个社会"]
    ep = discover_people(lines, lex, EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    assert [p.id for p in ep.people] == ["paul-tudor-jones", "ray-kurzweil"]  # 雷·库 (cut short) is Kurzweil
    assert "保罗" in ep.people[0].aliases
    assert extract_claims(lines, ep).claims[-1].speakers == ["paul-tudor-jones"]


def test_the_next_item_of_a_list_ends_a_carried_speaker():
    ex = extract_claims(["大家好，这里是测试频道", "鲍勃认为", "一个是眼前的算力短缺", "芯片的产能一直跟不上需求。",
                         "另一个是面向未来的生存焦虑", "人们担心被机器取代。"], _episode(_PANEL2))
    assert _claim_at(ex, 2).speakers == ["bob-guest"] and _claim_at(ex, 5).speakers == ["narrator"]


def test_clip_the_model_is_an_entity_but_clipping_is_not():
    ex = extract_claims(["大家好，这里是测试频道", "经典的做法是使用CLIP作为视觉编码器。", "团队的解法叫QK clip", "应用clip前后训练都很稳定。"],
                        _episode(_PANEL2))
    assert "clip" in ex.claims[0].entities and all("clip" not in c.entities for c in ex.claims[1:])


def test_a_persons_answer_is_a_cue_for_that_person():
    ep = _episode(_PANEL2)
    ex = extract_claims(["很多人担心这一轮投资是泡沫", "但是鲍勃的答案是，这不是泡沫", "而是一次真正的平台迁移"], ep)
    assert _claim_at(ex, 2).speakers == ["bob-guest"] and _claim_at(ex, 2).attribution == "cue"
    ex = extract_claims(["很多人担心这一轮投资是泡沫", "但是论文的答案是，这不是泡沫"], ep)
    assert all(c.speakers == ["narrator"] for c in ex.claims)  # an answer of no one in the episode


def test_a_name_ending_its_line_after_a_verb_is_its_object_not_who_a_later_pronoun_means():
    ep = _episode({"guests": [{"id": "bob-guest", "name": "Bob Guest", "aliases": ["鲍勃"]},
                              {"id": "warren-buffett", "name": "Warren Buffett", "aliases": ["沃伦·巴菲特", "巴菲特"]}]})
    lines = ["鲍勃说，他这辈子最大的感受", "就是羡慕投资者", "尤其是羡慕沃伦·巴菲特", "他甚至直言，如果能重来",
             "他更想做一个投资者"]
    ex = extract_claims(lines, ep)
    assert all(c.speakers == ["bob-guest"] for c in ex.claims)
    # after a copula or 的 the name ending the line is who the line is about
    ex = extract_claims(["鲍勃说，他这辈子最大的感受", "就是羡慕投资者", "接下来是沃伦·巴菲特", "他认为开源模型会继续追赶"], ep)
    assert _claim_at(ex, 4).speakers == ["warren-buffett"]


def test_a_pronoun_before_a_joining_verb_is_no_cue():
    ep = _episode(_PANEL2)
    ex = extract_claims(["鲍勃认为开源模型会继续缩小差距", "具体内容我们就不多展开说了", "说到鲍勃的背景",
                         "他还是一家风投基金的联合创始人"], ep)
    assert _claim_at(ex, 4).speakers == ["narrator"]  # 他还是…的创始人 describes him
    ex = extract_claims(["鲍勃认为开源模型会继续缩小差距", "具体内容我们就不多展开说了", "说到鲍勃的背景",
                         "他还认为闭源模型的优势不会持续太久"], ep)
    assert _claim_at(ex, 4).speakers == ["bob-guest"]


@pytest.mark.parametrize("cue_line", ["在鲍勃眼中，开源模型会继续缩小差距", "鲍勃的观察是开源模型会继续缩小差距",
                                      "鲍勃明确反对这种看法，开源模型会继续缩小差距"])
def test_eyes_observation_and_opposition_report_a_person(cue_line):
    ex = extract_claims(["今天的话题是开源模型", "很多人担心闭源模型会一直领先", cue_line], _episode(_PANEL2))
    assert _claim_at(ex, 3).speakers == ["bob-guest"]


def test_in_his_eyes_frames_the_person_named_before():
    from app.ingest.attribute import build_people, find_cue
    people = build_people(_episode(_PANEL2), load_lexicon())
    cue = find_cue("在他的眼中，开源模型会继续缩小差距", people, ["bob-guest"])
    assert cue is not None and cue.speakers == ["bob-guest"] and cue.kind == "pronoun"


def test_the_talk_starting_ends_the_intro_that_previewed_it():
    lines = ["大家好，这里是最佳拍档，我是大飞", "最近鲍勃做了一期播客对话", "他证明了一件颠覆行业认知的事情",
             "单个人就能借助AI工具完成整个团队的工作", "对话一开始", "鲍勃就抛出了一个贯穿全程的问题",
             "他认为开源模型会继续缩小和闭源模型的差距", "而且成本也会进一步下降",
             "此外鲍勃还提到芯片的供应依然紧张", "英伟达的产能在未来两年都会被预订一空", "鲍勃强调",
             "推理的需求增长远远超过了训练", "这意味着数据中心的电力会成为新的瓶颈", "最后鲍勃建议",
             "年轻的工程师应该尽早学会和智能体协作"]
    ex = extract_claims(lines, _episode(_PANEL2))
    assert all(c.line_start >= 5 for c in ex.claims)  # lines 2-4 preview the talk
    assert _claim_at(ex, 5) is not None and _claim_at(ex, 7) is not None
    # someone opening the talk starts it too; a 公开场合 is no opening
    opened = [*lines[:4], "鲍勃开场就把这个概念讲得很实在", "他说这个词其实一点都不新", *lines[6:]]
    ex = extract_claims(opened, _episode(_PANEL2))
    assert all(c.line_start >= 5 for c in ex.claims) and _claim_at(ex, 5).speakers == ["bob-guest"]
    public = [*lines[:4], "鲍勃在公开场合说", "这个词其实一点都不新", *lines[6:]]
    assert any(c.line_start < 5 for c in extract_claims(public, _episode(_PANEL2)).claims)


def test_a_dotted_name_cut_short_in_the_intro_is_no_person():
    from app.ingest.people import discover_people
    lines = ["大家好，这里是最佳拍档", "今天来聊聊陶哲轩的一场对谈", "开普勒站在尼古拉·哥白尼的肩膀上",
             "在与物理学家布莱恩·基廷的一场深度对话中", "于是他提出了一个新的假说"]
    ep = discover_people(lines, load_lexicon(), EpisodeInfo(id="x", file="x.txt"))
    forms = {a for p in ep.guests for a in p.aliases}
    assert "尼古拉·哥" not in forms  # 白 is no transliteration character: the name was cut short


def test_another_spelling_of_a_lexicon_person_is_that_person():
    from app.ingest.people import discover_people, sounds_like_person
    lex = load_lexicon()
    # 里 for 利: the same sounds; a dotted name cut at its longest part still starts the name
    assert sounds_like_person("查马斯·帕里哈皮蒂亚", lex) == "chamath-palihapitiya"
    assert sounds_like_person("查马斯·帕里哈皮蒂", lex) == "chamath-palihapitiya"
    assert sounds_like_person("帕里哈皮蒂亚", lex) == "chamath-palihapitiya"
    assert sounds_like_person("查马斯·帕克", lex) is None
    assert sounds_like_person("达里奥·阿莫", lex) == "dario-amodei"  # cut before 代, no transliteration character
    assert sounds_like_person("·", lex) is None and sounds_like_person("", lex) is None  # odd input: no one, no error
    lines = ["大家好，这里是测试频道", "杰森·卡拉卡尼斯、查马斯·帕里哈皮蒂亚等大佬参与了讨论", "今天我们来聊聊",
             "帕里哈皮蒂亚认为", "油价还会继续上涨", "帕里哈皮蒂亚还提到", "市场过于乐观"]
    ep = discover_people(lines, lex, EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    assert sorted(p.id for p in ep.people) == ["chamath-palihapitiya", "jason-calacanis"]
    assert _claim_at(extract_claims(lines, ep), 5).speakers == ["chamath-palihapitiya"]


def test_a_lexicon_person_named_after_the_preview_is_a_speaker_only_if_he_speaks():
    from app.ingest.people import discover_people
    lex = load_lexicon()
    lines = ["大家好，这里是测试频道", "布拉德·格斯特纳最近上了一档播客", "今天我们就来聊聊他的观点",
             "格斯特纳透露", "儿童账户计划的注册人数远超预期", "这个计划得到了唐纳德·特朗普的点名支持",
             "后来黄仁勋也认为", "这个计划很有意义"]
    ep = discover_people(lines, lex, EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    # Gerstner is named in the preview; Trump after it, only talked about; Jensen after it, speaking
    assert sorted(p.id for p in ep.people) == ["brad-gerstner", "jensen-huang"]
    # a lexicon person is named by the family name of his Chinese name, as a found one is
    assert _claim_at(extract_claims(lines, ep), 4).speakers == ["brad-gerstner"]


def test_a_historic_person_is_never_a_speaker_but_still_an_entity():
    from app.ingest.people import discover_people
    lex = load_lexicon()
    lines = ["大家好，这里是测试频道", "陶哲轩讲了约翰尼斯·开普勒的故事", "今天我们就来聊聊", "开普勒发现了行星运动定律",
             "这完全是数据驱动的结果"]
    ep = discover_people(lines, lex, EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    assert [p.id for p in ep.people] == ["terence-tao"]
    claim = _claim_at(extract_claims(lines, ep), 4)
    assert claim.speakers != ["johannes-kepler"] and "johannes-kepler" in claim.entities


def test_a_name_before_an_attributive_verb_does_not_speak():
    from app.ingest.people import _said_rx
    lex = load_lexicon()
    said = _said_rx(id(lex), lex)
    assert said.match("提出了一个观点") and said.match("教授分享了") and said.match("在采访中表示")
    assert not said.match("提出的意向立场")


def test_a_dotted_name_with_a_common_first_name_is_found():
    from app.ingest.people import discover_people
    lines = ["大家好，这里是测试频道", "投资人大卫·萨默斯和彼得·卡勒姆最近接受了采访", "今天我们来聊聊", "萨默斯认为", "市场已经过热"]
    ep = discover_people(lines, load_lexicon(), EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    assert [p.aliases[0] for p in ep.people] == ["大卫·萨默斯", "彼得·卡勒姆"]
    assert _claim_at(extract_claims(lines, ep), 4).speakers == [ep.people[0].id]


def test_a_dotted_name_after_the_intro_may_speak_by_its_first_name():
    from app.ingest.people import discover_people
    lines = ["大家好，这里是测试频道"] + ["今天这个故事要从头讲起"] * 60 + [
        "在纽约的罗珊娜·拉莫斯也有类似的经历", "罗珊娜认为", "现实中的人际关系充满了不确定性"]
    ep = discover_people(lines, load_lexicon(), EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    assert [p.aliases[0] for p in ep.guests] == ["罗珊娜·拉莫斯"]


def test_a_dotted_name_may_hold_a_one_character_particle():
    from app.ingest.people import discover_people, dotted_names
    lex = load_lexicon()
    assert dotted_names("荷兰男子雅各布·范·利尔选择了", lex) == [("雅各布·范·利尔", None)]
    lines = ["大家好，这里是测试频道"] + ["今天这个故事要从头讲起"] * 60 + [
        "荷兰男子雅各布·范·利尔也有类似的经历", "利尔认为", "孤独是现代社会的困境"]
    ep = discover_people(lines, lex, EpisodeInfo(id="x", file="x.txt", from_manifest=False))
    assert [p.aliases[0] for p in ep.guests] == ["雅各布·范·利尔"]


def test_a_name_whose_verb_opens_the_next_line_is_a_cue():
    ep = _episode({"guests": [{"id": "fei-fei-li", "name": "Fei-Fei Li", "aliases": ["李飞飞"]}]})
    lines = ["大家好，这里是测试频道", "模型的价格一直在下降。", "李飞飞亲自撰文", "认为生成AI的下一个战场是空间智能",
             "这将改变机器人的发展方向。"]
    assert _cue_speakers(lines, ep, 3) == ["fei-fei-li"]
    # a sentence that ends on its line is no cue for the next one's verb
    lines[2] = "李飞飞亲自撰文。"
    assert _claim_at(extract_claims(lines, ep), 3).speakers == ["narrator"]


def test_where_or_when_between_a_name_and_its_verb_keeps_the_cue():
    ep = _episode({"guests": [{"id": "demis-hassabis", "name": "Demis Hassabis", "aliases": ["哈萨比斯"]}]})
    lines = ["大家好，这里是测试频道", "模型的价格一直在下降。", "哈萨比斯在CNBC的采访中也提到", "AGI可能在十年内到来。"]
    assert _cue_speakers(lines, ep, 3) == ["demis-hassabis"]
    lines[2] = "哈萨比斯在伦敦的办公室里工作"  # no reporting verb after it: no cue
    assert _claim_at(extract_claims(lines, ep), 3).speakers == ["narrator"]
    # …and after a pronoun: 他在接受采访时表示
    lines = ["大家好，这里是测试频道", "哈萨比斯认为", "AGI可能在十年内到来。", "模型的价格一直在下降。", "他在接受采访时表示",
             "科学发现会越来越快。"]
    assert _cue_speakers(lines, ep, 5) == ["demis-hassabis"]


def test_what_a_person_wrote_or_pointed_out_is_theirs():
    ep = _episode({"guests": [{"id": "ethan-mollick", "name": "Ethan Mollick", "aliases": ["莫利克"]}]})
    for verb in ("在自己的博客里写道", "则点出了其中的问题"):
        lines = ["大家好，这里是测试频道", "模型的价格一直在下降。", "莫利克" + verb, "这是他用过的最好的公开模型。"]
        assert _cue_speakers(lines, ep, 3) == ["ethan-mollick"], verb


def test_a_name_after_a_pronoun_and_its_verb_is_the_object_not_the_speaker():
    ep = _episode({"guests": [{"id": "harj-taggar", "name": "Harj Taggar", "aliases": ["塔格加"]},
                              {"id": "parker-conrad", "name": "Parker Conrad", "aliases": ["帕克·康拉德", "康拉德"]}]})
    lines = ["大家好，这里是测试频道", "模型的价格一直在下降。", "塔格加认为", "AI扩大了人才搜索的半径。", "他举了帕克·康拉德的例子",
             "这位创始人没有计算机学位。"]
    claim = _claim_at(extract_claims(lines, ep), 5)
    assert claim.speakers == ["harj-taggar"]


def test_a_lexicon_guest_named_in_full_in_the_intro_speaks_by_first_name_later():
    lines = ["大家好，这里是测试频道", "Uber的CEO达拉·科斯罗萨西接受了一次深度访谈", "今天我们就来聊聊这场对话"] + \
        ["他的童年在德黑兰度过"] * 3 + ["达拉坦言", "自己内心深处从未感到真正的安全。"]
    ex = extract_claims(lines, EpisodeInfo(id="u", file="u.txt", from_manifest=False))
    assert _claim_at(ex, 8).speakers == ["dara-khosrowshahi"]


def test_a_name_alone_after_someone_says_is_who_it_is_said_to():
    ep = _episode({"guests": [{"id": "dara-khosrowshahi", "name": "Dara Khosrowshahi", "aliases": ["达拉"]},
                              {"id": "daniel-ek", "name": "Daniel Ek", "aliases": ["丹尼尔·埃克"]}]})
    lines = ["大家好，这里是测试频道", "模型的价格一直在下降。", "这位企业家直言不讳地说", "达拉",
             "生活是为了产生影响。", "你必须做这件事。"]
    assert all(c.speakers == ["narrator"] for c in extract_claims(lines, ep).claims)
    lines[2] = "这位企业家的故事很长。"  # a name alone after no speech: a cue, as before
    assert _claim_at(extract_claims(lines, ep), 5).speakers == ["dara-khosrowshahi"]


@pytest.mark.parametrize("cue", ["毫不避讳的说", "对此的评价是", "很认可这个观察"])
def test_more_cue_forms(cue):
    ep = _episode({"guests": [{"id": "naval-ravikant", "name": "Naval Ravikant", "aliases": ["纳瓦尔"]}]})
    lines = ["大家好，这里是测试频道", "模型的价格一直在下降。", "纳瓦尔" + cue, "名声的代价沉重得超乎想象。"]
    assert _cue_speakers(lines, ep, 3) == ["naval-ravikant"]


def test_a_de_adverb_needs_a_verb_of_speech_after_it():
    ep = _episode({"guests": [{"id": "naval-ravikant", "name": "Naval Ravikant", "aliases": ["纳瓦尔"]}]})
    lines = ["大家好，这里是测试频道", "模型的价格一直在下降。", "纳瓦尔最喜欢的书", "名声的代价沉重得超乎想象。"]
    assert _claim_at(extract_claims(lines, ep), 3).speakers == ["narrator"]


@pytest.mark.parametrize("cue", ["在播客中发出了严厉警告", "也给出了自己的说法"])
def test_a_warning_or_a_verdict_put_out_is_a_cue(cue):
    ep = _episode({"guests": [{"id": "david-sacks", "name": "David Sacks", "aliases": ["萨克斯"]}]})
    lines = ["大家好，这里是测试频道", "油价一直在上涨。", "萨克斯" + cue, "战争升级可能引发灾难性的连锁反应。"]
    assert _cue_speakers(lines, ep, 3) == ["david-sacks"]


def test_a_manifest_name_written_in_latin_letters_speaks():
    lines = ["大家好，这里是最佳拍档", "Notion的创始人接受了一次访谈", "今天我们就来聊聊"] + ["公司的故事要从头讲起"] * 3 + [
        "Ivan在对话里坦言", "他们几乎把产品重构了三次。", "Zhao团队的成员很少。"]
    ep = EpisodeInfo(id="u", file="u.txt", from_manifest=False, known_names=["Ivan Zhao", "Reid Hoffman"])
    ex = extract_claims(lines, ep)
    assert _claim_at(ex, 7).speakers == ["ivan-zhao"]
    assert "reid-hoffman" not in ex.speakers  # never named in the text: no speaker
    ep.known_names = []
    assert _claim_at(extract_claims(lines, ep), 7).speakers == ["narrator"]
    # blank or one-letter names from a manifest name nobody (X认为 is the platform)
    ep.known_names = [" ", "", "X", "A B"]
    lines[6] = "X认为"
    assert all(c.speakers == ["narrator"] for c in extract_claims(lines, ep).claims)


def test_a_latin_name_of_a_common_first_name_that_speaks_needs_no_manifest():
    lines = ["大家好，这里是最佳拍档", "OpenAI的研究负责人Jason Lin参加了一期播客", "今天我们就来聊聊"] + \
        ["模型的故事要从头讲起"] * 3 + ["Jason在访谈中强调说", "模型的个性来自后训练。", "Thomas Edison发明了电灯。"]
    ex = extract_claims(lines, EpisodeInfo(id="u", file="u.txt", from_manifest=False))
    assert _claim_at(ex, 7).speakers == ["jason-lin"]
    assert "thomas-edison" not in ex.speakers  # named, never reports a point
    from app.ingest.people import discover_people
    lines[6] = "Berlin在访谈中强调说"  # Lin inside Berlin is no Jason Lin
    ep = discover_people(lines, load_lexicon(), EpisodeInfo(id="u", file="u.txt", from_manifest=False))
    assert "jason-lin" not in [p.id for p in ep.people]


def test_a_verb_before_de_and_a_demonstrative_qualifies_a_noun():
    ep = _episode({"guests": [{"id": "terence-tao", "name": "Terence Tao", "aliases": ["陶哲轩"]}]})
    lines = ["大家好，这里是测试频道", "数学界正在讨论AI。", "要理解陶哲轩说的这场新危机", "我们得先往回倒一百多年。"]
    assert _claim_at(extract_claims(lines, ep), 3).speakers == ["narrator"]
    lines[2] = "就像陶哲轩说的"  # …but what he said is still his
    assert _claim_at(extract_claims(lines, ep), 3).speakers == ["terence-tao"]


def test_a_story_of_what_happened_then_is_not_carried():
    ep = _episode({"guests": [{"id": "morris-chang", "name": "Morris Chang", "aliases": ["张忠谋"]}]})
    lines = ["大家好，这里是测试频道", "芯片行业变化很快。", "张忠谋认为", "代工模式会成为主流。", "当时台积电刚刚成立",
             "员工只有几百人。"]
    ex = extract_claims(lines, ep)
    assert _claim_at(ex, 3).speakers == ["morris-chang"]
    assert _claim_at(ex, 5).speakers == ["narrator"]


def test_a_chinese_name_glossed_with_its_pinyin_family_name_takes_the_gloss():
    from app.ingest.people import discover_people, paren_names
    lex = load_lexicon()
    assert paren_names("OpenAI前应用研究主管翁荔（Lilian Weng）发表了博客", lex) == [("翁荔", "Lilian Weng")]
    assert paren_names("这就是氛围编程（Vibe Coding）的由来", lex) == []
    lines = ["大家好，这里是测试频道", "OpenAI前应用研究主管翁荔（Lilian Weng）发表了博客", "今天我们就来聊聊"] + \
        ["模型的故事要从头讲起"] * 3 + ["在翁荔看来", "部署系统和模型本身同样重要。"]
    ep = discover_people(lines, lex, EpisodeInfo(id="u", file="u.txt", from_manifest=False))
    assert [p.id for p in ep.people] == ["lilian-weng"]  # not a second, pinyin weng-li
    assert _claim_at(extract_claims(lines, ep), 8).speakers == ["lilian-weng"]


def test_calling_a_thing_a_name_is_a_report():
    ep = _episode({"guests": [{"id": "alfred-lin", "name": "Alfred Lin", "aliases": ["阿尔弗雷德"]}]})
    lines = ["大家好，这里是测试频道", "疫情之后公司反弹得特别快。", "阿尔弗雷德把这种危机叫做熔炉时刻", "只有在高温下才能炼出真金。"]
    assert _cue_speakers(lines, ep, 3) == ["alfred-lin"]


def test_a_dotted_name_may_have_a_six_character_part():
    from app.ingest.people import dotted_names
    assert dotted_names("高通公司的首席执行官克里斯蒂亚诺·阿蒙参加了访谈", load_lexicon()) == [("克里斯蒂亚诺·阿蒙", None)]


def test_a_guest_the_intro_presents_reaches_the_verb_over_a_gloss():
    lines = ["大家好，这里是最佳拍档", "红杉资本对谷歌的产品负责人妮可·布里托娃（Nicole Brichtova）进行了一次专访",
             "今天我们就来给大家分享一下"] + ["图像模型的故事要从头讲起"] * 3 + [
             "妮可·布里托娃（Nicole Brichtova）在专访里提到", "过去的图像模型一直有个明显的短板。",
             "LangChain的维韦克·特里维迪（Vivek Trivedy）说过", "模型只是引擎。"]
    ex = extract_claims(lines, EpisodeInfo(id="u", file="u.txt", from_manifest=False))
    assert _claim_at(ex, 7).speakers == ["nicole-brichtova"]
    assert _claim_at(ex, 9).speakers != ["vivek-trivedy"]  # quoted, not presented: no cue over the gloss


def test_a_person_of_the_opening_lines_is_presented_when_no_line_announces_the_talk():
    # no 今天我们来聊聊… line: the opening lines present the episode's people
    lines = ["大家好，这里是最佳拍档，我是大飞", "最近这段时间，递归自我改进", "又成了AI圈讨论的焦点",
             "Anthropic的联合创始人杰克·克拉克（Jack Clark）直接给出了一个很具体的预测", "到2028年底会出现自主迭代的AI系统",
             "这个说法刚出来的时候", "很多人还觉得是远期预言", "没想到就在这几天", "几家机构放出了一篇新论文"] + \
        ["这套系统把考官也放进了进化的循环里", "AI不仅改自己的代码", "还给自己设计更严格的考试"] * 4 + \
        ["OpenAI的山姆·奥特曼（Sam Altman）说过", "模型只会越来越好。"]
    ex = extract_claims(lines, EpisodeInfo(id="u", file="u.txt", from_manifest=False))
    assert _claim_at(ex, 4).speakers == ["jack-clark"]
    assert _claim_at(ex, 6).speakers == ["narrator"]  # the narrator on what was just said
    assert _claim_at(ex, len(lines) - 1).speakers != ["sam-altman"]  # quoted later, not presented


def test_a_run_past_the_cap_is_cut_near_its_middle_not_after_the_cap():
    lines = ["艾米提到这项设计还很早期", "芯片的功耗会慢慢下降", "内存的占用也会跟着下降", "训练的速度会变得更快",
             "推理的成本会明显降低", "散热的压力也会减轻", "机房的面积可以缩小", "电费的开支随之减少",
             "维护的人手也能省下"]
    ex = extract_claims(lines, _episode(_PANEL2))
    spans = [(c.line_start, c.line_end) for c in ex.claims]
    assert spans[0][0] == 1 and spans[-1][1] == 9 and len(spans) == 2, spans
    assert all(4 <= e - s + 1 <= 5 for s, e in spans), spans  # 5 + 4 or 4 + 5, not 7 + 2
    assert all(c.speakers == ["amy-host"] for c in ex.claims)  # the second part carries Amy's point


def test_the_heading_of_a_list_item_goes_with_the_lines_that_explain_it():
    ep = _episode(_PANEL2)
    lines = ["他们做了几个关键的决定", "第一个是聚焦新的优势", "这也是团队最核心的判断", "短途出行的需求在上涨"]
    c = _claim_at(extract_claims(lines, ep), 2)
    assert (c.line_start, c.line_end) == (2, 4)  # not 第一个是聚焦新的优势 alone
    # a name's cue right after the heading: the item is that person's point
    lines = ["第二条路径，是从源头减少开支", "艾米认为应该先列一个清单", "把需要和想要分开"]
    c = _claim_at(extract_claims(lines, ep), 1)
    assert (c.line_start, c.speakers, c.attribution) == (1, ["amy-host"], "cue")


def test_a_person_who_does_not_evade_a_question_speaks_to_it():
    lines = ["艾米没有回避这个问题", "芯片的功耗依然偏高", "散热也还是一个难题"]
    assert _cue_speakers(lines, _episode(_PANEL2), 1) == ["amy-host"]


def test_a_person_who_works_out_a_reckoning_speaks():
    lines = ["鲍勃在访谈里算了一笔更细的账", "一座数据中心每年的建设成本大概是一百亿美元", "合同期一般是五年"]
    assert _cue_speakers(lines, _episode(_PANEL2), 1) == ["bob-guest"]


def test_the_narrator_announcing_an_example_ends_the_speakers_point():
    lines = ["鲍勃的观点是", "真正的话语权藏在数据和接口里", "还有切换成本", "我们举两个实际的案例",
             "第一个是一家代码编辑器公司", "它用的是别家的模型", "手里却握着用户数据"]
    ex = extract_claims(lines, _episode(_PANEL2))
    assert _claim_at(ex, 4) is None  # the announcement asserts nothing
    after = _claim_at(ex, 5)
    assert after.speakers == ["narrator"], after


def test_a_point_made_from_an_angle_is_a_cue():
    lines = ["鲍勃则从行业发展的角度分析了这次合并的必要性", "过去的研究更偏向学术界", "组织方式并不关键"]
    assert _cue_speakers(lines, _episode(_PANEL2), 1) == ["bob-guest"]


def test_a_name_found_in_the_text_speaks_after_an_adverb_of_time_and_a_where():
    # nobody listed: the person is found in the text, by a reporting verb after her name
    filler = [f"这座数据中心的规模扩大到了{i}万平方米。" for i in range(60)]
    for cue in ("菲吉·西莫曾经坦言", "菲吉·西莫后来在采访中说", "菲吉·西莫先分享了", "菲吉·西莫也毫不留情地批评道",
                "菲吉·西莫在社交平台上特意提到了"):
        lines = ["大家好，这里是最佳拍档，我是大飞", *filler, cue, "产品本身并不是终点", "研究优先的基因依然主导着公司"]
        ex = extract_claims(lines, EpisodeInfo(id="solo", file="solo.txt", from_manifest=False))
        c = _claim_at(ex, len(filler) + 2)
        assert c.attribution == "cue" and c.speakers != ["narrator"], (cue, c)


def test_a_name_found_in_the_text_speaks_over_its_title_a_line_break_and_a_long_where():
    filler = [f"这座数据中心的规模扩大到了{i}万平方米。" for i in range(60)]
    for cue in (["马修・沃克教授", "在《为什么我们要睡觉》一书中明确指出"], ["马修·沃克明确指出"]):
        lines = ["大家好，这里是最佳拍档，我是大飞", *filler, *cue, "睡眠债是无法完全偿还的"]
        ex = extract_claims(lines, EpisodeInfo(id="solo", file="solo.txt", from_manifest=False))
        c = _claim_at(ex, len(filler) + 2)
        # the name stops before the adverb (沃克, not 沃克明)
        assert c.attribution == "cue" and c.speakers == ["matthew-walker"], (cue, c)


def test_a_lexicon_name_ending_someone_elses_dotted_name_is_not_that_person():
    # 纳瓦尔 is Naval Ravikant's first name (纳瓦尔·拉维坎特); 马里奥·纳瓦尔 (Mario Nawfal) is someone else
    lines = ["大家好，这里是最佳拍档，我是大飞", "知名商业评论员马里奥·纳瓦尔（Mario Nawfal）在社交平台X上",
             "毫不留情地直接扯下了微软的遮羞布", "他明确指出", "这件事其实正是大型科技公司最典型的剧本"]
    ex = extract_claims(lines, EpisodeInfo(id="solo", file="solo.txt", from_manifest=False))
    named = {e for c in ex.claims for e in c.entities} | {s for c in ex.claims for s in c.speakers}
    assert "naval-ravikant" not in named and "mario-nawfal" in named, ex.claims
    assert _claim_at(extract_claims(["纳瓦尔·拉维坎特认为", "财富来自杠杆", "纳瓦尔还提到", "要学会说不"],
                                    EpisodeInfo(id="solo", file="solo.txt", from_manifest=False)), 3).speakers \
        == ["naval-ravikant"]


def test_a_latin_name_after_a_role_speaks_by_its_first_name_without_a_manifest():
    # Sherwin is no common first name; the role before the name (工程负责人) says it names a person
    lines = ["大家好，这里是最佳拍档", "这期节目邀请到了OpenAI的API与开发者平台工程负责人Sherwin Wu", "今天我们就来聊聊"] + \
        ["工程团队的故事要从头讲起"] * 3 + ["Sherwin提到", "高频使用AI工具的工程师提交代码更频繁"]
    ex = extract_claims(lines, EpisodeInfo(id="solo", file="solo.txt", from_manifest=False))
    assert _claim_at(ex, 7).speakers == ["sherwin-wu"]
    lines[1] = "这期节目邀请到了产品经理Laurentia Romaniuk"  # 经理 is a role too
    lines[6] = "Laurentia提到"
    ex = extract_claims(lines, EpisodeInfo(id="solo", file="solo.txt", from_manifest=False))
    assert _claim_at(ex, 7).speakers == ["laurentia-romaniuk"]
    lines[1] = "这期节目还提到了工具Agent Builder"  # no role before it: a product, not a person
    lines[6] = "Agent提到"
    ex = extract_claims(lines, EpisodeInfo(id="solo", file="solo.txt", from_manifest=False))
    assert "agent-builder" not in {s for c in ex.claims for s in c.speakers}


def test_yi_of_a_word_after_a_name_is_no_verb():
    lines = ["这是一个新的开始。", "除了鲍勃以外团队还有很多人", "他们都很厉害"]
    assert _claim_at(extract_claims(lines, _episode(_PANEL2)), 2).speakers == ["narrator"]
    lines[1] = "鲍勃以一个比喻开场"  # 以 as a verb still reports
    assert _claim_at(extract_claims(lines, _episode(_PANEL2)), 2).speakers == ["bob-guest"]


def test_the_channels_spelling_of_alexandr_wang_is_his():
    ex = extract_claims(["Scale AI的创始人汪韬后来加入了Meta"], EpisodeInfo(id="solo", file="solo.txt", from_manifest=False))
    assert "alexandr-wang" in ex.claims[0].entities


def test_a_machine_named_after_a_person_is_not_that_person():
    lines = ["这个系统叫做哥德尔机", "它可以证明某次改动是有益的", "图灵机则是计算的理论模型"]
    ex = extract_claims(lines, EpisodeInfo(id="solo", file="solo.txt", from_manifest=False))
    named = {e for c in ex.claims for e in c.entities}
    assert not named & {"kurt-godel", "alan-turing"}, named
    ex = extract_claims(["图灵在1936年的论文里提出了这个设想"], EpisodeInfo(id="solo", file="solo.txt", from_manifest=False))
    assert "alan-turing" in ex.claims[0].entities  # the man himself still is


def test_a_person_who_explains_one_point_above_all_speaks():
    lines = ["接下来，鲍勃重点解释了为什么前沿智能的回报率极高", "因为模型越强收入越高"]
    assert _cue_speakers(lines, _episode(_PANEL2), 1) == ["bob-guest"]


@pytest.mark.parametrize("cue", ["鲍勃列了一些常见的理由", "鲍勃一直保持了一种审慎的态度",
                                 "鲍勃把这个过程叫GPU货币化", "鲍勃在课上就明确了一个核心观点",
                                 "鲍勃在演讲里先展示了一张很经典的图", "鲍勃曾经打趣道", "然后鲍勃纠正说，不不不",
                                 "鲍勃表现出了谨慎但是乐观的态度", "鲍勃算过一笔账", "鲍勃告诉我们",
                                 "对于这个判断鲍勃的态度是部分认同"])
def test_a_view_listed_held_named_or_shown_is_a_cue(cue):
    lines = [cue, "模型越强收入越高", "但是成本也越来越高"]
    assert _cue_speakers(lines, _episode(_PANEL2), 1) == ["bob-guest"]


def test_a_ba_phrase_left_open_by_its_line_reads_on_with_the_next():
    lines = ["鲍勃把自己的决策逻辑", "比作物理学家掌握底层规律后的推导", "这样他就能推导未来"]
    assert _cue_speakers(lines, _episode(_PANEL2), 1) == ["bob-guest"]
    lines = ["鲍勃把公司", "搬到了德州", "那里的电价更低"]  # no verb of speech: no cue
    assert _claim_at(extract_claims(lines, _episode(_PANEL2)), 1).attribution != "cue"


@pytest.mark.parametrize("cue", ["鲍勃也对当前行业内主流的基准测试提出了质疑", "鲍勃在访谈中肯定了这家公司搭建的开发框架"])
def test_an_attitude_toward_a_topic_after_an_adverb_and_an_approval_are_cues(cue):
    lines = [cue, "这些测试都是提前固定的", "模型很容易针对它们做优化"]
    assert _cue_speakers(lines, _episode(_PANEL2), 1) == ["bob-guest"]


def test_the_turing_test_and_award_are_not_about_turing():
    ex = extract_claims(["这和原版图灵测试有本质区别。", "图灵奖得主们也这么说。", "图灵在1950年提出了这个问题。"],
                        _episode(_PANEL2))
    assert [("alan-turing" in c.entities) for c in ex.claims] == [False, False, True]


def test_he_is_not_the_person_his_sentence_names_next():
    lines = ["第二位导师就是大名鼎鼎的鲍勃。", "他自己开玩笑说", "当初去鲍勃那里的时候", "本以为能学到很多东西"]
    c = _claim_at(extract_claims(lines, _episode(_PANEL2)), 2)
    assert "bob-guest" not in c.speakers, c
    lines = ["第二位导师就是大名鼎鼎的鲍勃。", "他自己开玩笑说", "当初去那里的时候", "本以为能学到很多东西"]
    assert _cue_speakers(lines, _episode(_PANEL2), 2) == ["bob-guest"]
    lines = ["第二位导师就是大名鼎鼎的鲍勃。", "他发现自己懂的比鲍勃还多", "这让他很意外"]
    assert "bob-guest" not in _claim_at(extract_claims(lines, _episode(_PANEL2)), 2).speakers


def test_a_one_line_fragment_joins_its_neighbour_and_a_point_of_its_own_stays():
    ep = _episode(_PANEL2)
    # a lead clause that needs what follows joins the claim after it, whose cue still stands
    lines = ["这家公司的营收增长了三倍。", "但鲍勃第一次重仓这家公司的时候", "艾米说自己连它的名字都不会拼", "甚至说不出它靠什么赚钱"]
    c = _claim_at(extract_claims(lines, ep), 2)
    assert (c.line_start, c.speakers, c.attribution) == (2, ["amy-host"], "cue"), c
    # a line that opens a point of its own stays a claim of its own
    lines = ["艾米认为开源模型会越来越多。", "不过，这场竞争并非零和博弈。", "鲍勃提到美国公司也会发布更好的开源模型"]
    c = _claim_at(extract_claims(lines, ep), 2)
    assert (c.line_start, c.line_end) == (2, 2), c


@pytest.mark.parametrize("cue", ["鲍勃在论文里做了一个更激进的预测", "鲍勃据此估算模型的能力每年提升三倍", "鲍勃对比了两个时代的算力增长"])
def test_a_forecast_an_estimate_or_a_comparison_is_a_cue(cue):
    lines = [cue, "全球将有数万亿美元投入到数据中心", "电力生产也要大幅提高"]
    assert _cue_speakers(lines, _episode(_PANEL2), 1) == ["bob-guest"]


def test_a_carried_point_ends_where_the_narration_names_its_speaker_as_a_subject():
    lines = ["鲍勃坦言公司正处于一个关键的转型期", "需要应对未来几个季度的严峻挑战", "销量下滑的原因",
             "一方面是补贴被叫停了", "另一方面，从政的鲍勃与总统分道扬镳", "导致品牌的价值受损"]
    ex = extract_claims(lines, _episode(_PANEL2))
    assert _claim_at(ex, 1).speakers == ["bob-guest"]
    assert _claim_at(ex, 5).speakers == ["narrator"]  # the narrator's reasons, naming Bob as someone else would
    lines = ["鲍勃坦言公司正处于一个关键的转型期", "需要应对未来几个季度的严峻挑战", "一方面是补贴被叫停了",
             "另一方面是品牌的价值受损了", "所以砍掉这个项目是必然的"]
    ex = extract_claims(lines, _episode(_PANEL2))
    assert _claim_at(ex, 4).speakers == ["bob-guest"]  # not named again: his point carries on


def test_a_name_after_its_title_at_a_line_end_is_who_a_later_he_means():
    ep = _episode({"guests": [{"id": "bob-guest", "name": "Bob Guest", "aliases": ["鲍勃"]},
                              {"id": "carl-guest", "name": "Carl Guest", "aliases": ["卡尔"]}]})
    lines = ["鲍勃认为开源模型会越来越强", "这一点很多人都同意", "主持人是某某科技的CEO卡尔",
             "他开场就点出了对话的背景", "今年是中国开源模型大放异彩的一年"]
    assert _claim_at(extract_claims(lines, ep), 4).speakers == ["carl-guest"]


def test_two_stands_for_the_pair_the_preview_presents_over_people_of_the_story():
    from app.ingest.attribute import People
    from app.lexicon import AliasMatcher
    people = People({}, [], ["ann", "ben", "cal"], AliasMatcher({}), presented=frozenset({"ann", "cal"}),
                    most_named=["ann", "ben", "cal"])
    assert people.pair() == ["ann", "cal"]  # ben is named more, but the preview presents ann and cal
    people.presented = frozenset({"ann"})
    assert people.pair() == ["ann", "ben"]  # no pair presented: the two most named


def test_a_name_that_forms_a_term_names_no_one():
    lines = ["更关键的是在此之前", "鲍勃变换", "也提出了长度收缩和时间膨胀的概念", "这在当时非常超前。"]
    ex = extract_claims(lines, _episode(_PANEL2))
    assert all(c.speakers == ["narrator"] for c in ex.claims)  # 鲍勃变换 is a term, not Bob


def test_a_content_line_with_a_verb_of_telling_does_not_end_the_intro():
    # 解读 of the content (再在这个基础上解读模型计算) is no announcement: only with who tells or
    # when (今天我们就来解读…) does a line end the intro
    lines = ["大家好，这里是最佳拍档", "鲍勃认为稠密模型难以解释", "因为多个概念被压缩到同一个神经元",
             "之前的研究尝试过稀疏自编码器", "再在这个基础上解读模型计算", "但是这些方法都有一个共同的局限"] + [
             "这是正文的第{}句".format(i) for i in range(20)]
    ex = extract_claims(lines, _episode(_PANEL2))
    assert _claim_at(ex, 2) is not None and _claim_at(ex, 2).speakers == ["bob-guest"]
    lines[4] = "今天我们就来给大家解读一下"
    assert _claim_at(extract_claims(lines, _episode(_PANEL2)), 2) is None


def test_the_host_word_stands_for_the_one_host():
    ep = _episode({"host": {"id": "amy-host", "name": "Amy Host", "aliases": ["艾米"]},
                   "guests": [{"id": "bob-guest", "name": "Bob Guest", "aliases": ["鲍勃"]}]})
    lines = ["鲍勃认为英伟达的护城河是生态", "主持人直接抛出了一个事实", "最顶尖的模型都是在TPU上训练出来的"]
    assert _cue_speakers(lines, ep, 2) == ["amy-host"]
    ep2 = _episode({"guests": [{"id": "bob-guest", "name": "Bob Guest", "aliases": ["鲍勃"]}]})
    assert _claim_at(extract_claims(lines, ep2), 2).speakers != ["amy-host"]  # no host: no one


def test_a_person_found_by_a_chinese_name_speaks_by_the_manifest_latin_name_too():
    lines = ["大家好，这里是最佳拍档，我是大飞", "对冲基金的首席投资官加文·贝克", "最近参加了一期播客节目",
             "所以拿出来跟大家分享一下", "首先", "最让人震撼的就是这家公司的增长速度", "Gavin说",
             "这是资本主义历史上最非同寻常的时刻"]
    ep = EpisodeInfo(id="g", file="g.txt", from_manifest=False, known_names=["Gavin Baker"])
    assert _claim_at(extract_claims(lines, ep), 7).speakers == ["gavin-baker"]


def test_a_company_acting_as_the_subject_ends_a_carried_point():
    lines = ["鲍勃认为战争会推高油价", "市场的情绪会越来越紧张", "布伦特原油的价格已经大幅波动", "这就是风险传导的直接体现",
             "高盛将今年的通胀预测", "从2.1%大幅上调至2.9%", "即便剔除油价的影响也是如此"]
    ex = extract_claims(lines, _episode(_PANEL2))
    assert _claim_at(ex, 1).speakers == ["bob-guest"]
    assert _claim_at(ex, 5).speakers == ["narrator"]  # Goldman's forecast, told by the narrator
    for line in ("谷歌没有像OpenAI那样四处出击", "微软的策略是同时建设两个工厂",  # …or its way of doing things
                 "谷歌的研究团队不是不相信规模定律"):  # …or its people
        lines[4:] = [line, "而是将AI能力融入现有的产品", "这一点也很关键"]
        ex = extract_claims(lines, _episode(_PANEL2))
        assert _claim_at(ex, 1).speakers == ["bob-guest"] and _claim_at(ex, 5).speakers == ["narrator"], line


@pytest.mark.parametrize("lines", [
    # the narrator commenting on words just quoted
    ["鲍勃曾面对议员的质问", "给出过一句完美的公关回答", "我在公司没有持有哪怕一股股权", "我做AI，纯粹是因为我热爱它",
     "从法律层面看", "这句话至今挑不出毛病", "但多位熟知内情的人士", "包括鲍勃的心腹暗示", "这种股权隔离只是维持人设的手段",
     "很快就会随着资本运作被打破"],
    # the next person of a list
    ["在鲍勃看来，他的老搭档不仅是他的大哥", "更是他最好的老师", "六十多年里他们之间虽然有过分歧", "但是从来没有过争执",
     "这种相处模式也成了商界合作的一段佳话", "还有斯坦·利普西（Stan Lipsey）", "1968年的时候", "他把自己的报纸卖给了公司"],
], ids=["words-just-quoted", "next-person-of-a-list"])
def test_the_narrator_on_quoted_words_or_the_next_person_of_a_list_ends_a_carried_point(lines):
    ex = extract_claims(lines, _episode(_PANEL2))
    assert _claim_at(ex, 1).speakers == ["bob-guest"]
    assert _claim_at(ex, 6).speakers == ["narrator"]


def test_he_after_a_subject_named_by_role_alone_is_no_named_person():
    ep = _episode({"guests": [{"id": "adam-back", "name": "Adam Back", "aliases": ["亚当·巴克"]}]})
    lines = ["亚当·巴克否认自己是中本聪", "他说自己只是早期的参与者", "此后的调查却找到了一组邮件", "也就是比特币白皮书发布前三个月",
             "中本聪主动联系亚当·巴克，向他请教", "确认白皮书中对论文的引用是否准确", "从表面上看", "这直接证明亚当·巴克不可能是中本聪",
             "但记者没有被这个表面证据说服", "他提出了一个关键的可能性", "这组邮件", "完全可能是亚当·巴克自己发给自己的",
             "目的就是制造一套完美的掩护叙事"]
    ex = extract_claims(lines, ep)
    assert _claim_at(ex, 1).speakers == ["adam-back"]
    assert _claim_at(ex, 10).speakers == ["narrator"]  # 他 is the reporter


def test_a_name_in_a_clause_of_time_is_not_who_a_later_he_means():
    ep = _episode({"guests": [{"id": "satya-nadella", "name": "Satya Nadella", "aliases": ["纳德拉"]},
                              {"id": "sam-altman", "name": "Sam Altman", "aliases": ["奥特曼"]}]})
    lines = ["微软决定向这家实验室投资十亿美元。", "纳德拉回忆到", "当奥特曼开始谈论规模定律的潜力时", "微软敏锐地意识到",
             "语言将成为计算的新入口", "他说", "我们当时并不知道它会走向哪里"]
    assert _claim_at(extract_claims(lines, ep), 6).speakers == ["satya-nadella"]


def test_the_narrator_explaining_in_its_own_voice_starts_a_point_and_ends_the_carry():
    lines = ["说到这儿可能有人会好奇", "那现在到底做到什么程度了呢？", "访谈里用了三个阶段来划分", "鲍勃的判断是", "整体还处在爬行阶段",
             "这个其实也很好理解", "谷歌有13个十亿级用户的产品", "每一步改动都影响亿级用户", "不可能激进推进"]
    ex = extract_claims(lines, _episode(_PANEL2))
    assert _claim_at(ex, 4).speakers == ["bob-guest"]
    assert _claim_at(ex, 6).line_start == 6 and _claim_at(ex, 6).speakers == ["narrator"]


def test_a_story_a_person_tells_is_a_fact():
    lines = ["鲍勃回忆说小时候他每天都在父亲的工厂里帮忙"]
    assert _claim_at(extract_claims(lines, _episode(_PANEL2)), 1).kind == "fact"


def test_the_talk_moving_on_to_a_topic_ends_a_carried_point():
    lines = ["鲍勃担心的是", "很多人还没意识到这个变化的严重性", "还在用老的思路来用新的工具",
             "他预感在安全领域会出现一些很明显的翻车事故", "因为人们对AI工具的非确定性过于大意了",
             "访谈接着聊到了现在很火的vibe coding", "简单说就是你告诉AI想要什么", "它直接给你生成代码",
             "你甚至不用完全看懂它写了什么", "只要能跑起来就行"]
    ex = extract_claims(lines, _episode(_PANEL2))
    assert _claim_at(ex, 1).speakers == ["bob-guest"]
    assert _claim_at(ex, 6).speakers == ["narrator"]
    lines[5] = "当话题聚焦到AI巨头的财务状况时"  # …or is brought round to one
    ex = extract_claims(lines, _episode(_PANEL2))
    assert _claim_at(ex, 1).speakers == ["bob-guest"]
    assert _claim_at(ex, 6).speakers == ["narrator"]


def test_a_new_stage_of_the_story_ends_a_carried_point_but_this_process_does_not():
    ep = _episode({"guests": [{"id": "guo-mengchu", "name": "Guo Mengchu", "aliases": ["郭孟初"]}]})
    lines = ["大家好，这里是测试频道", "在创始人郭孟初看来", "产品的关键不在于技术的壁垒", "而是在于敢把它做得如此简单",
             "他们主动放弃了所有提升停留时长的设计", "只聚焦于失联兜底这个核心场景", "这种选择大幅降低了开发的成本。",
             "对于工作节奏紧张的独居青年而言", "复杂的操作反而会成为使用的障碍。", "在开发的过程中",
             "AI工具的普及成为了关键的助力", "让三位并不是专业开发出身的年轻人", "实现了零代码打造APP的可能。"]
    ex = extract_claims(lines, ep)
    assert _claim_at(ex, 2).speakers == ["guo-mengchu"]  # a frame with the person's role in it
    assert _claim_at(ex, 8).speakers == ["guo-mengchu"]
    assert _claim_at(ex, 10).speakers == ["narrator"]
    lines[9] = "在这个过程中"  # the same process, still his point
    assert _claim_at(extract_claims(lines, ep), 10).speakers == ["guo-mengchu"]


@pytest.mark.parametrize("cue", [
    "鲍勃在对谈里引用了史蒂夫·乔布斯的一句名言",  # a quotation brought up: the person who brings it up speaks
    "首先鲍勃对所谓的Agent之年（the year of agents）的说法保持了一种审慎的态度",  # a glossed topic of an attitude
    "鲍勃在课程一开始就明确了一个核心观点",  # where: at the start of something
    "而鲍勃更是不止一次骄傲地对外表示",  # adverbs
    "鲍勃很不客气地批判了所谓的神经符号方法",  # a critique
    "鲍勃对这个过程的类比很有意思",  # an analogy
    "鲍勃开始讲两种智能最根本的不同",  # starting to tell
])
def test_a_quotation_a_glossed_topic_a_start_and_more_adverbs_reach_the_cue(cue):
    lines = ["大家好，这里是测试频道", "这是一个新的开始。", cue, "做任何一件事的方式就是做所有事的方式"]
    assert _cue_speakers(lines, _episode(_PANEL2), 3) == ["bob-guest"]


def test_an_example_given_about_something_is_a_cue_and_a_topic_line_before_a_cue_joins_its_claim():
    ep = _episode(_PANEL2)
    ex = extract_claims(["大家好，这里是测试频道", "芯片的产能一直紧张。", "聊到自动驾驶", "鲍勃拿一家标杆企业举了实例",
                         "它在模拟环境里跑了几百万英里", "但一遇到施工路段就出错。"], ep)
    claim = _claim_at(ex, 3)
    assert (claim.line_start, claim.line_end) == (3, 6)  # 聊到… needs what follows: the cue's claim
    assert claim.speakers == ["bob-guest"] and claim.cue_line == 4


def test_a_view_still_held_is_a_cue_and_a_name_after_shi_is_who_a_later_pronoun_means():
    ep = _episode(_PANEL2)
    ex = extract_claims(["大家好，这里是测试频道", "与艾米的激进形成鲜明对比的", "是鲍勃的稳健", "他依然坚持去年的判断",
                         "认为五年内会出现AGI。"], ep)
    claim = _claim_at(ex, 4)
    assert claim.speakers == ["bob-guest"] and claim.attribution == "cue" and claim.line_start == 4
    assert _cue_speakers(["大家好，这里是测试频道", "芯片的产能一直紧张。", "鲍勃仍然认为产能会好转。"], ep, 3) == ["bob-guest"]


def test_a_group_or_plural_pronoun_reaches_its_verb_over_where_and_a_shared_view_is_reported():
    from app.ingest.attribute import build_people, find_cue
    ep = _episode(_PANEL2)
    people = build_people(ep, load_lexicon())
    both = {"amy-host", "bob-guest"}
    cue = find_cue(norm("但是他们在一个核心观点上达成了共识"), people, ["amy-host", "bob-guest"], mentions=())
    assert cue is not None and set(cue.speakers) == both
    cue = find_cue(norm("三人在访谈中一致认为"), people, None, mentions=())
    assert cue is not None and set(cue.speakers) == both
    cue = find_cue(norm("关于退场路径三人倒是形成了共识"), people, None, mentions=())
    assert cue is not None and set(cue.speakers) == both
    ex = extract_claims(["大家好，这里是测试频道", "微软CEO鲍勃大谈AI在医疗领域的突破", "比如加速新药的研发。"], ep)
    assert _claim_at(ex, 2).speakers == ["bob-guest"]


def test_the_narrator_judging_the_point_just_made_ends_it():
    lines = ["鲍勃认为软件的市场规模会扩大十倍", "因为AI让软件可以直接替代人工的预算", "企业的付费意愿会大幅提升。",
             "这个洞察其实非常深刻", "传统软件市场的规模一直受限于企业愿意支付的金额"]
    ex = extract_claims(lines, _episode(_PANEL2))
    assert _claim_at(ex, 1).speakers == ["bob-guest"]
    assert _claim_at(ex, 4).speakers == ["narrator"]


def test_scientific_discovery_and_the_edge_of_human_knowledge_are_the_long_term_future():
    assert _themes("这类模型的终极产物是推动科学发现的新知识") == ["agi"]
    assert "agi" in _themes("向人类认知的边界发起冲击，拓展认知边界")


def test_revealing_something_is_reporting_it():
    ep = _episode(_PANEL2)
    assert _cue_speakers(["大家好，这里是测试频道", "芯片的产能一直紧张。", "鲍勃在对话中揭露这些系统完全依赖高精度地图"],
                         ep, 3) == ["bob-guest"]


def test_a_line_announcing_the_words_said_keeps_them_in_its_claim():
    ep = _episode(_PANEL2)
    lines = ["大家好，这里是测试频道", "芯片的产能一直紧张。", "鲍勃的观点比艾米还要激进", "他补充了一句非常重要的话", "在AI领域",
             "十年相当于其他行业的一个世纪", "甚至一个千年", "2017年确实有先发优势", "但世界早就天翻地覆了",
             "政府的反应就像在掩耳盗铃", "盼着这股浪潮自己消失", "但是这东西绝对不会消失"]
    claim = _claim_at(extract_claims(lines, ep), 5)
    assert claim.line_start == 3 and claim.speakers == ["bob-guest"]  # 在AI领域 goes on with the words
    assert _cue_speakers(["大家好，这里是测试频道", "芯片的产能一直紧张。", "鲍勃给出的方案非常彻底", "就是翻转课堂"], ep, 3) \
        == ["bob-guest"]


def test_saying_it_with_a_smile_or_half_in_jest_is_reporting_and_so_is_an_answer_or_argument():
    ep = _episode(_PANEL2)
    for line in ("鲍勃笑着说出了自己的决定", "他半开玩笑说如果每个人都这样就天下太平了", "鲍勃的答案非常明确",
                 "鲍勃的论点非常直接，他说每个GPU都被点亮了"):
        lines = ["大家好，这里是测试频道", "鲍勃是一位工程师。", "芯片的产能一直紧张。", line]
        assert _cue_speakers(lines, ep, 4) == ["bob-guest"], line


def test_she_is_not_a_man_the_text_calls_he():
    ep = _episode(_PANEL2)
    lines = ["大家好，这里是测试频道", "鲍勃说他的团队很小。", "鲍勃认为他会继续做芯片。", "访谈接着聊到了安全问题。",
             "她提到了霍金当年的警告", "制造更聪明的机器可能是人类的终结。"]
    claim = _claim_at(extract_claims(lines, ep), 5)
    assert claim.speakers != ["bob-guest"]  # the text calls Bob 他: 她 is someone else
    lines[4] = "他提到了霍金当年的警告"
    assert _cue_speakers(lines, ep, 5) == ["bob-guest"]
