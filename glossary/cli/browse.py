"""`gloss serve` and `gloss export`: thin click commands over glossary.browse."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from .common import UsageProblem, clear_errors, db_option


@click.command("serve")
@db_option
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port on 127.0.0.1 (0: any free port; the URL is printed).")
@click.option("--open", "open_browser", is_flag=True, help="Open the glossary in a browser.")
def serve_command(db_path: Path, port: int, open_browser: bool) -> None:
    """Browse the glossary in Datasette on 127.0.0.1: a search box, a page per term, the
    tables (see docs/browse.md). Prints the URL on stderr; Ctrl-C stops it."""
    from glossary.browse.serve import serve
    from glossary.db import open_db

    with clear_errors():
        open_db(db_path, create=False).conn.close()
        serve(db_path, port=port, open_browser=open_browser)


@click.command("export")
@click.argument("path", default="-", metavar="[PATH|-]")
@db_option
@click.option("--format", "fmt", metavar="csv|tsv|json|tbx", default=None,
              help="Output format (default: from PATH's suffix, else csv).")
@click.option("--sort", metavar="term|reading", default="term", show_default=True,
              help="Order by English term, or by hiragana reading (gojūon).")
@click.option("--sources", is_flag=True,
              help="One row per definition found (term, note, line, form, raw text, japanese, "
                   "glosses) instead of one per term.")
@click.option("--excel", is_flag=True,
              help="For spreadsheets: a byte-order mark, and cells starting with = + - @ "
                   "prefixed with a quote so they are not run as formulas.")
def export_command(path: str, db_path: Path, fmt: str | None, sort: str, sources: bool,
                   excel: bool) -> None:
    """Export the glossary to PATH (default: standard output) as CSV, TSV, JSON or TBX."""
    from glossary.browse import FORMATS, SORTS, export, format_of
    from glossary.db import open_db

    if fmt is None:
        fmt = format_of(path)
    elif fmt.lower() not in FORMATS:
        raise UsageProblem(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    fmt = fmt.lower()
    if sort not in SORTS:
        raise UsageProblem(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    if excel and fmt not in ("csv", "tsv"):
        raise UsageProblem("--excel applies to csv and tsv only")
    if sources and fmt == "tbx":
        raise UsageProblem("--sources applies to csv, tsv and json only")
    with clear_errors():
        db = open_db(db_path, create=False)
    options = {"fmt": fmt, "sort": sort, "sources": sources, "excel": excel}
    if path == "-":
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")
        export(db, sys.stdout, **options)
        sys.stdout.flush()
        return
    _export_to_file(db, Path(path), options)


def _export_to_file(db: object, path: Path, options: dict) -> None:
    """Write to a temporary file beside PATH, then rename: no half-written exports."""
    from glossary.browse import export

    newline = "" if options["fmt"] in ("csv", "tsv") else None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    except OSError as error:
        raise UsageProblem(f"{path}: cannot write here ({error.strerror})") from None
    try:
        with open(handle, "w", encoding="utf-8", newline=newline) as out:
            count = export(db, out, **options)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UsageProblem(f"{path}: cannot write ({error.strerror})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    click.echo(f"{count} rows written to {path}", err=True)
