"""The `gloss apply` command: a thin click layer over `glossary.apply`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import apply as apply_mod
from .cli import DEFAULT_NOTES, clear_errors, db_option, notes_argument
from .lock import glossary_lock
from .store import open_db


@click.command("apply")
@notes_argument
@db_option
@click.option("--dry-run", is_flag=True, help="Print a unified diff per note; write nothing.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 when any note would change (for CI and pre-commit).")
@click.option("--silent", is_flag=True, help="Print nothing but problems; no progress bar.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for rewriting notes (default: one per core).")
def apply_command(notes_dirs: tuple[Path, ...], db_path: Path, dry_run: bool, check: bool,
                  silent: bool, jobs: int | None) -> None:
    """Write every term's canonical definition back into every note.

    Only the text of term definitions changes (link reference definition titles and
    Terminology list items); a note that changed since the last harvest is skipped, and a
    note whose rewrite fails verification is reported, not written.
    """
    folders = list(notes_dirs) or [DEFAULT_NOTES]
    with clear_errors(), glossary_lock(db_path, say=lambda m: click.echo(m, err=True)):
        db = open_db(db_path, create=False)
        show_bar = not silent and not dry_run and sys.stderr.isatty()
        with click.progressbar(length=0, label="Applying", file=sys.stderr,
                               hidden=not show_bar) as bar:
            report = apply_mod.apply(folders, db, dry_run=dry_run, check=check,
                                     progress=bar.update, jobs=jobs)
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
