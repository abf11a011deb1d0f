"""Themes, stance and kind against the majority of three annotators, on the corpus dev golds.

    .venv/bin/python bench/label_consensus.py [--list]

Each corpus gold of bench/devgold/golds.tsv had one annotator; two more labelled the same
spans again, blind to the extractor and to each other (bench/devgold/labels/<A|B|C|D>/NAME.jsonl:
span, themes, stance, kind). The consensus of a claim is the label at least two of the three
gave (a theme counts when most of them gave it). One annotator's taste weighs less there, so
this is the steadier figure for tuning label rules. Prints figures, asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import eval as E  # noqa: E402

LABELS = ROOT / "bench" / "devgold" / "labels"


def _spans(path: Path) -> dict[tuple[int, int], dict]:
    return {(d["line_start"], d["line_end"]): d for d in E.read_jsonl(path)}


def consensus(gold: dict, others: list[dict]) -> dict:
    """The majority labels of a gold claim and the other annotators' labels of its span."""
    votes = [gold] + others
    out = {}
    for field in ("stance", "kind"):
        label, n = Counter(v[field] for v in votes).most_common(1)[0]
        out[field] = label if n >= 2 else None
    themes = Counter(t for v in votes for t in v["themes"])
    out["themes"] = [t for t, n in themes.items() if 2 * n > len(votes)]
    return out


def pairs_of(name: str, gold_path: Path, lines: str, transcript: Path) -> list[tuple[dict, dict]]:
    """(predicted claim, consensus of its best-matching gold claim) for one gold."""
    others = [_spans(p) for p in sorted(LABELS.glob(f"*/{name}.jsonl"))]
    if not others:
        return []
    gold = E.read_jsonl(gold_path)
    rng = tuple(int(x) for x in lines.split("-"))
    pred = [p for p in E.run_extractor(gold, transcript) if E.in_range(p, rng)]
    gold = [g for g in gold if E.in_range(g, rng)]
    agreed = [consensus(g, [o[(g["line_start"], g["line_end"])] for o in others
                            if (g["line_start"], g["line_end"]) in o]) for g in gold]
    out = []
    for p in pred:
        gi, _ = E.best_match(p, gold)
        if gi is not None:
            out.append((p, agreed[gi]))
    return out


def figures(pairs: list[tuple[dict, dict]]) -> dict[str, float]:
    res = {}
    for field in ("stance", "kind"):
        judged = [(p, c) for p, c in pairs if c[field]]
        res[field] = sum(p[field] == c[field] for p, c in judged) / len(judged) if judged else float("nan")
    tp = sum(len(set(p["themes"]) & set(c["themes"])) for p, c in pairs)
    fp = sum(len(set(p["themes"]) - set(c["themes"])) for p, c in pairs)
    fn = sum(len(set(c["themes"]) - set(p["themes"])) for p, c in pairs)
    res["theme"] = E.prf(tp, fp, fn)["f1"]
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="print each disagreement with the consensus")
    args = ap.parse_args()
    print(f"{'gold':<8}{'claims':>8}{'theme':>8}{'stance':>8}{'kind':>8}")
    everything = []
    for line in E.GOLDS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, gold_path, lines, transcript = line.split("\t")
        if transcript == "-" or not (E.ROOT / gold_path).exists():
            continue
        path = Path(transcript.replace("{corpus}", str(E.CORPUS)))
        if not path.exists():
            continue
        pairs = pairs_of(name, E.ROOT / gold_path, lines, path)
        if not pairs:
            continue
        everything += pairs
        f = figures(pairs)
        print(f"{name:<8}{len(pairs):>8}{f['theme']:8.3f}{f['stance']:8.3f}{f['kind']:8.3f}")
        if args.list:
            for p, c in pairs:
                wrong = [k for k in ("stance", "kind") if c[k] and p[k] != c[k]]
                if wrong or set(p["themes"]) != set(c["themes"]):
                    print(f"  {p['line_start']}-{p['line_end']} pred {p['stance']}/{p['kind']}/{p['themes']} "
                          f"consensus {c['stance']}/{c['kind']}/{c['themes']}  {p['text'][:60]}")
    if everything:
        f = figures(everything)
        print(f"{'all':<8}{len(everything):>8}{f['theme']:8.3f}{f['stance']:8.3f}{f['kind']:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
