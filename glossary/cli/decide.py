"""The user's decisions at the command line: `gloss conflicts`, `prefer`, `show`, `reading`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import UsageProblem, clear_errors, db_option

if TYPE_CHECKING:
    import sqlite_utils

    from glossary.terms import TermStory


def _open_existing(db_path: Path) -> sqlite_utils.Database:
    from glossary.db import open_db

    return open_db(db_path, create=False)


@click.command("conflicts")
@db_option
def conflicts_command(db_path: Path) -> None:
    """List every term whose notes disagree, with each variant and the notes giving it.

    Settle one with `gloss prefer TERM "DEFINITION"`, then `gloss apply`.
    """
    from glossary.terms import conflicts as conflicts_of

    count = 0
    with clear_errors():
        for told in conflicts_of(_open_existing(db_path)):
            count += 1
            click.echo(f"{told.term}  (most notes: {told.japanese or told.glosses})")
            for variant in told.variants:
                click.echo(f"  {variant.text}")
                for note in variant.notes:
                    click.echo(f"      {note}")
    click.echo(f"{count} conflicts" if count else "No conflicts.")


@click.command("prefer")
@click.argument("term")
@click.argument("definition", required=False)
@click.option("--unpin", is_flag=True, help="Remove the term's pin; the notes decide again.")
@db_option
def prefer_command(term: str, definition: str | None, unpin: bool, db_path: Path) -> None:
    """Pin TERM's canonical definition to DEFINITION (alternatives joined with ", ").

    The pin survives every harvest and wins over what most notes say; `gloss apply`
    then writes it into every note that defines TERM.
    """
    from glossary.terms import UnknownTerm, pin_definition, story, unpin_definition

    if unpin == (definition is not None):
        raise UsageProblem("give either a DEFINITION to pin or --unpin")
    with clear_errors():
        db = _open_existing(db_path)
        if unpin:
            if not unpin_definition(db, term):
                raise UsageProblem(f"{term}: was not pinned")
            click.echo(f"{term}: unpinned; the notes decide again")
            return
        try:
            pin_definition(db, term, definition)
        except ValueError as error:
            raise UsageProblem(str(error)) from None
        try:
            told = story(db, term)
        except UnknownTerm:
            click.echo(f"{term}: pinned to {definition}; no note defines it yet")
            return
    click.echo(f"{told.term}: pinned to {told.japanese or told.glosses}")


@click.command("show")
@click.argument("word")
@click.option("--all", "everything", is_flag=True,
              help="Every case and every note of each variant, not the newest ten.")
@db_option
def show_command(word: str, everything: bool, db_path: Path) -> None:
    """Print everything the glossary knows of a term: its definition with readings, its
    variants with the notes giving each, and the cases where it was met, newest first.

    WORD is the English term, or one of its Japanese translations, readings (kana) or
    romaji (`側腹部`, `そくふくぶ`, `sokufukubu`). An unknown word exits with status 2 and
    the closest terms ("did you mean flank?").
    """
    from glossary.terms import find_terms, story, unknown

    limit = None if everything else 10
    with clear_errors():
        db = _open_existing(db_path)
        keys = find_terms(db, word)
        if not keys:
            raise unknown(db, word)
        stories = [story(db, key, cases=limit, notes=limit) for key in keys]
    for number, told in enumerate(stories):
        if number:
            click.echo()
        for line in entry_lines(told, everything):
            click.echo(line)


def furigana_text(japanese: str, reading: str) -> str:
    """Japanese with its reading after each kanji run: 持(も)っている, 側腹部(そくふくぶ)."""
    from glossary.readings.furigana import furigana

    return "".join(f"{piece.text}({piece.reading})" if piece.reading else piece.text
                   for piece in furigana(japanese, reading))


def entry_lines(told: TermStory, everything: bool) -> Iterator[str]:
    """A term's entry as `gloss show` prints it."""
    most = told.japanese or told.glosses
    yield f"{told.term}  [{told.status}]" + (f"  {most}" if most else "")
    for t in told.translations:
        if t.canonical:
            yield f"  {furigana_text(t.japanese, t.reading)}  {t.romaji}".rstrip()
    for label, values in (("glosses", [told.glosses] if told.glosses else []),
                          ("remarks", told.remarks), ("pronunciation", told.pronunciations)):
        if values:
            yield f"  {label}: {'; '.join(values)}"
    yield "Definitions:"
    for variant in told.variants:
        chosen = ", chosen" if variant.chosen else ""
        yield f"  {variant.text}  ({_notes(variant.notes_count)}{chosen})"
        yield from _listed(variant.notes, variant.notes_count)
        if told.status in ("conflict", "pinned") and not variant.chosen:
            yield f"      settle on it: {told.command(variant.text)}"
    if told.undefined_count:
        yield f"  (empty)  ({_notes(told.undefined_count)})"
        yield from _listed(told.undefined_in, told.undefined_count)
    shown = len(told.cases)
    yield (f"Cases, newest first ({shown} of {told.notes_count}; --all for every one):"
           if shown < told.notes_count and not everything else "Cases, newest first:")
    for case in told.cases:
        patient = " ".join(part for part in (case.age, case.sex) if part)
        yield f"  {case.date or '(no date)'}  {patient}  {case.title}".rstrip()
        yield f"      {case.note_path}:{case.line}" + (f"  {case.url}" if case.url else "")
        if case.sentence:
            yield f"      {case.sentence}"


def _notes(count: int) -> str:
    return f"{count} note" + ("" if count == 1 else "s")


def _listed(notes: list[str], count: int) -> Iterator[str]:
    for note in notes:
        yield f"      {note}"
    if count > len(notes):
        yield f"      … and {count - len(notes)} more"


@click.command("reading")
@click.argument("japanese")
@click.argument("reading", required=False)
@click.option("--unpin", is_flag=True, help="Remove the pinned reading of JAPANESE.")
@db_option
def reading_command(japanese: str, reading: str | None, unpin: bool, db_path: Path) -> None:
    """Print the reading of JAPANESE and what decided it; with READING, pin it.

    A pinned reading (hiragana) survives every harvest and applies wherever that exact
    Japanese occurs. A note can also write one: "右胸心（うきょうしん）".
    """
    from glossary.db import open_db
    from glossary.readings import ReadingEngine, to_romaji
    from glossary.terms import pin_reading

    if unpin and reading:
        raise UsageProblem("give either a READING to pin or --unpin")
    with clear_errors():
        if reading or unpin:
            pin_reading(open_db(db_path), japanese, None if unpin else reading)
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
