"""Tokenizer invariants: what search relies on, and the ingest fast path equal to the span path.

`index_text` / `index_texts` (ingest) build the FTS text without spans; `tokens` (search and
highlighting) keeps every span. Both must give the same tokens in the same order.
"""
from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings, strategies as st

from app.text import tokenize as T
from app.text.tokenize import alias_table, fold, fold_with_offsets, index_text, index_texts, segment, tokens


def span_path(text: str) -> str:
    return " ".join(t.text for t in tokens(text))


# ---------------------------------------------------------------- what search relies on

def test_compounds_give_their_parts():
    for text in ("推理成本", "计算成本下降", "低成本方案"):
        assert "成本" in segment(text), text
        assert "成本" in index_text(text).split(), text
    assert {"后训练", "训练"} <= set(index_text("后训练阶段").split())


def test_hyphens_and_case_fold_alike():
    spellings = ("DeepSeek-R1", "deepseek r1", "DEEPSEEK R1", "ＤｅｅｐＳｅｅｋ－Ｒ１")
    for s in spellings:
        assert "deepseekr1" in index_text(s).split(), s
    assert {"deepseek", "r1"} <= set(index_text("DeepSeek-R1").split())


def test_traditional_input_indexes_as_simplified():
    assert index_text("後訓練") == index_text("后训练")
    assert index_text("通義千問的推理成本") == index_text("通义千问的推理成本")


def test_spoken_numbers_index_as_digits_in_span_order():
    text = "九九六文化和二零二七年的计划"
    assert "996" in index_text(text).split() and "2027" in index_text(text).split()
    assert index_text(text) == span_path(text)


def test_offsets_map_back_to_the_original_text():
    text = "ＡＩ公司Nvidia與英偉達…用Claude Code写ﬁne-tuning代码，九九六"
    for t in tokens(text):
        assert 0 <= t.start < t.end <= len(text)
        original = text[t.start:t.end]
        if t.text.isdigit() and not original.isascii():
            continue  # a spoken number: 九九六 → 996
        assert t.text in "".join(T._RUN.findall(fold(original))), (t, original)
    spans = {text[t.start:t.end] for t in tokens(text)}
    assert {"Nvidia", "英偉達", "ＡＩ"} <= spans


def test_fold_with_offsets_points_each_folded_character_at_its_source():
    for text in ("ＡＢＣ后训练", "ﬁ…ﬂ①㍻Σ", "e\u0301cole", "𠀀通義"):
        folded, offsets = fold_with_offsets(text)
        assert folded == "".join(T._fold_char(ch) for ch in text)
        assert (folded, offsets) == T._fold_with_offsets_loop(text)


# ---------------------------------------------------------------- fold: table == definition

def test_fold_equals_the_per_character_definition_over_the_whole_bmp():
    """Every BMP character (and a sample of astral ones) folds as `_fold_char` says; none folds
    to nothing, so equal lengths mean identity offsets."""
    chars = [chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF]
    chars += [chr(cp) for cp in range(0x10000, 0x30000, 97)]
    bad = [ch for ch in chars if fold(ch) != T._fold_char(ch)]
    assert not bad, [hex(ord(c)) for c in bad[:20]]
    assert all(T._fold_char(ch) for ch in chars)
    for ch in chars[::7]:  # in context too: whole-string lower() must not differ (final sigma)
        s = f"AΣ{ch}Σb"
        assert fold(s) == "".join(T._fold_char(c) for c in s)


# ---------------------------------------------------------------- fast path == span path

CORPUS_LIKE = [
    "兰伯特提到DeepSeek R1的推理成本只有GPT-4的三十分之一",
    "他认为用Claude Code写代码的效率，比Cursor高了不少……",
    "在黄仁勋看来，英伟达的GPU在二零二七年之前不会被取代",
    "OpenAI o1和o3 mini在数学上表现都很好；Meta Llama 3.1 405B也不差",
    "通義千問、DeepSeek-V3、Gemini 2.5 Pro 的長上下文能力",
    "九九六的工作制度 和 零零后 的看法",
    "“AGI 时间线”？　ＡＩ　公司！",
    "",
    "   ",
    "a\nb\r\nc",
]


