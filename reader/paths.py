"""Where reader keeps its files.

Defaults come from platformdirs; ``READER_DATA_DIR`` and ``READER_CONFIG_DIR``
override them so tests (and users with a synced folder) can point elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "reader"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    config_dir: Path

    @property
    def catalogue(self) -> Path:
        """The papers (SQLite)."""
        return self.data_dir / "library.db"

    @property
    def library(self) -> Path:
        """The papers as the first versions kept them (TinyDB JSON): migrated at first open."""
        return self.data_dir / "library.json"

    @property
    def state(self) -> Path:
        return self.data_dir / "state.json"

    @property
    def session(self) -> Path:
        """Cursor position and view: convenience data, not the user's work."""
        return self.data_dir / "session.json"

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def config(self) -> Path:
        return self.config_dir / "config.toml"


def default_paths() -> Paths:
    data = os.environ.get("READER_DATA_DIR") or platformdirs.user_data_dir(APP_NAME, appauthor=False)
    config = os.environ.get("READER_CONFIG_DIR") or platformdirs.user_config_dir(
        APP_NAME, appauthor=False
    )
    return Paths(Path(data).expanduser(), Path(config).expanduser())
