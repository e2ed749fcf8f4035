"""Where the user was: view and highlighted paper, restored on the next start.

Convenience data, kept apart from the state file; losing it loses nothing of
the user's work, but it is still written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

from reader.storage.atomic import atomic_write_text


def load_session(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_session(path: Path, view: str, key: str | None) -> None:
    try:
        atomic_write_text(path, json.dumps({"view": view, "key": key}))
    except OSError:
        pass  # not the user's work; the next start simply begins at the top
