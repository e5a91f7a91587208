"""Per-kanji readings: which on'yomi each kanji takes inside compounds, and its kun'yomi.

The shipped table ``data/kanji-readings.tsv`` is derived from KANJIDIC2 (readings)
and JMdict (counts of how often each on'yomi appears in all-kanji words), both from
the EDRDG under CC BY-SA 4.0. Regenerate it with ``python -m glossary.readings.learn``
after ``pip install jamdict-data`` (a build-time tool only; not a runtime dependency).

The table lets the engine tell an on'yomi from a kun'yomi in an analyzer's output,
pick the usual Sino-Japanese reading of a kanji in a compound, and split a word's
reading into per-kanji pieces (``align``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .romaji import kata_to_hira

if TYPE_CHECKING:
    from .jmdict import Word

ATTRIBUTION = (
    "# Derived from JMdict and KANJIDIC2 (© EDRDG, CC BY-SA 4.0; this file stays under "
    "CC BY-SA 4.0 with this attribution). Built by glossary.readings.learn; see docs/readings.md."
)

TABLE = Path(__file__).with_name("data") / "kanji-readings.tsv"

_RENDAKU = dict(
    zip(
        "かきくけこさしすせそたちつてとはひふへほ",
        "がぎぐげござじずぜぞだぢづでどばびぶべぼ",
        strict=True,
    )
)
HANDAKU = dict(zip("はひふへほ", "ぱぴぷぺぽ", strict=True))  # h-row kana and their p forms
GEMINATING = set("つくちき")  # final morae that may become っ
_DOUBLING_NEXT = set("かきくけこさしすせそたちつてとぱぴぷぺぽ")


def is_kanji(ch: str) -> bool:
    """True for CJK ideographs and the iteration mark 々."""
    return ch == "々" or "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@dataclass(frozen=True)
class KanjiReadings:
    """Readings of one kanji: on'yomi most used in compounds first, then kun'yomi stems."""

    on: tuple[str, ...]
    kun: tuple[str, ...]
    on_count: int = 0  # JMdict all-kanji words where this kanji is read by on'yomi
    kun_count: int = 0  # ... and by kun'yomi
    kun_head_count: int = 0  # words where it alone, at the head, is kun and the rest on
    doubles: int = 0  # two-kanji words where it comes first and its final mora doubles (っ)
    could_double: int = 0  # ... two-kanji words where it could (on'yomi in つ/く/ち/き + k/s/t/p)

    @property
    def usually_doubles(self) -> bool:
        """True when JMdict's two-kanji words double this kanji's final mora before k/s/t/p
        at least four times in five, over at least five words (血管 けっかん, 血清 けっせい)."""
        return self.could_double >= 5 and 5 * self.doubles >= 4 * self.could_double

    @property
    def on_in_compounds(self) -> bool:
        """True when compounds mostly read this kanji by on'yomi."""
        return self.on_count >= self.kun_count


def variants(reading: str, *, first: bool, last: bool) -> set[str]:
    """Forms a reading takes inside a word: rendaku/handakuten unless first, っ unless last."""
    forms = {reading}
    if not first and reading[:1] in _RENDAKU:
        forms.add(_RENDAKU[reading[0]] + reading[1:])
        if reading[0] in HANDAKU:
            forms.add(HANDAKU[reading[0]] + reading[1:])
    if not last:
        forms |= {f[:-1] + "っ" for f in list(forms) if f[-1:] in GEMINATING and len(f) > 1}
    return forms


def table() -> dict[str, KanjiReadings]:
    """The shipped kanji table (kanji -> readings)."""
    return load_table(TABLE)


@cache
def load_table(path: Path) -> dict[str, KanjiReadings]:
    """Load a kanji table (kanji -> readings)."""
    out: dict[str, KanjiReadings] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t") + [""] * 7
        kanji, on, kun = cells[:3]
        on_n, kun_n, head_n, dbl_n, could_n = (int(c or 0) for c in cells[3:8])
        out[kanji] = KanjiReadings(
            tuple(filter(None, on.split(","))),
            tuple(filter(None, kun.split(","))),
            on_n, kun_n, head_n, dbl_n, could_n,
        )
    return out


