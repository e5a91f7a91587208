"""Words being read, and the ordered, named list of rules that may change their readings.

Modelled on markdown-it's Ruler: the pipeline is data. Every rule is a small function
``rule(words, tables) -> None`` over the words of one Japanese run; a rule that changes a
word's reading calls ``word.change(name, reading, why)``, so every change is recorded and
``explain`` can show it. Rules are switched off by name (``Ruler.disable``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .kanji import is_kanji
from .tables import Tables


@dataclass(frozen=True)
class Change:
    rule: str
    before: str
    after: str
    why: str


@dataclass
class Word:
    """One word of a Japanese run: surface, reading (hiragana), and where they came from."""

    surface: str
    reading: str
    source: str  # analyzer, pinned, kana, latin, pykakasi
    pos: tuple[str, ...] = ()
    known: bool = True  # the analyzer knew the word
    changes: list[Change] = field(default_factory=list)

    @property
    def all_kanji(self) -> bool:
        return bool(self.surface) and all(is_kanji(c) for c in self.surface)

    @property
    def suffix(self) -> bool:
        return self.pos[:1] == ("接尾辞",)

    def change(self, rule: str, reading: str, why: str) -> None:
        """Set a new reading, recording which rule set it and why."""
        if reading != self.reading:
            self.changes.append(Change(rule, self.reading, reading, why))
            self.reading = reading


Rule = Callable[[list[Word], Tables], None]


class UnknownRule(ValueError):
    """A rule name that the pipeline does not have."""


class Ruler:
    """An ordered list of named rules, each enabled or not."""

    def __init__(self, rules: Iterable[tuple[str, Rule, str]]) -> None:
        self._rules = list(rules)
        self._off: set[str] = set()

    def names(self) -> list[str]:
        return [name for name, _, _ in self._rules]

    def describe(self) -> list[tuple[str, str, bool]]:
        """(name, what it does, enabled) of every rule, in order."""
        return [(name, doc, name not in self._off) for name, _, doc in self._rules]

    def disable(self, names: Iterable[str]) -> None:
        """Switch rules off by name; an unknown name raises UnknownRule."""
        names = set(names)
        unknown = names - set(self.names())
        if unknown:
            raise UnknownRule(
                f"no reading rule named {', '.join(sorted(unknown))} "
                f"(rules: {', '.join(self.names())})"
            )
        self._off |= names

    @property
    def disabled(self) -> frozenset[str]:
        return frozenset(self._off)

    def run(self, words: list[Word], tables: Tables) -> list[Word]:
        for name, rule, _ in self._rules:
            if name not in self._off:
                rule(words, tables)
        return words
