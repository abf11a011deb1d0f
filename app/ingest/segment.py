"""Segmentation: consecutive units → claim spans (lists of unit indices)."""
from __future__ import annotations

import re

from app.ingest.fields import Unit, entity_led, subject_led

MAX_LINES = 7  # a claim grows past this only over continuation lines
HARD_MAX = MAX_LINES + 1
BALANCE = 0.5  # what one line off the middle of a run costs a cut (a break_score point is a sign of a start)
GAP = 2  # a run cut at the cap is cut again when its first part is this much longer than the second
SUBJECT_MIN = 3  # lines a claim has before a line led by a new subject may start the next

_LEAD = r"^(?:(?:不过|但是|但|而|然而|此外|同时|另外|因此|所以|其中|当然)[，,]?)?"
_TOPIC_WORDS = "对于|针对|关于|至于|谈到|说到|聊到|讲到|谈及|在|面对"
# a line opening on a topic phrase (对于X, 聊到自动驾驶, 在这个领域): it needs what follows
TOPIC_OPENING = re.compile(f"{_LEAD}(?:{_TOPIC_WORDS})")
_TOPIC = re.compile(f"{_LEAD}(?:{_TOPIC_WORDS}|除了|随着)")  # …or an aside (除了…, 随着…)
_STOP3 = ("。", "！", "；")  # a unit ending with one of these ends a sentence (units hold no "\n")
_STOP = ("。", "！", "!", "；", ";")
_DEMONSTRATIVE = re.compile(r"^(这(种|个|些|一|样|意味着|也)|该|此外)")


def _marker(u: Unit) -> bool:
    """Unit u alone is a connective or a topic phrase that needs what follows."""
    t = u.n
    if u.cue is not None and len(t) <= 10:
        return True
    return len(t) <= 4 or bool(_TOPIC.match(t)) and not t.endswith(_STOP3)


def segment(L: list[Unit], start: int, end: int, flags: dict[str, set[int]], weak_min: int) -> list[list[int]]:
    """Claim spans of L[start:end]; marks the questions and transitions it drops as excluded
    break lines. flags: unit indices matching each cue pattern group (see scan.LINE_GROUPS)."""
    spans: list[list[int]] = []
    cur: list[int] = []
    capped: list[int] = []  # spans[k] was closed by the length cap, spans[k + 1] starting where it stopped
    f_start, f_weak, f_cont, f_trans = flags["start"], flags["weak"], flags["cont"], flags["transition"]
    f_frame, f_open = flags.get("frame", set()), flags.get("open_end", set())
    f_head = flags.get("heading", set())
    f_words = flags.get("words_next", set())  # a line announcing the words the next lines quote

    def close():
        nonlocal cur
        if cur:
            spans.append(cur)
        cur = []

    def only_marker(idxs: list[int]) -> bool:
        """The open claim so far is a connective or a topic phrase that needs what follows."""
        return len(idxs) == 1 and (_marker(L[idxs[0]]) or idxs[0] in f_head and L[idxs[0]].cue is None)

    def open_speakers(idxs: list[int]):
        for i in idxs[:2]:
            if L[i].cue is not None:
                return L[i].cue.speakers
        return None

    def break_score(j: int, p: int) -> float:
        """How natural a claim start unit j is, right after unit p (> 0: a sentence start)."""
        s = 0.0
        if L[p].n.endswith(_STOP):
            s += 3
        if j in f_start:
            s += 2
        elif j in f_weak:
            s += 1.5
        if j in f_frame:
            s += 2
        u = L[j]
        if _DEMONSTRATIVE.match(u.n):
            s += 1
        if u.hits and (entity_led(u) or u.hits[0][0] == 0):
            s += 1
        if u.cue is not None:
            s += 1
        if j in f_cont:
            s -= 3
        if p in f_open:
            s -= 2
        if p in f_words:  # the words a line announces (…说了一句话 | …) are no new start
            s -= 3
        if _marker(L[p]) or p in f_head:
            s -= 2
        return s

    def cut_at_cap(i: int) -> int | None:
        """A long open claim meets unit i, which does not continue it: the position in cur of
        a more natural start than i (a frame, a new sentence), or None to start at i."""
        here = break_score(i, cur[-1])
        best, best_k = max(1.0, here), None
        for k in range(2, len(cur)):
            sc = break_score(cur[k], cur[k - 1])
            if sc >= best:  # ties: the later start, the longer first claim
                best, best_k = sc, k
        return best_k

    for ln in L[start:end]:
        if ln.excluded:
            close()
            continue
        i = ln.idx
        if ln.question or (not ln.cue and i in f_trans and not ln.hits):
            close()
            ln.excluded = True
            ln.break_line = True
            continue
        cue = ln.cue
        if cue and cue.kind == "question":
            close()
            cur = [i]
            continue
        n = ln.n
        new = False
        if not cur:
            new = True
        elif len(cur) == 1 and only_marker(cur):
            new = False
        elif cur[-1] in f_words and not cue:
            new = False  # 他补充了一句非常重要的话 | 在AI领域…: the words said, not a new point
        elif cue and cue.kind == "pronoun" and len(cur) < 4 and open_speakers(cur) == cue.speakers:
            new = False
        elif cue and not (cue.kind == "name" and n.startswith("被")):
            new = True  # only_marker(cur) is False here
        elif ln.hits and entity_led(ln, strict=True) and cur[-1] not in f_open:  # (ln.hits: a fast no)
            new = True
        elif L[cur[-1]].n.endswith(_STOP):
            new = True
        elif i in f_start:
            new = True
        elif len(cur) >= weak_min and i in f_weak and cur[-1] not in f_open:
            new = True
        elif len(cur) >= 2 and ln.hits and L[cur[-1]].cue is None and cur[-1] not in f_open and entity_led(ln):
            new = True
        elif len(cur) >= SUBJECT_MIN and ln.hits and cur[-1] not in f_open and i not in f_cont and subject_led(ln):
            new = True
        elif (len(cur) >= MAX_LINES and i not in f_cont) or len(cur) >= HARD_MAX:
            k = cut_at_cap(i)
            if k is None:
                new = True
                capped.append(len(spans))
            else:
                spans.append(cur[:k])
                cur = cur[k:]
        if new:
            close()
        cur.append(i)
    close()
    for k in capped:  # (in order; spans[k + 1] holds at least the unit the cap stopped at)
        _rebalance(spans, k, break_score)
    flags["lead"] = _absorb_single_lines(spans, L, f_start, f_weak, f_trans, f_head)
    return spans


