"""The people of an episode the manifest lacks: lexicon people named in its intro, and
transliterated names written with a dot (迪伦·帕特尔 Dylan Patel). A name spelt with other
characters of the same sounds as a lexicon person's (帕里哈皮蒂亚, 帕利哈皮蒂亚) is that person;
one the lexicon marks historic (开普勒) is talked about, never heard."""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import add, contains, sub

from app.ingest.discover import cfg
from app.ingest.manifest import slugify
from app.ingest.romanize import chinese_id, is_common_word, pinyin, translit_id
from app.ingest.scan import text_searches
from app.ingest.types import EpisodeInfo, Person
from app.lexicon import DOT_CHARS, Lexicon, alternation, norm


_DOT = "·"
_HYPHENS = "-‐‑–—"
_OPENING_LINES = 10  # the opening hook of an episode that never announces its talk (今天我们来聊聊…)
_DOT_RUN = re.compile(rf"\s*[{DOT_CHARS}]\s*")
# Latin letters of names, accented ones included (Henri Poincaré, Paul Erdős); not × or ÷
_UP, _LOW = "A-Z\u00c0-\u00d6\u00d8-\u00de", "a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f'\\-"
_LATIN_NAME = re.compile(rf"^\s*[（(［\[]?\s*([{_UP}][{_LOW}]+(?: [{_UP}][{_LOW}]+){{1,3}})")


def dotted_names(line: str, lex: Lexicon, n_line: str | None = None) -> list[tuple[str, str | None]]:
    """Transliterated names written with a dot (迪伦·帕特尔), with the Latin name that follows if any."""
    c = cfg(lex)
    tr, mx = c["translit"], c["translit_max"]
    t = norm(line) if n_line is None else n_line  # dots unified; Latin part read from the original
    orig = None  # the line for the Latin names (NFKC, dots unified), made once a name is found
    out = []
    i = 0
    n = len(t)
    while True:
        j = t.find(_DOT, i)
        if j < 0:
            break
        # left part
        a = j
        while a > 0 and t[a - 1] in tr and j - a < mx:
            a -= 1
        # right part, possibly several dotted parts
        b = j + 1
        while True:
            k = b
            while k < n and t[k] in tr and k - b < mx:
                k += 1
            if k == b:
                # a Chinese family name of one character ending the name (加里·谭, Garry Tan)
                if b == j + 1 and b < n and t[b] in c["surnames"] and t[b + 1:b + 2] != _DOT:
                    k = b + 1
                else:
                    break
            b = k
            if b < n and t[b] == _DOT:
                b += 1
                continue
            if b + 1 < n and t[b] == " " and t[b + 1] in tr and k > j + 1:
                # a hyphen joins two parts (杰克·帕克-霍尔德; norm made it a space): one more part
                if orig is None:
                    orig = _DOT_RUN.sub(_DOT, unicodedata.normalize("NFKC", line))
                if len(orig) == len(t) and orig[b] in _HYPHENS:
                    t = t[:b] + _DOT + t[b + 1:]
                    b += 1
                    continue
            break
        if b - 1 > j + 2 and t[b - 1] + t[b:b + 1] in _verb_heads(id(lex), lex):
            b -= 1  # the verb's first character is no part of the name (阿尼尔·塞斯|提到)
        if a < j:  # a role the transliteration characters ran into (嘉宾阿尼什·阿罗拉)
            lead = _NAME_LEAD.sub("", t[a:j])
            a = j - len(lead) if lead else a
        if a < j and b > j + 1 and not t[b - 1] == _DOT:
            name = t[a:b]
            latin = None
            # Latin name right after (迪伦·帕特尔Dylan Patel); positions match when the
            # normalisation kept lengths (it does for CJK and ASCII letters)
            if orig is None:
                orig = _DOT_RUN.sub(_DOT, unicodedata.normalize("NFKC", line))
            if len(orig) == len(t):
                mm = _LATIN_NAME.match(orig[b:])
                if mm:
                    latin = mm.group(1)
            out.append((name, latin))
        i = max(b, j + 1)
    return out


