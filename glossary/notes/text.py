"""What a definition's text means: Japanese alternatives, glosses, remarks, readings.

Pure functions over strings: the parser hands over a label, a destination and a title
(or a Terminology list item's text) and gets back the Japanese alternatives, English
glosses, remark, pronunciation and written readings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from glossary.readings.romaji import as_reading

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヶ]")
_KANA_ONLY = re.compile(r"^[\u3040-\u30ffー・\s]+$")
_SEPARATORS = ",、，"
_OPENERS = {"(": ")", "（": "）", "[": "]", "「": "」"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_EXAMPLE_REMARK = re.compile(r"(?:^|\s)(?:e\.g\.|i\.e\.|cf\.)", re.IGNORECASE)
_AKA = re.compile(r"^(?:aka|a\.k\.a\.)\s+", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def has_japanese(text: str) -> bool:
    """True when the text holds kana or kanji."""
    return bool(_JAPANESE.search(text))


def is_kana_only(text: str) -> bool:
    return bool(_KANA_ONLY.match(text)) and not text.isspace()


@dataclass(frozen=True)
class Meaning:
    """The parts of one definition's text."""

    japanese: tuple[str, ...] = ()
    glosses: tuple[str, ...] = ()
    remark: str = ""
    pronunciation: str = ""
    readings: dict[str, str] = field(default_factory=dict)  # japanese -> reading in the note

    @property
    def defined(self) -> bool:
        return bool(self.japanese or self.glosses)

    @property
    def variant(self) -> str:
        """The text two notes must share to agree (see definition_text)."""
        return definition_text(", ".join(self.japanese), ", ".join(self.glosses))


def definition_text(japanese: str, glosses: str) -> str:
    """The text of a definition, as two notes must share it to agree and as a term's
    canonical definition reads: its Japanese alternatives if any, else its glosses (each
    ", "-joined, as the glossary stores them). The one statement of this rule; SQL calls
    it as the function `definition_text` (see glossary.db.open_db)."""
    return japanese or glosses


@lru_cache(maxsize=32768)  # notes repeat the same definitions; a harvest asks many times
def split_text(text: str) -> Meaning:
    """Split a definition's text into Japanese alternatives, glosses and remarks.

    `"側腹部, 脇腹"` gives two Japanese alternatives; `"片節 (条虫の体節)"` a remark;
    `"掻痒 `pro͞oˈrītəs`"` a pronunciation; `"心房中隔欠損 atrial septal defect"` a gloss;
    `"右胸心（うきょうしん）"` a reading written in the note. No letters at all means undefined.
    """
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text)).strip()
    pronunciations = re.findall(r"`([^`]*)`", text)
    text = re.sub(r"`[^`]*`", " ", text)
    remarks: list[str] = []
    example = _top_level_search(_EXAMPLE_REMARK, text)
    if example is not None:
        remarks.append(text[example:].strip())
        text = text[:example]
    japanese: list[str] = []
    glosses: list[str] = []
    readings: dict[str, str] = {}
    for piece in _split_top_level(text):
        piece = piece.strip()
        if not any(ch.isalnum() for ch in piece):
            continue
        if has_japanese(piece):
            term, gloss, remark, reading = _split_japanese_alternative(piece)
            if term:
                japanese.append(term)
                if reading:
                    readings[term] = reading
            if gloss:
                glosses.append(gloss)
            if remark:
                remarks.append(remark)
        else:
            glosses.append(_AKA.sub("", piece))
    return Meaning(
        japanese=tuple(dict.fromkeys(japanese)),
        glosses=tuple(dict.fromkeys(glosses)),
        remark="; ".join(r for r in remarks if r),
        pronunciation=", ".join(p.strip() for p in pronunciations if p.strip()),
        readings=readings,
    )


def _split_top_level(text: str) -> list[str]:
    """Split at separators that are not inside brackets."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS and depth:
            depth -= 1
        elif ch in _SEPARATORS and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


def _top_level_search(pattern: re.Pattern[str], text: str) -> int | None:
    for match in pattern.finditer(text):
        if _depth_at(text, match.start()) == 0:
            return match.start()
    return None


def _depth_at(text: str, index: int) -> int:
    depth = 0
    for ch in text[:index]:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS and depth:
            depth -= 1
    return depth


def _split_japanese_alternative(piece: str) -> tuple[str, str, str, str]:
    """One alternative holding Japanese → (term, English gloss, remark, written reading)."""
    last = max(i for i, ch in enumerate(piece) if _JAPANESE.match(ch))
    end = last + 1
    # keep a closing bracket that belongs to the term, as in "(肺)気腫" or "「…」"
    while end < len(piece) and piece[end] in _CLOSERS and _depth_at(piece, end) > 0:
        end += 1
    term, rest = piece[:end].strip(), piece[end:].strip()
    remark = reading = gloss = ""
    inner = _trailing_parenthetical(term)
    if inner is not None and _depth_at(term, len(term)) == 0:
        body = term[: len(term) - len(inner) - 2].strip()
        if body and has_japanese(body):
            if is_kana_only(inner) and not is_kana_only(body):
                reading = as_reading(inner) or ""  # katakana → hiragana; ・ and spaces dropped
            else:
                remark = inner.strip()
            term = body
    if rest:
        if rest[0] in "(（":
            remark = rest.strip("()（） ")
        else:
            gloss = rest
    return term, gloss, remark, reading


def _trailing_parenthetical(text: str) -> str | None:
    """The content of a bracket pair that ends the text, if the text ends with one."""
    if not text or text[-1] not in ")）":
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            depth -= 1
            if depth == 0:
                return text[i + 1 : -1] if i > 0 else None
    return None
