"""``reader fetch [SPEC...]``: fetch the configured sources (or the ones named)."""

from __future__ import annotations

import sys

from reader.cli.common import err, open_store


def register(sub) -> None:
    s = sub.add_parser(
        "fetch", help="fetch new papers from the configured sources (Hugging Face daily, arXiv, RSS/Atom feeds)",
        description="Fetch every source in config.toml's `sources`, or the SPECs given: hf:daily, hf:daily:YYYY-MM-DD, "
        "arxiv:CATEGORY, arxiv-query:QUERY, an http(s):// RSS/Atom feed URL, or a feed saved as a file "
        "(file:///path/feed.xml). One line per source; exit status 1 when any source failed.",
    )
    s.add_argument("specs", nargs="*", metavar="SPEC")
    s.add_argument("--first", type=int, metavar="N", help="papers a first fetch of an arXiv listing takes (default: config arxiv_first, 100)")
    s.set_defaults(handler=run)


def run(args) -> int:
    from reader.config import load_config
    from reader.paths import default_paths
    from reader.sources.fetch import Fetcher, FetchState, make_client

    paths = default_paths()
    config = load_config(paths.config)
    for error in config.errors:
        err(error)
    specs = args.specs or config.sources
    if not specs:
        err(f"no sources to fetch: name some (reader fetch hf:daily) or list them in {paths.config} (sources = [\"hf:daily\"])")
        return 2
    store = open_store()
    fetcher = Fetcher(make_client(), FetchState(paths.data_dir / "sources.json"), store.import_papers,
                      first=args.first or config.arxiv_first)
    results = fetcher.run(specs)
    for r in results:
        print(r.line(), file=sys.stderr if r.error else sys.stdout)
        for line in r.warning_lines():
            err(line)
    return 1 if any(r.error for r in results) else 0
