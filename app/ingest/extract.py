"""Transcript lines → claims (spans, speakers, entities, themes, stance, kind).

Pure rules over the data files of data/lexicon/ (see app/lexicon.py); no I/O besides
loading those once. Never raises on odd input.

The transcript is read as units: its lines, a very long line (a whole transcript on one
line) cut into sentences (app/ingest/scan.py `split_line`). Every matcher and cue pattern
runs once over the document of all units (scan.py); segmentation, attribution and the
classifiers then read those per-unit results. A claim covers consecutive units: its line
numbers are those of the file lines holding them, its text their exact original text.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import accumulate

from app.ingest.attribute import build_people, find_cue
from app.ingest.docclass import ClaimLabels
from app.ingest.discover import glossed_surnames, latin_by_unit, latin_counts
from app.ingest.people import discover_people, person_forms
from app.ingest.fields import MAX_LINE, Unit, claim_entities, entity_led
from app.ingest.scan import (LINE_GROUPS, LONG_LINE, MultiMatcher, by_line, line_patterns, scanner, sift,
                             split_line, text_searches)
from app.ingest.segment import TOPIC_OPENING, segment
from app.ingest.types import ClaimDraft, EpisodeInfo, Extraction, Person
from app.lexicon import Lexicon, load_lexicon, norm, norm_lines, words_rx

CARRY_CLAIMS = 4  # how many claims after a cue may carry its speaker
CARRY_LINES = 14
OWNER_LINES = 8  # an owner named this soon after a cue does not take the speaker's pronouns

@lru_cache(maxsize=4)
def _seg_rx(lex_id: int, lex: Lexicon) -> dict:
    c = lex.cues

    def comp(key: str) -> tuple[re.Pattern, ...]:
        return text_searches([str(p) for p in c.get(key) or []])

    def words(keys) -> re.Pattern | None:
        return words_rx(w for k in keys for w in c.get(k) or [])

    out = dict(line_patterns(lex))
    out.update({
        "q_start": comp("question_starts"),
        "q_stop": comp("question_stops"),
        "intro_end": comp("intro_end"),
        "body_start": comp("body_start"),
        "announce": comp("announcements"),
        "intro_tail": comp("intro_tail"),
        "outro": comp("outro_start"),
        "group_words": words(["groups_guests", "groups_all"]),
        "pronoun_words": words(["pronouns_single", "pronouns_group"]),
        "name_compounds": tuple(sorted({norm(str(w)) for w in c.get("name_compounds") or [] if str(w)})),
        "weak_min": int(c.get("weak_min_lines", 3)),
        "intro_max": int(c.get("intro_max_lines", 45)),
        "outro_max": int(c.get("outro_max_lines", 40)),
    })
    return out


def _m(searches: tuple[re.Pattern, ...], s: str) -> bool:
    """Whether s holds a match of one of the searches (scan.text_searches)."""
    return any(rx.search(s) for rx in searches)


def _intro_outro(lines: list[Unit], rx: dict, channel: set[int]) -> tuple[int, int]:
    """(first content index, index after the last content line)."""
    total = len(lines)
    start = 0
    lim = min(total, rx["intro_max"])
    if total >= 8:
        lim = min(lim, max(3, total // 3))
        for i in range(lim):
            if _m(rx["intro_end"], lines[i].n) and not lines[i].cue:
                start = i + 1
            elif _m(rx["body_start"], lines[i].n):
                start = i  # 对话一开始 | Garry Tan就抛出了…: what came before previewed the talk
        # the intro's tail: channel talk or a line finishing the announcement
        while start < lim and start < total and (
            _m(rx["intro_tail"], lines[start].n) or start in channel or not lines[start].n.strip()
        ):
            start += 1
    end = total
    if total >= 8:
        lo = max(start, total - rx["outro_max"], total // 2)
        for i in range(lo, total):
            if _m(rx["outro"], lines[i].n):
                end = i
                break
    return start, end


def extract_claims(lines: list[str], episode: EpisodeInfo, lexicon: Lexicon | None = None,
                   long_line: int = LONG_LINE) -> Extraction:
    """Claims of one transcript (lines = the file's decoded lines, line n is lines[n-1])."""
    lex = lexicon or load_lexicon()
    try:
        return _extract(list(lines or []), episode, lex, long_line)
    except Exception:  # never raise on odd input: an empty extraction is the safe answer
        narrator = episode.narrator or Person(id="narrator", name="narrator", role="narrator")
        return Extraction(claims=[], speakers={"narrator": narrator}, entities={})


_ATTRIBUTIVE = re.compile(r"^\s*(?:的|之|关于)")
_SPOKEN_VERSION = re.compile(r"([A-Za-z])\s*([零一二三四五六七八九])点([零一二三四五六七八九])")
_DIGIT = {ch: str(i) for i, ch in enumerate("零一二三四五六七八九")}


def spoken_versions(lines: list[str]) -> list[str]:
    """Versions read out in Chinese after a Latin name, in digits (Opus 四点五 → Opus 4.5,
    Llama三点三 → Llama 3.3), so that the alias pass and discovery see the version. Only the
    texts the matchers read: a claim's text stays as written."""
    return [_SPOKEN_VERSION.sub(_spoken, x) if "点" in x else x for x in lines]


def _spoken(m: re.Match) -> str:
    return f"{m.group(1)} {_DIGIT[m.group(2)]}.{_DIGIT[m.group(3)]}"


def _question_openings(ns: list[str], questions: set[int], rx: dict, reach: int = 5) -> list[int]:
    """The lines before a question line that open the same question: a question of several
    subtitle lines (为什么像GPT的大语言模型 | 更新一代比一代快 | … | 始终只有几家公司在推进呢？) is
    a question from the line that opens it (question_starts in cues.yaml) to its end, unless a
    line between reads as an answer (question_stops)."""
    out: list[int] = []
    for j in sorted(questions):
        k = j - 1
        while k >= 0 and j - k <= reach and ns[k] and k not in questions and not _m(rx["q_stop"], ns[k]):
            if _m(rx["q_start"], ns[k]):
                out.extend(range(k, j))
                break
            k -= 1
    return out


def _year(date: str | None) -> int | None:
    """2025 of '2025-08-30' (None when the date is unknown or odd)."""
    m = re.match(r"\s*((?:19|20)\d\d)", str(date or ""))
    return int(m.group(1)) if m else None


def _subject_mention(n: str, s: int, e: int, prx: dict) -> bool:
    """A person named in the line as who it is about (然后是比尔·达利, 先从X说起), not as the
    owner or object of something (读辛顿的论文, 和X合作)."""
    if "他" in n[e:] or "她" in n[e:]:
        return False  # 扎克伯格的格局让他…: the 他 of the line is someone else, named before
    if n[:s].endswith("当") and n.rstrip("，, ").endswith(("时", "时候")):
        return False  # 当奥特曼开始谈论…时: a clause of time, not the subject of what follows
    if s <= 3 and (prx["lead"].match(n[:s]) or n[:s] in _IS_LEAD):
        return True  # a line opening with the name is about that person (李飞飞的顿悟时刻…, 是哈萨比斯的稳健)
    if not n[e:].strip() and not n[:s].rstrip().endswith(_TOPIC_BEFORE) and not prx["title_before"].search(n[:s]):
        return False  # 尤其是羡慕沃伦·巴菲特: a name ending its line after a verb is its object
    return not _ATTRIBUTIVE.match(n[e:]) and not prx["obj_before"].search(n[:s]) and not n[:s].endswith("像")


_SINGLE_PRONOUN = re.compile(r"[他她](?!们)")


def _gender_evidence(ns: list[str], ment_by: dict) -> Counter:
    """(person, 他 | 她) → lines where the person, the only one the line names, is followed in the
    line by that pronoun (迪伦认为他的团队…, 李飞飞说她…): how the text refers to them."""
    out: Counter = Counter()
    for i, ment in ment_by.items():
        if len({m[3] for m in ment}) == 1:
            pm = _SINGLE_PRONOUN.search(ns[i], ment[0][1])
            if pm:
                out[(ment[0][3], pm.group())] += 1
    return out


def _other_gender(pid: str, pronoun: str, gender: Counter) -> bool:
    """Whether the text refers to pid with the other pronoun, clearly (twice, and more often)."""
    other = gender[(pid, "她" if pronoun == "他" else "他")]
    return other >= 2 and other > gender[(pid, pronoun)]


def _other_bearers(hits: list, doc: str, lex: Lexicon, compounds: tuple[str, ...]) -> list:
    """The lexicon's hits less a person's name that names no one there: one that ends someone
    else's dotted name (纳瓦尔 of 马里奥·纳瓦尔（Mario Nawfal） is not Naval Ravikant, 纳瓦尔·拉维坎特,
    whose dotted names never end in ·纳瓦尔; 杰佛里·辛顿 of 杰弗里·辛顿 stays his), and one that forms a
    noun with what follows (图灵机, 哥德尔机, 摩尔定律: cues.yaml name_compounds)."""
    out = []
    for h in hits:
        s, e, _, eid = h
        if compounds and doc.startswith(compounds, e) and lex.entities[eid].type == "person":
            continue
        if s and doc[s - 1] == "·" and lex.entities[eid].type == "person":
            dotted = [norm(a) for a in person_forms(eid, lex) if "·" in a]
            if dotted and not any(a.endswith("·" + doc[s:e]) for a in dotted):
                continue
        out.append(h)
    return out


# a line whose subject is a person the text names only by role (但记者没有被这个证据说服)
_ROLE_SUBJECT = re.compile(r"^(?:而|但|但是|不过|随后|于是|这时)?[，,]?(?:这位|那位|该)?(?:记者|主持人|作者|分析师|调查者|研究者)"
                           r"(?!们)(?:[^的，,。]{0,4}?(?:没有|并没有|却|则|也|还|又|就|立刻|当即|随后|继续|开始))")
_IS_LEAD = ("是", "就是", "则是", "正是")
_TOPIC_BEFORE = ("是", "到", "由", "关于", "以及", "和", "与", "、", "的")
_SENTENCE_END = ("。", "！", "？", "!", "?", "；", ";", "，", ",", "：", ":")


def _lines_of(rx: re.Pattern | None, doc: str, starts: list[int]) -> set[int]:
    if rx is None:
        return set()
    from bisect import bisect_right
    return {bisect_right(starts, m.start()) - 1 for m in rx.finditer(doc)}


def _extract(raw_lines: list[str], episode: EpisodeInfo, lex: Lexicon, long_line: int) -> Extraction:
    rx = _seg_rx(id(lex), lex)
    raw_lines = ["" if l is None else str(l) for l in raw_lines]
    units: list[str] = []
    unit_line: list[int] = []
    add_unit, add_line = units.append, unit_line.append
    for i, r in enumerate(raw_lines):
        if len(r) <= long_line:  # split_line's answer: the line itself
            add_unit(r)
            add_line(i)
            continue
        for u in split_line(r, long_line):
            add_unit(u)
            add_line(i)
    cut = [u[:MAX_LINE] for u in units]
    normed = spoken_versions(norm_lines(cut))

    # ---------------------------------------------------------------- one scan of the document
    ns = [x.strip() for x in normed]
    doc = "\n".join(ns)
    starts = list(accumulate([len(x) + 1 for x in ns], initial=0))
    starts.pop()
    sc = scanner(lex).scan(doc)
    ent_by = by_line(_other_bearers(sc["ent"], doc, lex, rx["name_compounds"]), starts)
    short_by = by_line(sc["short"], starts)
    ctx = lex.context_rules
    if ctx:
        for i, hits in ent_by.items():
            if any(h[3] in ctx for h in hits):
                ent_by[i] = lex.apply_context(ns[i], hits)

    if not episode.from_manifest:
        episode = discover_people(units, lex, episode, normed, ent_by)
    people = build_people(episode, lex)
    narrator = episode.narrator or Person(id="narrator", name=episode.channel or "narrator", role="narrator")
    narrator = Person(id="narrator", name=narrator.name, aliases=list(narrator.aliases), role="narrator")
    # a name that forms a noun with what follows (洛伦兹变换, 摩尔定律) names no one there
    compounds = rx["name_compounds"]
    ment_by = by_line([h for h in MultiMatcher({"p": people.matcher.map}).scan(doc)["p"]
                       if not (compounds and doc.startswith(compounds, h[1]))], starts)
    named = Counter(h[3] for hits in ment_by.values() for h in hits)
    people.most_named = sorted(people.guest_ids, key=lambda g: -named[g])
    sifted = sift(sc["cue"], starts)
    flags = {k: rx[k].lines(doc, starts, ns, sifted) for k in LINE_GROUPS}
    groups = _lines_of(rx["group_words"], doc, starts) if people.guest_ids else set()
    prons = _lines_of(rx["pronoun_words"], doc, starts)

    L: list[Unit] = [Unit(i, u, n, ul) for i, (u, n, ul) in enumerate(zip(units, ns, unit_line))]
    for i, hits in ent_by.items():
        L[i].hits = hits
    for i, hits in short_by.items():
        L[i].short = hits
    for i in flags["question"]:
        L[i].question = bool(ns[i])
    if rx["q_start"]:
        for i in _question_openings(ns, flags["question"], rx):
            L[i].question = True
    # cues: only lines naming a person, holding a group word, or a pronoun can hold one
    last_named: list[str] | None = None
    last_named_at = last_cue_at = -100
    last_cue: list[str] = []
    rx_people = people.rx
    gender = _gender_evidence(ns, ment_by)
    for i in sorted(set(ment_by) | groups | prons):
        n = ns[i]
        if not n:
            continue
        ment = ment_by.get(i, ())
        near = last_named if i - last_named_at <= 20 else None
        if not ment and i not in groups and (near is None or i not in prons):
            continue
        cue = L[i].cue = find_cue(n, people, near, mentions=ment, group=i in groups, pronoun=i in prons)
        if cue and cue.kind == "pronoun" and len(cue.speakers) == 1:
            pid, pm = cue.speakers[0], _SINGLE_PRONOUN.search(n)
            if i + 1 < len(ns) and not n.endswith(_SENTENCE_END) \
                    and any(m[3] == pid for m in ment_by.get(i + 1, ())):
                # 他自己开玩笑说 | 当初去索罗斯那里…: 他 is not the person the sentence names next
                cue = L[i].cue = None
            elif pm and _other_gender(pid, pm.group(), gender):
                cue = L[i].cue = None  # 她提到… after 哈萨比斯…: 她 is not him; the narrator is safer
            elif any(_ROLE_SUBJECT.match(ns[j]) for j in range(max(last_named_at + 1, i - 2), i)):
                cue = L[i].cue = None  # 但记者没有被说服 | 他提出了…: 他 is the reporter, whom no name gives
        if cue and cue.kind == "name" and len(ment) == 1 and ment[0][1] - ment[0][0] >= len(n.rstrip("，,：:")) \
                and i and ns[i - 1].endswith(_SPOKEN_TO):
            cue = L[i].cue = None  # someone says: 达拉, … (the name it is said to, alone on its line)
        if cue is None and ment and ment[0][0] <= 3 and i + 1 < len(ns) and not n.endswith(_SENTENCE_END) \
                and (rx_people["verb_start"].match(ns[i + 1]) or "把" in n[ment[0][1]:]):
            # the name's verb opens the next line (李飞飞亲自撰文 | 认为…), or ends the 把 phrase the
            # line leaves open (俞浩把自己的决策逻辑 | 比作…): the two lines read as one
            joined = find_cue(n + ns[i + 1], people, near, group=False, pronoun=False)
            if joined is not None and joined.kind == "name" and joined.pos <= 3:
                cue = L[i].cue = joined
        if cue and cue.kind in ("name", "group", "question"):
            last_named, last_named_at, last_cue_at, last_cue = cue.speakers, i, i, cue.speakers
        elif cue and cue.kind == "pronoun":
            last_named_at = i
        elif ment:  # a person named as a subject without a cue is still who a later 他 stands for
            # an owner (扎克伯格的格局…) does not replace who spoke a few lines before
            subj = [m[3] for m in ment if _subject_mention(n, m[0], m[1], rx_people)
                    and not (n.startswith("的", m[1]) and i - last_cue_at < OWNER_LINES and m[3] not in last_cue)]
            if subj:
                last_named, last_named_at = list(dict.fromkeys(subj)), i

    start, end = _intro_outro(L, rx, flags["channel"])
    for ln in L[:start] + L[end:]:
        ln.excluded = True
    channel = flags["channel"]
    for ln in L[start:end]:
        if not ln.n or ln.idx in channel:
            ln.excluded = True
            # the narrator's talk about the video inside the content is a break too
            ln.break_line = bool(ln.n)

    spans = segment(L, start, end, flags, rx["weak_min"])

    # ---------------------------------------------------------------- attribution + fields
    claims: list[ClaimDraft] = []
    used_speakers: dict[str, Person] = {}
    used_entities: dict = {}
    spoken_raw = spoken_versions(raw_lines)
    counts = latin_counts(spoken_raw, lex)
    counts.named = {h[3] for h in sc["ent"]}
    skip = {norm(a) for p in people.persons.values() for a in [p.name] + list(p.aliases) if a.isascii()}
    # mostly the units are the lines themselves (no line split nor cut): read them once
    latin = latin_by_unit(spoken_raw if cut == raw_lines else spoken_versions(cut), lex, counts, skip)
    if "·" in doc and "(" in doc:  # later mentions by family name of people glossed in Latin
        glossed = glossed_surnames(doc, lex, counts, skip)
        if glossed:
            found = MultiMatcher({"g": {k: [v.id] for k, v in glossed.items()}}).scan(doc)["g"]
            defs = {v.id: v for v in glossed.values()}
            for i, hits in by_line(found, starts).items():
                latin.setdefault(i, []).extend({pid: defs[pid]} for h in hits for pid in h[3])
    carry: tuple[list[str], int, int] | None = None  # speakers, cue line idx, claims carried
    prev_themes: list[str] | None = None
    full_seen: set[str] = set()
    labels = ClaimLabels(doc, sc, lex, year=_year(episode.date))
    trans, voice, brk = rx["transition"], rx["voice"], flags["brk"]

    prev_end = start - 1
    for span in spans:
        lines_ = [L[i] for i in span]
        gap_from, prev_end = prev_end, span[-1]
        if lines_[0].cue and lines_[0].cue.kind == "question":
            carry = None
            continue
        a, b = starts[span[0]], starts[span[-1]] + len(ns[span[-1]])
        ntext = doc[a:b]
        if len(span) <= 3 and not any(l.cue for l in lines_) and (
                span[0] in flags["transition"] if len(span) == 1 else _m(trans.text_rx, ntext)):
            carry = None
            continue
        if len(span) == 1 and lines_[0].cue and _m(rx["announce"], ntext):
            carry = None  # 某人大概介绍了一下X: announces a part, asserts nothing
            continue
        cue_ln = next((l for l in lines_[:2] if l.cue and l.cue.kind != "question"), None)
        if cue_ln is not None and len(lines_) > 1 and cue_ln is lines_[1] and not (
            cue_ln.n.startswith("被") or TOPIC_OPENING.match(lines_[0].n) or len(lines_[0].n) <= 4
            or span[0] in flags["heading"] or span[0] in flags["lead"]
        ):
            cue_ln = None
        if cue_ln is not None:
            speakers, attribution, cue_line = list(cue_ln.cue.speakers), "cue", cue_ln.line + 1
            carry = (speakers, cue_ln.idx, 0, cue_line)
        else:
            in_voice = (any(i in flags["voice"] for i in span) if voice.any_line else _m(voice.text_rx, ntext))
            brk_ = (span[0] in brk or in_voice or any(i in flags["others"] for i in span[:2])
                    or entity_led(lines_[0], strict=True) or entity_led(lines_[0])
                    or any(L[j].break_line for j in range(gap_from + 1, span[0])))
            if carry and not brk_:  # another person as the subject (最后是杨立昆…): a new part
                brk_ = any(m[3] not in carry[0] and _subject_mention(L[i].n, m[0], m[1], rx_people)
                           for i in span[:2] for m in ment_by.get(i, ()))
            if carry and not brk_:  # the narration names the carried speaker as its subject (从政的马斯克
                # 与特朗普分道扬镳…): it tells of them, no longer tells their point; not at a cue of theirs
                brk_ = any(m[3] in carry[0] and not (L[i].cue and m[3] in L[i].cue.speakers)
                           and _subject_mention(L[i].n, m[0], m[1], rx_people)
                           for i in span for m in ment_by.get(i, ()))
            if carry and not brk_ and carry[2] < CARRY_CLAIMS and span[0] - carry[1] <= CARRY_LINES:
                speakers, attribution, cue_line = list(carry[0]), "carried", carry[3]
                carry = (carry[0], carry[1], carry[2] + 1, carry[3])
            else:
                speakers, attribution, cue_line = ["narrator"], "narrator", None
                carry = None
        # a claim's own speakers are not its entities; anyone else it names is, a podcast
        # person included (the narrator's story of LeCun is about yann-lecun)
        ents = claim_entities(lines_, lex, set(speakers), latin, full_seen, used_entities)
        themes, stance, kind = labels.labels(a, b, ents, prev_themes, person=speakers != ["narrator"])
        prev_themes = themes
        claims.append(ClaimDraft(
            line_start=lines_[0].line + 1,
            line_end=lines_[-1].line + 1,
            text="".join([l.raw for l in lines_]),
            speakers=speakers,
            attribution=attribution,
            cue_line=cue_line,
            entities=ents,
            themes=themes,
            stance=stance,
            kind=kind,
        ))
        for s in speakers:
            if s == "narrator":
                used_speakers["narrator"] = narrator
            elif s in people.persons:
                used_speakers[s] = people.persons[s]
    return Extraction(claims=claims, speakers=used_speakers, entities=used_entities)


_SPOKEN_TO = ("说", "问", "道", "喊", "：", ":")  # (…道 covers 说道, 问道)
