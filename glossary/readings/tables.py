"""The data the reading rules consult, loaded once per folder.

The shipped folder ``data/`` holds three tables derived from JMdict and KANJIDIC2
(glossary.readings.learn builds them; each file names its source and licence in a header
line) and one curated table of medical naming conventions. A benchmark can point an engine
at another folder built with some words left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .kanji import KanjiReadings, load_table

DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Convention:
    """A medical convention: ``kanji`` reads ``reading`` where general usage says otherwise."""

    kanji: str
    reading: str
    replaces: frozenset[str]  # readings an analyzer gives that the convention corrects
    alone: bool = False  # only where the analyzer's word is this kanji alone (a prefix, suffix)
    head: bool = False  # ... and, alone, heads a compound of kanji words (後 in 後|脛骨)


@dataclass(frozen=True)
class Tables:
    kanji: dict[str, KanjiReadings]
    lexicon: dict[str, str]
    longest: int  # characters in the lexicon's longest word
    conventions: dict[str, Convention]
    in_compounds: dict[tuple[str, str], str] = field(default_factory=dict)  # (word, head|tail)


def _rows(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@cache
def load(folder: Path = DATA) -> Tables:
    """The tables of a folder (missing files are empty tables)."""
    lexicon = {row[0]: row[1] for row in _rows(folder / "lexicon.tsv")}
    conventions = {
        row[0]: Convention(row[0], row[1], frozenset(filter(None, row[2].split(","))),
                           row[3:4] in (["alone"], ["head"]), row[3:4] == ["head"])
        for row in _rows(DATA / "medical-conventions.tsv")
    }
    kanji_path = folder / "kanji-readings.tsv"
    return Tables(
        load_table(kanji_path if kanji_path.exists() else DATA / "kanji-readings.tsv"),
        lexicon,
        max((len(w) for w in lexicon), default=0),
        conventions,
        {(row[0], row[1]): row[2] for row in _rows(folder / "in-compounds.tsv")},
    )
