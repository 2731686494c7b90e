"""Output targets (a report file, a folder of charts): checked before anything changes.

A command that writes a file after changing the database (``demo``) or after a long
computation checks its targets first, so an unwritable path fails at once with one line
and changes nothing. What a check cannot foresee (a full disk, ``/dev/full``) fails
at write time, also in one line (``write_error``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shopdb.errors import InvalidInput, ShopError


def check_file_target(path: str | Path, what: str = "output file") -> Path:
    """Return ``path`` as a ``Path`` if a file can be written there.

    Raises:
        InvalidInput: the path is empty, is a directory, its folder is missing, or the
            file cannot be created or opened for writing. Nothing is created.
    """
    text = str(path)
    if not text.strip():
        raise InvalidInput(f"the {what} needs a name, got an empty path")
    target = Path(text)
    if target.is_dir():
        raise InvalidInput(f"cannot write the {what} {text!r}: it is a directory")
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInput(f"cannot write the {what} {text!r}: no folder {str(folder)!r}")
    try:
        if target.exists():
            target.open("r+b").close()  # opens for writing without truncating
        else:
            _probe(folder)
    except OSError as exc:
        raise InvalidInput(f"cannot write the {what} {text!r}: {_why(exc)}") from None
    return target


def check_dir_target(path: str | Path, what: str = "output folder") -> Path:
    """Return ``path`` as a ``Path`` if files can be written in it (once it is created).

    Raises:
        InvalidInput: the path is empty or a file, or files cannot be created in it or,
            when it is missing, in the nearest folder above it. Nothing is created.
    """
    text = str(path)
    if not text.strip():
        raise InvalidInput(f"the {what} needs a name, got an empty path")
    target = Path(text)
    existing = target
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InvalidInput(f"cannot write into the {what} {text!r}: {str(existing)!r} is a file")
    try:
        _probe(existing)
    except OSError as exc:
        raise InvalidInput(f"cannot write into the {what} {text!r}: {_why(exc)}") from None
    return target


def write_error(path: str | Path, exc: OSError) -> ShopError:
    """The one-line error for a write to ``path`` that failed with ``exc``."""
    return ShopError(f"cannot write {str(path)!r}: {_why(exc)}")


def _probe(folder: Path) -> None:
    # creating (and at once deleting) a file is the only test that root, read-only
    # mounts and pseudo file systems all answer truthfully
    with tempfile.TemporaryFile(dir=folder):
        pass


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
