"""Themes, stance and kind of a claim, by rules over data/lexicon/{themes,classify}.yaml.

Stance: weighted cue words (praise > 0, criticism < 0; weight 0 = a word that only blocks a
shorter cue inside it), flipped by a negator just before them ("最不混乱" is praise,
"并不便宜" is not), dropped inside a goal or backdrop clause (为了确保稳定性, 随着技术的进步); a contrast marker inside the claim splits it: opposite sides of enough
weight make it `mixed`, otherwise the later clause counts more. Below the margin: neutral.

Kind: weighted cues and patterns per kind, plus evaluation (stance cue mass) as evidence of
an opinion. Advice and prediction are marked (建议, 将会): each wins outright once its score
reaches its `first` level, in that order; otherwise the best kind wins if it reaches the
threshold, else the default.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache, partial
from operator import itemgetter

from app.lexicon import AliasMatcher, Lexicon, alternation, norm, words_rx
from app.memo import Memo

KINDS = ("prediction", "advice", "fact", "opinion")


def _weighted(groups) -> dict[str, float]:
    """{weight: [words]} (or a plain list = weight 1) → {folded word: weight}."""
    out: dict[str, float] = {}
    if isinstance(groups, list):
        groups = {1.0: groups}
    for w, words in (groups or {}).items():
        for x in words or []:
            k = norm(str(x)).strip()
            if k:
                out[k] = float(w)
    return out


def _alt_rx(words) -> re.Pattern:
    return re.compile(alternation(norm(str(w)) for w in words or []))


@lru_cache(maxsize=4)
def _tables(lex_id: int, lex: Lexicon) -> dict:
    # one matcher over every theme keyword (value = theme id list joined by '|')
    kw: dict[str, list[str]] = {}
    for tid, words in lex.theme_keywords.items():
        for w in words:
            kw.setdefault(w, []).append(tid)
    for w in lex.theme_cfg.get("shadow_keywords") or []:  # no theme; they hide shorter keywords
        kw.setdefault(norm(str(w)), [])
    hints: dict[str, list[str]] = {}
    for tid, ids in lex.theme_entity_hints.items():
        for i in ids:
            hints.setdefault(i, []).append(tid)
    st = lex.classify.get("stance") or {}
    kd = lex.classify.get("kind") or {}
    # kind cues: one matcher, value = (kind, weight); "none" entries only block shorter keys
    kind_words: dict[str, tuple[str, float]] = {}
    for k in KINDS + ("none",):
        for w, wt in _weighted(kd.get(k)).items():
            kind_words.setdefault(w, (k, 0.0 if k == "none" else wt))
    cond = kd.get("conditional") or {}
    for w in cond.get("words") or []:  # 如果, 一旦 …: value (kind "conditional", its opinion weight)
        kind_words.setdefault(norm(str(w)), ("conditional", float(cond.get("opinion", 0.0))))
    pats = []
    for k, plist in (kd.get("patterns") or {}).items():
        for p, wt in (plist or {}).items():
            pats.append((k, float(wt), re.compile(str(p))))
    bias = {k: float(v) for k, v in (kd.get("bias") or {}).items()}
    return {
        "theme_m": AliasMatcher({k: "|".join(v) for k, v in kw.items()}),
        "hints": hints,
        # a keyword's score in themes_at (longer keywords weigh more), its theme ids
        "theme_add": Memo(partial(_keyword_add, float(lex.theme_cfg.get("keyword_weight", 1.0)))),
        "theme_tids": Memo(_theme_ids),
        "theme_tids_unique": Memo(_unique_theme_ids),
        "hint_w": float(lex.theme_cfg.get("entity_hint_weight", 0.6)),
        "ratio": float(lex.theme_cfg.get("secondary_ratio", 0.5)),
        "fallback": lex.theme_cfg.get("fallback", "industry"),
        "kw_unique": bool(lex.theme_cfg.get("keyword_unique", False)),
        "kw_cap": float(lex.theme_cfg.get("keyword_cap", 0) or 0),
        "doc_w": float(lex.theme_cfg.get("document_weight", 0) or 0),
        "doc_top": int(lex.theme_cfg.get("document_themes", 2)),
        "prev_w": tuple(float(w) for w in lex.theme_cfg.get("previous_weights", (0.8, 0.4))),
        "pol_m": AliasMatcher(_weighted(st.get("cues"))),
        "negators": tuple(sorted({norm(str(w)) for w in st.get("negators") or []}, key=len, reverse=True)),
        "neg_rx": words_rx(st.get("negators")),
        "neg_exempt": tuple(norm(str(w)) for w in st.get("negator_exempt") or []),
        "neg_breaks": words_rx(st.get("negator_breaks")),
        "neg_window": int(st.get("negator_window", 3)),
        "reducer_rx": _alt_rx(st.get("reducers")),
        "reducer_window": int(st.get("reducer_window", 6)),
        "resolved_rx": words_rx(st.get("resolved_after")),
        "resolved_window": int(st.get("resolved_window", 10)),
        "frame_rx": re.compile(str(st["frames"])) if st.get("frames") else None,
        "frame_window": int(st.get("frame_window", 10)),
        "need_rx": re.compile(str(st["need_frames"])) if st.get("need_frames") else None,
        "directional": {norm(str(w)) for w in st.get("directional") or []},
        "cost_rx": _alt_rx(st.get("cost_nouns")),
        "contrast": _alt_rx(st.get("contrast")),
        "contrast_min_pos": int(st.get("contrast_min_pos", 4)),
        "later_w": float(st.get("later_weight", 1.5)),
        "margin": float(st.get("margin", 1.0)),
        "mixed_min": float(st.get("mixed_min", 1.0)),
        "kind_m": AliasMatcher(kind_words),
        "kind_pats": pats,
        # the kind pattern naming a year (its group 1) that is a forecast only after the episode's year
        "kind_dated": str(kd.get("dated_pattern") or ""),
        "eval_w": float(kd.get("evaluation_weight", 0.0)),
        "kind_base": _kind_base(bias),  # kind_scores_at's start: 0 per kind plus the bias
        # a claim a person makes starts further toward their judgement (data: kind.person_bias)
        "kind_base_person": _kind_base(bias, kd.get("person_bias") or {}),
        "kind_min": float(kd.get("threshold", 1.0)),
        "cond_damp": float(cond.get("prediction_factor", 1.0)),
        "kind_first": [(str(k), float(v)) for k, v in (kd.get("first") or {}).items()],
        "kind_default": kd.get("default", "opinion"),
        "kind_default_person": kd.get("default_person") or kd.get("default", "opinion"),
    }


def _keyword_add(kw_w: float, key: str) -> float:
    return kw_w * (1.0 + 0.1 * min(len(key), 6))


def _kind_base(*biases: dict) -> dict[str, float]:
    """0 per kind plus each of the biases."""
    sc = dict.fromkeys(KINDS, 0.0)
    for bias in biases:
        for k, b in bias.items():
            sc[k] = sc.get(k, 0.0) + float(b)
    return sc


def tables(lex: Lexicon) -> dict:
    return _tables(id(lex), lex)


def themes_for(ntext: str, entities: list[str], lex: Lexicon, previous: list[str] | None = None,
               hits: list | None = None, doc_prior: dict[str, float] | None = None) -> list[str]:
    """hits: the theme keyword matches of ntext when already known (app/ingest/scan.py);
    doc_prior: document_theme_prior of the document the text is part of."""
    t = tables(lex)
    return themes_at(t["theme_m"].find(ntext) if hits is None else hits, 0, entities, previous, t, doc_prior)


def document_theme_prior(hits: list, t: dict) -> dict[str, float]:
    """The themes a document is mostly about, from all its keyword matches: {theme: weight},
    its top themes weighted by their share of the top one's evidence (document_weight)."""
    if not t["doc_w"]:
        return {}
    total: dict[str, float] = {}
    # (each keyword value counted first, at C speed: whole counts add up exactly)
    for val, n in Counter(map(itemgetter(3), hits)).items():
        for tid in t["theme_tids"][val]:
            total[tid] = total.get(tid, 0.0) + n
    if not total:
        return {}
    ranked = sorted(total, key=total.__getitem__, reverse=True)[: t["doc_top"]]
    top = total[ranked[0]]
    return {tid: t["doc_w"] * total[tid] / top for tid in ranked}


