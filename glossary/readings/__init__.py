"""Readings of Japanese terms: the engine (hiragana), romaji, and the glossary's cache of
readings with the user's pins."""

from .engine import Reading, ReadingEngine, read_japanese
from .romaji import kata_to_hira, to_romaji

__all__ = ["Reading", "ReadingEngine", "kata_to_hira", "read_japanese", "to_romaji"]