_PAREN_NAME = re.compile(rf"([\u4e00-\u9fff]{{2,12}})\s*[（(]\s*([{_UP}][{_LOW}]+(?:\s+[{_UP}][{_LOW}]+){{1,2}})\s*[)）]")
# what may stand before a name in the same run of characters (科技博主亚历山大王 → 亚历山大王)
_NAME_LEAD = re.compile(r"^.*(?:的|是|与|和|跟|被|由|对|在|为|位|名|博主|主持人|创始人|首席执行官|执行官|总裁|科学家|"
                        r"研究员|教授|作者|记者|投资人|工程师|负责人|嘉宾|对话|专访|采访|邀请)")


def paren_names(line: str, lex: Lexicon) -> list[tuple[str, str]]:
    """Names written in Chinese and glossed in Latin (亚历山大王（Alexander Wang）): [(chinese, latin)],
    only where the Latin gloss starts with a common first name (氛围编程（Vibe Coding） is no person)
    or a Chinese name is glossed with its family name's pinyin (翁荔（Lilian Weng）)."""
    c = cfg(lex)
    first = c["first_names"]
    out = []
    t = unicodedata.normalize("NFKC", line)
    for m in _PAREN_NAME.finditer(t):
        zh, latin = m.group(1), " ".join(m.group(2).split())
        if latin.split()[0].lower() not in first:
            glossed = _pinyin_gloss(zh, latin)
            if glossed is None:
                continue
            out.append((glossed, latin))
            continue
        zh = _NAME_LEAD.sub("", zh)
        if m.start(1) > 0 and t[m.start(1) - 1] in DOT_CHARS and zh == m.group(1):
            # the last part of a dotted name (保罗·都铎·琼斯（Paul Tudor Jones）): the whole name
            chain = _DOTTED_BEFORE.search(t, 0, m.start(1))
            if chain:
                parts = re.split(f"[{DOT_CHARS}]", chain.group())[:-1]
                lead = parts[0]
                k = len(lead)
                while k > 0 and lead[k - 1] in c["translit"] and len(lead) - k < c["translit_max"]:
                    k -= 1
                if lead[k:]:
                    zh = _DOT.join([lead[k:], *parts[1:], zh])
        if len(zh) >= 2:
            out.append((zh, latin))
    return out


def _pinyin_gloss(zh: str, latin: str) -> str | None:
    """The Chinese name at the end of zh that latin glosses: two or three characters whose family
    name's pinyin is the gloss's last or first word (…主管翁荔 / Lilian Weng → 翁荔, 杨植麟 / Yang
    Zhilin), else None."""
    words = latin.lower().split()
    for k in (3, 2):
        name = zh[-k:]
        if len(name) == k and pinyin(name[0])[0] in (words[0], words[-1]) and not is_common_word(name):
            return name
    return None


_DOTTED_BEFORE = re.compile(f"[\u4e00-\u9fff]{{1,12}}[{DOT_CHARS}](?:[\u4e00-\u9fff]{{1,5}}[{DOT_CHARS}])*$")


