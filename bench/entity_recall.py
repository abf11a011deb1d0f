"""Entity recall of the extractor on the bestpartners corpus against its silver labels, plus speed.

    .venv/bin/python bench/entity_recall.py [--corpus DIR] [--limit N] [--misses K]

For each episode of episodes.jsonl, the silver names (people, companies_orgs,
products_models) that occur in the transcript (folded substring match of the name or of a
lexicon alias of the id it maps to) are mapped to ids through the lexicon (alias table,
else the slug of the name); one counts as recalled when the id is among the extraction's
entities or speakers (a discovered speaker is an extracted person). Files are run as
unknown episodes (no manifest), as the corpus is.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = Path("/work/shared/corpus/bestpartners")


def silver_id(name: str, lex) -> str:
    from app.ingest.manifest import slugify
    from app.lexicon import norm

    key = norm(name).strip()
    hits = lex.match_entities(key)
    if hits and hits[0][0] == 0 and hits[0][1] >= len(key) - 1:
        return hits[0][3]
    for k, v in lex.entity_aliases().items():
        if norm(k) == key:
            return v
    return slugify(name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--misses", type=int, default=25, help="show the K most frequent misses")
    a = ap.parse_args(argv)
    meta = a.corpus / "episodes.jsonl"
    if not a.corpus.is_dir() or not meta.exists():
        print(f"corpus not found at {a.corpus}: skipped")
        return 0
    from app.ingest.extract import extract_claims
    from app.ingest.manifest import episode_for_file
    from app.lexicon import load_lexicon, norm

    lex = load_lexicon()
    alias_by_id: dict[str, list[str]] = collections.defaultdict(list)
    for k, v in lex.entity_aliases().items():
        alias_by_id[v].append(norm(k))
    total = hit = 0
    nbytes = 0
    secs = 0.0
    misses: collections.Counter = collections.Counter()
    n_files = 0
    empty: list[str] = []
    for row in meta.read_text(encoding="utf-8").splitlines():
        if not row.strip():
            continue
        ep = json.loads(row)
        path = a.corpus / ep["file"]
        if not path.exists():
            continue
        raw = path.read_bytes()
        text = raw.decode("utf-8", errors="replace")
        lines = text.splitlines()
        info = episode_for_file(path, {})
        t0 = time.process_time()
        ex = extract_claims(lines, info, lex)
        secs += time.process_time() - t0
        nbytes += len(raw)
        n_files += 1
        if not ex.claims:
            empty.append(ep["file"])
        got = set(ex.entities) | set(ex.speakers)
        ftext = norm(text)
        for field in ("people", "companies_orgs", "products_models"):
            for name in ep.get(field) or []:
                eid = silver_id(name, lex)
                forms = [norm(name)] + alias_by_id.get(eid, [])
                if not any(f and f in ftext for f in forms):
                    continue
                total += 1
                if eid in got:
                    hit += 1
                else:
                    misses[f"{name}→{eid}"] += 1
        if a.limit and n_files >= a.limit:
            break
    rec = hit / total if total else 0.0
    mbps = nbytes / 1e6 / secs if secs else 0.0
    print(f"files {n_files}  silver names in text {total}  recalled {hit}  entity recall {rec:.3f}")
    print(f"extraction {nbytes / 1e6:.2f} MB in {secs:.2f} s = {mbps:.2f} MB/s (CPU time of extract_claims)")
    print(f"files with no claim: {len(empty)}" + (" " + ", ".join(empty[:20]) if empty else ""))
    if a.misses:
        print("most frequent misses: " + ", ".join(f"{k} ({v})" for k, v in misses.most_common(a.misses)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
