"""Who says it: cue detection (names + reporting verbs, frames, pronouns, group references)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from app.ingest.types import EpisodeInfo, Person
from app.lexicon import AliasMatcher, Lexicon, alternation, norm


def _alt(words) -> str:
    return alternation(norm(str(w)) for w in words)


# where or when, between a name or a pronoun and its verb (在CNBC的采访中, 在经过多轮验证后)
_WHERE = r"在[^，,。：:\s]{1,12}?(?:中|上|时|后|之后|期间|里|一开始|开头|结尾)"
# the angle a point is made from (则从行业发展的角度分析了, 从三个层面回答)
_ANGLE = r"从[^，,。：:\s]{1,14}?(?:角度|视角|层面|立场)(?:出发)?"
# an adverbial written with 的 for 地, before a verb of speech (毫不避讳的说, 非常坦诚的表示)
_DE_ADVERB = r"[^，,。：:\s的]{2,6}的(?=说|表示|指出|回答|坦言|承认|强调|回应|补充)"
# a verb before 的 and a demonstrative qualifies a noun (要理解陶哲轩说的这场新危机): no report
# (他说的是…, 就像罗吉尔说的…, 罗吉尔观察到的一个变化 still are)
# …nor does 以 of a word (除了卡帕西以外, 自2023年以来)
_NOT_ATTRIBUTIVE = r"(?!的[这那])(?!(?<=以)[外来后前上下及便至免致此])"
# a name's gloss in Latin letters (妮可·布里托娃（Nicole Brichtova）在专访里提到)
_GLOSS = r"[(（][a-z][a-z .'\-]{1,40}[)）]"
# 对(于)X: the topic before a verb of attitude, perhaps glossed (对所谓的Agent之年（the year of agents）的说法)
_TOWARD = r"对于?(?:[^，,。：:（(]|[（(][^，,。）)]{1,40}[）)]){1,20}?"
_WEAK_VERBS = {"则是", "也是", "还是"}  # verbs of the cue list that also join two nouns
_BARE_NAME = re.compile(r"\s*(?:[:：，,]|$)")  # a name alone on its line, or before a colon
_APPOSITION = re.compile(r"\s*(?:作为|身为|曾任|曾担任)")
_OTHER_GROUP = re.compile(r"(?:这|那|该)(?:家|个|支)[^，,。]{0,8}的$")


@dataclass
class Cue:
    speakers: list[str]
    kind: str  # name | frame | pronoun | group | question
    pos: int  # position in the normalised line


@dataclass
class People:
    """The speakers of one episode and the matcher of their surface forms."""

    persons: dict[str, Person]
    host_ids: list[str]
    guest_ids: list[str]
    matcher: AliasMatcher
    rx: dict = field(default_factory=dict)
    presented: frozenset[str] = frozenset()  # EpisodeInfo.presented
    most_named: list[str] = field(default_factory=list)  # guest ids, the most often named first

    @property
    def all_ids(self) -> list[str]:
        return self.host_ids + self.guest_ids

    def pair(self) -> list[str]:
        """Who 两位 / 二人 stands for: the guests when there are two, else the two the preview
        presents, else the two most named."""
        if len(self.guest_ids) <= 2:
            return list(self.guest_ids)
        shown = [p for p in self.all_ids if p in self.presented]
        if len(shown) == 2:  # the two the preview presents (尼尔森与帕特尔进行了一场对谈), not people of the story
            return shown
        top = (self.most_named or self.guest_ids)[:2]
        return [g for g in self.guest_ids if g in top]


@lru_cache(maxsize=4)
def _cue_rx(lex_id: int, lex: Lexicon) -> dict:
    """The cue patterns of the lexicon (the same for every episode), compiled once."""
    c = lex.cues
    adv = _alt(c.get("verb_adverbs") or [])
    patterns = [str(p) for p in c.get("verb_patterns") or []]  # 把…比作: an object between the name and the verb

    def with_patterns(words) -> str:
        return "(?:" + "|".join([_alt(words), *patterns]) + ")" if patterns else _alt(words)

    verbs = with_patterns(c.get("reporting_verbs") or [])
    # after a pronoun, 则是 / 也是 / 还是 join two nouns (他还是DFJ的联合创始人): no report
    strong = with_patterns(v for v in c.get("reporting_verbs") or [] if str(v) not in _WEAK_VERBS)
    return {
        # adverbs, an adverbial 地 phrase (非常直白地), an addressee (对他) or where / when (在CNBC的采访中)
        # may come between
        "after_verb": re.compile(f"(?:{adv}|[，,\\s]|[^，,。：:\\s]{{1,6}}地|{_DE_ADVERB}|对(?:他|她|我们|他们|大家|记者|主持人)"
                                 f"|{_WHERE}|{_ANGLE})*{verbs}{_NOT_ATTRIBUTIVE}"),
        # a guest the intro presents may reach the verb over their gloss too
        "after_gloss": re.compile(f"{_GLOSS}(?:{adv}|[，,\\s]|{_WHERE})*{verbs}{_NOT_ATTRIBUTIVE}"),
        # at the start of a line a name may reach its verb over a few other words (迪伦接下来提到了…)
        # …or over the topic of an attitude (Karpathy 对当前所谓的Agent之年提出了质疑)
        "near_verb": re.compile(f"\\s*(?:(?:{adv})*{_TOWARD}|[^，,。：:\\s]{{0,8}}?){with_patterns(v for v in c.get('reporting_verbs') or [] if len(str(v)) >= 2 and str(v) not in _WEAK_VERBS)}{_NOT_ATTRIBUTIVE}"),
        # a line opening with a reporting verb (…李飞飞亲自撰文 | 认为…): its subject ended the line before
        "verb_start": re.compile(f"(?:{adv})*{strong}"),
        "after_q": re.compile(f"(?:{adv}|[，,\\s])*{_alt(c.get('question_verbs') or [])}"),
        # a name with only adverbs after it (马斯克在访谈中 | 描绘了…): its verb is on the next line
        "adverbs_only": re.compile(f"(?:{adv}|[，,\\s])+$"),
        "lead": re.compile(r"^(?:而|但|但是|不过|同时|此外|另外|因此|所以|对此|随后|然后|接着|其中|当然|最后|首先|其次|[，,\s])*$"),
        "obj_before": re.compile(_alt(c.get("object_markers") or []) + "$"),
        # a title just before a name (拾象科技的CEO李广密): the name stands in apposition, not as an object
        "title_before": re.compile(_alt(lex.discovery.get("chinese_name_leads") or []) + "$"),
        # …perhaps with the person's role between (在创始人郭孟初看来, 据OpenAI的首席科学家X透露)
        "frame_before": re.compile(_alt(c.get("frame_before") or [])
                                   + f"(?:[^，,。：:]{{0,10}}?{_alt(lex.discovery.get('chinese_name_leads') or [])})?$"),
        "frame_after": re.compile(r"^(?:自己)?(?:的)?(?:原|来)?" + _alt(c.get("frame_after") or [])),
        "pron1": re.compile(f"^(?:{_alt(['而', '但', '但是', '不过', '同时', '此外', '另外', '因此', '所以', '对此', '随后', '接着', '最后', '首先', '其次', '相反', '反之', '事实上', '其实', '当时', '后来', '于是', '那时', '这时', '此时', '最终', '然后', '结果'])}|[，,\\s])*{_alt(c.get('pronouns_single') or [])}(?!们)(?:{adv}|[，,\\s]|{_WHERE})*(?:{_TOWARD})?{strong}"),
        # a frame around a pronoun at the line start (在他看来, 用他自己的话说, 据她透露)
        "pron_frame": re.compile(f"^(?:{_alt(['而', '但', '但是', '不过', '同时', '此外', '另外', '因此', '所以', '最后', '其实'])}|[，,\\s])*"
                                 f"(?:在|据|用|按照|正如|如|照)(?:{_alt(c.get('pronouns_single') or [])})(?!们)"
                                 r"(?:自己)?(?:的)?(?:原|来)?(?:看来|透露|介绍|所说|所言|估计|回忆|话(?:来)?说|说法|观点|逻辑|眼中|眼里)"),
        "pronN": re.compile(f"^(?:{_alt(['而', '但', '但是', '不过', '同时', '此外', '另外', '因此', '所以', '对此', '随后', '接着', '最后', '相反', '反之', '事实上', '其实'])}|[，,\\s])*{_alt(c.get('pronouns_group') or [])}(?:{adv}|[，,\\s]|{_WHERE})*{strong}"),
        "g_guest": re.compile(_alt(c.get("groups_guests") or []) + f"(?:{adv}|{_WHERE})*(?:{_alt(c.get('group_followers') or [])}|{verbs})"),
        "group_words": [norm(str(w)) for w in (c.get("groups_guests") or []) + (c.get("groups_all") or []) if str(w)],
        "pronoun_words": [norm(str(w)) for w in (c.get("pronouns_single") or []) + (c.get("pronouns_group") or []) if str(w)],
        "g_all": re.compile(_alt(c.get("groups_all") or []) + f"(?:{adv}|{_WHERE})*(?:{_alt(c.get('group_followers') or [])}|{verbs})"),
    }


def build_people(episode: EpisodeInfo, lex: Lexicon) -> People:
    persons: dict[str, Person] = {}
    mapping: dict[str, str] = {}
    host_ids, guest_ids = [], []
    for p in episode.people:
        if p is None:
            continue
        persons[p.id] = p
        (host_ids if p.role == "host" else guest_ids).append(p.id)
        for a in [p.name] + list(p.aliases):
            k = norm(a).strip()
            if len(k) >= 2:
                mapping.setdefault(k, p.id)
                if " " in k:
                    mapping.setdefault(k.replace(" ", ""), p.id)
    if len(host_ids) == 1:  # 主持人 stands for the one host (主持人直接抛出了一个事实)
        for w in lex.cues.get("host_words") or []:
            mapping.setdefault(norm(str(w)), host_ids[0])
    people = People(persons, host_ids, guest_ids, AliasMatcher(mapping), presented=frozenset(episode.presented))
    people.rx = _cue_rx(id(lex), lex)
    return people


def find_cue(nline: str, people: People, last_named: list[str] | None, window: int = 14,
             mentions: list | None = None, group: bool = True, pronoun: bool = True) -> Cue | None:
    """The attribution cue of one normalised line, if any. mentions: people.matcher.find(nline)
    when already known; group / pronoun False: the line holds no group word / no pronoun."""
    rx = people.rx
    if not nline:
        return None
    if mentions is None:
        mentions = people.matcher.find(nline)
    subj: list[str] = []
    first_pos = None
    prev_end = -10
    prev_subject = False
    for s, e, key, pid in mentions:
        before = nline[:s]
        after = nline[e:]
        coord = prev_subject and re.fullmatch(r"\s*(?:和|与|、|以及|及|跟)\s*", nline[prev_end:s] or "x") is not None
        if rx["after_q"].match(after) and not rx["after_verb"].match(after):
            return Cue([pid], "question", s)
        is_frame = rx["frame_before"].search(before) and rx["frame_after"].match(after)
        if rx["obj_before"].search(before) and not coord and not is_frame:
            prev_end, prev_subject = e, False
            continue
        ok = bool(is_frame) or coord or bool(rx["after_verb"].match(after)) or (
            pid in people.presented and rx["after_gloss"].match(after) is not None) or (
            s <= 3 and rx["lead"].match(before) is not None
            and (_BARE_NAME.match(after) is not None or rx["near_verb"].match(after) is not None
                 or rx["adverbs_only"].match(after) is not None)
        )
        if ok and not is_frame and not coord and _APPOSITION.match(after):
            ok = False  # 卡帕西作为前特斯拉AI总监…: the narrator describes the person
        if ok:
            if pid not in subj:
                subj.append(pid)
            if first_pos is None:
                first_pos = s
            prev_end, prev_subject = e, True
        else:
            prev_end, prev_subject = e, False
    if subj:
        return Cue(subj, "name", first_pos or 0)
    if people.guest_ids and group:
        m = rx["g_all"].search(nline)
        if m and people.host_ids:
            return Cue(people.host_ids + people.guest_ids, "group", m.start())
        m = rx["g_guest"].search(nline) or (m if m and not people.host_ids else None)
        if m and _OTHER_GROUP.search(nline, 0, m.start()):
            m = None  # 这家公司的两位创始人: the founders of something the narration turns to
        if m:
            two = m.group().startswith(("两", "二"))
            return Cue(people.pair() if two else list(people.guest_ids), "group", m.start())
    if not pronoun or not last_named:
        return None
    m = rx["pronN"].match(nline)
    if m and last_named and len(last_named) > 1:
        return Cue(list(last_named), "pronoun", 0)
    if m and len(people.all_ids) == 2:  # 他们 / 二人 in an episode of two people: both of them
        return Cue(list(people.all_ids), "pronoun", 0)
    if m and len(people.guest_ids) > 2 and (last_named[0] in people.pair()
                                            or m.group().lstrip("，, ").startswith(("二人", "两人"))):
        return Cue(people.pair(), "pronoun", 0)  # the two most named guests, one just named
    m = rx["pron1"].match(nline) or rx["pron_frame"].match(nline)
    if m and last_named and len(last_named) == 1:
        if mentions and any(h[3] == last_named[0] and h[0] >= m.end() for h in mentions):
            return None  # 他发现自己懂的比索罗斯还多: 他 is not the person the line names after it
        return Cue(list(last_named), "pronoun", 0)
    return None


def mentioned(nline: str, people: People) -> list[str]:
    return [pid for _, _, _, pid in people.matcher.find(nline)]