def discover_people(lines: list[str], lex: Lexicon, episode: EpisodeInfo, normed: list[str] | None = None,
                    line_hits: dict[int, list] | None = None) -> EpisodeInfo:
    """An EpisodeInfo whose host/guests are found in the text (for files the manifest lacks).
    line_hits: when known, lex.match_entities of each stripped normed line ({line: hits}, lines
    without a hit left out)."""
    cues = lex.cues
    host_cues = _chinese_cfg(id(lex), lex)["host"]
    intro_n = int(cues.get("intro_max_lines", 45))
    people: dict[str, Person] = {}
    hosts: set[str] = set()

    def add(pid: str, name: str, aliases: list[str], host: bool = False):
        p = people.get(pid)
        if p is None:
            p = Person(id=pid, name=name, aliases=[], role="guest")
            people[pid] = p
        for a in aliases:
            if a and a not in p.aliases:
                p.aliases.append(a)
        if host:
            hosts.add(pid)

    def host_before(n: str, pos: int, reach: int = 10) -> bool:
        """A host word (主持人…) within `reach` characters before the name at pos of line n."""
        return pos >= 0 and any(h in n[max(0, pos - reach):pos] for h in host_cues)

    texts = normed if normed is not None else [norm(x) for x in lines]
    doc, said = "\n".join(texts), _said_rx(id(lex), lex)
    spoken: dict[str, bool] = {}  # _speaks of each form asked so far
    # the preview: the lines before the narrator announces the talk (今天我们就来聊聊…), if he does
    intro_end = _chinese_cfg(id(lex), lex)["intro_end"]
    preview = next((i for i, x in enumerate(texts[:intro_n]) if any(r.search(x) for r in intro_end)), intro_n)
    # people from the lexicon named in full in the intro: those of the preview, and those after it who speak
    presented: list[str] | None = None  # the people of the preview's lines (see EpisodeInfo.presented)
    opening: list[str] = []  # the people of the opening lines, when no line announces the talk
    for idx, line in enumerate(lines[:intro_n]):
        if idx == preview:
            presented = list(people)
        if idx == _OPENING_LINES:
            opening = list(people)
        n = normed[idx] if normed is not None and idx < len(normed) else norm(line)
        if line_hits is None:
            found = lex.match_entities(n)
        else:  # positions of the stripped line → of n
            found = line_hits.get(idx, ())
            if found and n[:1].isspace():
                off = len(n) - len(n.lstrip())
                found = [(s + off, e + off) + tuple(h) for s, e, *h in found]
        for s, e, key, eid in found:
            ent = lex.entities.get(eid)
            if ent is None or ent.type != "person" or _historic(eid, lex):
                continue
            is_host = lex.person_roles.get(eid) == "host" or host_before(n, s, 8)
            # the text then often says the first name alone (达拉 of 达拉·科斯罗萨西), as of a found name
            forms = person_forms(eid, lex)
            forms += [a.split(_DOT)[0] for a in forms if _DOT in a and len(a.split(_DOT)[0]) >= 2]
            if idx >= preview and not is_host and eid not in people \
                    and not any(_speaks(doc, norm(f), said, spoken) for f in forms):
                continue  # named after the preview and never speaks: talked about (特朗普账户)
            add(eid, ent.name, forms, is_host)
        for name, latin in dotted_names(line, lex, n if '·' in n else None) if '·' in n else []:
            # known person?
            hits = lex.match_entities(name)
            if hits and lex.entities[hits[0][3]].type == "person" and hits[0][2] == name:
                continue
            pos = n.find(name)
            if not latin and _short_end(name.split(_DOT), lex) and pos >= 0 and _is_cjk(n[pos + len(name):pos + len(name) + 1]):
                continue  # 尼古拉·哥 of 尼古拉·哥白尼: a name cut short where its next character is no transliteration one
            if pos >= 0 and any(s < pos + len(name) and pos < e for s, e, *_ in found):
                continue  # a piece of a known name (杰弗里·辛 of 杰弗里·辛顿)
            if not latin and (known := sounds_like_person(name, lex)):
                if not _historic(known, lex):  # another spelling of a lexicon person (查马斯·帕里哈皮蒂亚)
                    add(known, lex.entities[known].name, [name, *name.split(_DOT), *person_forms(known, lex)],
                        host_before(n, pos))
                continue
            english = None
            if latin:
                pid = slugify(latin)
            else:
                pid, english = translit_id(name, lex, episode.known_names)
            parts = [p for p in name.split(_DOT) if len(p) >= 2]
            aliases = [name] + parts + ([latin] if latin else []) + ([latin.split()[0]] if latin else [])
            add(pid, latin or english or name, aliases, host_before(n, pos))
        for zh, latin in paren_names(line, lex) if "（" in line or "(" in line else []:
            if _lexicon_person(latin, lex):
                continue  # a lexicon person: found above by its aliases
            # 亚历山大王 (Alexander Wang): the text often says just 亚历山大
            given = zh[:-1] if len(zh) >= 4 and zh[-1] in cfg(lex)["surnames"] and len(latin.split()) == 2 else None
            parts = [p for p in zh.split(_DOT) if len(p) >= 2] if _DOT in zh else []
            aliases = [zh, latin, latin.split()[0]] + ([given] if given else []) + parts
            add(slugify(latin), latin, aliases, host_before(n, n.find(norm(zh))))
    if presented is None:  # the preview runs to the end of a short text
        presented = list(people)
    # after the intro, a dotted name counts only if it speaks: it, or its family or first name,
    # is followed by a reporting verb somewhere (加尔·纳格利 … 纳格利直言); one only talked about
    # (约翰·霍普菲尔德的Hopfield网络) is no speaker. So does a lexicon person (but a historic one).
    late = list(compress(range(intro_n, len(texts)), map(contains, texts[intro_n:], repeat(_DOT))))
    if late:
        done: set[str] = set()  # a name read once is read (added, or left out for good)
        for idx in late:
            for name, latin in dotted_names(lines[idx], lex, texts[idx]):
                if name in done:
                    continue
                done.add(name)
                if name in people_forms(people):
                    continue
                hits = lex.match_entities(name)
                is_person = hits and lex.entities[hits[0][3]].type == "person"
                known = hits[0][3] if is_person else sounds_like_person(name, lex)
                if known is not None:  # a lexicon person (or another spelling of one), if he speaks
                    if not _historic(known, lex) and any(_speaks(doc, form, said, spoken)
                                                         for form in {name, name.split(_DOT)[-1]}):
                        add(known, lex.entities[known].name, [name, *name.split(_DOT), *person_forms(known, lex)])
                    continue
                pieces = name.split(_DOT)
                # a one-character part is likely a name cut short (克斯·卡普 of 亚历克斯·卡普), unless it
                # is a particle inside the name (雅各布·范·利尔)
                particles = cfg(lex)["particles"]
                if any(len(p) < 2 and not (k and p in particles) for k, p in enumerate(pieces[:-1])) \
                        or _short_end(pieces, lex):
                    continue
                parts = [p for p in pieces if len(p) >= 2]
                if not any(_speaks(doc, form, said, spoken) for form in {name, *parts[-1:], *parts[:1]}):
                    continue
                pid, english = (slugify(latin), None) if latin else translit_id(name, lex, episode.known_names)
                add(pid, latin or english or name, [name] + parts + ([latin] if latin else []))
    glossed_zh = people_forms(people)
    for zh, _, is_host in chinese_names(texts, lex):
        if zh in glossed_zh or zh[:-1] in glossed_zh:
            # glossed in Latin in the intro (翁荔（Lilian Weng）): found already; or the part of a
            # dotted name with the adverb after it (林赛则 of 杰克·林赛: 林赛则认为…)
            continue
        pid, english = chinese_id(zh, lex, episode.known_names)
        if pid not in people:
            titled = [zh + t for t in _chinese_cfg(id(lex), lex)["titles"]]  # 唐杰教授分享了…
            add(pid, english or zh, [zh] + titled + ([english] if english else []), is_host)
    known = people_forms(people)
    for name, latin in translit_names(texts, lex):
        if name in known:
            continue  # the short form of someone named in full (霍达克 of 麦克斯·霍达克)
        if (same := sounds_like_person(name, lex)) is not None:
            if same in people:  # the family name of a lexicon person, spelt otherwise (帕里哈皮蒂亚)
                add(same, people[same].name, [name])
            continue
        if latin:
            pid, english = slugify(latin), latin
        else:
            pid, english = translit_id(name, lex, episode.known_names)
        if pid not in people:
            add(pid, english or name, [name] + ([latin] if latin else []))
    # the manifest's English names, and the text's own Latin names of a common first name (Christina
    # Kim), that the text has report a point (Ivan给出的核心结论是, Christina在访谈中强调说): by the
    # full name, or its first or last name alone
    for english in dict.fromkeys([*episode.known_names, *_latin_names(lines, lex)]):
        english = " ".join(english.split())
        if not english.isascii() or len(english) < 3 or not (pid := slugify(english)):
            continue
        forms = [english] + [w for w in english.split() if len(w) >= 3]
        # found by a Chinese name (加文·贝克), the text may name them in Latin too (Gavin说)
        if pid in people or (not _lexicon_person(english, lex)
                             and any(_speaks(doc, norm(f), said, spoken) for f in dict.fromkeys(forms))):
            add(pid, english, forms)
    # a dotted name that a glossed person's name starts with (雷·库, cut short where a character
    # is no transliteration one, of 雷·库兹韦尔（Ray Kurzweil）; 托马斯·多姆克 spelt out before its
    # gloss) is that person, not another one
    dotted = {pid: [a for a in p.aliases if _DOT in a] for pid, p in people.items()}
    glossed = {pid for pid, p in people.items() if any(a.isascii() for a in p.aliases)}
    cut = {pid for pid, names in dotted.items() if names and pid not in glossed and all(
        any(b.startswith(a) for q in glossed if q != pid for b in dotted[q]) for a in names)}
    host = None
    guests = []
    for pid in [x for x in people if x not in cut]:
        p = people[pid]
        if pid in hosts and host is None:
            p.role = "host"
            host = p
        else:
            p.role = "guest"
            guests.append(p)
    return EpisodeInfo(
        id=episode.id, file=episode.file, title=episode.title, podcast=episode.podcast, date=episode.date,
        language=episode.language, channel=episode.channel, source_url=episode.source_url,
        host=host, guests=guests[:6], narrator=episode.narrator, from_manifest=False,
        known_names=episode.known_names,
        presented=[pid for pid in (presented if preview < intro_n else opening) if pid not in cut],
    )


