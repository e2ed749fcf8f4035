"""``reader resolve``: complete title-only papers from the web, with progress on stderr."""

from __future__ import annotations

import signal
import sys

from reader.cli.common import open_store
from reader.paths import default_paths
from reader.text import clean
from reader.triage import Triage
from reader.views import VIEWS


def register(sub) -> None:
    s = sub.add_parser("resolve", help="complete title-only papers from Hugging Face and arXiv")
    s.add_argument("--view", choices=list(VIEWS), default="all")
    s.add_argument("--limit", type=int, default=None, metavar="N")
    s.set_defaults(handler=run)


def run(args) -> int:
    return resolve(open_store(), view=args.view, limit=args.limit)


def _progress(done: int, total: int, eta: float) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total}  ETA {int(eta) // 60}:{int(eta) % 60:02d} ")
    sys.stderr.flush()


def resolve(store, view: str = "all", limit: int | None = None, keys: list[str] | None = None) -> int:
    triage = Triage(store, background=False)
    if keys is None:
        keys = triage.keys_at(triage.view(view))
    papers = [triage.paper(k) for k in keys]
    papers = [p for p in papers if not (p.arxiv_id and p.authors and p.year)]
    if limit is not None:
        papers = papers[:limit]
    if not papers:
        print("reader: nothing to resolve (every paper has an arXiv id, authors and a year)", file=sys.stderr)
        return 0
    cancelled = {"flag": False}

    def on_sigint(signum, frame):
        if cancelled["flag"]:
            raise KeyboardInterrupt
        cancelled["flag"] = True
        sys.stderr.write("\ncancelling… (ctrl+c again to stop at once)\n")

    # http.client and email are imported only when resolving
    from reader.resolve.resolver import Resolver, make_client

    previous = signal.signal(signal.SIGINT, on_sigint)
    client = make_client(default_paths().data_dir / "cache" / "http")
    try:
        summary = Resolver(client).run(
            papers,
            apply=triage.update_papers,
            progress=_progress if sys.stderr.isatty() else None,
            cancelled=lambda: cancelled["flag"],
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    for o in summary.outcomes:
        if o.status != "resolved" and o.detail:
            print(f"reader: {clean(triage.paper(o.key).title)}: {o.status}: {clean(str(o.detail))}", file=sys.stderr)
    print(summary.line())
    if summary.offline:
        print(f"reader: offline ({summary.offline}); nothing else changed", file=sys.stderr)
        return 1
    return 0
