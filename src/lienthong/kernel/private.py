"""The data folder and its files are for the server's user alone: folder 0700, files 0600.

SQLite gives its ``-wal`` and ``-shm`` files the mode of the database file, so making
the database file 0600 before SQLite opens it covers them too.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: str | Path) -> Path:
    """Make ``path`` (and missing parents) and restrict it to its owner."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    path.chmod(DIR_MODE)
    return path


def private_file(path: str | Path) -> Path:
    """Create ``path`` empty if missing, owner-only either way (no moment of wider access)."""
    path = Path(path)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    path.chmod(FILE_MODE)
    return path