_LATIN_PAIR = re.compile(r"(?<![A-Za-z])([A-Z][a-z]+) ([A-Z][a-z]+)(?![A-Za-z])")


def _latin_names(lines: list[str], lex: Lexicon) -> list[str]:
    """Names written in Latin letters whose first word is a common first name (Christina Kim), or
    that follow a role (工程负责人Sherwin Wu, 创始人 Ivan Zhao)."""
    first, role = cfg(lex)["first_names"], _chinese_cfg(id(lex), lex)["role_before"]
    return [m.group() for line in lines if " " in line for m in _LATIN_PAIR.finditer(line)
            if m.group(1).lower() in first or role.search(line, 0, m.start())]


def _lexicon_person(name: str, lex: Lexicon) -> bool:
    """Whether the lexicon knows name as a person (found by the lexicon's own passes)."""
    return any(lex.entities[h[3]].type == "person" for h in lex.match_entities(norm(name)))


def _historic(pid: str, lex: Lexicon) -> bool:
    """A lexicon person marked `role: historic` (开普勒): talked about, never a speaker."""
    return lex.person_roles.get(pid) == "historic"


def person_forms(pid: str, lex: Lexicon) -> list[str]:
    """How the text may name a lexicon person who speaks in the episode: the lexicon's names and
    the family name of each dotted Chinese one (格斯特纳 of 布拉德·格斯特纳), as a dotted name
    found in the text gives its parts."""
    ent = lex.entities[pid]
    names = [ent.name, *ent.aliases, *lex.person_short.get(pid, [])]
    return names + [a.split(_DOT)[-1] for a in names if _DOT in a and len(a.split(_DOT)[-1]) >= 2]


