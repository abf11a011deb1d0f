"""`podclaims serve`: registered on a typer app, ingests an empty database, then runs uvicorn."""
from __future__ import annotations

import logging

import typer
from typer.testing import CliRunner

from app.db import connect
from app.web.cli import ensure_data, register


def make_cli() -> typer.Typer:
    cli = typer.Typer()
    register(cli)

    @cli.command()
    def other() -> None:  # a second command so typer keeps `serve` as a subcommand
        pass

    return cli


def test_serve_ingests_an_empty_database_then_runs_uvicorn(tmp_path, monkeypatch):
    import uvicorn

    calls = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.update(target=target, **kw))
    monkeypatch.delenv("PODCLAIMS_DB", raising=False)
    db = tmp_path / "site.db"
    result = CliRunner().invoke(make_cli(), ["serve", "--db", str(db), "--port", "8123", "--workers", "2"])
    assert result.exit_code == 0, result.output
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM episodes").fetchone()[0] == 2
    assert calls["target"] == "app.web.main:app" and calls["workers"] == 2 and calls["port"] == 8123
    assert calls["access_log"] is False  # our key=value request log replaces uvicorn's
    import os

    assert os.environ["PODCLAIMS_DB"] == str(db.resolve())


def test_serve_with_one_worker_passes_the_app(tmp_path, monkeypatch, web_db):
    import uvicorn
    from fastapi import FastAPI

    calls = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.update(target=target, **kw))
    result = CliRunner().invoke(make_cli(), ["serve", "--db", str(web_db)])
    assert result.exit_code == 0, result.output
    assert isinstance(calls["target"], FastAPI) and calls["workers"] is None


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