def themes_at(hits: list, base: int, entities: list[str], previous: list[str] | None, t: dict,
              doc_prior: dict[str, float] | None = None) -> list[str]:
    """Themes of a claim from its keyword matches (positions offset by base); doc_prior: a
    small score per theme of what the whole document is about (document_theme_prior)."""
    score: dict[str, float] = dict(doc_prior) if doc_prior else {}
    order: dict[str, int] = {}
    if hits:
        # each claim sees few keywords, but a document's claims see the same ones over and over:
        # a keyword's weight and its theme ids are worked out once (see _tables)
        adds = t["theme_add"]
        if t["kw_unique"]:
            # a keyword repeated in one claim counts once (its theme ids without repeats)
            tids_of, seen = t["theme_tids_unique"], set()
        else:
            tids_of, seen = t["theme_tids"], None
        get = score.get
        for s, e, key, val in hits:
            if seen is not None:
                if key in seen:
                    continue
                seen.add(key)
            add = adds[key]
            for tid in tids_of[val]:
                score[tid] = get(tid, 0.0) + add
                if tid not in order:
                    order[tid] = s - base
    cap = t["kw_cap"]
    if cap:
        # keyword evidence saturates: one topic's many words do not drown a second topic
        score = {k: min(v, cap) for k, v in score.items()}
    if entities:
        hints, hint_w = t["hints"], t["hint_w"]
        for eid in entities:
            for tid in hints.get(eid, ()):
                score[tid] = score.get(tid, 0.0) + hint_w
                order.setdefault(tid, 10_000)
    if previous:
        # neighbouring claims share a topic: a small pull toward the previous claim's themes
        for i, (tid, w) in enumerate(zip(previous, t["prev_w"])):
            score[tid] = score.get(tid, 0.0) + w
            order.setdefault(tid, 20_000 + i)
    if not score:
        return [t["fallback"]]
    order_of = order.get
    ranked = sorted(score, key=lambda k: (-score[k], order_of(k, 0)))
    top = score[ranked[0]]
    out = [ranked[0]]
    if len(ranked) > 1:
        least = t["ratio"] * top
        for tid in ranked[1:3]:
            if score[tid] >= least and score[tid] >= 1.0:
                out.append(tid)
    return out


