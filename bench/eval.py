"""Score extracted claims against a gold annotation (rules of /work/shared/eval/README.md).

    .venv/bin/python bench/eval.py [--gold GOLD.jsonl] [--pred EXPORT.jsonl] [--lines A-B]

--lines A-B scores a partly annotated file: gold claims and predicted claims are kept
only where they overlap lines A..B (predictions are not clipped), e.g.
    .venv/bin/python bench/eval.py --gold bench/devgold/claims-003-part.jsonl --lines 1-260

Without --pred the extractor runs on the gold's transcript (data/transcripts, episode from
data/episodes.yaml), or on --transcript PATH with an empty manifest. Gold claims need no
`text` field (golds of corpus files outside the repo keep only spans and labels).
--gold-spans cuts the extractor's claims where the gold's claims are, so that speakers, entities,
themes, stance and kind are scored apart from segmentation (boundary F1 is then 1 by construction).

Matching: each predicted claim is paired with the gold claim whose
line span it overlaps most (ties: the earlier gold claim); boundary P/R/F1 count pairs with
line-set Jaccard >= 0.5 (recall: gold claims that some prediction matches that way).
Speaker, entity, theme, stance and kind figures are taken over all overlapping pairs.
"""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_GOLD = Path("/work/shared/eval/claims-000.jsonl")


def lines_of(c: dict) -> set[int]:
    return set(range(int(c["line_start"]), int(c["line_end"]) + 1))


def jaccard(a: dict, b: dict) -> float:
    x, y = lines_of(a), lines_of(b)
    return len(x & y) / len(x | y) if x | y else 0.0


def best_match(claim: dict, others: list[dict]) -> tuple[int | None, int]:
    """Index of the claim in `others` that `claim` overlaps most (None if none) and the overlap."""
    best, best_ov = None, 0
    s, e = int(claim["line_start"]), int(claim["line_end"])
    for i, o in enumerate(others):
        ov = min(e, int(o["line_end"])) - max(s, int(o["line_start"])) + 1
        if ov > best_ov:
            best, best_ov = i, ov
    return best, best_ov


def accepted(pred_speakers, gold: dict) -> bool:
    """Predicted speakers (as a set) equal the gold ones or one of the accepted readings."""
    p = set(pred_speakers or [])
    readings = [set(gold.get("speakers") or [])] + [set(a) for a in gold.get("speakers_alt") or []]
    return p in readings


def names_person(speakers) -> bool:
    return any(s != "narrator" for s in speakers or [])


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def score(gold: list[dict], pred: list[dict]) -> dict:
    """Every figure of the README as a dict (ratios in 0..1; None where undefined)."""
    pairs = []  # (pred, gold)
    for p in pred:
        gi, ov = best_match(p, gold)
        if gi is not None:
            pairs.append((p, gold[gi]))
    # boundaries
    b_tp = sum(1 for p, g in pairs if jaccard(p, g) >= 0.5)
    gold_hit = set()
    for p, g in pairs:
        if jaccard(p, g) >= 0.5:
            gold_hit.add(id(g))
    bp = b_tp / len(pred) if pred else 0.0
    br = len(gold_hit) / len(gold) if gold else 0.0
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0
    # speakers
    sp_ok = sum(1 for p, g in pairs if accepted(p.get("speakers"), g))
    named = [(p, g) for p, g in pairs if names_person(p.get("speakers"))]
    named_ok = sum(1 for p, g in named if accepted(p.get("speakers"), g))
    both = [(p, g) for p, g in named if names_person(g.get("speakers"))]
    both_ok = sum(1 for p, g in both if accepted(p.get("speakers"), g))
    # named recall: gold claims naming a person, their best predicted claim gives exactly them
    g_named = [g for g in gold if names_person(g.get("speakers"))]
    nr_ok = 0
    for g in g_named:
        pi, _ = best_match(g, pred)
        if pi is not None and set(pred[pi].get("speakers") or []) == set(g["speakers"]):
            nr_ok += 1
    # line level
    cover: dict[int, dict] = {}
    for p in pred:
        for ln in lines_of(p):
            cover.setdefault(ln, p)
    gl_total = gl_ok = 0
    for g in gold:
        for ln in lines_of(g):
            gl_total += 1
            p = cover.get(ln)
            if p is not None and accepted(p.get("speakers"), g):
                gl_ok += 1
    # entities / themes micro
    def micro(field: str) -> dict:
        tp = fp = fn = 0
        for p, g in pairs:
            ps, gs = set(p.get(field) or []), set(g.get(field) or [])
            tp += len(ps & gs)
            fp += len(ps - gs)
            fn += len(gs - ps)
        if not tp + fp + fn:  # neither side names one: nothing to score (not 0)
            return {"p": None, "r": None, "f1": None, "tp": 0, "fp": 0, "fn": 0}
        return prf(tp, fp, fn)

    def acc(field: str) -> float | None:
        return sum(1 for p, g in pairs if p.get(field) == g.get(field)) / len(pairs) if pairs else None

    return {
        "n_gold": len(gold),
        "n_pred": len(pred),
        "n_pairs": len(pairs),
        "boundary": {"p": bp, "r": br, "f1": bf},
        "speaker_acc": sp_ok / len(pairs) if pairs else None,
        "named_precision": named_ok / len(named) if named else None,
        "named_recall": nr_ok / len(g_named) if g_named else None,
        "person_agreement": both_ok / len(both) if both else None,
        "line_speaker_acc": gl_ok / gl_total if gl_total else None,
        "entities": micro("entities"),
        "themes": micro("themes"),
        "stance_acc": acc("stance"),
        "kind_acc": acc("kind"),
    }


