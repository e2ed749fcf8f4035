"""Files of arXiv ids or URLs, one per line: ``2401.01234``, ``2401.01234v2``,
``arXiv:hep-th/9901001``, ``https://arxiv.org/abs/...``, ``https://huggingface.co/papers/...``.

Such a file creates id-only papers (titled ``arXiv:<id>`` until resolved)."""

from __future__ import annotations

import re

from reader.model import Paper, placeholder_title, split_arxiv_id
from reader.text import clean

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


def looks_like_id_list(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return bool(lines) and all(line_id(ln) for ln in lines[:200])


def parse_id_list(text: str, source: str = "") -> list[Paper]:
    seen: dict[str, Paper] = {}
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        parts = line_id(line)
        if parts and parts[0] not in seen:
            arxiv_id, version = parts
            seen[arxiv_id] = Paper(
                key=arxiv_id, title=placeholder_title(arxiv_id), arxiv_id=arxiv_id, arxiv_version=version,
                url=f"https://arxiv.org/abs/{arxiv_id}", source_file=source,
            )
    return list(seen.values())
