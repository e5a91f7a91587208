"""`gloss serve` and `gloss export`: thin click commands over glossary.browse."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, TypeVar

import click

from glossary.wording import counted

from .common import UsageProblem, clear_errors, db_option

ANKI = "anki"  # the format of an Anki deck (.apkg), written apart from the text formats
T = TypeVar("T")


@click.command("serve")
@db_option
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port on 127.0.0.1 (0: any free port; the URL is printed).")
@click.option("--open", "open_browser", is_flag=True, help="Open the glossary in a browser.")
def serve_command(db_path: Path, port: int, open_browser: bool) -> None:
    """Browse the glossary in Datasette on 127.0.0.1: a search box, a page per term, the
    tables (see docs/browse.md). Prints the URL on stderr; Ctrl-C stops it. A glossary
    gloss cannot write (a read-only mount) is served read-only.

    \b
    Exit status:
      0    stopped by Ctrl-C
      2    no glossary there, or not a gloss database
      3    the port is in use (choose another with --port; 0: any free port)
    """
    from glossary.browse.serve import serve
    from glossary.db import open_db

    with clear_errors():
        open_db(db_path, create=False, readonly=True).conn.close()
        serve(db_path, port=port, open_browser=open_browser)


@click.command("export")
@click.argument("path", default="-", metavar="[PATH|-]")
@db_option
@click.option("--format", "fmt", metavar="csv|tsv|json|tbx|anki", default=None,
              help="Output format (default: from PATH's suffix, .apkg for anki, csv for no "
                   "suffix; a suffix gloss cannot write, such as .xlsx, is refused).")
@click.option("--sort", metavar="term|reading", default="term", show_default=True,
              help="Order by English term, or by hiragana reading (gojūon); in a deck, the "
                   "order new cards come in.")
@click.option("--sources", is_flag=True,
              help="One row per definition found (term, note, line, form, raw text, japanese, "
                   "glosses) instead of one per term.")
@click.option("--excel", is_flag=True,
              help="For spreadsheets: a byte-order mark, and cells starting with = + - @ "
                   "prefixed with a quote so they are not run as formulas.")
@click.option("--collection", "collections", multiple=True, metavar="FOLDER",
              help="anki: only terms defined in notes of this collection (a folder below the "
                   "notes folder, such as NEJM/IiCM, with its subfolders); repeat for more.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="anki: only terms first met in a case dated on or after this day.")
@click.option("--deck", metavar="NAME", default=None,
              help="anki: the deck's name (default: gloss; A::B makes a subdeck). Keep the "
                   "same name from one export to the next.")
def export_command(path: str, db_path: Path, fmt: str | None, sort: str, sources: bool,
                   excel: bool, collections: tuple[str, ...], since: datetime | None,
                   deck: str | None) -> None:
    """Export the glossary to PATH (default: standard output) as CSV, TSV, JSON or TBX,
    or to an Anki deck (PATH.apkg; see docs/browse.md).

    The format comes from PATH's suffix (.csv, .tsv, .txt, .json, .tbx, .apkg; CSV for
    no suffix); another suffix is refused unless --format is given. Exit status 0, or 2
    for a usage error or no glossary (PATH a folder, or in a folder that does not exist),
    3 for a place that cannot be written (no permission, read-only, a disk failure), 4
    when the disk is full; PATH is never left half-written."""
    from glossary.browse import FORMATS, SORTS, export, format_of
    from glossary.browse.export import written_suffixes
    from glossary.db import open_db

    if fmt is None:
        fmt = format_of(path)
        if fmt is None:
            raise UsageProblem(
                f"{path}: gloss cannot write a {Path(path).suffix} file; name it with one of "
                f"{written_suffixes()}, or give --format (csv, tsv, json, tbx, anki)")
    elif fmt.lower() not in (*FORMATS, ANKI):
        raise UsageProblem(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}, anki")
    fmt = fmt.lower()
    if sort not in SORTS:
        raise UsageProblem(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    if excel and fmt not in ("csv", "tsv"):
        raise UsageProblem("--excel applies to csv and tsv only")
    if sources and fmt in ("tbx", ANKI):
        raise UsageProblem("--sources applies to csv, tsv and json only")
    if fmt != ANKI and (collections or since or deck is not None):
        raise UsageProblem("--collection, --since and --deck apply to anki decks only")
    if fmt == ANKI and path == "-":
        raise UsageProblem("an Anki deck is a file: give its PATH (such as deck.apkg)")
    if deck is not None and not deck.strip(":").strip():
        raise UsageProblem("--deck needs a name")
    with clear_errors():
        db = open_db(db_path, create=False, readonly=True)
    if fmt == ANKI:
        _export_deck(db, Path(path), sort=sort, collections=collections, since=since,
                     deck=deck)
        return
    options = {"fmt": fmt, "sort": sort, "sources": sources, "excel": excel}
    if path == "-":
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")
        export(db, sys.stdout, **options)
        sys.stdout.flush()
        return
    _export_to_file(db, Path(path), options)


def _export_deck(db: object, path: Path, *, sort: str, collections: tuple[str, ...],
                 since: datetime | None, deck: str | None) -> None:
    """Write the Anki deck and say what went in, and what was left out."""
    from glossary.browse import DEFAULT_DECK, Filters, write_deck
    from glossary.browse.anki import check_collections

    name = deck.strip() if deck is not None else DEFAULT_DECK
    with clear_errors():
        filters = Filters(check_collections(db, collections), since.date() if since else None)
    summary = _write_atomically(path, lambda out: write_deck(
        db, out, deck=name, sort=sort, filters=filters), binary=True)
    left_out = (f"; {counted(summary.undefined, 'undefined term')} left out (nothing to learn)"
                if summary.undefined else "")
    click.echo(f"{counted(summary.notes, 'note')} written to {path} (deck {name!r}): "
               f"{summary.with_furigana} with furigana, {summary.with_sentence} with a sentence"
               f"{left_out}", err=True)


def _export_to_file(db: object, path: Path, options: dict) -> None:
    """Write the export to PATH and say how many rows it holds."""
    from glossary.browse import export

    newline = "" if options["fmt"] in ("csv", "tsv") else None
    count = _write_atomically(path, lambda out: export(db, out, **options), newline=newline)
    click.echo(f"{counted(count, 'row')} written to {path}", err=True)


def _write_atomically(path: Path, write: Callable[[IO], T], *, binary: bool = False,
                      newline: str | None = None) -> T:
    """Write to a temporary file beside PATH, then rename: no half-written exports."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    except OSError as error:
        raise UsageProblem(f"{path}: cannot write here ({error.strerror.lower()})",
                           _status_of(error)) from None
    try:
        if binary:
            with open(handle, "wb") as out:
                result = write(out)
        else:
            with open(handle, "w", encoding="utf-8", newline=newline) as out:
                result = write(out)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UsageProblem(f"{path}: cannot write ({error.strerror.lower()})",
                           _status_of(error)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return result


def _status_of(error: OSError) -> int:
    """The exit status of an export the system refused (README: Exit statuses)."""
    from glossary.db.failures import failure_class

    return failure_class(error).exit_status