def in_range(c: dict, rng: tuple[int, int]) -> bool:
    return int(c["line_start"]) <= rng[1] and int(c["line_end"]) >= rng[0]


def errors(gold: list[dict], pred: list[dict]) -> str:
    """One row per predicted claim whose speakers are not accepted or whose span misses."""
    out = []
    for p in pred:
        gi, _ = best_match(p, gold)
        g = gold[gi] if gi is not None else None
        sp_ok = g is not None and accepted(p.get("speakers"), g)
        b_ok = g is not None and jaccard(p, g) >= 0.5
        if sp_ok and b_ok:
            continue
        gtxt = "-" if g is None else (f"{g['line_start']}-{g['line_end']} {g['speakers']}"
                                      f" alt={g.get('speakers_alt') or []}")
        out.append(f"{'SPK' if not sp_ok else '   '} {'BND' if not b_ok else '   '} "
                   f"pred {p['line_start']}-{p['line_end']} {p.get('speakers')} "
                   f"({p.get('attribution')}@{p.get('cue_line')}) | gold {gtxt} | {p.get('text', '')[:40]}")
    return "\n".join(out)


def read_jsonl(path: Path) -> list[dict]:
    """The claims of a JSONL file; a malformed one stops the run with its file and line."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            claim = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{n}: not JSON ({exc.msg})") from None
        alt = claim.get("speakers_alt") or []
        if not isinstance(alt, list) or not all(isinstance(a, list) and all(isinstance(x, str) for x in a) for a in alt):
            raise SystemExit(f"{path}:{n}: speakers_alt must be a list of speaker lists, like [[\"narrator\"]]")
        out.append(claim)
    return out


def run_extractor(gold: list[dict], transcript: Path | None = None, use_folder_manifest: bool = True) -> list[dict]:
    """Extract the gold's transcript: data/transcripts/FILE with its manifest entry, or
    `transcript` (a file outside data/transcripts) with its folder's manifest (the corpus'
    episodes.jsonl: title, date, the people's English names, no roles), as ingest does."""
    from app.ingest.extract import extract_claims
    from app.ingest.manifest import episode_for_file, folder_manifest, load_manifest

    fname = gold[0]["file"]
    if transcript is not None:
        path = Path(transcript)
        # as `podclaims ingest FOLDER` does: the folder's own manifest, if it has one
        found = folder_manifest(path.parent) if use_folder_manifest else None
        manifest = load_manifest(found) if found else {}
    else:
        path = ROOT / "data" / "transcripts" / fname
        manifest = load_manifest(ROOT / "data" / "episodes.yaml")
    ep = episode_for_file(path, manifest)
    lines = path.read_text(encoding="utf-8").splitlines()
    ex = extract_claims(lines, ep)
    return [
        {"file": fname, "line_start": c.line_start, "line_end": c.line_end, "text": c.text,
         "speakers": c.speakers, "attribution": c.attribution, "cue_line": c.cue_line,
         "entities": c.entities, "themes": c.themes, "stance": c.stance, "kind": c.kind}
        for c in ex.claims
    ]


@contextmanager
def gold_spans(gold: list[dict]):
    """While open, the extractor cuts its claims where the gold's claims are (its own cuts still
    run first for what they mark: questions, transitions)."""
    import app.ingest.extract as extract

    cut = extract.segment

    def forced(L, start, end, flags, weak_min):
        cut(L, start, end, flags, weak_min)
        units: dict[int, list[int]] = {}
        for u in L:
            units.setdefault(u.line, []).append(u.idx)
        spans = [[i for ln in range(int(g["line_start"]) - 1, int(g["line_end"])) for i in units.get(ln, ())]
                 for g in gold]
        return [sp for sp in spans if sp]

    extract.segment = forced
    try:
        yield
    finally:
        extract.segment = cut


