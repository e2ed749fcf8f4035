"""The citation format a command asked for, or the configured one."""

from __future__ import annotations

import os
import sys

from reader.citations import FORMATS
from reader.config import load_config
from reader.paths import default_paths

# a file name's extension -> (the format it means, the formats it may hold)
_TEXT = ("plain", "apa", "mla", "chicago", "markdown")
BY_EXTENSION: dict[str, tuple[str, tuple[str, ...]]] = {
    ".bib": ("bibtex", ("bibtex", "biblatex")),
    ".bibtex": ("bibtex", ("bibtex", "biblatex")),
    ".biblatex": ("biblatex", ("biblatex", "bibtex")),
    ".ris": ("ris", ("ris",)),
    ".json": ("csl-json", ("csl-json",)),
    ".csl": ("csl-json", ("csl-json",)),
    ".md": ("markdown", ("markdown",) + _TEXT),
    ".markdown": ("markdown", ("markdown",) + _TEXT),
    ".txt": ("plain", _TEXT),
}


def choose_format(fmt: str | None, output: str | None = None) -> str | None:
    """``fmt`` if given (a warning when ``output``'s extension means another format); else
    the one ``output``'s extension means (the configured one when that fits it too); else
    the configured one."""
    ext = os.path.splitext(output)[1].lower() if output else ""
    meant = BY_EXTENSION.get(ext)
    if fmt is None:
        configured = load_config(default_paths().config).cite_format
        fmt = configured if meant is None or configured in meant[1] else meant[0]
    if fmt not in FORMATS:
        print(f"reader: unknown format {fmt!r} (choose from {', '.join(FORMATS)})", file=sys.stderr)
        return None
    if meant is not None and fmt not in meant[1]:
        print(f"reader: warning: writing {fmt} to {output}, whose extension {ext} means {meant[0]}", file=sys.stderr)
    return fmt
