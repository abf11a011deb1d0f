"""Speaker ids of people the lexicon lacks: pinyin for Chinese names, English names for
transliterated ones, and the discovery of Chinese names in the text."""
from __future__ import annotations

from app.ingest.extract import extract_claims
from app.ingest.people import chinese_names
from app.ingest.romanize import chinese_id, chinese_name_id, closest_name, translit_id
from app.ingest.types import EpisodeInfo
from app.lexicon import load_lexicon, norm


def test_chinese_names_read_in_pinyin_family_name_first():
    lex = load_lexicon()
    assert chinese_name_id("唐杰", lex) == "tang-jie"
    assert chinese_name_id("林俊旸", lex) == "lin-junyang"
    assert chinese_name_id("曾鸣", lex) == "zeng-ming"  # a family name's own reading, not ceng
    assert chinese_name_id("欧阳娜娜", lex) == "ouyang-nana"  # a two-character family name


def test_a_manifest_spelling_wins_for_a_chinese_name():
    lex = load_lexicon()
    assert chinese_id("唐杰", lex, ["Jie Tang", "Max Hodak"]) == ("jie-tang", "Jie Tang")
    assert chinese_id("唐杰", lex, ["Max Hodak"])[0] == "tang-jie"


def test_transliterated_names_take_the_closest_known_english_name():
    lex = load_lexicon()
    assert translit_id("兰伯特·史密斯", lex, ["Nathan Lambert", "Lambert Smith"])[0] == "lambert-smith"
    assert translit_id("麦克斯·霍达克", lex, [])[0] == "max-hodak"  # a guess from the tables
    assert translit_id("杰里米·霍华德", lex, [])[0] == "jeremy-howard"  # common names, known
    assert translit_id("贾里德·弗里德曼", lex, [])[0].startswith("jared-")  # not jarid
    assert translit_id("伊桑·莫利克", lex, [])[0].startswith("ethan-")
    assert translit_id("克里斯蒂亚诺·阿蒙", lex, [])[0] == "cristiano-amon"
    assert closest_name("tang jie", ["Max Hodak"], cutoff=0.85) is None


def test_common_first_and_family_names_the_spelling_table_gets_wrong_are_known():
    lex = load_lexicon()
    assert translit_id("戴夫·克拉克", lex, [])[0] == "dave-clark"  # not daif-clark
    assert translit_id("戈登·摩尔", lex, [])[0] == "gordon-moore"  # not gordon-mor
    assert translit_id("米娅·格莱斯", lex, [])[0].startswith("mia-")  # not miya
    assert translit_id("大卫·乔治", lex, [])[0] == "david-george"  # a first name as a family name


def test_a_chinese_name_after_a_role_of_the_roles_list_is_found():
    from app.ingest.people import discover_people
    lines = ["大家好，这里是最佳拍档", "视频的主角是加拿大华裔学者江学勤", "今天我们就来聊聊"] + ["中东的局势要从头讲起"] * 3 + \
        ["江学勤在节目中提到了一个关键细节", "这里的数据中心会成为目标", "江学勤的第三个预测是油价上涨"]
    ep = discover_people(lines, load_lexicon(), EpisodeInfo(id="j", file="j.txt", from_manifest=False))
    assert "jiang-xueqin" in [p.id for p in ep.people]


def _texts(lines):
    return [norm(x) for x in lines]


def test_chinese_names_are_found_by_a_title_a_verb_or_a_role():
    lex = load_lexicon()
    lines = ["主持人是某科技公司的CEO李广密", "某实验室的创始人周明教授分享了他的看法", "刘洋院士认为联邦学习很重要",
             "李广密问到", "周明认为", "刘洋补充说"]
    found = {name: host for name, _, host in chinese_names(_texts(lines), lex)}
    assert found == {"李广密": True, "周明": False, "刘洋": False}


def test_words_and_pieces_of_foreign_names_are_no_chinese_names():
    lex = load_lexicon()
    lines = ["美国方面表示", "美国方面表示", "金融分析认为", "金融分析认为", "工程师认为", "工程师认为",
             "马克·扎克伯格表示", "马克表示", "哥白尼认为", "哥白尼认为", "高级副总裁", "高级副总裁"]
    assert chinese_names(_texts(lines), lex) == []


def test_a_chinese_panel_attributes_claims_to_pinyin_ids():
    lines = ["大家好，这里是最佳拍档", "今天这场圆桌对话", "嘉宾有智谱的创始人唐杰", "还有香港科技大学的杨强院士"] + \
            ["填充的叙述内容"] * 30 + ["唐杰认为", "开源模型会越来越强", "杨强则表示", "联邦学习能保护隐私"]
    ex = extract_claims(lines, EpisodeInfo(id="u", file="u.txt", from_manifest=False))
    by_text = {c.text: c.speakers for c in ex.claims}
    assert by_text["唐杰认为开源模型会越来越强"] == ["tang-jie"]
    assert by_text["杨强则表示联邦学习能保护隐私"] == ["yang-qiang"]
