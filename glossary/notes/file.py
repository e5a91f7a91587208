"""Reading a note's bytes safely: what encoding, BOM and line endings it has, or why not."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from glossary.errors import GlossError

BOM = b"\xef\xbb\xbf"
MAX_NOTE_BYTES = 5 * 1024 * 1024


class NoteError(GlossError):
    """A note that cannot be read as a note; the message says why in a few words."""


@dataclass(frozen=True)
class NoteFile:
    """A note's bytes as read, and its text as the parser sees it."""

    raw: bytes
    text: str  # decoded, without the byte-order mark
    bom: bool
    sha256: str
    size: int
    mtime_ns: int
    mode: int

    @property
    def newline(self) -> str:
        return "\r\n" if b"\r\n" in self.raw else "\n"


def decode_note(raw: bytes) -> tuple[str, bool]:
    """Bytes → (text, had a BOM). Refuses what is not UTF-8 text rather than guessing."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NoteError("is UTF-16, not UTF-8; convert it to UTF-8 first")
    if b"\x00" in raw:
        raise NoteError("holds NUL bytes; not a text file")
    bom = raw.startswith(BOM)
    body = raw[len(BOM):] if bom else raw
    try:
        return body.decode("utf-8"), bom
    except UnicodeDecodeError as error:
        raise NoteError(f"not UTF-8 (invalid byte at offset {error.start}); "
                        "convert it to UTF-8 first") from None


def read_note(path: Path) -> NoteFile:
    """Read and decode one note, or raise NoteError saying why it is not a readable note."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise NoteError(f"cannot be read ({error.strerror})") from None
    if not Path(path).is_file():
        raise NoteError("is not a regular file")
    if info.st_size > MAX_NOTE_BYTES:
        raise NoteError(f"is {info.st_size // (1024 * 1024)} MB, larger than a note can be "
                        f"({MAX_NOTE_BYTES // (1024 * 1024)} MB)")
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise NoteError(f"cannot be read ({error.strerror})") from None
    text, bom = decode_note(raw)
    return NoteFile(raw, text, bom, hashlib.sha256(raw).hexdigest(), info.st_size,
                    info.st_mtime_ns, info.st_mode)
