"""Ingest benchmark: the corpus end to end (MB/s, claims/s, peak memory) beside bare segmentation.

    .venv/bin/python bench/ingest.py [--corpus ../shared/corpus/bestpartners] [--limit N]

Ingests in this one process (one core; the --jobs 2 figure and the pure-Python jieba figure come from
other processes, so that jieba's dictionary stays out of the peak memory); prints figures and ratios,
asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.db import connect  # noqa: E402
from app.ingest.pipeline import ingest_paths  # noqa: E402
from app.ingest.readers import find_transcripts, read_transcript  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "bestpartners"


# seconds the pure-Python jieba takes to cut the files given as arguments (HMM off, as rjieba's cut)
_JIEBA_TIMING = """
import sys, time, warnings
warnings.simplefilter("ignore")
import jieba
from app.ingest.readers import read_transcript
jieba.setLogLevel(60)
jieba.initialize()
texts = [read_transcript(p).text for p in sys.argv[1:]]
t = time.perf_counter()
for x in texts:
    list(jieba.cut(x, HMM=False))
print(time.perf_counter() - t)
"""


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--jieba-sample-mb", type=float, default=1.0, help="text for the pure-Python jieba figure")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}; nothing to measure")
        return 0
    files, _ = find_transcripts([args.corpus])
    if args.limit:
        files = files[: args.limit]
    texts = [read_transcript(f).text for f in files]
    mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"corpus: {len(files)} files, {mb:.2f} MB  (peak memory after reading: {peak_mb():.0f} MB)")

    import rjieba

    t = time.perf_counter()
    n_tok = sum(len(rjieba.cut(x)) for x in texts)
    seg_rj = time.perf_counter() - t
    print(f"bare segmentation, rjieba.cut:      {mb / seg_rj:7.2f} MB/s  ({n_tok} tokens)")
    t = time.perf_counter()
    n_tok = sum(len(rjieba.cut_for_search(x)) for x in texts)
    seg_rjs = time.perf_counter() - t
    print(f"bare segmentation, cut_for_search:  {mb / seg_rjs:7.2f} MB/s")

    # pure-Python jieba in a child process: its dictionary (tens of MB) stays out of the ingest's peak memory
    sample, size = [], 0
    for f, x in zip(files, texts):
        if size >= args.jieba_sample_mb * 1e6:
            break
        sample.append(str(f))
        size += len(x.encode())
    seg_py = float(subprocess.run([sys.executable, "-c", _JIEBA_TIMING, *sample], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout)
    print(f"bare segmentation, jieba (Python):  {size / 1e6 / seg_py:7.2f} MB/s  (on {size / 1e6:.1f} MB, in a child process)")

    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "bench.db")
        t = time.perf_counter()
        results = ingest_paths(conn, files, manifest={})
        took = time.perf_counter() - t
        failed = [r for r in results if r.status == "failed"]
        claims = sum(r.claims for r in results)
        print(f"end-to-end ingest:                  {mb / took:7.2f} MB/s  {claims / took:8.0f} claims/s  "
              f"({claims} claims, {took:.1f} s, {len(failed)} failed)")
        print(f"  ingest / bare rjieba.cut time:    {took / seg_rj:7.1f} x")
        print(f"peak memory (RSS, whole run):       {peak_mb():7.0f} MB")
        for r in failed[:10]:
            print(f"  failed: {r.path.name}: {r.reason}")

    jobs = os.cpu_count() or 1
    if jobs > 1:
        with tempfile.TemporaryDirectory() as tmp:
            conn = connect(Path(tmp) / "bench-parallel.db")
            t = time.perf_counter()
            results = ingest_paths(conn, files, manifest={}, jobs=jobs)
            took_par = time.perf_counter() - t
            claims = sum(r.claims for r in results)
            children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"end-to-end ingest, --jobs {jobs}:        {mb / took_par:7.2f} MB/s  {claims / took_par:8.0f} claims/s  "
                  f"({took / took_par:.2f}x the single process; largest worker {children:.0f} MB)")

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PODCLAIMS_DB=str(Path(tmp) / "seed.db"))
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "app", "ingest", "--quiet"], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        print(f"bundled 2-transcript ingest incl. start-up: {time.perf_counter() - t:.2f} s (exit {proc.returncode})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
