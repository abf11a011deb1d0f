"""Segmentation: consecutive units → claim spans (lists of unit indices)."""
from __future__ import annotations

import re

from app.ingest.fields import Unit, entity_led

MAX_LINES = 7  # a claim grows past this only over continuation lines
HARD_MAX = 8

_TOPIC = re.compile(r"^(对于|针对|关于|至于|谈到|说到|在|除了|面对|随着)")
_STOP3 = re.compile(r"[。！；]$")
_STOP = re.compile(r"[。！!；;]$")


def segment(L: list[Unit], start: int, end: int, flags: dict[str, set[int]], weak_min: int) -> list[list[int]]:
    """Claim spans of L[start:end]; marks the questions and transitions it drops as excluded
    break lines. flags: unit indices matching each cue pattern group (see extract._FLAGS)."""
    spans: list[list[int]] = []
    cur: list[int] = []
    f_start, f_weak, f_cont, f_trans = flags["start"], flags["weak"], flags["cont"], flags["transition"]

    def close():
        nonlocal cur
        if cur:
            spans.append(cur)
        cur = []

    def only_marker(idxs: list[int]) -> bool:
        """The open claim so far is a connective or a topic phrase that needs what follows."""
        if len(idxs) != 1:
            return False
        u = L[idxs[0]]
        t = u.n
        if u.cue is not None and len(t) <= 10:
            return True
        return len(t) <= 4 or bool(_TOPIC.match(t)) and not _STOP3.search(t)

    def open_speakers(idxs: list[int]):
        for i in idxs[:2]:
            if L[i].cue is not None:
                return L[i].cue.speakers
        return None

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
        elif only_marker(cur):
            new = False
        elif cue and cue.kind == "pronoun" and len(cur) < 4 and open_speakers(cur) == cue.speakers:
            new = False
        elif cue and not (cue.kind == "name" and n.startswith("被")):
            new = True  # only_marker(cur) is False here
        elif entity_led(ln, strict=True):
            new = True
        elif _STOP.search(L[cur[-1]].n):
            new = True
        elif i in f_start:
            new = True
        elif len(cur) >= weak_min and i in f_weak:
            new = True
        elif len(cur) >= 2 and L[cur[-1]].cue is None and entity_led(ln):
            new = True
        elif len(cur) >= MAX_LINES and i not in f_cont:
            new = True
        elif len(cur) >= HARD_MAX:
            new = True
        if new:
            close()
        cur.append(i)
    close()
    return spans