def _speaks(doc: str, form: str, said: re.Pattern, spoken: dict[str, bool]) -> bool:
    """Whether form occurs in doc followed by a reporting verb (said: _said_rx), remembered in
    spoken (a name recurs on many lines)."""
    got = spoken.get(form)
    if got is None:
        got = False
        if not form:  # (an empty form would be found everywhere, at the same place)
            spoken[form] = got
            return got
        latin = form[0].isascii() and form[0].isalnum()  # (lin of berlin is no name)
        at = doc.find(form)
        while at >= 0 and not got:
            got = said.match(doc, at + len(form)) is not None and not (
                latin and at and doc[at - 1].isascii() and doc[at - 1].isalnum())
            at = doc.find(form, at + len(form))
        spoken[form] = got
    return got


@lru_cache(maxsize=4)
def _verb_heads(lex_id: int, lex: Lexicon) -> frozenset[str]:
    """The first two characters of the reporting verbs and their adverbs that start with a
    transliteration character (提到, 提出, 明确): a dotted name running into one stops before it."""
    tr = cfg(lex)["translit"]
    words = [*(lex.cues.get("reporting_verbs") or []), *(lex.cues.get("verb_adverbs") or [])]
    return frozenset(norm(str(v))[:2] for v in words if len(str(v)) >= 2 and str(v)[0] in tr)


