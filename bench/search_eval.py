"""Score search against graded judgments: nDCG@10 and recall@10 per query and mean.

    .venv/bin/python bench/search_eval.py [--db FILE] [--qrels ../shared/eval/qrels-000.tsv] [--all] [--rebuild]
    .venv/bin/python bench/search_eval.py --rebuild --db /tmp/podclaims-eval-003.db \
        --qrels bench/devgold/qrels-003.tsv --transcript data/transcripts/003_353b0cd553e14b08.txt

Ingests the judged transcript (or, with --all, every bundled transcript) into --db
(re-ingesting is a no-op when nothing changed; --rebuild starts from an empty file). Scoring follows ../shared/eval/README.md: each result is credited with
the grade of the judged span (same file) it overlaps most, each judged span at most once;
gain = grade, discount log2(rank + 1); recall counts judged spans found in the top 10.
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
import warnings
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

from app.config import ROOT  # noqa: E402
from app.db import connect  # noqa: E402
from app.search.engine import search_claims  # noqa: E402

DEFAULT_QRELS = ROOT.parent / "shared" / "eval" / "qrels-000.tsv"
QRELS_FILE = "000_6166a09edd707d3d.txt"


def load_qrels(path: Path) -> dict[str, list[tuple[int, int, int]]]:
    out: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out[row["query"]].append((int(row["line_start"]), int(row["line_end"]), int(row["grade"])))
    return dict(out)


def credit(results: list[dict], judged: list[tuple[int, int, int]], file: str) -> list[int]:
    """Grade credited to each result: the judged span it overlaps most, each span once."""
    used: set[int] = set()
    grades = []
    for rec in results:
        best, best_overlap = None, 0
        if rec["file"] == file:
            for i, (a, b, _) in enumerate(judged):
                overlap = min(b, rec["line_end"]) - max(a, rec["line_start"]) + 1
                if overlap > best_overlap:
                    best, best_overlap = i, overlap
        if best is not None and best not in used:
            used.add(best)
            grades.append(judged[best][2])
        else:
            grades.append(0)
    return grades


def ndcg(grades: list[int], judged: list[tuple[int, int, int]], k: int = 10) -> float:
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(grades[:k]))
    ideal = sorted((g for _, _, g in judged), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/podclaims-eval.db"))
    ap.add_argument("--qrels", type=Path, default=DEFAULT_QRELS)
    ap.add_argument("--file", default=QRELS_FILE, help="transcript file name the judgments refer to")
    ap.add_argument("--transcript", type=Path, default=None,
                    help="path of the judged transcript (sets --file to its name); default data/transcripts/--file")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--all", action="store_true",
                    help="search a database of every bundled transcript (results from other files score 0)")
    args = ap.parse_args()
    if args.rebuild and args.db.exists():
        args.db.unlink()
    conn = connect(args.db)
    from app.ingest.manifest import load_manifest
    from app.ingest.pipeline import ingest_paths

    if args.transcript is not None:
        args.file = args.transcript.name
        transcript = args.transcript.resolve()
    else:
        transcript = ROOT / "data" / "transcripts" / args.file
    paths = [ROOT / "data" / "transcripts"] if args.all else [transcript]
    ingest_paths(conn, paths, manifest=load_manifest(ROOT / "data" / "episodes.yaml"))
    qrels = load_qrels(args.qrels)
    print(f"{'query':<24} {'nDCG@10':>8} {'R@10':>6}")
    nd, rc = [], []
    for query, judged in qrels.items():
        results = search_claims(conn, query, page_size=10, facets=False).claims
        grades = credit(results, judged, args.file)
        n = ndcg(grades, judged)
        r = sum(1 for g in grades if g > 0) / len(judged)
        nd.append(n)
        rc.append(r)
        print(f"{query:<24} {n:8.3f} {r:6.3f}")
    print(f"{'MEAN':<24} {sum(nd) / len(nd):8.3f} {sum(rc) / len(rc):6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
