"""The people of an episode the manifest lacks: lexicon people named in its intro, and
transliterated names written with a dot (迪伦·帕特尔 Dylan Patel)."""
from __future__ import annotations

import re
import unicodedata

from app.ingest.discover import cfg
from app.ingest.manifest import slugify
from app.ingest.types import EpisodeInfo, Person
from app.lexicon import Lexicon, norm


_DOT = "·"
_LATIN_NAME = re.compile(r"^\s*[（(［\[]?\s*([A-Z][a-zA-Z'\-]+(?: [A-Z][a-zA-Z'\-]+){1,3})")


def dotted_names(line: str, lex: Lexicon, n_line: str | None = None) -> list[tuple[str, str | None]]:
    """Transliterated names written with a dot (迪伦·帕特尔), with the Latin name that follows if any."""
    c = cfg(lex)
    tr, mx = c["translit"], c["translit_max"]
    t = norm(line) if n_line is None else n_line  # dots unified; Latin part read from the original
    orig = unicodedata.normalize("NFKC", line)
    orig = re.sub(r"\s*[·・•‧∙⋅･]\s*", _DOT, orig)
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
                break
            b = k
            if b < n and t[b] == _DOT:
                b += 1
                continue
            break
        if a < j and b > j + 1 and not t[b - 1] == _DOT:
            name = t[a:b]
            latin = None
            # Latin name right after (迪伦·帕特尔Dylan Patel); positions match when the
            # normalisation kept lengths (it does for CJK and ASCII letters)
            if len(orig) == len(t):
                mm = _LATIN_NAME.match(orig[b:])
                if mm:
                    latin = mm.group(1)
            out.append((name, latin))
        i = max(b, j + 1)
    return out


_PAREN_NAME = re.compile(r"([\u4e00-\u9fff]{2,12})\s*[（(]\s*([A-Z][a-zA-Z'\-]+(?:\s+[A-Z][a-zA-Z'\-]+){1,2})\s*[)）]")
# what may stand before a name in the same run of characters (科技博主亚历山大王 → 亚历山大王)
_NAME_LEAD = re.compile(r"^.*(?:的|是|与|和|跟|被|由|对|在|为|位|名|博主|主持人|创始人|首席执行官|执行官|总裁|科学家|"
                        r"研究员|教授|作者|记者|投资人|工程师|负责人|嘉宾|对话|专访|采访|邀请)")


def paren_names(line: str, lex: Lexicon) -> list[tuple[str, str]]:
    """Names written in Chinese and glossed in Latin (亚历山大王（Alexander Wang）): [(chinese, latin)],
    only where the Latin gloss starts with a common first name (氛围编程（Vibe Coding） is no person)."""
    first = cfg(lex)["first_names"]
    out = []
    for m in _PAREN_NAME.finditer(unicodedata.normalize("NFKC", line)):
        zh, latin = m.group(1), " ".join(m.group(2).split())
        if latin.split()[0].lower() not in first:
            continue
        zh = _NAME_LEAD.sub("", zh)
        if len(zh) >= 2:
            out.append((zh, latin))
    return out


def discover_people(lines: list[str], lex: Lexicon, episode: EpisodeInfo, normed: list[str] | None = None,
                    line_hits: dict[int, list] | None = None) -> EpisodeInfo:
    """An EpisodeInfo whose host/guests are found in the text (for files the manifest lacks).
    line_hits: when known, lex.match_entities of each stripped normed line ({line: hits}, lines
    without a hit left out)."""
    cues = lex.cues
    host_cues = [norm(str(x)) for x in cues.get("host_cues") or []]
    intro_n = int(cues.get("intro_max_lines", 45))
    people: dict[str, Person] = {}
    order: list[str] = []
    hosts: set[str] = set()
    full_seen: set[str] = set()

    def add(pid: str, name: str, aliases: list[str], intro: bool, host: bool = False):
        p = people.get(pid)
        if p is None:
            p = Person(id=pid, name=name, aliases=[], role="guest")
            people[pid] = p
        for a in aliases:
            if a and a not in p.aliases:
                p.aliases.append(a)
        if intro and pid not in order:
            order.append(pid)
        if host:
            hosts.add(pid)

    # people from the lexicon named in full in the intro
    for idx, line in enumerate(lines[: intro_n * 4]):
        n = normed[idx] if normed is not None and idx < len(normed) else norm(line)
        intro = idx < intro_n
        if line_hits is None:
            found = lex.match_entities(n)
        else:  # positions of the stripped line → of n
            found = line_hits.get(idx, ())
            if found and n[:1].isspace():
                off = len(n) - len(n.lstrip())
                found = [(s + off, e + off) + tuple(h) for s, e, *h in found]
        for s, e, key, eid in found:
            ent = lex.entities.get(eid)
            if ent is None or ent.type != "person":
                continue
            full_seen.add(eid)
            if intro:
                is_host = lex.person_roles.get(eid) == "host" or any(h in n[max(0, s - 8):s] for h in host_cues)
                add(eid, ent.name, [ent.name] + ent.aliases + lex.person_short.get(eid, []), True, is_host)
        if intro:
            for name, latin in dotted_names(line, lex, n if '·' in n else None) if '·' in n else []:
                # known person?
                hits = lex.match_entities(name)
                if hits and lex.entities[hits[0][3]].type == "person" and hits[0][2] == name:
                    continue
                pos = n.find(name)
                if pos >= 0 and any(s < pos + len(name) and pos < e for s, e, *_ in found):
                    continue  # a piece of a known name (杰弗里·辛 of 杰弗里·辛顿)
                pid = slugify(latin) if latin else slugify(name.replace(_DOT, ""))
                parts = [p for p in name.split(_DOT) if len(p) >= 2]
                aliases = [name] + parts + ([latin] if latin else []) + ([latin.split()[0]] if latin else [])
                pos = n.find(name)
                is_host = pos >= 0 and any(h in n[max(0, pos - 10):pos] for h in host_cues)
                add(pid, latin or name, aliases, True, is_host)
            for zh, latin in paren_names(line, lex) if "（" in line or "(" in line else []:
                if any(lex.entities[h[3]].type == "person" for h in lex.match_entities(norm(latin))):
                    continue  # a lexicon person: found above by its aliases
                # 亚历山大王 (Alexander Wang): the text often says just 亚历山大
                given = zh[:-1] if len(zh) >= 4 and zh[-1] in cfg(lex)["surnames"] and len(latin.split()) == 2 else None
                aliases = [zh, latin, latin.split()[0]] + ([given] if given else [])
                pos = n.find(norm(zh))
                is_host = pos >= 0 and any(h in n[max(0, pos - 10):pos] for h in host_cues)
                add(slugify(latin), latin, aliases, True, is_host)
    host = None
    guests = []
    for pid in order:
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
    )
