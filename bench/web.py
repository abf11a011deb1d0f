"""Load the search page on loopback and compare it with /healthz and the bare engine call.

    .venv/bin/python bench/web.py [--seconds 5] [--concurrency 16] [--workers 2] [--db FILE]

Starts `podclaims serve` (uvicorn, 2 workers) twice over the bundled data: once as shipped (page and result
caches on) and once with PODCLAIMS_WEB_CACHE=0, so every search page is searched and
rendered again. The load generator is a small asyncio HTTP/1.1 keep-alive client (httpx
would spend more CPU than the server on this 2-core machine). Server time is the app's
own `Server-Timing: app;dur=` header; engine time is `search_claims` called in-process on
the same database with its own cache as warm as the server's.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERY = "DeepSeek R1 成本"
SEARCH_PATH = "/claims?q=DeepSeek+R1+%E6%88%90%E6%9C%AC"
# Distinct searches for the uncached run (different queries, filters and pages).
VARIED = [SEARCH_PATH, "/claims?q=%E5%BC%80%E6%BA%90", "/claims?q=Nvidia&stance=positive",
          "/claims?speaker=nathan-lambert", "/claims?entity=deepseek-r1&page=1", "/claims?q=scaling+law",
          "/claims?theme=cost", "/claims?q=%E8%8B%B1%E4%BC%9F%E8%BE%BE", "/claims?kind=prediction&page=2", "/"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bundled_db(directory: Path) -> Path:
    from app.config import settings
    from app.db import connect
    from app.ingest.manifest import load_manifest
    from app.ingest.pipeline import ingest_paths

    path = directory / "bench-web.db"
    conn = connect(path)
    ingest_paths(conn, [settings.transcripts_dir], manifest=load_manifest(settings.manifest))
    conn.close()
    return path


def engine_times(db: Path, n: int = 300) -> dict[str, float]:
    """Bare search_claims for the benchmark query: cold (engine cache cleared) and warm."""
    from app.db import connect
    from app.search import engine

    conn = connect(db, readonly=True)

    def measure(clear: bool) -> list[float]:
        out = []
        for _ in range(n):
            if clear:
                engine.CACHE.clear()
            started = time.perf_counter()
            engine.search_claims(conn, QUERY, page=1, page_size=20, facets=True)
            out.append((time.perf_counter() - started) * 1000)
        return out

    measure(False)
    warm, cold = measure(False), measure(True)
    return {"warm_p50": statistics.median(warm), "warm_p99": percentile(warm, 99),
            "cold_p50": statistics.median(cold), "cold_p99": percentile(cold, 99)}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else float("nan")


class Server:
    def __init__(self, db: Path, workers: int, cache: bool) -> None:
        self.port = free_port()
        env = {**os.environ, "PODCLAIMS_DB": str(db), "PODCLAIMS_WEB_CACHE": "512" if cache else "0"}
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(  # the same path as `podclaims serve --workers N`
            [sys.executable, "-m", "app.web.cli", "serve", "--db", str(db), "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(workers), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=self.log)

    async def ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = await fetch_once(self.port, "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            await asyncio.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, float | None, int]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length, server_ms = 0, None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.lower()
        if name == "content-length":
            length = int(value)
        elif name == "server-timing" and "dur=" in value:
            server_ms = float(value.split("dur=")[1].split(",")[0])
    await reader.readexactly(length)
    return status, server_ms, length


def request_bytes(port: int, path: str, headers: dict[str, str] | None = None) -> bytes:
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode()


async def fetch_once(port: int, path: str):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request_bytes(port, path) + b"")
    await writer.drain()
    result = await read_response(reader)
    writer.close()
    return result


async def load(port: int, paths: list[str], seconds: float, concurrency: int, headers=None) -> dict:
    """Keep `concurrency` connections busy for `seconds`; latencies, server times, errors."""
    requests = [request_bytes(port, p, headers) for p in paths]
    latencies: list[float] = []
    server: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = offset
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            writer.write(requests[i % len(requests)])
            i += 1
            try:
                status, server_ms, _ = await read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            if server_ms is not None:
                server.append(server_ms)
            if status != 200:
                errors += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": statistics.median(latencies),
            "p99": percentile(latencies, 99), "server_p50": statistics.median(server) if server else float("nan"),
            "server_p99": percentile(server, 99), "errors": errors}


def row(name: str, r: dict) -> str:
    return (f"{name:<34} {r['rps']:>8.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['server_p50']:>9.2f} "
            f"{r['server_p99']:>9.2f} {r['errors']:>6d}")


async def run(args) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else bundled_db(Path(tmp))
        from app.db import connect

        claims = connect(db, readonly=True).execute("SELECT count(*) FROM claims").fetchone()[0]
        print(f"database: {db.name} ({claims} claims); {args.workers} uvicorn workers; "
              f"{args.concurrency} connections; {args.seconds:.0f} s per run; {os.cpu_count()} CPUs")
        eng = engine_times(db)
        results = {}
        for cache in (True, False):
            server = Server(db, args.workers, cache)
            try:
                await server.ready()
                for path in VARIED + ["/healthz"]:  # warm every worker
                    for _ in range(args.workers * 4):
                        await fetch_once(server.port, path)
                tag = "cached" if cache else "no web cache"
                if cache:
                    results["healthz"] = await load(server.port, ["/healthz"], args.seconds, args.concurrency)
                results[f"search page ({tag})"] = await load(server.port, [SEARCH_PATH], args.seconds, args.concurrency)
                results[f"htmx fragment ({tag})"] = await load(server.port, [SEARCH_PATH], args.seconds,
                                                               args.concurrency, {"HX-Request": "true"})
                if not cache:
                    results["10 varied searches (no web cache)"] = await load(server.port, VARIED, args.seconds,
                                                                             args.concurrency)
                    results["search page, 1 connection (no cache)"] = await load(server.port, [SEARCH_PATH],
                                                                                args.seconds, 1)
            finally:
                server.stop()

    print(f"\n{'endpoint':<34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'server50':>9} {'server99':>9} {'errors':>6}")
    for name, r in results.items():
        print(row(name, r))
    print(f"\nbare engine call search_claims({QUERY!r}, facets=True), in-process:")
    print(f"  engine cache warm: p50 {eng['warm_p50']:.2f} ms  p99 {eng['warm_p99']:.2f} ms")
    print(f"  engine cache cold: p50 {eng['cold_p50']:.2f} ms  p99 {eng['cold_p99']:.2f} ms")
    page = results["search page, 1 connection (no cache)"]
    overhead = page["server_p50"] - eng["warm_p50"]
    cached = results["search page (cached)"]
    errors = sum(r["errors"] for r in results.values())
    print(f"\nserver time of an uncached search page minus the engine call: {overhead:+.2f} ms (target ≤ 3 ms)")
    print(f"search page with 2 workers: {cached['rps']:.0f} req/s (target ≥ 1000); errors: {errors} (target 0)")
    ok = overhead <= 3 and cached["rps"] >= 1000 and errors == 0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", help="database to serve (default: the bundled transcripts, ingested into a temp file)")
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