def test_fast_path_equals_span_path_on_corpus_like_lines():
    for text in CORPUS_LIKE:
        assert index_text(text) == span_path(text), text
    assert index_texts(CORPUS_LIKE) == [span_path(t) for t in CORPUS_LIKE]


def test_names_of_the_alias_table_stay_whole_on_both_paths():
    names = [" ".join(seq) for seq in list(alias_table())[:300]]
    for name in names:
        text = f"我们聊到{name}的成本"
        assert index_text(text) == span_path(text), name
    assert index_texts([f"{n}很强" for n in names]) == [span_path(f"{n}很强") for n in names]


_ALPHABET = (
    "的了是在我有和人这中大为上个国说们到来时要就出会也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方"
    "多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第"
    "成本训练模型推理芯片数据中心开源后训练强化学习英伟达谷歌微软苹果"
    "後訓練通義千問英偉達開源時間線長上下文數據中國"
    "〇零一二三四五六七八九十百千万"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "ＡＢＣａｂｃ０１２３，。！？：；“”‘’（）《》、…—·"
    " \t\n\r-_.+#&%/:'\"()[]{}*^$@!?,;|\\~`<>="
    "ﬁﬂ①②Ⅻ㍻㎏ÀÉÎõüßẞİΣσς\u0301\u200b\ufeff\u3000"
    "\U00020000\U0001f680\U0002a6a5"
)
_pieces = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=12),
    st.sampled_from(["Claude Code", "DeepSeek R1", "deepseek-r1", "GPT-4o mini", "Gemini 3.1 Pro", "Meta Llama",
                     "OpenAI o1", "通义千问", "Open AI", "九九六", "二零二七年", "Qwen", "R1", "claude", "code"]),
)
texts = st.lists(_pieces, max_size=8).map("".join)


def test_batch_names_drop_their_parts_sub_words_and_numbered_texts_go_alone():
    """In a batch: a name whose part has sub-words (超级智能实验室) keeps only the part; a text with a
    spoken number, taken out of the batch, keeps its place."""
    batch = ["Meta 超级智能实验室的低成本方案", "二零二七年 OpenAI 的推理成本", "后训练阶段", "谷歌 DeepMind"]
    out = index_texts(batch)
    assert out == [span_path(t) for t in batch]
    assert out[0].startswith("meta 超级智能实验室 meta超级智能实验室 的")
    assert "2027" in out[1].split() and "训练" in out[2].split()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example("Claude\nCode")
@example("九九六\r\nClaude Code")
@example("ＡＩ…二零二七Σ")
def test_fast_path_equals_span_path(text):
    assert index_text(text) == span_path(text)
    assert fold(text) == "".join(T._fold_char(ch) for ch in text)
    assert fold_with_offsets(text) == T._fold_with_offsets_loop(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, max_size=12))
def test_batched_index_equals_one_by_one(batch):
    assert index_texts(batch) == [index_text(t) for t in batch]


def test_index_caches_stay_bounded(monkeypatch):
    monkeypatch.setattr(T, "_INDEX_CACHE_MAX", 50)
    words = [f"词{i}号" for i in range(200)] + [f"第{i}号 九九六" for i in range(100)]  # both paths
    before = [span_path(w) for w in words]
    assert [index_text(w) for w in words] == before
    assert index_texts(words) == before
    assert index_text("再来一次") == span_path("再来一次")  # a call starts by clearing caches over the bound
    assert len(T._segmenter()._word_index) <= 50
    seg = T._segmenter()
    assert all(len(c) <= 50 for c in (seg._word_index, seg._run_index, seg._word_runs, seg._run_subs))
