"""Readings of Japanese terms: the engine (hiragana), romaji, and the glossary's cache of
readings with the user's pins."""

from .engine import Reading, ReadingEngine, read_japanese
from .furigana import Piece, furigana
from .romaji import as_reading, kata_to_hira, to_romaji

__all__ = [
    "Piece",
    "Reading",
    "ReadingEngine",
    "as_reading",
    "furigana",
    "kata_to_hira",
    "read_japanese",
    "to_romaji",
]