def _opens_point(i: int, L: list[Unit], f_start: set[int], f_head: set[int]) -> bool:
    """Unit i starts a point of its own: a start marker, a list heading, a new subject."""
    return i in f_start or i in f_head or bool(L[i].hits) and (entity_led(L[i]) or subject_led(L[i]))


def _question(u: Unit) -> bool:
    """Unit u opens a question (a claim the extraction drops)."""
    return u.cue is not None and u.cue.kind == "question"


def _absorb_single_lines(spans: list[list[int]], L: list[Unit], f_start: set[int], f_weak: set[int],
                         f_trans: set[int], f_head: set[int]) -> set[int]:
    """A claim of one line without a cue is mostly a fragment the cuts left over: one that goes on
    with what came before (同时也保留并增强了…) joins the claim before it, one that needs what follows
    (但德鲁肯米勒第一次重仓英伟达的时候 | 他说…) the claim after it. A line that opens a point of its own
    (不过，这场竞争并非零和博弈) stays alone. Returns the units now leading a claim whose cue, if any,
    is on its second line."""
    leads: set[int] = set()
    k = 0
    while k < len(spans):
        sp = spans[k]
        i = sp[0]
        if len(sp) != 1 or L[i].cue is not None or _opens_point(i, L, f_start, f_head) or i in f_trans:
            k += 1
            continue
        prev = spans[k - 1] if k and spans[k - 1][-1] == i - 1 and len(spans[k - 1]) < MAX_LINES else None
        if prev is not None and _question(L[prev[0]]):
            prev = None
        nxt = spans[k + 1] if k + 1 < len(spans) and spans[k + 1][0] == i + 1 else None
        # (a cue's line may take the lead clause before it: 但X第一次重仓的时候 | 他说…)
        if nxt is not None and (_question(L[nxt[0]])
                                or L[nxt[0]].cue is None and _opens_point(nxt[0], L, f_start, f_head)):
            nxt = None
        ends = L[i].n.endswith(_STOP)
        if i in f_weak and prev is not None:
            prev.append(i)
        elif not ends and nxt is not None:
            nxt.insert(0, i)
            leads.add(i)
        elif not ends and prev is not None:
            prev.append(i)
        else:
            k += 1
            continue
        del spans[k]
    return leads


def _rebalance(spans: list[list[int]], k: int, break_score) -> None:
    """Spans k and k + 1 are one run cut at the cap: cut it where a start is most natural,
    near the middle, instead of after the first MAX_LINES lines."""
    a, b = len(spans[k]), len(spans[k + 1])
    if a - b < GAP:
        return
    run = spans[k] + spans[k + 1]
    m = len(run)
    best, best_j = None, a
    for j in range(max(2, m - MAX_LINES), min(m - 1, MAX_LINES) + 1):
        sc = break_score(run[j], run[j - 1]) - BALANCE * abs(j - m / 2)
        if best is None or sc > best:
            best, best_j = sc, j
    spans[k], spans[k + 1] = run[:best_j], run[best_j:]
