"""The user's decisions at the command line: `gloss conflicts`, `prefer`, `show`, `reading`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from glossary.wording import counted

from .common import UsageProblem, clear_errors, db_option, pinning, pinning_errors

if TYPE_CHECKING:
    import sqlite_utils

    from glossary.terms import TermStory


def _open_existing(db_path: Path, *, readonly: bool = False,
                   harvested: bool = True) -> sqlite_utils.Database:
    from glossary.db import open_db

    return open_db(db_path, create=False, readonly=readonly, harvested=harvested)


@click.command("conflicts")
@db_option
def conflicts_command(db_path: Path) -> None:
    """List every term whose notes disagree, with each variant and the notes giving it.

    A variant that more notes give than every other wins (most notes); when none does,
    the conflict is a tie: undecided, and `gloss apply` leaves it as written until you
    decide with `gloss resolve` (one by one) or `gloss prefer TERM "DEFINITION"`.
    """
    import shlex
    from collections import Counter

    from glossary.terms import conflicts as conflicts_of

    count = ties = 0
    with clear_errors():
        for told in conflicts_of(_open_existing(db_path, readonly=True)):
            count += 1
            ties += told.tie
            if told.tie:
                heading = f"tie, undecided: decide with `gloss resolve {shlex.quote(told.term)}`"
            else:
                others = sorted({v.notes_count for v in told.variants[1:]}, reverse=True)
                heading = (f"most notes: {told.japanese or told.glosses}, "
                           f"{told.variants[0].notes_count} against {others[0]}")
            lines = [f"{told.term}  ({heading})"]
            given = Counter(note for variant in told.variants for note in variant.notes)
            for variant in told.variants:
                lines.append(f"  {variant.text}  ({counted(variant.notes_count, 'note')})")
                lines += (f"      {note}" + ("  (defines it more than one way)"
                                             if given[note] > 1 else "")
                          for note in variant.notes)
            click.echo("\n".join(lines))  # a term at a time: click flushes every echo
    if not count:
        click.echo("No conflicts.")
    else:
        click.echo(f"{counted(count, 'conflict')} ({ties} tied, undecided)" if ties
                   else counted(count, "conflict"))


@click.command("prefer")
@click.argument("term")
@click.argument("definition", required=False)
@click.option("--unpin", is_flag=True, help="Remove the term's pin; the notes decide again.")
@click.option("--new", is_flag=True,
              help="TERM is a new term: pin it although no note defines it yet.")
@db_option
def prefer_command(term: str, definition: str | None, unpin: bool, new: bool,
                   db_path: Path) -> None:
    """Pin TERM's canonical definition to DEFINITION (alternatives joined with ", ").

    The pin survives every harvest and wins over what most notes say; `gloss apply`
    then writes it into every note that defines TERM. A TERM the glossary does not know
    is refused, with the closest terms it knows, unless --new says it is meant as a new
    term. Unpinning what is not pinned changes nothing, says so and exits 0.
    """
    from glossary.terms import UnknownTerm, pin_definition, story, unpin_definition
    from glossary.terms.pins import pinned_line

    if unpin == (definition is not None):
        raise UsageProblem("give either a DEFINITION to pin or --unpin")
    with pinning(db_path):
        db = _open_existing(db_path)
        if unpin:
            _say_unpinned(term, "definition", unpin_definition(db, term),
                          "the notes decide again")
            return
        pin_definition(db, term, definition, new=new)
        try:
            told = story(db, term)
        except UnknownTerm:
            click.echo(f"{pinned_line(term, definition)}; no note defines it yet")
            return
    click.echo(pinned_line(told.term, definition))


def _say_unpinned(name: str, what: str, removed: bool, then: str) -> None:
    """The one rule of both unpins: say what happened; unpinning what is not pinned is no
    error (exit 0), it changes nothing and says so."""
    if removed:
        click.echo(f"{name}: {what} unpinned; {then}")
    else:
        click.echo(f"{name}: no {what} was pinned; nothing changed")


@click.command("show")
@click.argument("word")
@click.option("--all", "everything", is_flag=True,
              help="Every case and every note of each variant, not the newest ten.")
@db_option
def show_command(word: str, everything: bool, db_path: Path) -> None:
    """Print everything the glossary knows of a term: its definition with readings, its
    variants with the notes giving each, and the cases where it was met, newest first.

    WORD is the English term, or one of its Japanese translations, readings (kana) or
    romaji (`側腹部`, `そくふくぶ`, `sokufukubu`), or the beginning of one that only one
    term begins with (`側腹`). An unknown word exits with status 2 and the closest terms
    ("did you mean flank?").
    """
    from glossary.terms import find_terms, story, unknown
    from glossary.terms.pins import pinned_alone

    limit = None if everything else 10
    with clear_errors():
        db = _open_existing(db_path, readonly=True)
        keys = find_terms(db, word)
        if not keys and (pinned := pinned_alone(db, word)) is not None:
            click.echo(f"{word}  [pinned, in no note yet]  {pinned}")
            return
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
    from glossary.readings import furigana

    return "".join(f"{piece.text}({piece.reading})" if piece.reading else piece.text
                   for piece in furigana(japanese, reading))


def entry_lines(told: TermStory, everything: bool) -> Iterator[str]:
    """A term's entry as `gloss show` prints it."""
    most = told.japanese or told.glosses
    status = f"{told.status}, tie: undecided" if told.tie else told.status
    yield f"{told.term}  [{status}]" + (f"  {most}" if most else "")
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
        yield f"  {variant.text}  ({counted(variant.notes_count, 'note')}{chosen})"
        yield from _listed(variant.notes, variant.notes_count)
        if told.status in ("conflict", "pinned") and not variant.chosen:
            yield f"      settle on it: {told.command(variant.text)}"
    if told.undefined_count:
        yield f"  (empty)  ({counted(told.undefined_count, 'note')})"
        yield from _listed(told.undefined_in, told.undefined_count)
    shown = len(told.cases)
    yield (f"Cases, newest first ({shown} of {told.notes_count}; --all for every one):"
           if shown < told.notes_count and not everything else "Cases, newest first:")
    for case in told.cases:
        patient = " ".join(part for part in (case.age, case.sex) if part)
        yield f"  {case.date or '(no date)'}  {patient}  {case.title}".rstrip()
        line = case.sentence_line or case.line  # the sentence shown, else the definition
        yield f"      {case.note_path}:{line}" + (f"  {case.url}" if case.url else "")
        if case.sentence:
            yield f"      {case.sentence}"