def table(s: dict) -> str:
    f = lambda x: "  n/a" if x is None else f"{x:.3f}"  # noqa: E731
    rows = [
        ("claims gold / pred / pairs", f"{s['n_gold']} / {s['n_pred']} / {s['n_pairs']}"),
        ("boundary P / R / F1", f"{f(s['boundary']['p'])} / {f(s['boundary']['r'])} / {f(s['boundary']['f1'])}"),
        ("speaker accuracy", f(s["speaker_acc"])),
        ("named precision", f(s["named_precision"])),
        ("named recall", f(s["named_recall"])),
        ("person agreement", f(s["person_agreement"])),
        ("line-level speaker accuracy", f(s["line_speaker_acc"])),
        ("entity P / R / F1", f"{f(s['entities']['p'])} / {f(s['entities']['r'])} / {f(s['entities']['f1'])}"),
        ("theme P / R / F1", f"{f(s['themes']['p'])} / {f(s['themes']['r'])} / {f(s['themes']['f1'])}"),
        ("stance accuracy", f(s["stance_acc"])),
        ("kind accuracy", f(s["kind_acc"])),
    ]
    w = max(len(a) for a, _ in rows)
    return "\n".join(f"{a:<{w}}  {b}" for a, b in rows)


GOLDS = ROOT / "bench" / "devgold" / "golds.tsv"
CORPUS = ROOT.parent / "shared" / "corpus" / "bestpartners"


def score_all(listing: Path = GOLDS, use_folder_manifest: bool = True, with_gold_spans: bool = False) -> int:
    """One row of the main figures per gold of `listing` (the official gold and the dev golds)."""
    keys = [("bnd", lambda s: s["boundary"]["f1"]), ("spk", lambda s: s["speaker_acc"]),
            ("n.prec", lambda s: s["named_precision"]), ("n.rec", lambda s: s["named_recall"]),
            ("ent", lambda s: s["entities"]["f1"]), ("theme", lambda s: s["themes"]["f1"]),
            ("stance", lambda s: s["stance_acc"]), ("kind", lambda s: s["kind_acc"])]
    print(f"{'gold':<8}" + "".join(f"{k:>8}" for k, _ in keys))
    rows = []
    for line in listing.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, gold_path, lines, transcript = line.split("\t")
        transcript_path = None if transcript == "-" else Path(transcript.replace("{corpus}", str(CORPUS)))
        missing = [p for p in (ROOT / gold_path, transcript_path) if p is not None and not p.exists()]
        if missing:
            print(f"{name:<8}  (not found: {missing[0]})")
            continue
        gold = read_jsonl(ROOT / gold_path)
        rng = tuple(int(x) for x in lines.split("-")) if lines != "-" else None
        if rng:
            gold = [g for g in gold if in_range(g, rng)]
        if with_gold_spans:
            with gold_spans(gold):
                pred = run_extractor(gold, transcript_path, use_folder_manifest)
        else:
            pred = run_extractor(gold, transcript_path, use_folder_manifest)
        if rng:
            pred = [p for p in pred if in_range(p, rng)]
        s = score(gold, pred)
        vals = [get(s) for _, get in keys]
        rows.append(vals)
        print(f"{name:<8}" + "".join("     n/a" if v is None else f"{v:8.3f}" for v in vals))
    if len(rows) > 1:
        cols = [[r[i] for r in rows if r[i] is not None] for i in range(len(keys))]
        print(f"{'mean':<8}" + "".join(f"{sum(c) / len(c):8.3f}" if c else "     n/a" for c in cols))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--pred", type=Path, default=None, help="JSONL export (default: run the extractor)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    ap.add_argument("--lines", default=None, help="A-B: score only claims overlapping lines A..B")
    ap.add_argument("--errors", action="store_true", help="list speaker/boundary disagreements")
    ap.add_argument("--transcript", type=Path, default=None,
                    help="transcript outside data/transcripts (its folder's manifest, if any, as ingest reads it)")
    ap.add_argument("--no-folder-manifest", action="store_true",
                    help="ignore the transcript folder's manifest: the people are found in the text alone")
    ap.add_argument("--all", action="store_true", help=f"a table over every gold listed in {GOLDS.relative_to(ROOT)}")
    ap.add_argument("--gold-spans", action="store_true",
                    help="cut the extractor's claims where the gold's are: labels scored apart from segmentation")
    a = ap.parse_args(argv)
    if a.all:
        return score_all(use_folder_manifest=not a.no_folder_manifest, with_gold_spans=a.gold_spans)
    gold = read_jsonl(a.gold)
    rng = None
    if a.lines:
        lo, hi = (int(x) for x in a.lines.split("-"))
        rng = (lo, hi)
        gold = [g for g in gold if in_range(g, rng)]
    if a.pred:
        pred = read_jsonl(a.pred)
        files = {g["file"] for g in gold}
        pred = [p for p in pred if p.get("file", next(iter(files))) in files] or pred
    elif a.gold_spans:
        with gold_spans(gold):
            pred = run_extractor(gold, a.transcript, not a.no_folder_manifest)
    else:
        pred = run_extractor(gold, a.transcript, not a.no_folder_manifest)
    if rng:
        pred = [p for p in pred if in_range(p, rng)]
    s = score(gold, pred)
    print(table(s))
    if a.errors:
        print(errors(gold, pred))
    if a.json:
        print(json.dumps(s, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
