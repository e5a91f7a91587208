"""`gloss harvest`: a thin click command over glossary.harvest."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import (
    DEFAULT_NOTES,
    clear_errors,
    db_option,
    jobs_option,
    notes_argument,
    progress_bars,
    say_on_stderr,
)


@click.command("harvest")
@notes_argument
@db_option
@click.option("--exclude", "excludes", multiple=True, metavar="PATTERN",
              help="Leave out the files this gitignore pattern matches (relative to the "
                   "notes folder; repeat for more). Recorded with the glossary: later "
                   "harvests and applies leave them out too, until --exclude is given "
                   "again (--exclude '' forgets them).")
@click.option("--start-over", is_flag=True,
              help="Start the glossary over from NOTES_DIR: its notes replace those of the "
                   "folders it was built from (your pins are kept).")
@click.option("--silent", is_flag=True, help="Print nothing but errors; no progress bar.")
@jobs_option("parsing changed notes")
def harvest_command(notes_dirs: tuple[Path, ...], db_path: Path, excludes: tuple[str, ...],
                    start_over: bool, silent: bool, jobs: int | None) -> None:
    """Collect every term definition and term link of the notes into the glossary.

    Reads every *.md below NOTES_DIR and writes the glossary database. The glossary
    remembers the notes folders it was built from: without NOTES_DIR, it harvests them
    again (a new glossary: ./notes). A folder inside them updates that folder's notes
    and keeps the rest; note paths are always relative to the notes folder. A folder
    outside them is refused, unless named together with them (`gloss harvest notes
    more-notes` adds more-notes) or with --start-over.

    Files a .glossignore (gitignore syntax, in the notes folder or any folder below) or
    an --exclude pattern leaves out are not notes; hidden folders are skipped.
    Unchanged notes are not read again; notes that are gone are dropped from the glossary;
    the database changes in one transaction. Temporary files a killed `gloss apply` left
    (`.NAME.gloss-tmp-…`, over a minute old) are removed, and named. A harvest that
    fails before it is done leaves no new glossary behind.

    \b
    Exit status:
      0    done (unreadable notes are listed, and the rest harvested)
      2    usage error, a notes folder or glossary gloss cannot use, another gloss running
      3    the glossary cannot be written here (read-only, permission) or the disk failed
      4    no space left on the device: the previous glossary and every note are intact
      130  stopped by Ctrl-C (143: by SIGTERM): the glossary is whole (a new one is
           removed again)
    """
    from glossary.db.roots import recorded_roots
    from glossary.db.session import changing_glossary
    from glossary.harvest import harvest
    from glossary.interrupt import Stopped, signals_stop
    from glossary.temp_files import clean_temp_files

    try:
        with signals_stop(), clear_errors(), changing_glossary(
                db_path, doing="harvest", create=True, say=say_on_stderr) as db:
            folders = list(notes_dirs)
            if not folders and not start_over and not recorded_roots(db):
                folders = [DEFAULT_NOTES]
            with progress_bars(shown=not silent) as progress:
                report = harvest(folders, db, excludes=excludes or None,
                                 start_over=start_over, progress=progress, jobs=jobs)
            removed = clean_temp_files(db, report.folders)
    except Stopped as stop:
        click.echo(f"harvest stopped by {stop.name}; the glossary is whole: the previous "
                   "one, or the new one if the stop came after its commit", err=True)
        sys.exit(stop.exit_status)
    if not silent:
        for path in removed:
            click.echo(f"{path}: removed (a temporary file a killed gloss apply left)",
                       err=True)
    for line in report.problem_lines():
        click.echo(line, err=True)
    if not (report.parsed or report.unchanged or report.problems or report.removed):
        walked = ", ".join(str(f) for f in report.folders) or "the notes folders"
        click.echo(f"{walked}: no notes found (no *.md file below, or .glossignore or "
                   "--exclude leave them all out)", err=True)
    if not silent:
        click.echo(report.summary())
