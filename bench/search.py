"""Search benchmark on a synthetic 1,000,000-claim database: search + facets beside a bare bm25 query.

    .venv/bin/python bench/search.py [--db /tmp/podclaims-bench-1m.db] [--claims 1000000] [--workers 2] [--reps 5]

The database is built once (cached at --db, rebuilt with --rebuild): claims are 1–4
consecutive lines recombined from the real transcripts (../shared/corpus/bestpartners and
data/transcripts), tokenized by app.text.tokenize (each source line once), with the entities
the alias pass finds, random speakers/themes/stance/kind and 5,000 dated episodes.
Each worker process keeps one WAL connection. The engine's result cache is cleared before
every timed call, so the figures are cold-cache latencies. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

from app.db import connect  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "bestpartners"
QUERIES = [
    # common words and names
    "AI", "模型", "成本", "公司", "英伟达", "nvidia", "OpenAI", "芯片", "训练",
    # the judged queries
    "DeepSeek R1 成本", "后训练 RLVR", "Meta Llama", "开源 许可", "数据中心 电力", "AI编程 Claude Code",
    "混合专家 MoE", "AGI 时间线", "中国 开源模型", "Gemini 长上下文", "文本扩散模型", "996",
    # rarer
    "黄仁勋 GPU", "台积电", "强化学习 奖励", "马斯克 特斯拉", "量子计算", "通义千问", "Groq 推理芯片",
    "蒸馏 小模型", "人形机器人",
]
# a common word with a narrow filter (the filter's rowid set first) or a broad one (EXISTS per match)
FILTERED = [
    ("AI", {"speaker": ["speaker-07"]}), ("模型", {"speaker": ["speaker-31"]}), ("AI", {"entity": ["nvidia"]}),
    ("AI", {"episode": ["ep-00042"]}), ("成本", {"speaker": ["speaker-07"], "stance": ["mixed"]}),
    ("AI", {"theme": ["cost"]}), ("AI", {"stance": ["mixed"]}),
]
MAX_LINE = 80
SPEAKERS = [f"speaker-{i:02d}" for i in range(60)] + ["narrator"]
THEMES = ["open-models", "industry", "geopolitics", "post-training", "scaling", "reasoning", "architecture", "cost",
          "ai-coding", "agents", "agi", "hardware", "datacenters", "business", "talent", "safety", "evaluation"]
STANCES = ["positive", "negative", "neutral", "mixed"]
KINDS = ["prediction", "fact", "opinion", "advice"]


def _source_lines() -> list[list[str]]:
    files = sorted(CORPUS.glob("*.txt")) + sorted((ROOT / "data" / "transcripts").glob("*.txt"))
    docs = []
    for f in files:
        lines = []
        for ln in f.read_text(encoding="utf-8", errors="replace").splitlines():
            ln = ln.strip()
            while ln:  # a few corpus files have no line breaks: cut them into subtitle-sized lines
                lines.append(ln[:MAX_LINE])
                ln = ln[MAX_LINE:]
        if lines:
            docs.append(lines)
    return docs


def build(db: Path, n_claims: int, seed: int = 7) -> None:
    from app.search.data import entity_surfaces
    from app.text.tokenize import tokens

    started = time.perf_counter()
    rnd = random.Random(seed)
    docs = _source_lines()
    known = set(entity_surfaces().values())
    tokenized = []  # per doc: [(text, search_text, entity ids)]
    for lines in docs:
        out = []
        for ln in lines:
            toks = tokens(ln)
            out.append((ln, " ".join(t.text for t in toks), tuple(sorted({t.alias for t in toks if t.alias} & known))))
        tokenized.append(out)
    print(f"tokenized {sum(len(d) for d in tokenized)} lines in {time.perf_counter() - started:.1f}s", flush=True)
    if db.exists():
        db.unlink()
    conn = connect(db)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    from app.lexicon import load_lexicon

    lex = load_lexicon()
    n_eps = max(1, n_claims // 200)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO themes VALUES (?,?,?)", [(t, t, t) for t in THEMES])
    conn.executemany("INSERT INTO speakers (id, name) VALUES (?,?)", [(s, s.title()) for s in SPEAKERS])
    conn.executemany("INSERT INTO entities (id, type, name, name_zh) VALUES (?,?,?,?)",
                     [(e.id, e.type, e.name, e.name_zh) for e in lex.entities.values()])
    conn.executemany(
        "INSERT INTO episodes (id, file, title, date, sha256, line_count, source_text, ingested_at) VALUES (?,?,?,?,?,?,?,?)",
        [(f"ep-{i:05d}", f"ep-{i:05d}.txt", f"Episode {i}", f"{2015 + i * 11 // n_eps}-{1 + i % 12:02d}-01", "x", 0, "",
          "2026-01-01") for i in range(n_eps)])
    claims, spk, ents, ths = [], [], [], []

    def flush():
        conn.executemany("INSERT INTO claims (rowid, id, episode_id, seq, line_start, line_end, text, attribution,"
                         " stance, kind, search_text, entity_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", claims)
        conn.executemany("INSERT INTO claim_speakers VALUES (?,?,?)", spk)
        conn.executemany("INSERT INTO claim_entities VALUES (?,?,?)", ents)
        conn.executemany("INSERT INTO claim_themes VALUES (?,?,?)", ths)
        claims.clear(), spk.clear(), ents.clear(), ths.clear()

    for i in range(n_claims):
        doc = tokenized[rnd.randrange(len(tokenized))]
        k = rnd.randint(1, 4)
        start = rnd.randrange(max(1, len(doc) - k))
        part = doc[start:start + k]
        cid = f"c{i:09d}"
        eids = sorted({e for _, _, es in part for e in es})
        etext = " ".join("e_" + "".join(c if c.isalnum() else "_" for c in e) for e in eids)
        claims.append((i + 1, cid, f"ep-{i // 200:05d}", i % 200, start + 1, start + len(part),
                       "".join(p[0] for p in part), "narrator", rnd.choice(STANCES), rnd.choice(KINDS),
                       " ".join(p[1] for p in part), etext))
        spk.append((cid, rnd.choice(SPEAKERS), 0))
        ents.extend((cid, e, j) for j, e in enumerate(eids))
        ths.extend((cid, t, j) for j, t in enumerate(rnd.sample(THEMES, rnd.randint(1, 3))))
        if len(claims) >= 50000:
            flush()
            print(f"  {i + 1} claims, {time.perf_counter() - started:.0f}s", flush=True)
    flush()
    conn.execute("COMMIT")
    conn.execute("INSERT INTO claims_fts(claims_fts) VALUES ('optimize')")
    conn.execute("ANALYZE")
    conn.close()
    print(f"built {db} with {n_claims} claims in {time.perf_counter() - started:.0f}s", flush=True)


_CONN = None


def _init(db: str) -> None:
    global _CONN
    _CONN = connect(db)
    _CONN.execute("PRAGMA cache_size = -200000")


def _time_one(args: tuple[str, str]) -> tuple[str, str, float, int]:
    from app.search.engine import CACHE, search_claims
    from app.search.query import parse_query

    kind, q = args
    t = time.perf_counter()
    if kind == "engine":
        CACHE.clear()
        res = search_claims(_CONN, q, page_size=20, facets=True)
        n = res.total
    else:
        expr = parse_query(q).match_any()
        n = len(_CONN.execute("SELECT rowid FROM claims_fts WHERE claims_fts MATCH ? ORDER BY bm25(claims_fts)"
                              " LIMIT 20", [expr]).fetchall())
    return kind, q, (time.perf_counter() - t) * 1000, n


def _time_filtered(args: tuple[str, str, dict]) -> tuple[str, str, float, int]:
    """Search + facets with filters; 'exists' turns the rowid-set path off (the check per match)."""
    from app.search import engine

    kind, q, flt = args
    engine.SMALL_FILTER = -1 if kind == "exists" else 30000
    engine.CACHE.clear()
    t = time.perf_counter()
    res = engine.search_claims(_CONN, q, engine.SearchFilters(**flt), page_size=20, facets=True)
    ms = (time.perf_counter() - t) * 1000
    engine.SMALL_FILTER = 30000
    return kind, f"{q} {flt}", ms, res.total


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/podclaims-bench-1m.db"))
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    if args.rebuild or not args.db.exists():
        build(args.db, args.claims)
    conn = connect(args.db)
    n_rows = conn.execute("SELECT max(rowid) FROM claims").fetchone()[0]
    from app.search.query import parse_query

    matches = {q: conn.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?",
                               [parse_query(q).match_any()]).fetchone()[0] for q in QUERIES}
    conn.close()
    jobs = [(kind, q) for _ in range(args.reps) for q in QUERIES for kind in ("engine", "bare")]
    random.Random(1).shuffle(jobs)
    with ProcessPoolExecutor(args.workers, initializer=_init, initargs=(str(args.db),)) as pool:
        list(pool.map(_time_one, [("engine", q) for q in QUERIES] * args.workers))  # warm-up: load dictionaries
        times = list(pool.map(_time_one, jobs))
        fjobs = [(kind, q, f) for _ in range(args.reps) for q, f in FILTERED for kind in ("set", "exists")]
        random.Random(2).shuffle(fjobs)
        ftimes = list(pool.map(_time_filtered, fjobs))
    by: dict[tuple[str, str], list[float]] = {}
    for kind, q, ms, _ in times:
        by.setdefault((kind, q), []).append(ms)
    print(f"\n{n_rows} claims, {args.workers} workers, {args.reps} reps, cold engine cache\n")
    print(f"{'query':<22} {'matches':>8} {'share':>6} {'engine p50':>10} {'bare p50':>9}")
    for q in sorted(QUERIES, key=lambda q: -matches[q]):
        print(f"{q:<22} {matches[q]:8d} {matches[q] / n_rows:6.1%} {statistics.median(by[('engine', q)]):10.1f}"
              f" {statistics.median(by[('bare', q)]):9.1f}")
    for label, pick in (("all queries", lambda q: True), ("matching <= 1%", lambda q: matches[q] <= n_rows / 100),
                        ("matching > 10%", lambda q: matches[q] > n_rows / 10)):
        for kind in ("engine", "bare"):
            xs = [ms for (k, q), v in by.items() if k == kind and pick(q) for ms in v]
            if xs:
                what = "search+facets" if kind == "engine" else "bare bm25 LIMIT 20"
                print(f"{label:<16} {what:<20} p50 {_pct(xs, 50):7.1f} ms  p95 {_pct(xs, 95):7.1f} ms"
                      f"  p99 {_pct(xs, 99):7.1f} ms  (n={len(xs)})")
    fby: dict[tuple[str, str], list[float]] = {}
    totals = {}
    for kind, label, ms, total in ftimes:
        fby.setdefault((kind, label), []).append(ms)
        totals[label] = total
    print(f"\n{'filtered search + facets':<52} {'total':>6} {'p50':>8} {'p50 EXISTS/match':>17}")
    for q, f in FILTERED:
        label = f"{q} {f}"
        print(f"{label:<52} {totals[label]:6d} {statistics.median(fby[('set', label)]):6.1f}ms"
              f" {statistics.median(fby[('exists', label)]):15.1f}ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
