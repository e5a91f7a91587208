"""The `gloss` command: a thin click layer over the library.

Each command parses its options, calls one library function and prints. Library
exceptions that describe bad input become one-line errors (exit status 2), never tracebacks.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import harvest as harvest_mod
from .notefile import NoteError
from .store import DatabaseError, open_db

DEFAULT_NOTES = Path("notes")
DEFAULT_DB = Path("db/glossary.db")

notes_argument = click.argument(
    "notes_dirs", nargs=-1, type=click.Path(path_type=Path), metavar="[NOTES_DIR]..."
)
db_option = click.option(
    "--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_DB,
    show_default=True, help="The glossary database (SQLite).",
)


class UsageProblem(click.ClickException):
    """One clear line and exit status 2."""

    exit_code = 2


@contextmanager
def clear_errors():
    """Turn the library's own exceptions into one-line errors."""
    try:
        yield
    except (DatabaseError, NoteError, harvest_mod.NotesFolderError) as error:
        raise UsageProblem(str(error)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gloss")
def cli() -> None:
    """gloss: an English–Japanese glossary harvested from Markdown case notes.

    Harvest the term links of your notes into a SQLite glossary, settle the conflicts,
    write one consistent definition back into every note, browse it in Datasette and
    export it.
    """


@cli.command()
@notes_argument
@db_option
@click.option("--silent", is_flag=True, help="Print nothing but errors; no progress bar.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for parsing changed notes (default: one per core).")
def harvest(notes_dirs: tuple[Path, ...], db_path: Path, silent: bool, jobs: int | None) -> None:
    """Collect every term definition and term link of the notes into the glossary.

    Reads every *.md below NOTES_DIR (default: ./notes) and writes the glossary database.
    Unchanged notes are not read again; notes that are gone are dropped from the glossary;
    the database changes in one transaction.
    """
    folders = list(notes_dirs) or [DEFAULT_NOTES]
    with clear_errors():
        db = open_db(db_path)
        show_bar = not silent and sys.stderr.isatty()
        with click.progressbar(length=0, label="Harvesting", file=sys.stderr,
                               hidden=not show_bar) as bar:
            report = harvest_mod.harvest(folders, db, progress=bar.update, jobs=jobs)
    for path, reason in sorted(report.problems.items()):
        click.echo(f"{path}: {reason}", err=True)
    if not silent:
        click.echo(report.summary())
