"""Transcript lines → claims (spans, speakers, entities, themes, stance, kind).

Pure rules over the data files of data/lexicon/ (see app/lexicon.py); no I/O besides
loading those once. Never raises on odd input.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.ingest.attribute import Cue, People, build_people, find_cue
from app.ingest.classify import stance_and_kind, themes_for
from app.ingest.discover import discover_latin, discover_people, latin_counts
from app.ingest.types import ClaimDraft, EntityDef, EpisodeInfo, Extraction, Person
from app.lexicon import AliasMatcher, Lexicon, key_variants, load_lexicon, norm, norm_lines

MAX_LINE = 4000  # longer lines are matched on their first characters only
MAX_LINES = 7  # a claim grows past this only over continuation lines
HARD_MAX = 8
CARRY_CLAIMS = 3  # how many claims after a cue may carry its speaker
CARRY_LINES = 14


@lru_cache(maxsize=4)
def _seg_rx(lex_id: int, lex: Lexicon) -> dict:
    c = lex.cues

    def comp(key: str, anchor: bool = True) -> re.Pattern | None:
        pats = [str(p) for p in c.get(key) or []]
        if not pats:
            return None
        body = "|".join(f"(?:{p})" for p in pats)
        return re.compile(("^(?:" + body + ")") if anchor else body)

    return {
        "start": comp("start_markers"),
        "weak": comp("weak_start_markers"),
        "cont": comp("continuation_markers"),
        "brk": comp("break_markers"),
        "voice": comp("narrator_voice", anchor=False),
        "question": comp("question_patterns", anchor=False),
        "channel": comp("channel_talk", anchor=False),
        "intro_end": comp("intro_end", anchor=False),
        "intro_tail": comp("intro_tail", anchor=False),
        "outro": comp("outro_start", anchor=False),
        "transition": comp("transitions", anchor=False),
        "weak_min": int(c.get("weak_min_lines", 3)),
        "intro_max": int(c.get("intro_max_lines", 45)),
        "outro_max": int(c.get("outro_max_lines", 40)),
    }


def _m(rx: re.Pattern | None, s: str) -> bool:
    return bool(rx is not None and rx.search(s))


@dataclass
class _Line:
    idx: int  # 0-based
    raw: str
    n: str
    cue: Cue | None = None
    excluded: bool = False
    question: bool = False
    break_line: bool = False  # an excluded question or transition: nothing carries over it
    hits: list | None = None  # alias matches of the line


def _intro_outro(lines: list[_Line], rx: dict) -> tuple[int, int]:
    """(first content index, index after the last content line)."""
    total = len(lines)
    start = 0
    lim = min(total, rx["intro_max"])
    if total >= 8:
        lim = min(lim, max(3, total // 3))
        for i in range(lim):
            if _m(rx["intro_end"], lines[i].n) and not lines[i].cue:
                start = i + 1
        # the intro's tail: channel talk or a line finishing the announcement
        while start < lim and start < total and (
            _m(rx["intro_tail"], lines[start].n) or _m(rx["channel"], lines[start].n) or not lines[start].n.strip()
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


def extract_claims(lines: list[str], episode: EpisodeInfo, lexicon: Lexicon | None = None) -> Extraction:
    """Claims of one transcript (lines = the file's decoded lines, line n is lines[n-1])."""
    lex = lexicon or load_lexicon()
    try:
        return _extract(list(lines or []), episode, lex)
    except Exception:  # never raise on odd input: an empty extraction is the safe answer
        narrator = episode.narrator or Person(id="narrator", name="narrator", role="narrator")
        return Extraction(claims=[], speakers={"narrator": narrator}, entities={})


def _extract(raw_lines: list[str], episode: EpisodeInfo, lex: Lexicon) -> Extraction:
    rx = _seg_rx(id(lex), lex)
    raw_lines = ["" if l is None else str(l) for l in raw_lines]
    normed = norm_lines([r[:MAX_LINE] for r in raw_lines])
    if not episode.from_manifest:
        episode = discover_people(raw_lines, lex, episode, normed)
    people = build_people(episode, lex)
    narrator = episode.narrator or Person(id="narrator", name=episode.channel or "narrator", role="narrator")
    narrator = Person(id="narrator", name=narrator.name, aliases=list(narrator.aliases), role="narrator")

    L: list[_Line] = []
    last_named: list[str] | None = None
    last_named_at = -100
    for i, r in enumerate(raw_lines):
        n = normed[i].strip()
        ln = _Line(i, r, n)
        ln.hits = lex.match_entities(n) if n else []
        if n:
            ln.question = _m(rx["question"], n)
            ln.cue = find_cue(n, people, last_named if i - last_named_at <= 20 else None)
            if ln.cue and ln.cue.kind in ("name", "group", "question"):
                last_named, last_named_at = ln.cue.speakers, i
            elif ln.cue and ln.cue.kind == "pronoun":
                last_named_at = i
        L.append(ln)

    start, end = _intro_outro(L, rx)
    for ln in L[:start] + L[end:]:
        ln.excluded = True
    for ln in L[start:end]:
        if not ln.n or _m(rx["channel"], ln.n):
            ln.excluded = True

    # ---------------------------------------------------------------- segmentation
    spans: list[list[int]] = []
    cur: list[int] = []

    def close():
        nonlocal cur
        if cur:
            spans.append(cur)
        cur = []

    def only_marker(idxs: list[int]) -> bool:
        """The open claim so far is a connective or a topic phrase that needs what follows."""
        if len(idxs) != 1:
            return False
        t = L[idxs[0]].n
        if L[idxs[0]].cue is not None and len(t) <= 10:
            return True
        return len(t) <= 4 or bool(re.match(r"^(对于|针对|关于|至于|谈到|说到|在|除了|面对|随着)", t)) and not re.search(r"[。！；]$", t)

    def _open_speakers(idxs: list[int]):
        for i in idxs[:2]:
            if L[i].cue is not None:
                return L[i].cue.speakers
        return None

    for ln in L[start:end]:
        if ln.excluded:
            close()
            continue
        if ln.question or (not ln.cue and _m(rx["transition"], ln.n) and not ln.hits):
            close()
            ln.excluded = True
            ln.break_line = True
            continue
        if ln.cue and ln.cue.kind == "question":
            close()
            cur = [ln.idx]
            continue
        n = ln.n
        new = False
        if not cur:
            new = True
        elif only_marker(cur):
            new = False
        elif ln.cue and ln.cue.kind == "pronoun" and len(cur) < 4 and _open_speakers(cur) == ln.cue.speakers:
            new = False
        elif ln.cue and not (ln.cue.kind == "name" and re.match(r"^被", n)):
            new = not only_marker(cur)
        elif _entity_led(ln, lex, strict=True):
            new = True
        elif only_marker(cur):
            new = False
        elif re.search(r"[。！!；;]$", L[cur[-1]].n):
            new = True
        elif _m(rx["start"], n):
            new = True
        elif len(cur) >= rx["weak_min"] and _m(rx["weak"], n):
            new = True
        elif len(cur) >= 2 and L[cur[-1]].cue is None and _entity_led(ln, lex):
            new = True
        elif len(cur) >= MAX_LINES and not _m(rx["cont"], n):
            new = True
        elif len(cur) >= HARD_MAX:
            new = True
        if new:
            close()
        cur.append(ln.idx)
    close()

    # ---------------------------------------------------------------- attribution + fields
    claims: list[ClaimDraft] = []
    used_speakers: dict[str, Person] = {}
    used_entities: dict[str, EntityDef] = {}
    counts = latin_counts(raw_lines, lex)
    skip = {norm(a) for p in people.persons.values() for a in [p.name] + list(p.aliases) if a.isascii()}
    speaker_ids = set(people.persons)
    carry: tuple[list[str], int, int] | None = None  # speakers, cue line idx, claims carried
    prev_themes: list[str] | None = None
    full_seen: set[str] = set()
    short_cache: dict[frozenset, AliasMatcher] = {}

    prev_end = start - 1
    for span in spans:
        lines_ = [L[i] for i in span]
        gap_from, prev_end = prev_end, span[-1]
        if lines_[0].cue and lines_[0].cue.kind == "question":
            carry = None
            continue
        ntext = "\n".join(l.n for l in lines_)
        if len(span) <= 3 and _m(rx["transition"], ntext) and not any(l.cue for l in lines_):
            carry = None
            continue
        cue_ln = next((l for l in lines_[:2] if l.cue and l.cue.kind != "question"), None)
        if cue_ln is not None and len(lines_) > 1 and cue_ln is lines_[1] and not (
            re.match(r"^被", cue_ln.n) or re.match(r"^(对于|针对|关于|至于|谈到|说到|在|面对)", lines_[0].n) or len(lines_[0].n) <= 4
        ):
            cue_ln = None
        first = lines_[0].n
        if cue_ln is not None:
            speakers, attribution, cue_line = list(cue_ln.cue.speakers), "cue", cue_ln.idx + 1
            carry = (speakers, cue_ln.idx, 0)
        else:
            brk = (_m(rx["brk"], first) or _m(rx["voice"], ntext) or _entity_led(lines_[0], lex, strict=True)
                   or _entity_led(lines_[0], lex) or any(L[j].break_line for j in range(gap_from + 1, span[0])))
            if carry and not brk and carry[2] < CARRY_CLAIMS and span[0] - carry[1] <= CARRY_LINES:
                speakers, attribution, cue_line = list(carry[0]), "carried", carry[1] + 1
                carry = (carry[0], carry[1], carry[2] + 1)
            else:
                speakers, attribution, cue_line = ["narrator"], "narrator", None
                carry = None
        # entities
        ents = _entities(lines_, lex, speaker_ids, counts, full_seen, short_cache, used_entities, skip)
        themes = themes_for(ntext, ents, lex, prev_themes)
        prev_themes = themes
        stance, kind = stance_and_kind(ntext, lex)
        claims.append(ClaimDraft(
            line_start=span[0] + 1,
            line_end=span[-1] + 1,
            text="".join(l.raw for l in lines_),
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


_HAS_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_ENTITY_LED_TAIL = re.compile(r"^(?:的[^，,。]{0,6})?(?:则|的表现|无疑|选择|凭借|的核心|推出的|方面|也|同样|却)")


def _entity_led(ln: "_Line", lex: Lexicon, strict: bool = False) -> bool:
    """A line that opens with an entity as its new subject (Google的表现则…, OpenAI则…)."""
    n = ln.n
    off = 1 if n.startswith("而") else 0
    hits = ln.hits
    if not hits or hits[0][0] != off:
        return False
    t = n[off:]
    e = hits[0][1] - off
    # a list of entities (A、B等) is not a new subject
    rest = t[e:]
    if strict:
        return bool(re.match(r"^[^，,。]{0,24}则", rest))
    return bool(_ENTITY_LED_TAIL.match(rest))


def _entities(lines_: list[_Line], lex: Lexicon, speaker_ids: set[str], counts: dict[str, int],
              full_seen: set[str], short_cache: dict, used: dict[str, EntityDef], skip: set[str]) -> list[str]:
    out: list[str] = []

    def add(eid: str, edef: EntityDef | None):
        if eid in speaker_ids or eid in out:
            return
        out.append(eid)
        if edef is not None:
            used.setdefault(eid, edef)

    for ln in lines_:
        n = ln.n
        if not n:
            continue
        hits = ln.hits if ln.hits is not None else lex.match_entities(n)
        for s, e, key, eid in hits:
            ent = lex.entities.get(eid)
            if ent is not None and ent.type == "person":
                full_seen.add(eid)
            add(eid, ent)
        # short forms of people named in full earlier in this text
        fs = frozenset(x for x in full_seen if lex.person_short.get(x) and x not in speaker_ids)
        if fs:
            m = short_cache.get(fs)
            if m is None:
                mp = {}
                for pid in fs:
                    for a in lex.person_short.get(pid, []):
                        for k in key_variants(a):
                            if len(k) >= 2:
                                mp.setdefault(k, pid)
                m = short_cache[fs] = AliasMatcher(mp)
            for s, e, key, pid in m.find(n):
                add(pid, lex.entities.get(pid))
        if _HAS_LATIN.search(ln.raw[:MAX_LINE]):
            for eid, edef in discover_latin(ln.raw[:MAX_LINE], lex, None, counts, skip).items():
                add(eid, used.get(eid) or edef)
    return out
