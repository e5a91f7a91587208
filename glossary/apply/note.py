"""Rewrite one note file to the glossary: the part of `gloss apply` that runs per note.

The glossary already holds where every definition's text sits in its line (its span) and
the note's structure fingerprint, so the old text is not parsed again: the note is read,
checked to be the very bytes the glossary was harvested from, patched, and the new text is
parsed once to verify it before it is written. Runs in worker processes, a batch of notes
at a time, so that the disk flushes a batch's new files together.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from glossary.db.rows import definition_row
from glossary.notes import (
    Definition,
    Note,
    NoteError,
    Source,
    Span,
    parse_note,
    read_note,
    split_text,
)
from glossary.pause import pause_point

from . import write as writer
from .patch import rewrite
from .verify import verify


@dataclass(slots=True)
class NoteOutcome:
    """What apply did (or would do) to one note."""

    path: str
    status: str  # "changed", "unchanged", "skipped" or "refused"
    changed: int = 0  # definitions rewritten
    filled: int = 0  # of which were empty
    reasons: list[str] = field(default_factory=list)
    diff: str = ""


@dataclass(frozen=True)
class Task:
    """A note the glossary says needs rewriting, with what the glossary holds about it."""

    source: Source
    root: Path  # the notes folder it was found in, resolved (nothing outside it is written)
    target: Path  # the file to write: the note, or the target of its symbolic link
    sha256: str  # of the bytes the glossary was harvested from
    structure: str
    definitions: tuple[tuple, ...]  # rows in the order of DEFINITION_FIELDS


DEFINITION_FIELDS = ("label", "line", "form", "raw", "destination", "span_start", "span_end",
                     "span_quote", "span_lead")


@dataclass(frozen=True)
class Written:
    """A note rewritten on disk: what the glossary must now hold about it."""

    path: str
    sha256: str
    size: int
    mtime_ns: int
    definitions: list[tuple]  # store.DEFINITION_COLUMNS rows of the definitions rewritten
    keys: frozenset[str]  # their terms
    file: Path  # the file written (a symbolic link's target); its folder is not yet synced


def held_note(task: Task) -> Note:
    """The note as the glossary holds it: its definitions (with spans) and structure."""
    definitions = []
    for label, line, form, raw, destination, start, end, quote, lead in task.definitions:
        span = Span(line - 1, start, end, quote, lead) if start is not None else None
        definitions.append(Definition(label, line, form, raw, split_text(raw), destination,
                                      span))
    return Note(definitions=definitions, structure=task.structure)


def rewrite_notes(tasks: list[Task], canonical: Mapping[str, str], *, writing: bool,
                  want_diff: bool) -> list[tuple[NoteOutcome, Written | None]]:
    """Rewrite a batch of notes (or, not `writing`, say what the rewrites would be).

    Each note's new bytes go to a temporary file first; the batch's files are flushed to
    disk together, and only then does each replace its note, if the note is still as read.
    """
    drafts: list[_Draft] = []
    try:
        for task in tasks:
            drafts.append(_draft(task, canonical, writing=writing, want_diff=want_diff))
    except OSError:  # no space left (failures.NO_SPACE): nothing of this batch is put in place
        for draft in drafts:
            if draft.staged:
                writer.discard(draft.staged)
        raise
    staged = [draft.staged for draft in drafts if draft.staged]
    writer.flush(staged)
    if staged:
        pause_point("apply-batch-staged")
    return [_finish(draft) for draft in drafts]


@dataclass(slots=True)
class _Draft:
    outcome: NoteOutcome
    staged: writer.Staged | None = None  # the new bytes, when writing
    written: Written | None = None  # what the glossary must hold once they are in place


def _draft(task: Task, canonical: Mapping[str, str], *, writing: bool,
           want_diff: bool) -> _Draft:
    """Everything short of replacing the note: read, check, patch, verify, stage."""
    path = task.source.path
    try:
        note_file = read_note(task.source.file)
    except NoteError as error:
        return _Draft(NoteOutcome(path, "skipped", reasons=[str(error)]))
    if note_file.sha256 != task.sha256:
        return _Draft(NoteOutcome(path, "skipped", reasons=[writer.STALE_HARVEST]))
    old_note = held_note(task)
    try:
        new_text, plan = rewrite(note_file.text, old_note, canonical)
        new_note = parse_note(new_text, uses=False) if plan.patches else None
        problems = verify(note_file.text, new_text, canonical, old_note, new_note) \
            if new_note else []
    except Exception as error:  # noqa: BLE001 - a parser bug must not stop the others
        return _Draft(NoteOutcome(path, "refused", reasons=[f"could not be parsed ({error})"]))
    left = [f"line {r.line} ({r.key}): {r.reason}" for r in plan.refusals]
    if new_note is None:
        return _Draft(NoteOutcome(path, "unchanged", reasons=left))
    if problems:
        return _Draft(NoteOutcome(path, "refused", reasons=problems + left))
    draft = _Draft(NoteOutcome(path, "changed", len(plan.patches),
                               sum(p.filled for p in plan.patches), left))
    try:
        target = writer.inside(task.target, task.root, task.source.file)
        if not writing:
            writer.replaceable(target)  # what writing would refuse, a check reports
        else:
            data = writer.encode_note(new_text, note_file.bom)
            staged = writer.stage_note(task.source.file, data, folder=task.root,
                                       read_sha256=note_file.sha256, db_sha256=task.sha256,
                                       target=target)
            lines = {patch.line + 1 for patch in plan.patches}
            draft.staged, draft.written = staged, Written(
                path, hashlib.sha256(data).hexdigest(), staged.written.st_size,
                staged.written.st_mtime_ns,
                [definition_row(path, d) for d in new_note.definitions if d.line in lines],
                frozenset(patch.key for patch in plan.patches), staged.target)
    except writer.WriteRefused as error:
        return _Draft(NoteOutcome(path, "refused", reasons=[str(error)] + left))
    if want_diff:
        draft.outcome.diff = unified_diff(path, note_file.text, new_text)
    return draft


def _finish(draft: _Draft) -> tuple[NoteOutcome, Written | None]:
    """Put a staged note in place (the batch's bytes are on disk by now)."""
    outcome = draft.outcome
    if draft.staged is None:
        return outcome, None
    try:
        writer.put_in_place(draft.staged)
    except writer.WriteRefused as error:
        return NoteOutcome(outcome.path, "refused", reasons=[str(error)] + outcome.reasons), None
    pause_point("apply-note-written")
    return outcome, draft.written


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of a note's text, with a/ and b/ paths as git writes them."""
    lines = []
    for line in difflib.unified_diff(old.splitlines(keepends=True),
                                     new.splitlines(keepends=True), f"a/{path}", f"b/{path}"):
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        lines.append(line)
    return "".join(lines)
