"""`gloss apply`: a thin click command over glossary.apply."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import (
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
              help="Write nothing; exit 1 when any note disagrees with the glossary (for CI "
                   "and pre-commit).")
@click.option("--ties", type=click.Choice(["leave", "newest"]), default="leave",
              show_default=True,
              help="A conflict no variant wins by notes is undecided: leave its definitions "
                   "as written and name it (leave), or write the most recent note's (newest).")
@click.option("--silent", is_flag=True, help="Print nothing but problems; no progress bar.")
@jobs_option("rewriting notes")
def apply_command(notes_dirs: tuple[Path, ...], db_path: Path, dry_run: bool, check: bool,
                  ties: str, silent: bool, jobs: int | None) -> None:
    """Write every term's canonical definition back into every note.

    Rewrites the notes of the folders the glossary was harvested from, or of NOTES_DIR, a
    folder among them; files .glossignore or the harvest's --exclude patterns leave out are
    never rewritten. Only the text of term definitions changes (link reference definition
    titles and Terminology list items), and each rewritten note reads the same to CommonMark
    apart from that text; a note that changed since the last harvest is skipped, and a note
    whose rewrite fails verification is reported, not written. Conflicts more notes settle
    are settled and named; ties are left as written and named (see --ties, `gloss resolve`).
    Ctrl-C or SIGTERM stops between batches: every note is whole, what was written is
    recorded, no temporary file is left.

    \b
    Exit status:
      0    done: every note agrees with the glossary, apart from undecided ties, which
           are named and left as written (with --check: nothing to do, and no tie)
      1    with --check: some note disagrees (it would change, holds a definition that
           must be left as written, was skipped or refused, or defines an undecided tie);
           without: some note was skipped or refused, or a definition left as written
      2    usage error, or a glossary or folder gloss cannot use
      3    the glossary cannot be written here (read-only, permission) or the disk failed
      4    no space left on the device: every note is whole, the glossary intact
      130  stopped by Ctrl-C (143: by SIGTERM); run `gloss apply` again to finish
    """
    from glossary.apply import apply
    from glossary.db.session import changing_glossary, reading_glossary

    opened = (reading_glossary(db_path, doing="apply") if dry_run or check else
              changing_glossary(db_path, doing="apply", say=say_on_stderr))
    with clear_errors(), opened as db:
        with progress_bars(shown=not (silent or dry_run)) as progress:
            report = apply(list(notes_dirs), db, dry_run=dry_run, check=check, ties=ties,
                           progress=progress, jobs=jobs)
    if dry_run:
        for outcome in report.having("changed"):
            click.echo(outcome.diff, nl=False)
    for line in report.problems():
        click.echo(line, err=True)
    if not silent:
        to_stderr = dry_run
        click.echo(report.summary(), err=to_stderr)
        for line in report.decisions():
            click.echo(line, err=to_stderr)
        if report.harvest is not None:
            click.echo(f"glossary: {report.harvest.summary()}", err=to_stderr)
    if report.interrupted:
        click.echo(report.stopped(), err=True)
    sys.exit(report.exit_status())