def people_forms(people: dict[str, Person]) -> set[str]:
    """Every alias of the people found so far, and every dotted part of one."""
    return {part for p in people.values() for a in p.aliases for part in [a, *a.split(_DOT)]}


@lru_cache(maxsize=4)
def _said_rx(lex_id: int, lex: Lexicon) -> re.Pattern:
    """What follows a name that speaks: a reporting verb, perhaps after a title, where and
    还/也/则 (…直言, …也认为, 唐杰教授分享了, 他在采访中表示); not before 的 (卡尼曼提出的理论
    is the theory, not what he says)."""
    verbs = alternation(norm(str(v)) for v in lex.cues.get("reporting_verbs") or [] if len(str(v)) >= 2 or str(v) == "说")
    titles = alternation(norm(t) for t in _chinese_cfg(lex_id, lex)["titles"])
    # a title (教授), where (在采访中), an adverb before or after it (cues.yaml: speaks_adverbs)
    adverb = alternation(norm(str(a)) for a in lex.cues.get("speaks_adverbs") or [])
    # the verb may open the next line (马修·沃克教授 | 在《为什么我们要睡觉》一书中明确指出)
    # …and an adverbial 地 phrase (班纳吉在书中一针见血地指出)
    return re.compile(f"{titles}?\\n?{adverb}?(?:在[^，,。\\s]{{1,14}}?[上中里])?{adverb}?(?:[^，,。\\s]{{1,6}}地)?{verbs}(?!的)")


@lru_cache(maxsize=4)
def _translit_rx(lex_id: int, lex: Lexicon) -> re.Pattern:
    c = cfg(lex)
    tr = "".join(sorted(ch for ch in c["translit"] if _is_cjk(ch)))
    # a run of 3 to 6 transliteration characters not preceded by one (nor by a dot), a verb after
    # it (_said_rx); the look-behind comes after the first character (checking the two characters
    # up to it) so that the pattern starts with a character class, which re searches for several
    # times faster
    return re.compile(f"([{tr}](?<![{tr}·][{tr}])[{tr}]{{2,5}})" + _said_rx(lex_id, lex).pattern)


def _whole_words(doc: str, at: int, n: int) -> bool:
    """doc[at:at + n] starts and ends where the segmenter cuts its line."""
    import rjieba

    a = doc.rfind("\n", 0, at) + 1
    b = doc.find("\n", at + n)
    line = doc[a:b if b >= 0 else len(doc)]
    cuts = set(accumulate(len(w) for w in rjieba.cut(line)))
    start = at - a
    return (start == 0 or start in cuts) and start + n in cuts


@lru_cache(maxsize=4)
def _lexicon_name_parts(lex_id: int, lex: Lexicon) -> frozenset[str]:
    """Short forms and dotted parts of the lexicon's people (弗里德曼 of 莱克斯·弗里德曼)."""
    out = {norm(f) for forms in lex.person_short.values() for f in forms}
    for ent in lex.entities.values():
        if ent.type == "person":
            out.update(norm(part) for a in [ent.name, *ent.aliases] for part in a.split(_DOT) if part)
    return frozenset(out)


@lru_cache(maxsize=4)
def _sound_index(lex_id: int, lex: Lexicon) -> tuple[dict[tuple[str, ...], list[tuple[str, str]]], dict[str, str]]:
    """Lexicon people by the sound of their Chinese names (toneless pinyin of each part): the
    dotted names ({readings of all parts but the last: [(reading of the last part, id)]}) and
    the family names of three or more characters ({reading: id}); a reading two people share
    is left out."""
    full: dict[tuple[str, ...], str | None] = {}
    family: dict[str, str | None] = {}

    def keep(table: dict, key, pid: str) -> None:
        table[key] = pid if table.get(key, pid) == pid else None

    for ent in lex.entities.values():
        if ent.type != "person":
            continue
        for a in [ent.name, *ent.aliases, *lex.person_short.get(ent.id, [])]:
            parts = [x for x in norm(a).split(_DOT) if x]
            if not parts or not all(map(_is_cjk, "".join(parts))):
                continue
            key = tuple("".join(pinyin(x)) for x in parts)
            if len(key) > 1:
                keep(full, key, ent.id)
            if len(parts[-1]) >= 3:
                keep(family, key[-1], ent.id)
    heads: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for key, pid in full.items():
        if pid:
            heads.setdefault(key[:-1], []).append((key[-1], pid))
    return heads, {k: v for k, v in family.items() if v}