def _theme_ids(val: str) -> tuple[str, ...]:
    """The theme ids of a theme keyword's value ('a|b' → a, b; '' → none: a shadow keyword)."""
    return tuple(tid for tid in val.split("|") if tid)


def _unique_theme_ids(val: str) -> tuple[str, ...]:
    """_theme_ids without repeats: a keyword that counts once per claim counts once per theme."""
    return tuple(dict.fromkeys(_theme_ids(val)))


_TO_NUMBER = re.compile(r"(?:了|到了|到|至|为|了约|到约)\s*(?:约|大约)?\s*[0-9一二三四五六七八九十两百千万]")
_CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")
_LAST_CLAUSE_END = re.compile(r".*" + _CLAUSE_END.pattern, re.S)  # (its end: just after the last one)


def polar_cues(ntext: str, lex: Lexicon, hits: list | None = None) -> list[tuple[int, str, float]]:
    """[(position, cue, signed weight)] of the stance cues in a claim.

    A cue is flipped by a negator or a reducer (解决/减少/弥补 …) shortly before it in the same
    clause and after the previous cue; a directional cue (提升, 下降 …) is flipped after a
    cost noun (成本更高 is bad news, 成本下降 good).
    """
    t = tables(lex)
    return cues_at(ntext, 0, t["pol_m"].find(ntext) if hits is None else hits, t)


