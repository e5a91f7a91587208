"""Build the engine's data tables from JMdict and KANJIDIC2 (build-time only).

    python -m glossary.readings.learn [OUT_DIR] [--exclude WORDS.tsv]

writes into OUT_DIR (default: the shipped ``data/`` folder):

- ``kanji-readings.tsv``: per kanji its on'yomi ranked by use in all-kanji words, kun'yomi
  (see glossary.readings.kanji);
- ``lexicon.tsv``: JMdict words that the analyzer, given the word alone, reads otherwise than
  JMdict does (the rest it already knows), with JMdict's usual reading.

``--exclude`` names a file whose first column lists words to leave out of both (the
benchmark excludes its held-out words, so that scoring them measures what the engine
generalises rather than what it looks up). Needs ``pip install jamdict-data``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from .jmdict import Word, database, words
from .kanji import ATTRIBUTION, is_kanji
from .romaji import kata_to_hira

DATA = Path(__file__).with_name("data")

def lexicon(vocabulary: Iterable[Word]) -> str:
    """The text of ``lexicon.tsv``: words the analyzer alone reads otherwise than JMdict."""
    from sudachipy import Dictionary, SplitMode

    tokenizer = Dictionary(dict="core").tokenizer()
    usual: dict[str, str] = {}  # the first entry's first reading
    every: dict[str, set[str]] = {}  # the readings of every entry written so
    for word in vocabulary:
        text = word.text
        if len(text) < 2 or not any(is_kanji(c) for c in text):
            continue
        if not all(is_kanji(c) or "ぁ" <= c <= "ゖ" or "ァ" <= c <= "ヺ" or c == "ー"
                   for c in text):
            continue
        usual.setdefault(text, word.readings[0])
        every.setdefault(text, set()).update(word.readings)
    rows = {}
    for text, reading in usual.items():
        sudachi = kata_to_hira("".join(m.reading_form() for m in tokenizer.tokenize(
            text, SplitMode.C)))
        if sudachi not in every[text]:
            rows[text] = reading
    lines = ["# word<TAB>its usual reading in JMdict (where the analyzer reads it otherwise)",
             ATTRIBUTION]
    lines += [f"{text}\t{reading}" for text, reading in sorted(rows.items())]
    return "\n".join(lines) + "\n"


def build(out: Path, exclude: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Write the two tables into ``out``, leaving out the words in ``exclude``."""
    from .kanji import build_table

    out.mkdir(parents=True, exist_ok=True)
    vocabulary = [w for w in words() if w.text not in exclude]
    (out / "kanji-readings.tsv").write_text(
        build_table(str(database()), vocabulary), encoding="utf-8")
    (out / "lexicon.tsv").write_text(lexicon(vocabulary), encoding="utf-8")


def main(argv: list[str]) -> int:
    args = argv[1:]
    exclude: set[str] = set()
    if "--exclude" in args:
        i = args.index("--exclude")
        path = Path(args[i + 1])
        del args[i : i + 2]
        exclude = {line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()
                   if line and not line.startswith("#")}
    out = Path(args[0]) if args else DATA
    build(out, exclude)
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
