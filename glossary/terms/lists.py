"""What pages, conflict lists and exports read about a term, kept up to date by every
recount instead of grouped from every definition at query time.

For the terms a harvest, an apply or a pin touched, `rewrite` replaces their rows in:

- `term_cases`: one row per term, note that defines it and definition text the note gives
  (its variant, "" when empty), with the note's date, so a term's cases are read newest
  first and a variant's notes in order, each by an index;
- `variants`: one row per term and definition text the notes give, with how many notes
  give it and whether it was chosen;
- `term_search`: the forms a term is found by (glossary.terms.lookup);
- `term_kanji`: each kanji of a term's Japanese, for the terms that share one.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from glossary.db.rows import insert_dicts
from glossary.readings.kanji import is_kanji

from .choice import Choice, Tally
from .lookup import term_forms

LIST_TABLES = ("term_cases", "variants", "term_search", "term_kanji")


def rewrite(db: sqlite_utils.Database, keys: list[str], counted: dict[str, Tally],
            choices: dict[str, Choice], terms: list[dict], translations: list[dict]) -> None:
    """Replace the list rows of `keys` (sorted) with those of their new `terms` rows and
    `translations` rows, their tallies and choices, and the definitions the glossary holds."""
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for table in LIST_TABLES:
            db.execute(f"delete from {table} where term_key in ({marks})", chunk)
    insert_dicts(db, "variants", [
        {"term_key": key, "variant": text, "glosses": variant.glosses,
         "notes_count": variant.notes, "latest": variant.latest[0],
         "chosen": int(text == choices[key].variant)}
        for key, choice in choices.items() for text, variant in counted[key].variants.items()])
    alternatives: dict[str, list[tuple[str, str, str]]] = {}
    for row in translations:
        alternatives.setdefault(row["term_key"], []).append(
            (row["japanese"], row["reading"], row["romaji"]))
    insert_dicts(db, "term_search", [
        {"term_key": row["key"], "kind": kind, "form": form}
        for row in terms for kind, form in sorted(
            term_forms(row["term"], alternatives.get(row["key"], [])))])
    insert_dicts(db, "term_kanji", [
        {"kanji": kanji, "term_key": row["key"]}
        for row in terms for kanji in sorted(set(_kanji(row["japanese"])))])
    _write_cases(db, keys)


def _kanji(text: str) -> Iterable[str]:
    return (ch for ch in text if is_kanji(ch) and ch != "々")


def _write_cases(db: sqlite_utils.Database, keys: list[str]) -> None:
    """The `term_cases` rows of these terms, from their definitions and notes."""
    db.execute("create temp table if not exists list_keys (key text primary key)")
    db.execute("delete from temp.list_keys")
    db.conn.executemany("insert into temp.list_keys values (?)", [(key,) for key in keys])
    # A few terms: find their definitions by key. Most of them (a first harvest, a big
    # apply): read every definition, which needs no lookup term by term.
    terms = db.execute("select count(*) from terms").fetchone()[0]
    by_key = "" if len(keys) * 4 < terms else "+"
    # A note that gives a term some text is not also listed as leaving it empty.
    db.execute(f"""
        insert into term_cases (term_key, variant, note_path, date, line)
        select d.term_key, definition_text(d.japanese, d.glosses) as variant, d.note_path,
               coalesce(n.date, ''), min(d.line)
        from definitions d join notes n on n.path = d.note_path
        where {by_key}d.term_key in (select key from temp.list_keys)
        group by d.term_key, variant, d.note_path
        having variant != '' or not exists (
            select 1 from definitions e
            where e.note_path = d.note_path and e.term_key = d.term_key
              and definition_text(e.japanese, e.glosses) != '')""")
