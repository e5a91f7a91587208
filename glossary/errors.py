"""The failures gloss explains instead of crashing, each with the exit status the command
line ends with (README: "Exit statuses")."""


class GlossError(Exception):
    """Input gloss cannot use, or a glossary it cannot open, said in one line that names
    the thing and the reason (the command line prints it and exits with `exit_status`)."""

    exit_status = 2


class SystemRefused(GlossError):
    """The system refused what gloss needs: a place it cannot write (read-only, no
    permission), a disk that fails to read or write, a port already in use."""

    exit_status = 3


class NoSpace(GlossError):
    """No space left on the device: the work stopped, and what was there is intact."""

    exit_status = 4
