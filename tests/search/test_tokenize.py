"""The one tokenizer: compounds, names kept whole, case, hyphens, traditional script, spans."""
from app.text.tokenize import index_text, segment, tokens


def test_compound_words_index_their_parts():
    for text in ("推理成本", "计算成本下降", "低成本方案"):
        assert "成本" in segment(text), text


def test_post_training_is_one_word_and_still_finds_training():
    toks = segment("后训练阶段")
    assert "后训练" in toks and "训练" in toks


def test_english_is_case_insensitive_and_survives_hyphens():
    for spelling in ("DeepSeek-R1", "deepseek r1", "DEEPSEEK R1", "DeepSeekR1"):
        assert "deepseekr1" in segment(spelling), spelling
    assert {"deepseek", "r1"} <= set(segment("DeepSeek-R1"))


def test_multi_word_names_stay_whole():
    toks = tokens("用Claude Code写代码")
    names = [t for t in toks if t.alias == "claude-code"]
    assert [t.text for t in names] == ["claudecode"]


def test_traditional_folds_to_simplified():
    assert segment("後訓練") == segment("后训练")
    assert "通义千问" in segment("通義千問")


def test_spans_point_into_the_original_text():
    text = "ＡＩ公司Nvidia與英偉達"
    for t in tokens(text):
        assert t.end > t.start
    spans = {text[t.start:t.end] for t in tokens(text)}
    assert "Nvidia" in spans and "英偉達" in spans and "ＡＩ" in spans


def test_spoken_numbers_also_index_as_digits():
    assert "996" in segment("九九六文化正在变得普遍")


def test_index_text_has_only_word_characters():
    out = index_text("“DeepSeek-R1”，成本：$2/百万token！🚀")
    assert all(ch.isalnum() or ch == " " for ch in out)
