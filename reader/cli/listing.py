"""``reader list``: the papers of a view, as text (marks: ● unread, ★ starred, ◷ later,
✎ note; then the citation key) or JSON lines.

Dates in JSON are ISO 8601 for scripts. reader stores a season or an approximate date
as EDTF writes it (``2019-21``, ``1900~``), which ISO parsers refuse: ``published`` (and
``journal_date``) then holds what ISO can say (the year, the date without its mark), and
``published_text`` ("Spring 2019", "circa 1900") and ``published_csl`` (the CSL-JSON date,
``{"date-parts": [[2019]], "season": 1}``) say the rest
(:func:`reader.citations.metadata.date_fields`)."""

from __future__ import annotations

import json

from reader.cli.common import err, open_store
from reader.text import json_safe
from reader.views import VIEWS, tag_view


def register(sub) -> None:
    s = sub.add_parser("list", help="list the papers of a view")
    s.add_argument("--view", choices=list(VIEWS), default="all")
    s.add_argument("--tag", metavar="T", help="only the papers tagged T (not archived)")
    s.add_argument("--json", action="store_true",
                   help="one JSON object per paper (JSON lines). Dates (published, journal_date) are ISO 8601: "
                        "a season or approximate date gives what ISO can say (Spring 2019: \"2019\"; circa 1900: "
                        "\"1900\") and adds DATE_text (\"Spring 2019\", \"circa 1900\") and DATE_csl, "
                        "the CSL-JSON date ({\"date-parts\": [[2019]], \"season\": 1}, {..., \"circa\": true})")
    s.set_defaults(handler=run)


def run(args) -> int:
    from reader.citations.cite import cite_keys
    from reader.citations.metadata import date_fields
    from reader.text import clean
    from reader.triage import Triage

    store = open_store()
    triage = Triage(store, background=False)
    view = tag_view(args.tag) if args.tag else args.view
    idx = triage.view(view)
    if not triage.size:
        err("the library is empty: `reader import FILE` or just `reader` to start with the sample")
    shown = cite_keys(triage, triage.catalogue.papers())  # pinned, or the one it would get
    papers = triage.catalogue.papers() if isinstance(idx, range) else triage.papers_at(idx)
    for paper in papers:
        st = triage.state(paper.key)
        if args.json:
            row = {}
            for name, value in paper.to_dict().items():  # dates ISO, with words for what ISO cannot say
                row.update(date_fields(name, value) if name in ("published", "journal_date") else {name: value})
            row["cite_key"] = shown[paper.key]
            row["state"] = st.to_dict(paper.key)
            print(json_safe(json.dumps(row, ensure_ascii=False)))
        else:
            marks = (" " if st.read else "●") + ("★" if st.starred else " ") + ("◷" if st.later else " ")
            marks += "✎" if st.note.strip() else " "
            print(f"{marks} {clean(shown[paper.key]):<24} {clean(paper.title)}")
    return 0
