"""`podclaims search QUERY`: the web search's engine, ranking and filters on the command line.

app/cli.py calls `register(cli)` to add the command (kept here so search owns its CLI).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from app.records import only_fields

Multi = Optional[list[str]]


def register(cli: typer.Typer) -> None:
    """Add the `search` command to the application's typer app."""

    @cli.command("search")
    def search(
        query: Annotated[str, typer.Argument(help="words in Chinese and/or English; empty browses")],
        db: Annotated[Optional[Path], typer.Option("--db", help="SQLite file (default: PODCLAIMS_DB or data/podclaims.db)")] = None,
        limit: Annotated[int, typer.Option("--limit", min=1, max=200, help="results to show")] = 20,
        as_json: Annotated[bool, typer.Option("--json", help="JSON: the API's records, same order")] = False,
        speaker: Annotated[Multi, typer.Option("--speaker", help="speaker id (repeatable)")] = None,
        entity: Annotated[Multi, typer.Option("--entity", help="entity id (repeatable)")] = None,
        type_: Annotated[Multi, typer.Option("--type", help="entity type (repeatable)")] = None,
        theme: Annotated[Multi, typer.Option("--theme", help="theme id (repeatable)")] = None,
        stance: Annotated[Multi, typer.Option("--stance", help="stance (repeatable)")] = None,
        kind: Annotated[Multi, typer.Option("--kind", help="kind (repeatable)")] = None,
        episode: Annotated[Multi, typer.Option("--episode", help="episode id (repeatable)")] = None,
    ) -> None:
        """Search claims (the same engine, ranking and filters as the web search)."""
        from rich.console import Console
        from rich.markup import escape as rich_escape
        from rich.text import Text

        from app.config import settings
        from app.db import connect
        from app.search.engine import SearchFilters, search_claims

        path = db or settings.db
        if not path.exists():
            Console(stderr=True).print(f"[red]error:[/] no database at {path}; run `podclaims ingest` first")
            raise typer.Exit(2)
        conn = connect(path)
        filters = SearchFilters(speaker=speaker, entity=entity, type=type_, theme=theme, stance=stance,
                                kind=kind, episode=episode)
        results = search_claims(conn, query, filters, page=1, page_size=limit, facets=False)
        records = only_fields(results.claims, extra=("score", "highlight"))
        if as_json:
            typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
            return
        out = Console()
        more = "" if results.total_exact else "+"
        out.print(f"[bold]{results.total}{more}[/] claims for {rich_escape(repr(query))}")
        for rec in records:
            who = ", ".join(rec["speakers"]) or "?"
            line = Text.assemble((f"{rec['episode']}:{rec['line_start']}-{rec['line_end']} ", "dim"), (who, "cyan"), " ")
            line.append_text(Text.from_markup(_marks_to_rich(rec["highlight"])))
            out.print(line, highlight=False)


def _marks_to_rich(html_text: str) -> str:
    """Highlight HTML → rich markup: <mark> becomes bold yellow, entities are unescaped."""
    from html import unescape

    from rich.markup import escape

    parts = html_text.replace("</mark>", "<mark>").split("<mark>")
    return "".join(escape(unescape(p)) if i % 2 == 0 else f"[bold yellow]{escape(unescape(p))}[/]" for i, p in enumerate(parts))