@lru_cache(maxsize=4096)
def _sounds_like(name: str, lex_id: int, lex: Lexicon) -> str | None:
    heads, family = _sound_index(lex_id, lex)
    parts = [x for x in name.split(_DOT) if x]
    if not parts:
        return None
    key = tuple("".join(pinyin(x)) for x in parts)
    if len(key) == 1:
        return family.get(key[0]) if len(parts[0]) >= 3 else None
    lasts = heads.get(key[:-1], ())
    same = {pid for last, pid in lasts if last == key[-1]}
    if not same and len(parts[-1]) >= 2:
        same = {pid for last, pid in lasts if last.startswith(key[-1])}
    return same.pop() if len(same) == 1 else None


def sounds_like_person(name: str, lex: Lexicon) -> str | None:
    """The lexicon person a transliterated name is another spelling of (帕里哈皮蒂亚 of
    帕利哈皮蒂亚: the same sounds in other characters), if any. A dotted name may be cut short
    (at translit_max characters, or before a character no transliteration uses: 达里奥·阿莫 of
    达里奥·阿莫代伊): a last part of two or more characters that starts one person's name counts."""
    return _sounds_like(name, id(lex), lex)


_GLOSS_AFTER = re.compile(r" *\( *([a-z][a-z'\-]{2,}) *\)")


def translit_names(texts: list[str], lex: Lexicon) -> list[tuple[str, str | None]]:
    """Transliterated names written without a dot that speak (艾哈迈德说, 艾哈迈德还提到): a run of
    transliteration characters right before a reporting verb, twice in the text with a Latin gloss
    or three times without, that is no lexicon name and no dictionary word; with the Latin word
    that glosses it somewhere (艾哈迈德（Ahmad）), if any. texts: normalised lines."""
    rx = _translit_rx(id(lex), lex)
    doc = "\n".join(texts)
    seen: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in rx.finditer(doc):
        seen[m.group(1)] = seen.get(m.group(1), 0) + 1
        first.setdefault(m.group(1), m.start(1))
    out = []
    lexicon_parts = _lexicon_name_parts(id(lex), lex)
    for name, k in seen.items():
        if k < 2 or lex.match_entities(name) or is_common_word(name) or name in lexicon_parts:
            continue  # (弗里德曼 alone may be Lex Fridman or another Friedman: the narrator is safer)
        if not _whole_words(doc, first[name], len(name)):
            continue  # a run across words: 多东西 of 很多东西说明
        gloss = None
        at = doc.find(name + "(")
        if at < 0:
            at = doc.find(name + " (")
        if at >= 0:
            g = _GLOSS_AFTER.match(doc, at + len(name))
            gloss = g.group(1).title() if g else None
        if gloss or k >= 3:  # twice with a Latin gloss, else three times
            out.append((name, gloss))
    return out


@lru_cache(maxsize=4)
def _chinese_cfg(lex_id: int, lex: Lexicon) -> dict:
    d, cues = lex.discovery, lex.cues
    verbs = [str(v) for v in cues.get("reporting_verbs") or [] if len(str(v)) >= 2 and not str(v).startswith(("的", "也", "还", "则"))]
    titles = [str(t) for t in d.get("chinese_name_titles") or []]
    leads = [str(x) for x in d.get("chinese_name_leads") or []]

    return {
        "titles": titles,
        "follow": re.compile(alternation(norm(w) for w in titles + verbs)),
        # roles before a Chinese name: those of chinese_name_leads, and more that only find names
        # (华裔学者江学勤: chinese_name_roles)
        "lead": re.compile(alternation(norm(w) for w in leads + [str(x) for x in d.get("chinese_name_roles") or []])),
        "role_before": re.compile(alternation(leads) + r"\s?$"),
        "foreign": {str(k) for k in d.get("translit_first_names") or {}},
        "before": set(str(d.get("chinese_name_before", ""))),
        "foreign_ends": set(str(d.get("chinese_name_foreign_ends", ""))),
        "surnames": set(str(d.get("chinese_surnames", ""))),
        "stop": set(str(d.get("chinese_name_stopchars", ""))),
        "host": [norm(str(x)) for x in cues.get("host_cues") or []],
        "intro_end": text_searches([str(x) for x in cues.get("intro_end") or []]),
    }