def _listed(notes: list[str], count: int) -> Iterator[str]:
    for note in notes:
        yield f"      {note}"
    if count > len(notes):
        yield f"      … and {count - len(notes)} more"


@click.command("reading")
@click.argument("japanese", required=False)
@click.argument("reading", required=False)
@click.option("--unpin", is_flag=True, help="Remove the pinned reading of JAPANESE.")
@click.option("--explain", is_flag=True,
              help="Show, per word, the analyzer's reading and every rule that changed it.")
@click.option("--without", "without", multiple=True, metavar="RULE",
              help="Switch a reading rule off (repeatable; see --rules). Default: the rules "
                   "named in GLOSS_READING_RULES_OFF (comma-separated).")
@click.option("--rules", "list_rules", is_flag=True,
              help="List the reading rules in the order they run, and exit.")
@db_option
def reading_command(japanese: str | None, reading: str | None, unpin: bool, explain: bool,
                    without: tuple[str, ...], list_rules: bool, db_path: Path) -> None:
    """Print the reading of JAPANESE (hiragana and romaji); with READING, pin it.

    READING is kana: hiragana, or katakana (pinned as hiragana); anything else is refused.
    A pinned reading survives every harvest and applies wherever that exact Japanese
    occurs. A note can also write one: "右胸心（うきょうしん）". Unpinning what is not
    pinned changes nothing, says so and exits 0.
    """
    from glossary.db import open_db
    from glossary.readings import ReadingEngine, to_romaji
    from glossary.terms import pin_reading, unpin_reading

    with pinning_errors(db_path):
        engine = ReadingEngine(rules_off=without or None)
        if list_rules:
            for name, doc, enabled in engine.ruler.describe():
                click.echo(f"{name:<22}{doc}{'' if enabled else '  (off)'}")
            return
        if not japanese:
            raise UsageProblem("give the JAPANESE to read (or --rules)")
        if unpin and reading:
            raise UsageProblem("give either a READING to pin or --unpin")
        if unpin:
            with pinning(db_path):
                removed = unpin_reading(open_db(db_path, create=False), japanese)
            _say_unpinned(japanese, "reading", removed,
                          "the notes and the reading engine decide again")
            return
        if reading:
            with pinning(db_path):
                pinned_as = pin_reading(open_db(db_path, create=False), japanese, reading)
            click.echo(f"{japanese}: pinned to {pinned_as}")
            return
        pinned = {}
        if db_path.exists():
            db = _open_existing(db_path, readonly=True, harvested=False)  # pins alone do
            pinned = dict(db.execute("select japanese, reading from pinned_readings"))
    if japanese in pinned:
        click.echo(f"{japanese}  {pinned[japanese]}  {to_romaji(pinned[japanese])}  (pinned)")
        return
    result = engine.read(japanese)
    if not result.hiragana:
        raise UsageProblem(f"{japanese}: nothing Japanese to read; give kanji or kana")
    click.echo(f"{japanese}  {result.hiragana}  {result.romaji}  ({result.source})")
    if explain:
        for line in engine.explain(japanese):
            click.echo(f"  {line}")
