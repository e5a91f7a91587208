"""The `gloss` command: a thin click layer over the library.

Each command parses its options, calls one library function and prints. Library
exceptions that describe bad input become one-line errors (exit status 2), never tracebacks.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import decisions
from . import harvest as harvest_mod
from .lock import LockTimeout, glossary_lock
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
    except (DatabaseError, NoteError, harvest_mod.NotesFolderError, LockTimeout) as error:
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
    with clear_errors(), glossary_lock(db_path, say=lambda m: click.echo(m, err=True)):
        db = open_db(db_path)
        show_bar = not silent and sys.stderr.isatty()
        with click.progressbar(length=0, label="Harvesting", file=sys.stderr,
                               hidden=not show_bar) as bar:
            report = harvest_mod.harvest(folders, db, progress=bar.update, jobs=jobs)
    for path, reason in sorted(report.problems.items()):
        click.echo(f"{path}: {reason}", err=True)
    if not silent:
        click.echo(report.summary())


def _open_existing(db_path: Path):
    return open_db(db_path, create=False)


@cli.command()
@db_option
def conflicts(db_path: Path) -> None:
    """List every term whose notes disagree, with each variant and the notes giving it.

    Settle one with `gloss prefer TERM "DEFINITION"`, then `gloss apply`.
    """
    with clear_errors():
        stories = decisions.conflicts(_open_existing(db_path))
    if not stories:
        click.echo("No conflicts.")
    for told in stories:
        click.echo(f"{told.term}  (most notes: {told.japanese or told.glosses})")
        for variant in told.variants:
            click.echo(f"  {variant.text}")
            for note in variant.notes:
                click.echo(f"      {note}")
    if stories:
        click.echo(f"{len(stories)} conflicts")


@cli.command()
@click.argument("term")
@click.argument("definition", required=False)
@click.option("--unpin", is_flag=True, help="Remove the term's pin; the notes decide again.")
@db_option
def prefer(term: str, definition: str | None, unpin: bool, db_path: Path) -> None:
    """Pin TERM's canonical definition to DEFINITION (alternatives joined with ", ").

    The pin survives every harvest and wins over what most notes say; `gloss apply`
    then writes it into every note that defines TERM.
    """
    if unpin == (definition is not None):
        raise UsageProblem("give either a DEFINITION to pin or --unpin")
    with clear_errors():
        db = _open_existing(db_path)
        if unpin:
            if not decisions.unpin_definition(db, term):
                raise UsageProblem(f"{term}: was not pinned")
            click.echo(f"{term}: unpinned; the notes decide again")
            return
        try:
            decisions.pin_definition(db, term, definition)
        except ValueError as error:
            raise UsageProblem(str(error)) from None
        try:
            told = decisions.story(db, term)
        except decisions.UnknownTerm:
            click.echo(f"{term}: pinned to {definition}; no note defines it yet")
            return
    click.echo(f"{told.term}: pinned to {told.japanese or told.glosses}")


@cli.command()
@click.argument("term")
@db_option
def show(term: str, db_path: Path) -> None:
    """Print everything the glossary knows of TERM: its definition, variants and uses."""
    with clear_errors():
        try:
            told = decisions.story(_open_existing(db_path), term)
        except decisions.UnknownTerm as error:
            raise UsageProblem(str(error)) from None
    click.echo(f"{told.term}  [{told.status}]")
    if told.japanese:
        click.echo(f"  {told.japanese}  ({told.reading}; {told.romaji})")
    if told.glosses:
        click.echo(f"  glosses: {told.glosses}")
    click.echo("Definitions:")
    for variant in told.variants:
        click.echo(f"  {variant.text}: {', '.join(variant.notes)}")
    if told.undefined_in:
        click.echo(f"  (empty): {', '.join(told.undefined_in)}")
    click.echo("Used in:")
    for note, line, context in told.occurrences:
        click.echo(f"  {note}:{line}  {context}")


@cli.command()
@click.argument("japanese")
@click.argument("reading", required=False)
@click.option("--unpin", is_flag=True, help="Remove the pinned reading of JAPANESE.")
@db_option
def reading(japanese: str, reading: str | None, unpin: bool, db_path: Path) -> None:
    """Print the reading of JAPANESE and what decided it; with READING, pin it.

    A pinned reading (hiragana) survives every harvest and applies wherever that exact
    Japanese occurs. A note can also write one: "右胸心（うきょうしん）".
    """
    from .readings import ReadingEngine, to_romaji

    if unpin and reading:
        raise UsageProblem("give either a READING to pin or --unpin")
    with clear_errors():
        if reading or unpin:
            decisions.pin_reading(open_db(db_path), japanese, None if unpin else reading)
            click.echo(f"{japanese}: " + ("unpinned" if unpin else f"pinned to {reading}"))
            return
        pinned = {}
        if db_path.exists():
            db = _open_existing(db_path)
            pinned = dict(db.execute("select japanese, reading from pinned_readings"))
    if japanese in pinned:
        click.echo(f"{japanese}  {pinned[japanese]}  {to_romaji(pinned[japanese])}  (pinned)")
        return
    engine = ReadingEngine()
    result = engine.read(japanese)
    click.echo(f"{japanese}  {result.hiragana}  {result.romaji}  ({result.source})")
    for line in engine.explain(japanese):
        click.echo(f"  {line}")

from .cli_browse import export_command, serve_command  # noqa: E402

cli.add_command(serve_command, "serve")
cli.add_command(export_command, "export")

from .cli_apply import apply_command  # noqa: E402

cli.add_command(apply_command, "apply")
