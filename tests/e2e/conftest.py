"""A real server (uvicorn on a free loopback port, a real ingested SQLite file) and a real browser."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.config import ROOT, settings

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory) -> Path:
    from app.db import connect
    from app.ingest.manifest import load_manifest
    from app.ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("e2e") / "e2e.db"
    conn = connect(path)
    results = ingest_paths(conn, [settings.transcripts_dir], manifest=load_manifest(settings.manifest))
    assert all(r.ok for r in results)
    conn.close()
    return path


@pytest.fixture(scope="session")
def two_dollar_claim(e2e_db) -> str:
    from app.db import connect

    conn = connect(e2e_db, readonly=True)
    return conn.execute("SELECT id FROM claims WHERE text LIKE '%每百万输出Token的成本仅为2美元%'").fetchone()[0]


@pytest.fixture(scope="session")
def server(e2e_db, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("e2e-log") / "server.log"
    env = {**os.environ, "PODCLAIMS_DB": str(e2e_db)}
    with open(log, "w") as out:
        # the production path: `podclaims serve` with two uvicorn workers
        proc = subprocess.Popen([sys.executable, "-m", "app.web.cli", "serve", "--db", str(e2e_db), "--host",
                                 "127.0.0.1", "--port", str(port), "--workers", "2"],
                                cwd=ROOT, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"server did not start:\n{log.read_text()}")
        time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.problems = []  # console errors (a CSP violation shows up here) and failed requests
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("requestfailed", lambda r: page.problems.append(f"failed {r.url}"))
    yield page
    context.close()


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
