"""`gloss apply`: a thin click command over glossary.apply."""

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


@click.command("apply")
@notes_argument
@db_option
@click.option("--dry-run", is_flag=True, help="Print a unified diff per note; write nothing.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 when any note would change (for CI and pre-commit).")
@click.option("--silent", is_flag=True, help="Print nothing but problems; no progress bar.")
@jobs_option("rewriting notes")
def apply_command(notes_dirs: tuple[Path, ...], db_path: Path, dry_run: bool, check: bool,
                  silent: bool, jobs: int | None) -> None:
    """Write every term's canonical definition back into every note.

    Only the text of term definitions changes (link reference definition titles and
    Terminology list items); a note that changed since the last harvest is skipped, and a
    note whose rewrite fails verification is reported, not written.
    """
    from glossary.apply import apply
    from glossary.db import glossary_lock, open_db

    folders = list(notes_dirs) or [DEFAULT_NOTES]
    with clear_errors(), glossary_lock(db_path, say=say_on_stderr):
        db = open_db(db_path, create=False)
        with progress_bars(shown=not (silent or dry_run)) as progress:
            report = apply(folders, db, dry_run=dry_run, check=check, progress=progress,
                           jobs=jobs)
    if dry_run:
        for outcome in report.having("changed"):
            click.echo(outcome.diff, nl=False)
    for line in report.problems():
        click.echo(line, err=True)
    if not silent:
        summary = report.summary().splitlines()[0]
        click.echo(summary, err=dry_run)
        if report.harvest is not None:
            click.echo(f"glossary: {report.harvest.summary()}", err=dry_run)
    if check and report.would_change:
        sys.exit(1)
