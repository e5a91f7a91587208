"""Build the engine's data tables from JMdict and KANJIDIC2 (build-time only).

    python -m glossary.readings.learn [OUT_DIR] [--exclude WORDS.tsv]

writes into OUT_DIR (default: the shipped ``data/`` folder):

- ``kanji-readings.tsv``: per kanji its on'yomi ranked by use in all-kanji words, kun'yomi
  (see glossary.readings.kanji);
- ``lexicon.tsv``: JMdict words that the analyzer, given the word alone, reads otherwise than
  JMdict does (the rest it already knows), or would after the ``in-compounds`` rows, with
  JMdict's usual reading;
- ``in-compounds.tsv``: words that JMdict's longer words read, at their head or tail,
  otherwise than the analyzer reads the word alone (日本 にほん, 会社 がいしゃ).

``--exclude`` names a file whose first column lists words to leave out of all (the
benchmark excludes its held-out words, so that scoring them measures what the engine
generalises rather than what it looks up). Needs ``pip install jamdict-data``.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .jmdict import Word, database, words
from .kanji import ATTRIBUTION, is_kanji, variants
from .romaji import kata_to_hira

DATA = Path(__file__).with_name("data")

def lexicon(vocabulary: Iterable[Word], in_compounds: dict[tuple[str, str], str]) -> str:
    """The text of ``lexicon.tsv``: words the analyzer alone reads otherwise than JMdict, or
    that the ``in-compounds`` rows would make it read otherwise (職人気質 かたぎ is the rule,
    循環気質 きしつ the word: the lexicon, first, keeps it whole)."""
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
        morphemes = list(tokenizer.tokenize(text, SplitMode.C))
        pieces = [kata_to_hira(m.reading_form()) for m in morphemes]
        if "".join(pieces) not in every[text]:
            rows[text] = reading
        elif len(pieces) > 1 and all(is_kanji(c) for c in text):
            ends = ((0, "head"), (len(pieces) - 1, "tail"))
            for i, where in ends:
                pieces[i] = in_compounds.get((morphemes[i].surface(), where), pieces[i])
            if "".join(pieces) not in every[text]:
                rows[text] = reading
    lines = ["# word<TAB>its usual reading in JMdict (where the analyzer reads it otherwise)",
             ATTRIBUTION]
    lines += [f"{text}\t{reading}" for text, reading in sorted(rows.items())]
    return "\n".join(lines) + "\n"


def in_compounds(vocabulary: Iterable[Word]) -> dict[tuple[str, str], str]:
    """The rows of ``in-compounds.tsv``: how a JMdict word reads at the head or the tail of
    the longer all-kanji JMdict words that start or end with it (日本 にほん in 日本語, 日本人…;
    会社 がいしゃ in 株式会社, 旅行会社…), where one reading holds at least four in five of
    at least five such words, the analyzer reads the word alone otherwise, and the reading
    is JMdict's usual one or (at the tail) the analyzer's voiced. A split that a
    two-kanji word straddles is no boundary (蛋白質 is 蛋白+質, so no 白質 ぱくしつ)."""
    from sudachipy import Dictionary, SplitMode

    tokenizer = Dictionary(dict="core").tokenizer()
    usual: dict[str, str] = {}
    every: dict[str, set[str]] = {}
    for word in vocabulary:
        if len(word.text) >= 2 and all(is_kanji(c) for c in word.text):
            usual.setdefault(word.text, word.readings[0])
            every.setdefault(word.text, set()).update(word.readings)
    seen: dict[tuple[str, str], Counter[str]] = {}
    for text, reading in usual.items():
        for k in range(1, len(text)):
            if text[k - 1 : k + 1] in every:
                continue  # a word straddles this split (蛋|白質: 蛋白): not a boundary
            for part, where in ((text[:k], "head"), (text[k:], "tail")):
                if len(part) < 2:
                    continue
                forms = {f for r in every.get(part, ()) for f in (
                    {r} if where == "head" else variants(r, first=False, last=True))}
                hit = [f for f in forms if (reading.startswith(f) if where == "head"
                                            else reading.endswith(f))]
                if hit:
                    seen.setdefault((part, where), Counter())[max(hit, key=len)] += 1
    rows = {}
    for (part, where), counts in sorted(seen.items()):
        best, n = counts.most_common(1)[0]
        if n >= 5 and 5 * n >= 4 * sum(counts.values()):
            alone = kata_to_hira("".join(m.reading_form() for m in tokenizer.tokenize(
                part, SplitMode.C)))
            # only JMdict's usual reading of the word, or the analyzer's voiced: never a
            # rarer reading (職人気質 かたぎ, but 循環気質 きしつ)
            usual_or_voiced = best == usual[part] or (
                where == "tail" and best in variants(alone, first=False, last=True))
            if alone != best and usual_or_voiced:
                rows[part, where] = best
    return rows


def in_compounds_text(rows: dict[tuple[str, str], str]) -> str:
    """The text of ``in-compounds.tsv``."""
    lines = ["# word<TAB>head or tail of a longer word<TAB>its reading there in JMdict words",
             ATTRIBUTION]
    lines += [f"{part}\t{where}\t{r}" for (part, where), r in sorted(rows.items())]
    return "\n".join(lines) + "\n"


def build(out: Path, exclude: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Write the three tables into ``out``, leaving out the words in ``exclude``."""
    from .kanji import build_table

    out.mkdir(parents=True, exist_ok=True)
    vocabulary = [w for w in words() if w.text not in exclude]
    (out / "kanji-readings.tsv").write_text(
        build_table(str(database()), vocabulary), encoding="utf-8")
    rows = in_compounds(vocabulary)
    (out / "in-compounds.tsv").write_text(in_compounds_text(rows), encoding="utf-8")
    (out / "lexicon.tsv").write_text(lexicon(vocabulary, rows), encoding="utf-8")


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
