"""`podclaims serve`: ingest the bundled data into an empty database, then run uvicorn."""
from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from app.config import settings


def log_config(level: str) -> dict:
    """uvicorn's logging plus our key=value loggers (podclaims.access, podclaims.web) on stderr."""
    import uvicorn.config

    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["formatters"]["keyvalue"] = {"format": "ts=%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"}
    config["handlers"]["keyvalue"] = {"class": "logging.StreamHandler", "formatter": "keyvalue",
                                      "stream": "ext://sys.stderr"}
    config["loggers"]["podclaims"] = {"handlers": ["keyvalue"], "level": level.upper(), "propagate": False}
    return config


def ensure_data(db: Path, *, quiet: bool = False) -> None:
    """An empty (or new) database gets the bundled transcripts first, so the site has content."""
    from app.cli import run_ingest
    from app.db import connect

    conn = connect(db)
    try:
        if conn.execute("SELECT count(*) FROM episodes").fetchone()[0] == 0:
            typer.echo(f"empty database {db}: ingesting the bundled transcripts", err=True)
            results = run_ingest(conn, [settings.transcripts_dir], settings.manifest, quiet=quiet)
            failed = [r for r in results if r.status == "failed"]
            for r in failed:
                typer.echo(f"failed: {r.path.name}: {r.reason}", err=True)
    finally:
        conn.close()


def register(cli: typer.Typer) -> None:
    """Add the `serve` command to the podclaims CLI."""

    @cli.command()
    def serve(
        host: Annotated[Optional[str], typer.Option(help="interface to listen on (default: PODCLAIMS_HOST or 127.0.0.1)")] = None,
        port: Annotated[Optional[int], typer.Option(help="port (default: PODCLAIMS_PORT or 8000)", min=1, max=65535)] = None,
        db: Annotated[Optional[Path], typer.Option("--db", help="SQLite file (default: PODCLAIMS_DB or data/podclaims.db)")] = None,
        workers: Annotated[int, typer.Option(help="worker processes", min=1, max=64)] = 1,
        log_level: Annotated[Optional[str], typer.Option(help="debug, info, warning or error")] = None,
    ) -> None:
        """Run the web site (read-only); an empty database first gets the bundled data."""
        path = (db or settings.db).resolve()
        ensure_data(path)
        run_server(path, host=host or settings.host, port=port or settings.port, workers=workers,
                   level=(log_level or settings.log_level).lower())


def run_server(path: Path, *, host: str, port: int, workers: int = 1, level: str = "info") -> None:
    """uvicorn over the database at `path`; with several workers each gets its own SO_REUSEPORT socket."""
    import uvicorn

    os.environ["PODCLAIMS_DB"] = str(path)  # worker processes build their app from the environment
    typer.echo(f"serving {path} on http://{host}:{port}/ with {workers} worker(s)", err=True)
    options = dict(host=host, port=port, log_config=log_config(level), log_level=level, access_log=False,
                   server_header=False, proxy_headers=False)
    if workers == 1:
        from app.web.main import create_app

        uvicorn.run(create_app(path), **options)
        return
    from app.web.workers import run_workers

    raise typer.Exit(run_workers(workers, options))


if __name__ == "__main__":  # `python -m app.web.cli serve …` until app/cli.py registers the command
    _cli = typer.Typer(add_completion=False)
    register(_cli)

    @_cli.callback()
    def _root() -> None:
        """podclaims web server."""

    _cli()
