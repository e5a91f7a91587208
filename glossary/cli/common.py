"""What every gloss command shares: default paths, options, and one-line errors.

Only click is imported here: each command imports the library it needs when it runs, so
`gloss --help` starts as fast as click does.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import click

from glossary.errors import GlossError

DEFAULT_NOTES = Path("notes")
DEFAULT_DB = Path("db/glossary.db")


def find_glossary(start: Path) -> Path:
    """The glossary a command uses when none is named: `db/glossary.db` in `start` or the
    nearest folder above it that has one, as git finds `.git` (so a command run inside
    the notes finds the project's glossary); `db/glossary.db` in `start` when none has.
    The path is relative to `start` (`../../db/glossary.db`), as messages name it."""
    for up, folder in enumerate((start, *start.parents)):
        if (folder / DEFAULT_DB).is_file():
            return Path(*[".."] * up, DEFAULT_DB) if up else DEFAULT_DB
    return DEFAULT_DB


def _glossary_path(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        if not value.name:
            raise UsageProblem("--db names the glossary's file (such as db/glossary.db), "
                               "not a folder")
        for folder in value.parents:
            if folder.exists() and not folder.is_dir():
                raise UsageProblem(f"{value}: {folder} is a file, not a folder")
        return value
    try:
        return find_glossary(Path.cwd())
    except OSError:  # the current folder was removed: nothing above it to look in
        return DEFAULT_DB


notes_argument = click.argument(
    "notes_dirs", nargs=-1, type=click.Path(path_type=Path), metavar="[NOTES_DIR]..."
)
db_option = click.option(
    "--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
    envvar="GLOSS_DB", show_envvar=True, callback=_glossary_path,
    help="The glossary database (SQLite). Default: db/glossary.db in the current folder or "
         "the nearest folder above it that has one, else db/glossary.db here.",
)


def jobs_option(work: str) -> Callable:
    return click.option("--jobs", type=click.IntRange(min=1), default=None,
                        help=f"Worker processes for {work} (default: one per core).")


class UsageProblem(click.ClickException):
    """One clear line and exit status 2 (or the status the failure calls for)."""

    exit_code = 2

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn the library's own explained failures into one-line errors, each with its exit
    status (glossary.errors)."""
    try:
        yield
    except GlossError as error:
        raise UsageProblem(str(error), error.exit_status) from None


@contextmanager
def pinning_errors(db_path: Path) -> Iterator[None]:
    """One-line errors for a command that changes the glossary's pins: the library's own,
    and SQLite's and the system's (a read-only place, a full disk) said as a harvest's are."""
    from glossary.db import explained

    with clear_errors(), explained(db_path, "open"):
        yield


@contextmanager
def pinning(db_path: Path) -> Iterator[None]:
    """pinning_errors, and the glossary's lock held while a pin is written: a pin waits
    for a running harvest or apply (saying so on stderr) instead of landing in the middle
    of one. A glossary not there yet is not locked (nothing of it is created to lock)."""
    from glossary.db import glossary_lock

    with pinning_errors(db_path):
        if not db_path.exists():
            yield
            return
        with glossary_lock(db_path, say=say_on_stderr):
            yield


def say_on_stderr(message: str) -> None:
    click.echo(message, err=True)


def progress_bars(*, shown: bool) -> AbstractContextManager:
    """Progress of a job's stages on stderr (glossary.cli.progress), drawn only when stderr
    is a terminal and `shown`; otherwise a Progress that draws nothing."""
    from glossary.progress import UNSEEN

    if not (shown and sys.stderr.isatty()):
        return nullcontext(UNSEEN)
    from .progress import StageBars

    return StageBars(sys.stderr)
