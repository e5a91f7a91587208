"""`gloss resolve`: decide conflicts one by one in the terminal, like a merge tool."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from glossary.wording import counted

from .common import db_option, pinning, pinning_errors

if TYPE_CHECKING:
    import sqlite_utils

    from glossary.terms.resolve import Question

NOTES_SHOWN = 3


@click.command("resolve")
@click.argument("terms", nargs=-1)
@click.option("--all", "all_conflicts", is_flag=True,
              help="Every conflict, not only the undecided ties.")
@click.option("--pick", type=click.Choice(["newest", "majority"]),
              help="Ask nothing: pin each to the most recent note's variant (newest) or to "
                   "the variant most notes give (majority; a tie has none and is skipped).")
@db_option
def resolve_command(terms: tuple[str, ...], all_conflicts: bool, pick: str | None,
                    db_path: Path) -> None:
    """Walk the undecided ties (or the TERMs named, or with --all every conflict) one by
    one and decide each.

    For each term: every variant with its notes and the sentence each note uses the term
    in; answer with a variant's number, t to type your own definition (an empty line, or
    text with no Japanese, goes back), s to skip, q to quit. Each answer is pinned at once
    (as `gloss prefer` does), so quitting half-way loses nothing; `gloss apply` then
    writes the decisions into the notes. When standard input is not a terminal, answers
    are read one per line and the end of input quits.
    Exit status 0, or 2 for a usage error.
    """
    from glossary.db import open_db
    from glossary.terms.resolve import questions

    with pinning_errors(db_path):
        db = open_db(db_path, create=False)
        asked = questions(db, terms, all_conflicts=all_conflicts)
    if not asked:
        click.echo("No conflicts to resolve." if all_conflicts or terms
                   else "No undecided ties (`gloss resolve --all` walks every conflict).")
        return
    pinned = skipped = 0
    for number, question in enumerate(asked, 1):
        if pick:
            text = question.newest if pick == "newest" else question.majority
            if text is None:
                click.echo(f"{question.term}: skipped: no variant is given by more notes "
                           "than every other (a tie); decide it with `gloss resolve`")
                skipped += 1
                continue
            answer: str | None = text
        else:
            _show(question, number, len(asked))
            answer = _ask(question)
            if answer is None:
                click.echo("quit: what was pinned stays pinned")
                break
            if answer == "":
                click.echo(f"{question.term}: skipped")
                skipped += 1
                continue
        with pinning(db_path):
            _pin(db, question, answer, pick)
        pinned += 1
    left = len(asked) - pinned - skipped
    click.echo(f"{pinned} pinned · {skipped} skipped · {left} not asked"
               + ("; run `gloss apply` to write the decisions into the notes" if pinned else ""))


def _pin(db: sqlite_utils.Database, question: Question, text: str, pick: str | None) -> None:
    from glossary.terms import pin_definition
    from glossary.terms.pins import pinned_line

    pin_definition(db, question.term, text)
    how = f" (the {pick} variant)" if pick else ""
    click.echo(pinned_line(question.term, text) + how)


def _show(question: Question, number: int, total: int) -> None:
    kind = "a tie, undecided" if question.tie else "settled by majority unless you decide"
    click.echo("")
    click.echo(click.style(f"[{number}/{total}] {question.term}", bold=True) + f"  ({kind})")
    for index, option in enumerate(question.options, 1):
        count = len(option.notes)
        marks = [m for m, text in (("newest", question.newest), ("majority", question.majority))
                 if text == option.text]
        extra = f", {' and '.join(marks)}" if marks else ""
        click.echo(f"  {index}) {option.text}  ({counted(count, 'note')}{extra})")
        for note, sentence in option.notes[:NOTES_SHOWN]:
            click.echo(f"       {note}" + (f": {sentence}" if sentence else ""))
        if count > NOTES_SHOWN:
            click.echo(f"       and {count - NOTES_SHOWN} more")


def _ask(question: Question) -> str | None:
    """The text to pin, "" to skip, or None to quit."""
    choices = len(question.options)
    hint = f"1-{choices} pick · t type your own · s skip · q quit"
    while True:
        try:
            answer = click.prompt(hint, default="s", show_default=True).strip().lower()
        except click.Abort:  # end of input, or Ctrl-C at the prompt
            click.echo("", err=not sys.stdin.isatty())
            return None
        if answer.isdigit() and 1 <= int(answer) <= choices:
            return question.options[int(answer) - 1].text
        if answer in ("s", "skip"):
            return ""
        if answer in ("q", "quit"):
            return None
        if answer in ("t", "type"):
            typed = _typed()
            if typed is not None:
                return typed
            continue
        click.echo(f"answer {hint}")


def _typed() -> str | None:
    """The definition typed, or None (back to the choices): an empty line, or text with no
    Japanese (a stray answer such as q; `gloss prefer` pins an English gloss alone)."""
    from glossary.notes import split_text

    try:
        text = click.prompt("your definition (alternatives joined with ', '; empty: back)",
                            default="", show_default=False).strip()
    except click.Abort:
        return None
    if text and not split_text(text).japanese:
        click.echo(f"{text!r} has no Japanese; not pinned (`gloss prefer` pins an English "
                   "gloss alone)")
        return None
    return text or None