def _short_end(pieces: list[str], lex: Lexicon) -> bool:
    """The last part of a dotted name is one character and no family name (哥 of 尼古拉·哥, cut
    short of 尼古拉·哥白尼; 谭 of 加里·谭 is a name)."""
    return len(pieces[-1]) < 2 and pieces[-1] not in cfg(lex)["surnames"]


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


_START, _END = re.Match.start, re.Match.end  # as functions for map()


def chinese_names(texts: list[str], lex: Lexicon) -> list[tuple[str, int, bool]]:
    """Chinese names of the people in a text: [(name, first line, named as host)], in order.

    A name is a family name and one or two characters, followed somewhere by a title or a
    reporting verb (杨强院士, 姚顺雨认为) or preceded by a role (CEO李广密); it occurs at least
    twice and is no common word (金融分析 is no person)."""
    c = _chinese_cfg(id(lex), lex)
    surnames, stop = c["surnames"], c["stop"]
    whole = "\n".join(texts)
    # where a title or verb starts, and where a role ends: a name ends or starts there (map()
    # runs in C: a long document has thousands)
    follows = set(map(_START, c["follow"].finditer(whole)))
    lead_ends = set(map(_END, c["lead"].finditer(whole)))
    starts = set(map(sub, follows, repeat(2))).union(map(sub, follows, repeat(3)), lead_ends)
    starts = sorted(i for i in starts if 0 <= i < len(whole))
    # the start of each line but the first: len(t) + 1 summed, written with map() to run in C
    line_starts = list(map(add, accumulate(map(len, texts[:-1])), range(1, len(texts))))
    marked: dict[str, int] = {}
    followed: set[str] = set()
    first: dict[str, int] = {}
    host: set[str] = set()
    for i in starts:
        if whole[i] not in surnames:
            continue
        led = i in lead_ends
        if not led and i > 0 and _is_cjk(whole[i - 1]) and whole[i - 1] not in c["before"]:
            continue  # inside a word: 工程师, 哥白尼
        for size in (2, 3):
            cand = whole[i:i + size]
            if len(cand) < size or any(x in stop or not _is_cjk(x) for x in cand[1:]):
                break
            is_followed = i + size in follows
            if not (led or is_followed):
                continue
            marked[cand] = marked.get(cand, 0) + 1
            if is_followed:
                followed.add(cand)
            line = bisect_right(line_starts, i)
            first.setdefault(cand, line)
            line_start = line_starts[line - 1] if line else 0
            if any(h in whole[max(line_start, i - 16):i] for h in c["host"]):
                host.add(cand)
    if not marked:
        return []
    out = []
    for cand in marked:
        if is_common_word(cand) or whole.count(cand) < 2 or lex.match_entities(cand):
            continue
        if cand in c["foreign"] or cand[-1] in c["foreign_ends"] or cand + _DOT in whole or _DOT + cand in whole:
            continue  # 马克 of 马克·扎克伯格, 金斯: a transliterated name
        if is_common_word(cand[:2]) or (len(cand) == 3 and is_common_word(cand[1:])):
            continue  # 高级副(总裁), 林特别(强调), 段代码: a word, not a given name
        if len(cand) == 3 and cand[:2] in followed and cand not in followed:
            continue  # 杨强认…: the name is 杨强
        if len(cand) == 2 and any(len(o) == 3 and o[:2] == cand for o in marked if not is_common_word(o)) \
                and cand not in followed and whole.count(cand) == max(whole.count(o) for o in marked if o[:2] == cand):
            continue  # CEO李广密: always 李广密, never 李广 alone
        out.append((cand, first[cand], cand in host))
    return sorted(out, key=lambda x: x[1])
