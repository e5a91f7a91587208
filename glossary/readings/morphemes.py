"""Medical morpheme rules: which reading a kanji takes inside a medical compound.

Pure functions over the shipped tables: ``data/medical-morphemes.tsv`` (curated
medical conventions such as 腔 くう) and ``data/kanji-readings.tsv`` (on'yomi ranked
by use in JMdict compounds; see glossary.kanji_readings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .kanji import align, table

MEDICAL_TABLE = Path(__file__).with_name("data") / "medical-morphemes.tsv"
_H_ROW = dict(zip("はひふへほ", "ぱぴぷぺぽ", strict=True))
_GEMINATE_BEFORE = set("かきくけこさしすせそたちつてとはひふへほ")


@dataclass
class MedicalTable:
    preferred: dict[str, str] = field(default_factory=dict)
    corrects: dict[str, set[str]] = field(default_factory=dict)


@cache
def medical() -> MedicalTable:
    """Load the curated medical morpheme table."""
    med = MedicalTable()
    for line in MEDICAL_TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kanji, reading, *rest = line.split("\t")
        med.preferred[kanji] = reading
        if rest and rest[0]:
            med.corrects[kanji] = set(rest[0].split(","))
    return med


def on_reading(kanji: str) -> str | None:
    """The on'yomi a kanji takes in a medical compound, or None if unknown."""
    if kanji in medical().preferred:
        return medical().preferred[kanji]
    entry = table().get(kanji)
    return entry.on[0] if entry and entry.on else None


def join_readings(left: str, right: str) -> str:
    """Join two Sino-Japanese readings: つ+k/s/t/h geminates, ん/っ+h takes handakuten."""
    if left.endswith("つ") and right[:1] in _GEMINATE_BEFORE and len(left) > 1:
        left = left[:-1] + "っ"
    if left[-1:] in ("ん", "っ") and right[:1] in _H_ROW:
        right = _H_ROW[right[0]] + right[1:]
    return left + right


def read_by_on(surface: str) -> str | None:
    """Read an all-kanji string kanji by kanji by on'yomi; None if a kanji is unknown."""
    out = ""
    for ch in surface:
        r = on_reading(ch) if ch != "々" else None
        if ch == "々" and out:
            r = on_reading(surface[surface.index(ch) - 1])
        if r is None:
            return None
        out = join_readings(out, r) if out else r
    return out


def on_candidates(surface: str) -> dict[str, tuple[str, ...]]:
    t = table()
    return {c: t[c].on if c in t else () for c in surface}


def kun_candidates(surface: str) -> dict[str, tuple[str, ...]]:
    t = table()
    return {c: t[c].kun if c in t else () for c in surface}


def reads_by_on(surface: str, reading: str) -> bool:
    """True when the word's reading splits into on'yomi of its kanji (or is a medical one)."""
    cands = on_candidates(surface)
    for c in surface:
        if c in medical().preferred:
            cands[c] = (*cands[c], medical().preferred[c])
    return align(surface, reading, cands) is not None


def on_in_compounds(kanji: str) -> bool:
    entry = table().get(kanji)
    return bool(entry and entry.on and entry.on_in_compounds)


def kun_head_on_reading(surface: str, reading: str) -> str | None:
    """On'yomi reading for a long on'yomi word with a kun head (肋軟骨 ろくなんこつ), else None.

    Only for words of three or more kanji whose first kanji JMdict reads by on'yomi in
    compounds and never as a kun head before on'yomi (so 歯医者 keeps は).
    """
    if len(surface) < 3:
        return None
    entry = table().get(surface[0])
    if not entry or entry.kun_head_count or not entry.on_in_compounds:
        return None
    if reads_by_on(surface, reading):
        return None
    pieces = align(surface, reading, {**on_candidates(surface), surface[0]: entry.kun})
    head = on_reading(surface[0])
    if pieces is None or head is None:
        return None
    return join_readings(head, "".join(pieces[1:]))


def reads_by_kun(surface: str, reading: str) -> bool:
    return align(surface, reading, kun_candidates(surface)) is not None
