"""`podclaims serve`: registered on a typer app, ingests an empty database, then runs uvicorn."""
from __future__ import annotations

import logging

import typer
from typer.testing import CliRunner

from app.db import connect
from app.web.cli import ensure_data, register


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_cli() -> typer.Typer:
    cli = typer.Typer()
    register(cli)

    @cli.command()
    def other() -> None:  # a second command so typer keeps `serve` as a subcommand
        pass

    return cli


def test_serve_ingests_an_empty_database_then_starts_the_workers(tmp_path, monkeypatch):
    import app.web.workers

    calls = {}
    monkeypatch.setattr(app.web.workers, "run_workers", lambda count, options: calls.update(count=count, **options) or 0)
    monkeypatch.delenv("PODCLAIMS_DB", raising=False)
    db = tmp_path / "site.db"
    port = free_port()
    result = CliRunner().invoke(make_cli(), ["serve", "--db", str(db), "--port", str(port), "--workers", "2"])
    assert result.exit_code == 0, result.output
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM episodes").fetchone()[0] == 2
    assert calls["count"] == 2 and calls["port"] == port and calls["host"] == "127.0.0.1"
    assert calls["access_log"] is False  # our key=value request log replaces uvicorn's
    import os

    assert os.environ["PODCLAIMS_DB"] == str(db.resolve())


def test_two_workers_serve_and_stop_cleanly(web_db):
    """The real thing: two spawned workers on one port (SO_REUSEPORT), stopped by SIGTERM."""
    import signal
    import subprocess
    import sys
    import time

    import httpx

    from app.config import ROOT

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "app.web.cli", "serve", "--db", str(web_db), "--port", str(port),
                             "--workers", "2", "--log-level", "warning"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.2)
        for _ in range(20):  # fresh connections, spread over both workers by the kernel
            assert httpx.get(f"http://127.0.0.1:{port}/claims?q=成本").status_code == 200
        busy = subprocess.run([sys.executable, "-m", "app.web.cli", "serve", "--db", str(web_db), "--port", str(port),
                               "--workers", "2"], cwd=ROOT, capture_output=True, timeout=60)
        assert busy.returncode == 1, "a second server must not share the port"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0


def test_serve_with_one_worker_passes_the_app(monkeypatch, web_db):
    import uvicorn
    from fastapi import FastAPI

    calls = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.update(target=target, **kw))
    result = CliRunner().invoke(make_cli(), ["serve", "--db", str(web_db)])
    assert result.exit_code == 0, result.output
    assert isinstance(calls["target"], FastAPI) and "workers" not in calls


def test_ensure_data_leaves_a_filled_database_alone(web_db):
    before = web_db.stat().st_mtime_ns
    ensure_data(web_db, quiet=True)
    conn = connect(web_db)
    assert conn.execute("SELECT count(*) FROM episodes").fetchone()[0] == 2
    assert web_db.stat().st_mtime_ns == before


def test_request_log_lines_are_key_value(client, caplog):
    with caplog.at_level(logging.INFO, logger="podclaims.access"):
        client.get("/claims", params={"q": 'a "b"\nc'}, headers={"HX-Request": "true"})
    line = caplog.records[-1].getMessage()
    assert line.startswith("method=GET path=/claims query=") and " status=200 " in line and line.endswith(" hx=1")
    assert "\n" not in line and " ms=" in line and " bytes=" in line
