"""``reader list``: the papers of a view, as text (marks: ● unread, ★ starred, ◷ later,
✎ note; then the citation key) or JSON lines."""

from __future__ import annotations

import json

from reader.cli.common import err, open_store
from reader.text import json_safe
from reader.views import VIEWS


def register(sub) -> None:
    s = sub.add_parser("list", help="list the papers of a view")
    s.add_argument("--view", choices=list(VIEWS), default="all")
    s.add_argument("--json", action="store_true", help="one JSON object per paper (JSON lines)")
    s.set_defaults(handler=run)


def run(args) -> int:
    from reader.citations.cite import cite_keys
    from reader.text import clean
    from reader.triage import Triage

    store = open_store()
    triage = Triage(store, background=False)
    idx = triage.view(args.view)
    if not triage.size:
        err("the library is empty: `reader import FILE` or just `reader` to start with the sample")
    shown = cite_keys(triage, triage.catalogue.papers())  # pinned, or the one it would get
    papers = triage.catalogue.papers() if args.view == "all" else triage.papers_at(idx)
    for paper in papers:
        st = triage.state(paper.key)
        if args.json:
            row = paper.to_dict()
            row["cite_key"] = shown[paper.key]
            row["state"] = st.to_dict(paper.key)
            print(json_safe(json.dumps(row, ensure_ascii=False)))
        else:
            marks = (" " if st.read else "●") + ("★" if st.starred else " ") + ("◷" if st.later else " ")
            marks += "✎" if st.note.strip() else " "
            print(f"{marks} {clean(shown[paper.key]):<24} {clean(paper.title)}")
    return 0
