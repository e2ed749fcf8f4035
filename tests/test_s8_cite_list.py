"""`reader list --json` gives dates as ISO 8601, with words and a CSL date for what ISO
cannot say (a season, an approximate date), instead of EDTF's internal forms (2019-21)."""

from __future__ import annotations

import json
import re

from reader.cli import build_parser, main
from reader.model import Paper

ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _listed(paths, capsys, papers: list[Paper]) -> dict[str, dict]:
    from reader.storage.store import Store

    Store(paths).import_papers(papers)
    assert main(["list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return {r["title"]: r for r in rows}


def test_list_json_dates_are_iso_with_words_for_seasons_and_circa(paths, capsys):
    rows = _listed(paths, capsys, [
        Paper(key="t:s", title="Spring", published="2019-21", journal_date="2019-21", entry_type="article-journal",
              journal="J", authors=["A B"]),
        Paper(key="t:c", title="Circa", published="1900~", entry_type="book", authors=["A B"]),
        Paper(key="t:cs", title="Circa winter", published="2018-24~", authors=["A B"]),
        Paper(key="t:d", title="Day", published="2019-05-03", authors=["A B"]),
        Paper(key="t:n", title="Undated", authors=["A B"]),
    ])
    spring = rows["Spring"]
    assert spring["published"] == spring["journal_date"] == "2019"
    assert spring["published_text"] == spring["journal_date_text"] == "Spring 2019"
    assert spring["published_csl"] == {"date-parts": [[2019]], "season": 1}
    circa = rows["Circa"]
    assert (circa["published"], circa["published_text"]) == ("1900", "circa 1900")
    assert circa["published_csl"] == {"date-parts": [[1900]], "circa": True}
    assert rows["Circa winter"]["published_csl"] == {"date-parts": [[2018]], "season": 4, "circa": True}
    assert rows["Circa winter"]["published_text"] == "circa Winter 2018"
    day = rows["Day"]  # an ISO date is as it was, nothing added
    assert day["published"] == "2019-05-03" and not [k for k in day if k.startswith("published_")]
    assert "published" not in rows["Undated"]
    for row in rows.values():
        for name in ("published", "journal_date"):
            assert name not in row or ISO.match(row[name]), row
    assert list(spring)[:5] == ["key", "title", "authors", "published", "published_text"]  # where it was


def test_list_help_says_what_the_dates_are():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    text = sub.choices["list"].format_help()
    assert "ISO 8601" in text and "_text" in text and "_csl" in text