def align(surface: str, reading: str, readings: dict[str, tuple[str, ...]]) -> list[str] | None:
    """Split ``reading`` into one piece per character of ``surface``, or None if impossible.

    ``readings`` maps each kanji to its candidate readings; kana characters stand for
    themselves. Pieces may take rendaku, handakuten and gemination forms. Text longer
    than 64 characters is not aligned (None): words are never that long.
    """
    if len(surface) > 64:
        return None

    @cache
    def go(i: int, j: int) -> tuple[str, ...] | None:
        if i == len(surface):
            return () if j == len(reading) else None
        ch = surface[i]
        if not is_kanji(ch):
            cands = {kata_to_hira(ch)}
        else:
            cands = set()
            for r in readings.get(ch, ()):
                cands |= variants(r, first=i == 0, last=i == len(surface) - 1)
        for cand in sorted(cands, key=len, reverse=True):
            if cand and reading.startswith(cand, j):
                rest = go(i + 1, j + len(cand))
                if rest is not None:
                    return (cand, *rest)
        return None

    result = go(0, 0)
    return list(result) if result is not None else None


def build_table(db_path: str, vocabulary: Iterable[Word]) -> str:
    """The TSV text: readings from KANJIDIC2 (in the jamdict database at ``db_path``),
    counts from the JMdict words of ``vocabulary`` (build-time; see glossary.readings.learn)."""
    import sqlite3

    con = sqlite3.connect(db_path)
    on: dict[str, list[str]] = {}
    kun: dict[str, list[str]] = {}
    rows = con.execute(
        "SELECT c.literal, r.r_type, r.value FROM character c JOIN rm_group g ON g.cid = c.ID "
        "JOIN reading r ON r.gid = g.ID WHERE r.r_type IN ('ja_on', 'ja_kun')"
    )
    for literal, r_type, value in rows:
        if r_type == "ja_on":
            r = kata_to_hira(value).replace("-", "")
            on.setdefault(literal, []).append(r)
        else:
            r = value.replace("-", "").split(".")[0]
            if r not in kun.setdefault(literal, []):
                kun[literal].append(r)
    con.close()
    # Count, over JMdict all-kanji words, which on'yomi each kanji takes, and how
    # often it is read by kun'yomi instead.
    counts: Counter[tuple[str, str]] = Counter()
    kun_counts: Counter[str] = Counter()
    head_counts: Counter[str] = Counter()
    doubles: Counter[str] = Counter()
    could_double: Counter[str] = Counter()
    on_t = {k: tuple(v) for k, v in on.items()}
    kun_t = {k: tuple(v) for k, v in kun.items()}
    for word in vocabulary:
        surface, reading = word.text, word.readings[0]
        if len(surface) < 2 or not all(is_kanji(c) for c in surface):
            continue
        pieces = align(surface, reading, on_t)
        if pieces is None:
            if align(surface, reading, kun_t) is not None:
                kun_counts.update(surface)
            elif align(surface, reading, {**on_t, surface[0]: kun_t.get(surface[0], ())}):
                head_counts[surface[0]] += 1
            continue
        for ch, piece in zip(surface, pieces, strict=True):
            for r in on_t.get(ch, ()):
                if piece in variants(r, first=False, last=False) or piece == r:
                    counts[ch, r] += 1
                    break
        if len(surface) == 2 and pieces[1][:1] in _DOUBLING_NEXT:
            first = next((r for r in on_t.get(surface[0], ()) if pieces[0] in
                          variants(r, first=True, last=False)), "")
            if first[-1:] in GEMINATING and len(first) > 1:
                could_double[surface[0]] += 1
                doubles[surface[0]] += pieces[0].endswith("っ")
    lines = [
        "# kanji<TAB>on'yomi, most frequent in JMdict all-kanji words first<TAB>kun'yomi stems"
        "<TAB>words read all-on<TAB>words read all-kun<TAB>words with a kun head, on rest"
        "<TAB>two-kanji words where it is first and doubles (っ)<TAB>... where it could",
        ATTRIBUTION,
    ]
    for literal in sorted(set(on) | set(kun)):
        ons = sorted(on.get(literal, []), key=lambda r: -counts[literal, r])
        on_n = sum(counts[literal, r] for r in ons)
        lines.append(
            f"{literal}\t{','.join(ons)}\t{','.join(kun.get(literal, []))}"
            f"\t{on_n}\t{kun_counts[literal]}\t{head_counts[literal]}"
            f"\t{doubles[literal]}\t{could_double[literal]}"
        )
    return "\n".join(lines) + "\n"
