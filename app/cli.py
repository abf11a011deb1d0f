"""Thin typer commands over the library: ingest, export, search, serve, stats, backup, check."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from app.config import settings

cli = typer.Typer(help="podclaims: claims made on AI podcasts, searchable.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
err = Console(stderr=True)
out = Console()

DbOpt = Annotated[Optional[Path], typer.Option("--db", help="SQLite file (default: PODCLAIMS_DB or data/podclaims.db)")]


def _db_path(db: Path | None) -> Path:
    return db or settings.db


def _open(db: Path | None, *, must_exist: bool = False):
    from app.db import connect

    path = _db_path(db)
    if must_exist and not path.exists():
        err.print(f"[red]error:[/] no database at {path}; run `podclaims ingest` first")
        raise typer.Exit(2)
    return connect(path)


def run_ingest(conn, paths: list[Path], manifest_path: Path | None, *, quiet: bool = False, jobs: int = 1):
    """Ingest with a progress bar; returns the FileResults (shared by `ingest` and `serve`)."""
    from app.ingest.manifest import ManifestError, load_manifest
    from app.ingest.pipeline import ingest_paths

    try:
        manifest = load_manifest(manifest_path)
    except ManifestError as exc:
        err.print(f"[red]error:[/] manifest: {exc}")
        raise typer.Exit(2)
    with Progress(TextColumn("[bold]ingest[/]"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[name]}"),
                  TimeRemainingColumn(), console=err, disable=quiet or not err.is_terminal, transient=True) as bar:
        task = bar.add_task("ingest", total=None, name="")

        def started(total: int) -> None:
            bar.update(task, total=total)

        def done(result) -> None:
            bar.update(task, advance=1, name=result.path.name[:40])

        return ingest_paths(conn, paths, manifest=manifest, max_bytes=int(settings.max_file_mb * 1024 * 1024),
                            jobs=jobs, on_start=started, on_file=done)


@cli.command()
def ingest(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="transcript files or folders (default: bundled)")] = None,
    db: DbOpt = None,
    manifest: Annotated[Optional[Path], typer.Option(help="episodes manifest (.yaml or .jsonl)")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar or table")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, max=64,
                                                help="worker processes extracting files (default: one per CPU)")] = None,
) -> None:
    """Ingest transcripts; exit 1 when any file failed (the others are still ingested)."""
    if not paths:
        paths = [settings.transcripts_dir]
        manifest = manifest or settings.manifest
    elif manifest is None:
        from app.ingest.manifest import folder_manifest

        candidates = [m for p in paths if p.is_dir() and (m := folder_manifest(p)) is not None]
        candidates.append(settings.manifest)
        manifest = next((c for c in candidates if c.exists()), None)
    conn = _open(db)
    results = run_ingest(conn, paths, manifest, quiet=quiet, jobs=jobs or settings.jobs)
    failed = [r for r in results if r.status == "failed"]
    if not quiet:
        table = Table(title=f"ingest → {_db_path(db)}")
        for col in ("file", "status", "episode", "claims", "note"):
            table.add_column(col, justify="right" if col == "claims" else "left")
        shown = results if len(results) <= 40 else [r for r in results if r.status in ("failed", "skipped")]
        for r in shown:
            style = {"failed": "red", "skipped": "yellow", "unchanged": "dim"}.get(r.status, "green")
            table.add_row(r.path.name, f"[{style}]{r.status}[/]", r.episode or "", str(r.claims), r.reason)
        out.print(table)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    total_claims = sum(r.claims for r in results if r.ok)
    out.print(f"{len(results)} files: {summary}; {total_claims} claims")
    for r in failed:
        err.print(f"[red]failed:[/] {r.path}: {r.reason}")
    raise typer.Exit(1 if failed else 0)


@cli.command()
def export(
    db: DbOpt = None,
    format: Annotated[str, typer.Option("--format", help="jsonl or csv")] = "jsonl",
    out_file: Annotated[Optional[Path], typer.Option("--out", help="file to write (default: stdout)")] = None,
) -> None:
    """Every claim, one per line (jsonl) or row (csv)."""
    from app.records import RECORD_FIELDS, as_csv_row, iter_claims

    if format not in ("jsonl", "csv"):
        err.print(f"[red]error:[/] --format must be jsonl or csv, not {format!r}")
        raise typer.Exit(2)
    conn = _open(db, must_exist=True)
    handle = open(out_file, "w", encoding="utf-8", newline="") if out_file else sys.stdout
    try:
        if format == "csv":
            writer = csv.DictWriter(handle, fieldnames=RECORD_FIELDS)
            writer.writeheader()
            for rec in iter_claims(conn):
                writer.writerow(as_csv_row(rec))
        else:
            for rec in iter_claims(conn):
                handle.write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        if out_file:
            handle.close()


@cli.command()
def stats(db: DbOpt = None) -> None:
    """Counts of episodes, claims, speakers, entities, themes."""
    conn = _open(db, must_exist=True)
    table = Table(title=str(_db_path(db)))
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, sql in [
        ("episodes", "SELECT count(*) FROM episodes"),
        ("claims", "SELECT count(*) FROM claims"),
        ("speakers", "SELECT count(*) FROM speakers"),
        ("entities", "SELECT count(*) FROM entities"),
        ("themes", "SELECT count(DISTINCT theme_id) FROM claim_themes"),
    ]:
        table.add_row(name, str(conn.execute(sql).fetchone()[0]))
    out.print(table)


@cli.command()
def backup(target: Annotated[Path, typer.Argument(help="file to write the copy to")], db: DbOpt = None) -> None:
    """Copy the database with SQLite's online backup (safe while the site runs)."""
    import sqlite3

    conn = _open(db, must_exist=True)
    if target.exists():
        err.print(f"[red]error:[/] {target} exists; choose a new file")
        raise typer.Exit(2)
    target.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(target)
    with dest:
        conn.backup(dest)
    dest.close()
    out.print(f"backed up {_db_path(db)} → {target}")


@cli.command()
def check(db: DbOpt = None) -> None:
    """PRAGMA integrity_check, foreign keys and the FTS index's own integrity check."""
    conn = _open(db, must_exist=True)
    problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
    problems += [f"foreign key: {tuple(r)}" for r in conn.execute("PRAGMA foreign_key_check")]
    try:
        conn.execute("INSERT INTO claims_fts(claims_fts, rank) VALUES ('integrity-check', 1)")
    except Exception as exc:
        problems.append(f"fts: {exc}")
    for p in problems:
        err.print(f"[red]problem:[/] {p}")
    if problems:
        raise typer.Exit(1)
    out.print("ok: integrity, foreign keys and full-text index")


def _register_commands() -> None:
    """Commands owned by their packages (search, web) join the one CLI here."""
    from app.search.cli import register as register_search
    from app.web.cli import register as register_web

    register_search(cli)
    register_web(cli)


_register_commands()


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
