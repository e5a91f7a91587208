"""Which link reference definitions define terms, and how labels match.

Pure functions: labels match as CommonMark matches them; citations, figures, panels and
table-of-contents anchors are never terms.
"""

from __future__ import annotations

import re

from .text import has_japanese

_FIGURE_LABEL = re.compile(
    r"^(?:fig|figure|tab|table|tbl|panel|vid|video|movie|img|image|photo|supp\w*)"
    r"(?:[\s_.-]*(?:\d+[a-z]?|[a-z]))?$",
    re.IGNORECASE,
)
_CITATION_KEY = re.compile(r"^\d{4}[_-]?[A-Za-z][\w.-]*$|^[A-Za-z]+[_-]?\d{4}[a-z]?$")


def normalize_label(label: str) -> str:
    """The key CommonMark matches labels by: whitespace collapsed, case folded."""
    return " ".join(label.split()).casefold()


def anchor_of(text: str) -> str:
    """A heading's anchor, loosely: letters and digits only, lowercased."""
    return re.sub(r"[\W_]+", "", text.casefold())


def is_term_definition(
    label: str, destination: str, title: str, *, image_labels: frozenset[str] = frozenset()
) -> bool:
    """Decide whether a link reference definition defines a term.

    Terms point at `#` or a `#term…` fragment, or carry Japanese in the title; citations,
    figures, panels and table-of-contents anchors never are terms.
    """
    if not any(ch.isalpha() for ch in label):
        return False  # numbers, dates: "[3]", "[2019-05]"
    if _CITATION_KEY.match(label.strip()) or _FIGURE_LABEL.match(label.strip()):
        return False
    if normalize_label(label) in image_labels:
        return False
    if has_japanese(title):
        return True
    if destination == "#":
        return True
    if destination.startswith("#") and anchor_of(destination[1:]) == anchor_of(label):
        return False  # a table of contents pointing at its own heading
    return destination.casefold().startswith("#term")
