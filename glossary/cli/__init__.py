"""The `gloss` command: a thin click layer over the library.

Each command parses its options, calls one library function and prints. Library failures
that describe bad input become one-line errors (exit status 2), never tracebacks.
"""

from __future__ import annotations

import os
import sys

import click

from .apply import apply_command
from .browse import export_command, serve_command
from .decide import conflicts_command, prefer_command, reading_command, show_command
from .harvest import harvest_command
from .resolve import resolve_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gloss")
def cli() -> None:
    """gloss: an English–Japanese glossary harvested from Markdown case notes.

    Harvest the term links of your notes into a SQLite glossary, settle the conflicts,
    write one consistent definition back into every note, browse it in Datasette and
    export it.
    """


for command in (harvest_command, conflicts_command, resolve_command, prefer_command,
                show_command, reading_command, serve_command, export_command, apply_command):
    cli.add_command(command)


def main() -> None:
    """The `gloss` command. Output that cannot be written (standard output on a full disk)
    ends in one line with the disk's exit status, not a traceback; a closed pipe
    (`gloss export - | head`) ends quietly with status 1, as click ends it."""
    try:
        cli()
    except OSError as error:
        if error.filename is not None:  # a file the library did not explain: a bug to see
            raise
        from glossary.db.failures import failure_class

        with open(os.devnull, "w") as nowhere:  # nothing more to write at exit
            os.dup2(nowhere.fileno(), sys.stdout.fileno())
        why = (error.strerror or str(error)).lower()
        click.echo(f"Error: standard output: cannot write ({why})", err=True)
        sys.exit(failure_class(error).exit_status)
