"""Readings of Japanese glossary terms, in hiragana and Hepburn romaji.

One alternative is read in four steps (docs/readings.md has the measurements):

1. a pinned reading for the whole string wins;
2. the text is split into Japanese runs and other text (Latin letters, digits, punctuation);
   brackets are dropped so ``(肺)気腫`` reads as 肺気腫; a run longer than ``CHUNK``
   characters is analysed in bounded pieces, so any length reads in linear time;
3. SudachiPy (sudachidict-core, mode C) segments each run and reads its words; pinned
   strings inside a run are read as pinned;
4. the rules (glossary.readings.rules, an ordered list that can be switched off by name)
   may change the reading of a word, and record that they did.

The hiragana and the romaji come from the same words: the romaji is the Hepburn of exactly
the hiragana, with spaces at word boundaries (glossary.readings.romaji.romanize).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from glossary.errors import GlossError

from .kanji import is_kanji
from .romaji import kata_to_hira, romanize
from .ruler import Ruler, UnknownRule, Word
from .rules import RULES
from .tables import DATA, load

__all__ = ["Reading", "ReadingEngine", "UnknownRuleName", "read_japanese"]

ENV_RULES_OFF = "GLOSS_READING_RULES_OFF"  # comma-separated rule names to switch off
_BRACKETS = "()（）[]［］【】〔〕「」『』<>〈〉《》"
_ATTACHING_POS = {"助動詞", "接尾辞"}
_SKIP_POS = {"補助記号", "空白"}
SPLIT_MODE = "C"  # Sudachi's longest units: A (shortest) measured 107/110, B and C 110/110


class UnknownRuleName(UnknownRule, GlossError):
    """A rule name (option or GLOSS_READING_RULES_OFF) that the engine does not have."""


@dataclass(frozen=True)
class Reading:
    """A reading: hiragana without spaces, romaji with spaces between words."""

    hiragana: str
    romaji: str
    source: str


def _is_kana(ch: str) -> bool:
    return "ぁ" <= ch <= "ゖ" or "ァ" <= ch <= "ヺ" or ch in "ーゝゞヽヾ"


def _is_japanese(ch: str) -> bool:
    return is_kanji(ch) or _is_kana(ch)


def rules_off_from_env() -> tuple[str, ...]:
    """Rule names switched off by the GLOSS_READING_RULES_OFF environment variable."""
    return tuple(n.strip() for n in os.environ.get(ENV_RULES_OFF, "").split(",") if n.strip())


class ReadingEngine:
    """Reads Japanese glossary terms; analyzers load lazily on the first read()."""

    ENGINE_VERSION = "3"
    CHUNK = 2000  # characters of one Japanese run given to the analyzer at once

    def __init__(
        self,
        pinned: Mapping[str, str] | None = None,
        *,
        rules_off: Iterable[str] | None = None,
        data: Path | None = None,
    ) -> None:
        """``rules_off`` names rules to switch off (default: GLOSS_READING_RULES_OFF);
        ``data`` is a folder of tables built by glossary.readings.learn (default: shipped)."""
        self._pinned = {k: kata_to_hira(v) for k, v in (pinned or {}).items()}
        self._pins_by_first: dict[str, list[str]] = {}
        for pin in sorted((p for p in self._pinned if len(p) > 1), key=len, reverse=True):
            self._pins_by_first.setdefault(pin[0], []).append(pin)
        self.ruler = Ruler(RULES)
        try:
            self.ruler.disable(rules_off_from_env() if rules_off is None else rules_off)
        except UnknownRule as error:
            raise UnknownRuleName(str(error)) from None
        self._tables = load(data or DATA)
        self._tokenizer: Any = None
        self._kakasi: Any = None

    @property
    def version(self) -> str:
        """The cache key of this engine's output: the version and any rules switched off."""
        off = sorted(self.ruler.disabled)
        return self.ENGINE_VERSION + (f"-without-{'+'.join(off)}" if off else "")

    # -- analyzers -------------------------------------------------------------
    def _analyze(self, text: str) -> list[Word]:
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
        try:
            morphemes = list(tok.tokenize(text, mode))
        except Exception:  # the analyzer's own limits: read this piece without it
            return self._pykakasi_words(text)
        words = []
        for m in morphemes:
            pos = tuple(m.part_of_speech())
            surface = m.surface()
            if not surface or pos[0] in _SKIP_POS:
                continue
            reading = kata_to_hira(m.reading_form())
            # Sudachi joins numerals itself and marks them out-of-vocabulary, yet reads them
            # (四 よん, 五 いつ before 日): its reading of a numeral is kept
            numeral = pos[1:2] == ("数詞",)
            known = (numeral or not m.is_oov()) and not any(is_kanji(c) for c in reading)
            words.append(Word(surface, reading if known else "", "analyzer", pos, known))
        return words

    def _pykakasi_words(self, text: str) -> list[Word]:
        if self._kakasi is None:
            import pykakasi

            self._kakasi = pykakasi.kakasi()
        return [
            Word(item["orig"], item["hira"], "pykakasi")
            for item in self._kakasi.convert(text)
            if item["orig"].strip()
        ]

    # -- one Japanese run --------------------------------------------------------
    def _split_pins(self, run: str) -> list[tuple[str, bool]]:
        """The run as (text, pinned) pieces: pinned strings, leftmost-longest first."""
        pieces: list[tuple[str, bool]] = []
        start = i = 0
        while i < len(run):
            pin = next((p for p in self._pins_by_first.get(run[i], ()) if run.startswith(p, i)),
                       None)
            if pin is None:
                i += 1
                continue
            if start < i:
                pieces.append((run[start:i], False))
            pieces.append((pin, True))
            i = start = i + len(pin)
        if start < len(run):
            pieces.append((run[start:], False))
        return pieces

    def _words(self, run: str) -> list[Word]:
        """Words of one Japanese run: pinned substrings, then the analyzer and the rules."""
        words: list[Word] = []
        for text, pinned in self._split_pins(run):
            if pinned:
                words.append(Word(text, self._pinned[text], "pinned"))
                continue
            for start in range(0, len(text), self.CHUNK):
                words.extend(self._analyze(text[start : start + self.CHUNK]))
        self.ruler.run(words, self._tables)
        for word in words:
            if not word.reading:
                word.reading = "".join(w.reading for w in self._pykakasi_words(word.surface))
                word.source = "pykakasi"
        return words

    def _pieces(self, japanese: str) -> list[Word]:
        """All words of a string: Japanese runs analyzed, other text kept as Latin words."""
        text = unicodedata.normalize("NFKC", japanese)
        text = re.sub(f"[{re.escape(_BRACKETS)}]", "", text)
        words: list[Word] = []
        for match in re.finditer(r"[^\W\d_a-zA-Z]+|[A-Za-z0-9]+(?:[.\-'][A-Za-z0-9]+)*", text):
            chunk = match.group()
            if all(_is_japanese(c) for c in chunk):
                words.extend(self._words(chunk))
            elif chunk.isascii():
                words.append(Word(chunk, "", "latin"))
            else:  # other scripts or symbols: keep only the Japanese parts
                for part in re.findall(r"[ぁ-ゖァ-ヺー々\u3400-\u4dbf\u4e00-\u9fff]+", chunk):
                    words.extend(self._words(part))
        return words

    # -- public API ------------------------------------------------------------
    def read(self, japanese: str) -> Reading:
        """Reading of one Japanese alternative (any length; never raises on text)."""
        if japanese in self._pinned:
            hira = self._pinned[japanese].replace(" ", "")
            return Reading(hira, romanize(hira), "pinned")
        words = self._pieces(japanese)
        hira = "".join(w.reading for w in words)
        return Reading(hira, _romaji(words), _overall_source(words))

    def explain(self, japanese: str) -> list[str]:
        """Per word: its reading, where it came from, and every rule that changed it."""
        if japanese in self._pinned:
            return [f"{japanese} → {self._pinned[japanese]} (pinned reading)"]
        lines = []
        for w in self._pieces(japanese):
            origin = {"analyzer": "SudachiPy core, mode C" if w.known else "unknown word",
                      "latin": "not Japanese: kept in romaji only"}.get(w.source, w.source)
            first = w.changes[0].before if w.changes else w.reading
            lines.append(f"{w.surface} → {w.reading or '—'} ({origin}: {first or '—'})")
            lines += [f"    {c.rule}: {c.before or '—'} → {c.after} ({c.why})" for c in w.changes]
        return lines


