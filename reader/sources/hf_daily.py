"""Hugging Face daily papers: ``GET {READER_HF_API}/daily_papers?date=YYYY-MM-DD``."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from reader.model import Paper
from reader.resolve import apis


def daily_url(date: str) -> str:
    return f"{apis.hf_base()}/daily_papers?date={date}"


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def parse_daily(body: bytes, source: str = "") -> list[Paper]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise apis.BadResponse(f"Hugging Face daily papers: malformed JSON ({exc})") from exc
    if not isinstance(data, list):
        raise apis.BadResponse("Hugging Face daily papers: expected a list")
    out = []
    for item in data:
        if not isinstance(item, dict):
            continue
        paper = apis._hf_paper(item.get("paper") if isinstance(item.get("paper"), dict) else item)
        if paper is None:
            continue
        if isinstance(item.get("numComments"), int):
            paper.comments = item["numComments"]
        paper.url = paper.url or (f"https://huggingface.co/papers/{paper.arxiv_id}" if paper.arxiv_id else "")
        paper.source_file = source
        out.append(paper)
    return out
