"""Readings of Japanese glossary terms, in hiragana and Hepburn romaji.

Pipeline for one alternative (see docs/readings.md for the measurements behind it):

1. a pinned reading for the whole string wins;
2. the text is split into Japanese runs and other text (Latin letters, digits,
   punctuation); brackets are dropped so ``(肺)気腫`` reads as 肺気腫;
3. SudachiPy (sudachidict-core, mode C) segments each Japanese run and gives
   readings; pinned strings found inside a run are read as pinned;
4. inside an all-kanji compound that the analyzer split into several words, a
   word read by kun'yomi is re-read by the on'yomi compounds use (medical table
   first, then the on'yomi most frequent in JMdict), so 側腹部 is そくふくぶ while
   a word standing alone (膝 ひざ, 横腹 よこばら, 吐き気 はきけ) keeps its reading;
5. medical morpheme conventions fix readings inside words (胸腔 きょうくう);
6. words the analyzer does not know are read kanji by kanji by on'yomi.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from .kanji import align, is_kanji, table
from .morphemes import (
    join_readings,
    kun_head_on_reading,
    medical,
    on_in_compounds,
    read_by_on,
    reads_by_kun,
    reads_by_on,
)
from .romaji import kata_to_hira, to_romaji

__all__ = ["Reading", "ReadingEngine", "read_japanese", "to_romaji"]


_BRACKETS = "()（）[]［］【】〔〕「」『』<>〈〉《》"
_ATTACHING_POS = {"助動詞", "接尾辞"}
_SKIP_POS = {"補助記号", "空白"}
SPLIT_MODE = "C"  # Sudachi's longest units: A (shortest) measured 107/110, B and C 110/110


@dataclass(frozen=True)
class Reading:
    """A reading: hiragana without spaces, romaji with spaces between words."""

    hiragana: str
    romaji: str
    source: str


@dataclass
class _Word:
    """One analyzed piece of a Japanese run, with how its reading was decided."""

    surface: str
    reading: str
    source: str
    pos: tuple[str, ...] = ()
    note: str = ""
    attach: bool = False  # joins the previous word in romaji

    @property
    def all_kanji(self) -> bool:
        return bool(self.surface) and all(is_kanji(c) for c in self.surface)


def _is_kana(ch: str) -> bool:
    return "ぁ" <= ch <= "ゖ" or "ァ" <= ch <= "ヺ" or ch in "ーゝゞヽヾ"


def _is_japanese(ch: str) -> bool:
    return is_kanji(ch) or _is_kana(ch)


class ReadingEngine:
    """Reads Japanese glossary terms; analyzers load lazily on the first read()."""

    ENGINE_VERSION = "1"

    def __init__(self, pinned: Mapping[str, str] | None = None) -> None:
        self._pinned = {k: kata_to_hira(v) for k, v in (pinned or {}).items()}
        self._tokenizer: Any = None
        self._kakasi: Any = None

    # -- analyzers -------------------------------------------------------------
    def _analyze(self, text: str) -> list[_Word]:
        """Segment and read a Japanese run with SudachiPy (pykakasi if unavailable)."""
        if self._tokenizer is None:
            try:
                from sudachipy import Dictionary

                self._tokenizer = (Dictionary(dict="core").tokenizer(), SPLIT_MODE)
            except ImportError:
                self._tokenizer = False
        if self._tokenizer is False:
            return self._pykakasi_words(text)
        tok, mode = self._tokenizer
        words = []
        for m in tok.tokenize(text, mode):
            pos = tuple(m.part_of_speech())
            surface = m.surface()
            if not surface or pos[0] in _SKIP_POS:
                continue
            reading = kata_to_hira(m.reading_form())
            word = _Word(surface, reading, "analyzer", pos, note="SudachiPy core, mode C")
            if m.is_oov() or any(is_kanji(c) for c in reading):
                word.source, word.note = "analyzer", "unknown to the analyzer"
                word.reading = "" if any(is_kanji(c) for c in reading) else reading
            words.append(word)
        return words

    def _pykakasi_words(self, text: str) -> list[_Word]:
        if self._kakasi is None:
            import pykakasi

            self._kakasi = pykakasi.kakasi()
        return [
            _Word(item["orig"], item["hira"], "pykakasi", note="pykakasi")
            for item in self._kakasi.convert(text)
            if item["orig"].strip()
        ]

    def _fallback(self, surface: str) -> str:
        """Reading for text no analyzer read: on'yomi per kanji, else pykakasi."""
        if all(is_kanji(c) for c in surface):
            on = read_by_on(surface)
            if on:
                return on
        return "".join(w.reading for w in self._pykakasi_words(surface))

    # -- rules -----------------------------------------------------------------
    def _words(self, run: str) -> list[_Word]:
        """Words of one Japanese run, pinned substrings first, then the analyzer."""
        pins = sorted((p for p in self._pinned if len(p) > 1 and p in run), key=len, reverse=True)
        if pins:
            pin = pins[0]
            before, _, after = run.partition(pin)
            word = _Word(pin, self._pinned[pin], "pinned", note="pinned reading")
            return [
                *(self._words(before) if before else []),
                word,
                *(self._words(after) if after else []),
            ]
        words = self._analyze(run)
        for word in words:
            if not word.reading:
                word.reading = self._fallback(word.surface)
                word.source = "morphemes" if word.all_kanji else "pykakasi"
                word.note = "unknown word read kanji by kanji"
        self._fix_compounds(words)
        for word in words:
            if word.source == "analyzer" and word.all_kanji:
                head = kun_head_on_reading(word.surface, word.reading)
                if head:
                    word.note = f"on'yomi for a kun head in a compound (analyzer: {word.reading})"
                    word.reading, word.source = head, "morphemes"
            self._fix_morphemes(word)
            if word.source == "analyzer" and all(_is_kana(c) for c in word.surface):
                word.source, word.note = "kana", "kana read as written"
        for prev, word in zip(words, words[1:], strict=False):
            word.attach = (
                word.pos[:1]
                and word.pos[0] in _ATTACHING_POS
                or word.pos[1:2] == ("非自立可能",)
                or prev.pos[:1] == ("接頭辞",)
            ) and not (prev.source == "pinned" or word.source == "pinned")
        return words

    def _fix_compounds(self, words: list[_Word]) -> None:
        """Re-read kun-read words inside all-kanji compounds split by the analyzer."""
        i = 0
        while i < len(words):
            j = i
            while j < len(words) and words[j].all_kanji:
                j += 1
            group = words[i:j]
            if len(group) >= 2:
                for word in group:
                    if word.source == "pinned" or reads_by_on(word.surface, word.reading):
                        continue
                    if len(word.surface) > 1 and not (
                        reads_by_kun(word.surface, word.reading)
                        and all(on_in_compounds(c) for c in word.surface)
                    ):
                        continue  # an irregular or everyday kun word (脇腹): trust the analyzer
                    on = read_by_on(word.surface)
                    if on:
                        word.note = f"on'yomi inside a compound (analyzer: {word.reading})"
                        word.reading, word.source = on, "morphemes"
                for left, right in zip(group, group[1:], strict=False):
                    if len(left.surface) == 1 and left.reading.endswith("つ"):
                        joined = join_readings(left.reading, right.reading)
                        left.reading = joined[: len(left.reading)]
                        right.reading = joined[len(left.reading) :]
            i = max(j, i + 1)

    @staticmethod
    def _fix_morphemes(word: _Word) -> None:
        """Apply medical morpheme conventions (腔 くう) inside a word's reading."""
        med = medical()
        if word.source == "pinned" or not any(c in med.corrects for c in word.surface):
            return
        cands = {
            c: (*(table()[c].on + table()[c].kun if c in table() else ()),) for c in word.surface
        }
        for c in word.surface:
            if c in med.corrects:
                cands[c] = (*cands[c], *med.corrects[c], med.preferred[c])
        pieces = align(word.surface, word.reading, cands)
        if pieces is None:
            return
        fixed = [
            med.preferred[c] if c in med.corrects and p in med.corrects[c] else p
            for c, p in zip(word.surface, pieces, strict=True)
        ]
        if fixed != pieces:
            word.note = f"medical morpheme reading (analyzer: {word.reading})"
            word.reading, word.source = "".join(fixed), "morphemes"

    # -- public API ------------------------------------------------------------
    def _pieces(self, japanese: str) -> list[_Word]:
        """All words of a string: Japanese runs analyzed, other text kept as Latin words."""
        text = unicodedata.normalize("NFKC", japanese)
        text = re.sub(f"[{re.escape(_BRACKETS)}]", "", text)
        words: list[_Word] = []
        for match in re.finditer(r"[^\W\d_a-zA-Z]+|[A-Za-z0-9]+(?:[.\-'][A-Za-z0-9]+)*", text):
            chunk = match.group()
            if all(_is_japanese(c) for c in chunk):
                words.extend(self._words(chunk))
            elif chunk.isascii():
                words.append(_Word(chunk, "", "latin", note="not Japanese: kept in romaji only"))
            else:  # other scripts or symbols: keep only the Japanese parts
                for part in re.findall(r"[ぁ-ゖァ-ヺー々\u3400-\u4dbf\u4e00-\u9fff]+", chunk):
                    words.extend(self._words(part))
        return words

    def read(self, japanese: str) -> Reading:
        """Reading of one Japanese alternative."""
        if japanese in self._pinned:
            hira = self._pinned[japanese]
            return Reading(hira.replace(" ", ""), to_romaji(hira), "pinned")
        words = self._pieces(japanese)
        hira = "".join(w.reading for w in words)
        groups: list[str] = []  # hiragana (or Latin) of each romaji word
        for w in words:
            text = w.surface.lower() if w.source == "latin" else w.reading
            if w.attach and groups:
                groups[-1] += text
            else:
                groups.append(text)
        romaji = " ".join(to_romaji(g) for g in groups if g)
        return Reading(hira, romaji, _overall_source(words))

    def explain(self, japanese: str) -> list[str]:
        """Human lines saying what decided the reading of each piece."""
        if japanese in self._pinned:
            return [f"{japanese} → {self._pinned[japanese]} (pinned reading)"]
        return [
            f"{w.surface} → {w.reading or '—'} ({w.source}: {w.note})"
            for w in self._pieces(japanese)
        ]


def _overall_source(words: list[_Word]) -> str:
    """One word for what decided a reading: the most specific source involved."""
    sources = {w.source for w in words} - {"latin"}
    for source in ("pinned", "morphemes", "pykakasi", "analyzer"):
        if source in sources:
            return source
    return "kana" if words else "none"


@cache
def _engine() -> ReadingEngine:
    return ReadingEngine()


def read_japanese(japanese: str) -> Reading:
    """The reading of one Japanese term by the engine (no pins: see glossary.readings.cache)."""
    return _engine().read(japanese)
