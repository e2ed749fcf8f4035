"""The citation format a command asked for, or the configured one."""

from __future__ import annotations

import sys

from reader.citations import FORMATS
from reader.config import load_config
from reader.paths import default_paths


def choose_format(fmt: str | None) -> str | None:
    fmt = fmt or load_config(default_paths().config).cite_format
    if fmt not in FORMATS:
        print(f"reader: unknown format {fmt!r} (choose from {', '.join(FORMATS)})", file=sys.stderr)
        return None
    return fmt
