"""What `gloss apply` did, told: the summary line, the conflicts it settled or left to the
user, the notes it could not bring in line, and the exit status all that means."""

from __future__ import annotations

import shlex
import signal
from dataclasses import dataclass, field
from pathlib import Path

from glossary.harvest import HarvestReport
from glossary.notes import definition_text
from glossary.terms.story import TermStory
from glossary.wording import counted

from .note import NoteOutcome

NOTES_SHOWN = 3  # per variant of an undecided term; the rest are counted


@dataclass
class ApplyReport:
    outcomes: list[NoteOutcome] = field(default_factory=list)  # all but the plain unchanged
    unchanged: int = 0  # notes that already agree (and have nothing to report)
    dry_run: bool = False
    check: bool = False
    ties: str = "leave"
    removed_temp_files: list[Path] = field(default_factory=list)
    harvest: HarvestReport | None = None
    settled: list[TermStory] = field(default_factory=list)  # by majority (or newest note)
    undecided: list[TermStory] = field(default_factory=list)  # ties left as written
    needing: int = 0  # notes the glossary says disagree with it
    handled: int = 0  # of those, the notes rewritten, refused or skipped before any stop
    interrupted: int | None = None  # the signal that stopped the run early

    def having(self, status: str) -> list[NoteOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def would_change(self) -> bool:
        return bool(self.having("changed"))

    @property
    def left_as_written(self) -> int:
        """Definitions that should change but were left alone, in notes otherwise handled."""
        return sum(len(o.reasons) for o in self.outcomes if o.status in ("changed", "unchanged"))

    @property
    def incomplete(self) -> bool:
        """Some note could not be brought in line: skipped, refused, or holding a
        definition left as written."""
        return bool(self.having("skipped") or self.having("refused") or self.left_as_written)

    @property
    def disagrees(self) -> bool:
        """Some note disagrees with the glossary: it would change, or could not be brought
        in line, or defines a term whose conflict is undecided."""
        return self.would_change or self.incomplete or bool(self.undecided)

    def exit_status(self) -> int:
        """0: done, in line; 1: `--check` found a disagreement, or apply left a note or a
        definition as it was; 128 + signal when stopped by Ctrl-C (130) or SIGTERM (143)."""
        if self.interrupted:
            return 128 + self.interrupted
        if self.check:
            return int(self.disagrees)
        return int(self.incomplete)

    def problems(self) -> list[str]:
        """One line per note skipped or refused, or per definition left alone, with why."""
        return [f"{o.path}: {o.status}: {reason}"
                for o in self.outcomes if o.reasons for reason in o.reasons]

    def summary(self) -> str:
        changed = self.having("changed")
        verb = "would change" if self.dry_run or self.check else "changed"
        definitions = sum(o.changed for o in changed)
        filled = sum(o.filled for o in changed)
        line = (f"{counted(len(changed), 'note')} {verb} ({counted(definitions, 'definition')}"
                f", {filled} filled) · "
                f"{self.unchanged + len(self.having('unchanged'))} unchanged · "
                f"{len(self.having('skipped'))} skipped · {len(self.having('refused'))} refused")
        if self.left_as_written:
            line += f" · {counted(self.left_as_written, 'definition')} left as written"
        if self.undecided:
            line += f" · {counted(len(self.undecided), 'undecided tie')} left as written"
        if self.removed_temp_files:
            line += (f" · {counted(len(self.removed_temp_files), 'stale temporary file')}"
                     " removed")
        return line

    def decisions(self) -> list[str]:
        """The conflicts settled, and each undecided tie with its variants, their notes and
        the command that decides it."""
        would = "would settle" if self.dry_run or self.check else "settled"
        lines = []
        for told in self.settled:
            chosen = definition_text(told.japanese, told.glosses)
            winner = next((v for v in told.variants if v.text == chosen), None)
            if winner is None:
                continue
            others = ", ".join(f"{v.text} ({len(v.notes)})" for v in told.variants
                               if v is not winner)
            how = "by the most recent note (--ties newest)" if told.tie else "by majority"
            count = len(winner.notes)
            lines.append(f"{would} {how}: {told.term}: {chosen} "
                         f"({counted(count, 'note')}) over {others}")
        for told in self.undecided:
            variants = " or ".join(f"{v.text} ({_notes(v.notes)})" for v in told.variants)
            lines.append(f"undecided, left as written: {told.term}: {variants}; decide with "
                         f"`gloss resolve {shlex.quote(told.term)}`")
        if len(self.undecided) > 1:
            lines.append(f"{len(self.undecided)} ties are yours to decide: `gloss resolve` "
                         "walks them one by one; `gloss apply --ties newest` takes the most "
                         "recent note's")
        return lines

    def stopped(self) -> str:
        """How far an interrupted run got, and what to do about it ("" if it was not)."""
        if not self.interrupted:
            return ""
        written = len(self.having("changed"))
        verb = "would change" if self.dry_run or self.check else "written and recorded"
        return (f"stopped by {signal.Signals(self.interrupted).name} after {self.handled} of "
                f"{counted(self.needing, 'note')} to rewrite ({written} {verb}); no temporary file "
                "left behind; run `gloss apply` again to finish")


def _notes(paths: list[str]) -> str:
    shown = ", ".join(paths[:NOTES_SHOWN])
    return shown + (f" and {len(paths) - NOTES_SHOWN} more" if len(paths) > NOTES_SHOWN else "")