def _romaji(words: list[Word]) -> str:
    """Romaji of the words: Hepburn of their hiragana, spaces at word boundaries."""
    parts: list[str] = []
    hira, breaks = "", []
    for k, w in enumerate(words):
        if w.source == "latin":
            parts += [romanize(hira, breaks), w.surface.lower()]
            hira, breaks = "", []
            continue
        prev = words[k - 1] if k else None
        attach = prev is not None and (
            w.pos[:1] and w.pos[0] in _ATTACHING_POS
            or w.pos[1:2] == ("非自立可能",)
            or prev.pos[:1] == ("接頭辞",)
        ) and not (prev.source == "pinned" or w.source == "pinned")
        if not attach:
            breaks.append(len(hira))
        hira += w.reading
    parts.append(romanize(hira, breaks))
    return " ".join(p for p in parts if p)


def _overall_source(words: list[Word]) -> str:
    """One word for what decided a reading: the most specific source involved."""
    if any(w.source == "pinned" for w in words):
        return "pinned"
    if any(w.changes for w in words):
        return "rules"
    sources = {w.source for w in words} - {"latin"}
    if "pykakasi" in sources:
        return "pykakasi"
    if any(w.source == "analyzer" and not all(_is_kana(c) for c in w.surface) for w in words):
        return "analyzer"
    return "kana" if words else "none"


@cache
def _engine() -> ReadingEngine:
    return ReadingEngine()


def read_japanese(japanese: str) -> Reading:
    """The reading of one Japanese term by the engine (no pins: see glossary.readings.cache)."""
    return _engine().read(japanese)