def _negated(text: str, lo: int, s: int, e: int, a: int, neg_rx, neg_breaks, exempt: tuple) -> bool:
    """Whether a negator in text[lo:s] flips the cue text[s:e]: one that is no part of a word
    it only looks like (不仅, 毫不, 非常, 不可或缺: negator_exempt), and whose scope no break
    ends before the cue (没榨干而焦虑: 而 ends the 没 of another verb). 不仅没有任何危机 is
    negated: 不仅 is exempt, 没有 is not."""
    for nm in neg_rx.finditer(text, lo, s):
        if neg_breaks is not None and neg_breaks.search(text, nm.end(), s):
            continue
        if not _inside_exempt(text, nm.start(), nm.end(), a, e, exempt):
            return True
    return False


def _inside_exempt(text: str, i: int, j: int, a: int, e: int, exempt: tuple) -> bool:
    """Whether text[i:j] overlaps an exempt word (searched within text[a:e])."""
    for x in exempt:
        hi = min(e, j + len(x) - 1)
        k = text.find(x, max(a, i - len(x) + 1), hi)
        while k >= 0:
            if k < j and k + len(x) > i:
                return True
            k = text.find(x, k + 1, hi)
    return False


def cues_at(text: str, a: int, hits: list, t: dict) -> list[tuple[int, str, float]]:
    """polar_cues of the claim text[a:…] whose cue matches (absolute positions) are hits."""
    if not hits:
        return []
    out = []
    win, neg_rx, exempt, neg_breaks = t["neg_window"], t["neg_rx"], t["neg_exempt"], t["neg_breaks"]
    red_rx, red_w, directional, cost_rx = t["reducer_rx"], t["reducer_window"], t["directional"], t["cost_rx"]
    res_rx, res_w = t["resolved_rx"], t["resolved_window"]
    frame_rx, frame_w, need_rx = t["frame_rx"], t["frame_window"], t["need_rx"]
    reach = max(win, red_w, frame_w)
    prev_end = a
    # (the word lists' patterns, plain alternatives with no look-around, search text between
    # two positions as they would the slice; frames and needs are free patterns: sliced)
    for s, e, key, w in hits:
        if not w:
            prev_end = e
            continue
        # each window before the cue (frame, negator, reducer) ends at the clause's start: just
        # after the last clause end within the widest of them (a, the claim's start: none there)
        back = max(a, s - reach)
        cut = _LAST_CLAUSE_END.match(text, back, s)
        clause = cut.end() if cut else a
        if frame_rx is not None or need_rx is not None:
            # 为了确保稳定性 / 随着技术的进步: a goal or a backdrop, not a judgement
            fb = text[max(clause, s - frame_w):s]
            # 需要强大的网络: a requirement, not praise (需要解决的问题 is still a problem)
            if (frame_rx is not None and frame_rx.search(fb)) or (w > 0 and need_rx is not None and need_rx.search(fb)):
                prev_end = e
                continue
        lo = max(prev_end, s - win, clause)
        if neg_rx is not None and _negated(text, lo, s, e, a, neg_rx, neg_breaks, exempt):
            w = -w
        rm = None  # a reducer governs its whole clause
        for rm in red_rx.finditer(text, max(clause, s - red_w), s):
            pass
        # …减少的担忧 (a worry about a decrease): the reducer modifies the cue, not its object
        if rm is not None and not text.startswith("的", rm.end(), s):
            w = -w
        if w < 0 and res_rx is not None:  # 所有瓶颈都能在两三年内化解: a problem resolved after it
            end = _CLAUSE_END.search(text, e, e + res_w)
            if res_rx.search(text, e, end.start() if end else e + res_w):
                w = -w
        if key in directional:
            if cost_rx.search(text, max(prev_end, s - 6), s):
                w = -w
            if _TO_NUMBER.match(text, e):
                prev_end = e  # 从400瓦提升到了700瓦: a measured change, described, not judged
                continue
        out.append((s, key, w))
        prev_end = e
    return out


