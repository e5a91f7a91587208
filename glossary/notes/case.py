"""What a note's file name and folder say about its case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

_CASE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:_(\d{1,3})(w|m|d|y)?([MF]))?$", re.IGNORECASE)
_AGE_UNITS = {"": "years", "y": "years", "m": "months", "w": "weeks", "d": "days"}


@dataclass(frozen=True)
class CaseFile:
    date: str = ""
    age: str = ""  # "51 years", "39 weeks"
    sex: str = ""  # "M" or "F"
    collection: str = ""


def case_from_path(relative_path: str) -> CaseFile:
    """Read `NEJM/IiCM/2019-05-23_39wM.md` as 2019-05-23, 39 weeks, male, collection NEJM/IiCM."""
    path = PurePosixPath(relative_path)
    collection = str(path.parent) if str(path.parent) != "." else ""
    match = _CASE_NAME.match(path.stem)
    if not match:
        return CaseFile(collection=collection)
    date, number, unit, sex = match.groups()
    age = f"{int(number)} {_AGE_UNITS[(unit or '').lower()]}" if number else ""
    return CaseFile(date=date, age=age, sex=(sex or "").upper(), collection=collection)
