"""Files of arXiv ids or URLs, one per line: ``2401.01234``, ``2401.01234v2``,
``arXiv:hep-th/9901001``, ``https://arxiv.org/abs/...``, ``https://huggingface.co/papers/...``.

Such a file creates id-only papers (titled ``arXiv:<id>`` until resolved). Lines are
streamed; at most :data:`MAX_IDS` distinct ids are kept."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reader.gc_pause import no_gc
from reader.model import Paper, placeholder_title, split_arxiv_id
from reader.parsers.hf import PageError
from reader.text import clean

MAX_IDS = 100_000
SNIFF_LINES = 200  # an id list has only ids in its first lines

_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?(?:arxiv\.org/(?:abs|pdf)|huggingface\.co/papers)/(?P<id>[^\s?#]+?)(?:\.pdf)?/?(?:[?#].*)?$",
    re.I,
)


def line_id(line: str) -> tuple[str, str] | None:
    line = clean(line)
    if not line:
        return None
    m = _URL.match(line)
    return split_arxiv_id(m.group("id") if m else line)


def looks_like_id_list(text: str | Iterable[str]) -> bool:
    """``text`` (or its first lines) holds only arXiv ids/URLs (blank and ``#`` lines aside)."""
    lines = text.splitlines() if isinstance(text, str) else text
    checked = 0
    for ln in lines:
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        if not line_id(ln):
            return False
        checked += 1
        if checked >= SNIFF_LINES:
            break
    return checked > 0


def parse_id_list(text: str | Iterable[str], source: str = "") -> list[Paper]:
    with no_gc():
        return _parse(text.splitlines() if isinstance(text, str) else text, source)


def _parse(lines: Iterable[str], source: str) -> list[Paper]:
    seen: dict[str, Paper] = {}
    for line in lines:
        if line.lstrip().startswith("#"):
            continue
        parts = line_id(line)
        if parts and parts[0] not in seen:
            if len(seen) >= MAX_IDS:
                raise PageError(f"more than {MAX_IDS:,} arXiv ids: split the list")
            arxiv_id, version = parts
            seen[arxiv_id] = Paper(
                key=arxiv_id, title=placeholder_title(arxiv_id), arxiv_id=arxiv_id, arxiv_version=version,
                url=f"https://arxiv.org/abs/{arxiv_id}", source_file=source,
            )
    return list(seen.values())