def stance_score(ntext: str, lex: Lexicon, cues: list | None = None) -> tuple[str, float, float]:
    """(stance, weight before the contrast, weight after it)."""
    t = tables(lex)
    if cues is None:
        cues = polar_cues(ntext, lex)
    if not cues:
        return "neutral", 0.0, 0.0
    split = None
    for m in t["contrast"].finditer(ntext):
        if m.start() >= t["contrast_min_pos"]:
            split = m.start()
            break
    return stance_split(cues, split, t)


def stance_split(cues: list, split: int | None, t: dict) -> tuple[str, float, float]:
    """stance_score of cues whose contrast (same positions) is at split."""
    if not cues:
        return "neutral", 0.0, 0.0
    if split is None:
        pre, post = sum(w for _, _, w in cues), 0.0
    else:
        pre = sum(w for s, _, w in cues if s < split)
        post = sum(w for s, _, w in cues if s >= split)
        if pre * post < 0 and min(abs(pre), abs(post)) >= t["mixed_min"]:
            return "mixed", pre, post
    total = pre + t["later_w"] * post
    if total >= t["margin"]:
        return "positive", pre, post
    if total <= -t["margin"]:
        return "negative", pre, post
    return "neutral", pre, post


def stance_for(ntext: str, lex: Lexicon) -> str:
    return stance_score(ntext, lex)[0]


def kind_scores(ntext: str, lex: Lexicon, cues: list | None = None, hits: list | None = None) -> dict[str, float]:
    t = tables(lex)
    counts = {i: n for i, (_, _, rx) in enumerate(t["kind_pats"]) for n in [len(rx.findall(ntext))] if n}
    return kind_scores_at(t["kind_m"].find(ntext) if hits is None else hits, counts,
                          polar_cues(ntext, lex) if cues is None else cues, t)


def kind_scores_at(hits: list, pat_counts: dict[int, int], cues: list, t: dict, person: bool = False) -> dict[str, float]:
    """Kind scores from the kind cue matches, the match count of each kind pattern that matched
    ({index in kind_pats: count}), the stance cues (person: the claim is a person's, not the
    narrator's)."""
    sc = dict(t["kind_base_person" if person else "kind_base"])
    conditional: float | None = None  # the opinion weight of a condition word, when there is one
    for s, e, key, (k, w) in hits:
        if k in sc:
            sc[k] += w
        elif k == "conditional":
            conditional = w
    if pat_counts:
        pats = t["kind_pats"]
        for i in sorted(pat_counts):  # (in the patterns' order: the same sums to the last bit)
            k, w, _ = pats[i]
            sc[k] += w * min(pat_counts[i], 3)
    if t["eval_w"]:
        mass = sum([abs(w) for _, _, w in cues])
        sc["opinion"] += t["eval_w"] * min(mass, 4.0)
    if conditional is not None:
        # a condition (如果…就会…) reasons about how a thing behaves: an argument, seldom a forecast
        sc["prediction"] *= t["cond_damp"]
        sc["opinion"] += conditional
    return sc


def stance_and_kind(ntext: str, lex: Lexicon, pol_hits: list | None = None,
                    kind_hits: list | None = None) -> tuple[str, str]:
    """Both labels of a claim, its stance cues found once (matches passed in when known)."""
    cues = polar_cues(ntext, lex, pol_hits)
    return stance_score(ntext, lex, cues)[0], kind_for(ntext, lex, cues, kind_hits)


def kind_for(ntext: str, lex: Lexicon, cues: list | None = None, hits: list | None = None) -> str:
    return kind_pick(kind_scores(ntext, lex, cues, hits), tables(lex))


def kind_pick(sc: dict[str, float], t: dict, person: bool = False) -> str:
    """The kind of the scores; with no cue strong enough, the default (a person's claim has
    its own: what someone is reported to say, with no fact to show for it, is their view)."""
    for k, need in t["kind_first"]:
        if sc.get(k, 0.0) >= need:
            return k
    best = max(KINDS, key=sc.__getitem__)
    if sc[best] < t["kind_min"]:
        return t["kind_default_person" if person else "kind_default"]
    return best
