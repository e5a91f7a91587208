"""What a long job (harvest, apply) tells whoever shows its progress.

A job goes through stages, each with a label and, when it is known, the number of steps
the stage takes; it advances as work is done, and may say what it is doing now. The
library never draws anything: this `Progress` does nothing, and the command line passes
one that draws bars (glossary.cli.progress).
"""

from __future__ import annotations

from collections.abc import Callable


class Progress:
    """Progress that goes unseen; subclasses show it."""

    wanted = False  # True when someone watches: a job may then count its work beforehand

    def stage(self, label: str, total: int | None = None) -> None:
        """A new stage begins (the previous one is over); `total` steps, when known."""

    def advance(self, count: int = 1) -> None:
        """`count` more steps of the stage are done."""

    def doing(self, what: str) -> None:
        """What the stage is doing now, in a few words."""


UNSEEN = Progress()


def stepper(progress: Progress, label: str, steps: list[str]) -> Callable[[], None]:
    """Begin a stage of named steps, the first one now; each call of what it returns ends
    the step under way and begins the next."""
    progress.stage(label, len(steps))
    names = iter(steps)
    progress.doing(next(names, ""))

    def next_step() -> None:
        progress.advance()
        progress.doing(next(names, ""))

    return next_step
