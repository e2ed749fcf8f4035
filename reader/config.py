"""The TOML config file: theme, key map, default citation format, auto-read, sort,
moving on after a mark, the PDF viewer.

A bad config never stops the app: each problem becomes a one-line message and
the default is used. Only the theme and the sort are ever written back (when the
user picks one), by replacing or adding their own line so comments and the rest survive.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from reader.storage.atomic import atomic_write_bytes, atomic_write_text

DEFAULT_THEME = "textual-dark"
ADVANCE_MARKS = ("read", "starred", "later")
SORTS = ("added", "published", "upvotes", "title")
CITE_FORMATS = ("bibtex", "biblatex", "apa", "mla", "chicago", "csl-json", "ris", "markdown", "plain")

EXAMPLE = """\
# reader configuration
# theme = "textual-dark"        # any built-in Textual theme; the app remembers your last pick
# cite_format = "bibtex"        # bibtex, biblatex, apa, mla, chicago, csl-json, ris, markdown, plain
# auto_read_seconds = 0         # mark a paper read after it has been open this long (0 = never)
# advance_after_mark = ["read"] # marks after which the cursor moves to the next paper (true/false too)
# sort = "added"                # added, published, upvotes, title (S cycles; remembered)
# pdf_viewer = "zathura"        # command that opens a PDF (default: the system viewer)
# sources = ["hf:daily", "arxiv:cs.CL", "https://journal.example/rss"]   # what `reader fetch` and F fetch
# fetch_on_start = false        # fetch the sources in the background when the TUI starts
# arxiv_first = 100             # papers a first fetch of an arXiv category or search takes
#
# [keymap]                      # binding id = "keys" (comma separated)
# toggle_star = "s,f"
"""


@dataclass
class Config:
    theme: str = DEFAULT_THEME
    cite_format: str = "bibtex"
    auto_read_seconds: float = 0.0
    advance_after_mark: tuple[str, ...] = ("read",)
    sort: str = "added"
    pdf_viewer: str = ""
    keymap: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    fetch_on_start: bool = False
    arxiv_first: int = 100
    errors: list[str] = field(default_factory=list)


def load_config(path: Path) -> Config:
    cfg = Config()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return cfg
    except (OSError, UnicodeDecodeError) as exc:
        cfg.errors.append(f"{path}: cannot read ({exc}); using defaults")
        return cfg
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        aside = keep_copy(path)
        cfg.errors.append(f"{path}: invalid TOML ({exc}); using defaults (copy kept as {aside})")
        _TOLD.add((str(path), raw))  # said here: saving a setting into it says nothing more
        return cfg
    theme = data.get("theme", cfg.theme)
    if isinstance(theme, str) and theme:
        cfg.theme = theme
    else:
        cfg.errors.append(f"{path}: theme must be a string")
    fmt = data.get("cite_format", cfg.cite_format)
    if fmt in CITE_FORMATS:
        cfg.cite_format = fmt
    else:
        cfg.errors.append(f"{path}: unknown cite_format {fmt!r}; using bibtex")
    secs = data.get("auto_read_seconds", 0)
    if isinstance(secs, int | float) and not isinstance(secs, bool) and secs >= 0:
        cfg.auto_read_seconds = float(secs)
    else:
        cfg.errors.append(f"{path}: auto_read_seconds must be a number >= 0")
    _load_triage_settings(cfg, data, path)
    _sources(cfg, data, path)
    keymap = data.get("keymap", {})
    if isinstance(keymap, dict):
        for k, v in keymap.items():
            if isinstance(v, str) and v.strip():
                cfg.keymap[k] = v
            else:
                cfg.errors.append(f"{path}: keymap.{k} must be a string of keys")
    else:
        cfg.errors.append(f"{path}: [keymap] must be a table")
    return cfg


def _load_triage_settings(cfg: Config, data: dict, path: Path) -> None:
    advance = data.get("advance_after_mark", list(cfg.advance_after_mark))
    if isinstance(advance, bool):
        cfg.advance_after_mark = ("read",) if advance else ()
    elif isinstance(advance, list) and all(a in ADVANCE_MARKS for a in advance):
        cfg.advance_after_mark = tuple(advance)
    else:
        cfg.errors.append(f"{path}: advance_after_mark must be true, false or a list of {', '.join(ADVANCE_MARKS)}")
    sort = data.get("sort", cfg.sort)
    if sort in SORTS:
        cfg.sort = sort
    else:
        cfg.errors.append(f"{path}: unknown sort {sort!r}; using added")
    viewer = data.get("pdf_viewer", "")
    if isinstance(viewer, str):
        cfg.pdf_viewer = viewer.strip()
    else:
        cfg.errors.append(f"{path}: pdf_viewer must be a command (a string)")


def _sources(cfg: Config, data: dict, path: Path) -> None:
    sources = data.get("sources", [])
    if isinstance(sources, list) and all(isinstance(s, str) for s in sources):
        cfg.sources = [s.strip() for s in sources if s.strip()]
    else:
        cfg.errors.append(f"{path}: sources must be a list of strings")
    if isinstance(data.get("fetch_on_start", False), bool):
        cfg.fetch_on_start = data.get("fetch_on_start", False)
    else:
        cfg.errors.append(f"{path}: fetch_on_start must be true or false")
    first = data.get("arxiv_first", 100)
    if isinstance(first, int) and not isinstance(first, bool) and 1 <= first <= 2000:
        cfg.arxiv_first = first
    else:
        cfg.errors.append(f"{path}: arxiv_first must be a number from 1 to 2000")


def keep_copy(path: Path) -> str:
    """Copy a bad config beside itself as NAME.corrupt-<timestamp>; the original stays
    where the user can fix it, and is never overwritten by the app."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    try:
        if not target.exists():
            atomic_write_bytes(target, path.read_bytes())
    except OSError:
        return "(could not copy)"
    return target.name


_FIRST_TABLE = re.compile(r"^\[", re.M)


def save_theme(path: Path, theme: str) -> None:
    save_setting(path, "theme", theme)


class ConfigNotSaved(OSError):
    """The config file is not valid TOML: a setting is not written into it (the callers'
    ``except OSError`` show it: "Could not remember the sort: ...")."""


_TOLD: set[tuple[str, str]] = set()  # (file, its text) already reported as broken


def save_setting(path: Path, name: str, value: str) -> None:
    """Set ``name = "..."`` at the top level of the config, keeping everything else. A
    broken file is never rewritten: ConfigNotSaved, naming the file and the line, the first
    time for that file's text (trial 10: `S` said "Sorted" and silently did not remember)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raw = EXAMPLE
    try:
        tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:  # the user's broken file is theirs to fix; never rewrite it
        told = (str(path), raw)
        if told in _TOLD:
            return  # said once; the same file again says nothing more
        _TOLD.add(told)
        raise ConfigNotSaved(f"{path}: invalid TOML ({exc}); settings are not saved until it is fixed") from exc
    line = f"{name} = {json.dumps(value)}"
    pattern = re.compile(rf"^{re.escape(name)}\s*=.*$", re.M)
    # only touch the top-level table (before the first [section])
    m = _FIRST_TABLE.search(raw)
    head, tail = (raw[: m.start()], raw[m.start() :]) if m else (raw, "")
    if pattern.search(head):
        head = pattern.sub(lambda _m: line, head, count=1)
    else:
        head = head.rstrip("\n") + ("\n" if head.strip() else "") + line + "\n\n"
    new = head + tail
    try:
        tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        return  # never make a user's config worse
    atomic_write_text(path, new)
