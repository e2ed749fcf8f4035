"""The TUI side of fetching sources (F), pasting the clipboard (P) and the New view (N):
workers that call the core (:mod:`reader.sources`) and report back on the UI thread."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import ProgressBar, Static

from reader.text import clean

# reader.sources.fetch (feedparser, ssl, the HTTP client) is imported on the first fetch:
# a third of the app's own import time, for a key many sessions never press; the parsers
# and the clipboard reader on the first paste.


def state_path(screen):
    return screen.triage.store.paths.data_dir / "sources.json"


def state_file(screen):
    from reader.sources.fetch import FetchState

    return FetchState(state_path(screen))


def start_fetch(screen, quiet: bool = False) -> None:
    """Fetch the configured sources in a worker, with a progress bar."""
    config = screen.app.config
    if screen.fetching or screen.resolving:
        screen.notify("Already fetching or looking papers up; wait for it to finish")
        return
    if not config.sources:
        if not quiet:
            screen.notify(f'No sources configured: add sources = ["hf:daily", "arxiv:cs.CL"] to {screen.app.paths.config}',
                          severity="warning", timeout=8)
        return
    screen.fetching, screen.fetch_cancel = True, False
    screen.mount_bars()
    specs = list(config.sources)
    screen.query_one("#resolve-progress", ProgressBar).update(total=len(specs), progress=0)
    screen.query_one("#resolve-label", Static).update(Content(f" Fetching {len(specs)} sources (esc cancels) "))
    screen.query_one("#resolve-bar").display = True
    app = screen.app

    def progress(done: int, total: int, spec: str) -> None:
        app.call_from_thread(_progress, screen, done, total, spec)

    def work() -> None:
        from reader.sources.fetch import Fetcher, make_client

        # esc stops before the next request and during waits (rate limit, Retry-After);
        # a request already sent ends by itself, within the client's timeout
        client = make_client(cancelled=lambda: screen.fetch_cancel)
        fetcher = Fetcher(client, state_file(screen), screen.triage.import_papers, first=config.arxiv_first)
        try:
            results = fetcher.run(specs, progress=progress)
        except Exception as exc:  # never let the network take the session down
            app.call_from_thread(_fetched, screen, [], f"Fetch failed: {exc}")
            return
        app.call_from_thread(_fetched, screen, results, "", len(specs))

    screen.run_worker(work, thread=True, exclusive=True, group="fetch")


def cancel_fetch(screen) -> bool:
    """esc while fetching: stop after what is under way; what was merged stays."""
    if not screen.fetching:
        return False
    screen.fetch_cancel = True
    screen.notify("Cancelling the fetch… (papers already fetched are kept)", timeout=3)
    return True


def _progress(screen, done: int, total: int, spec: str) -> None:
    screen.query_one("#resolve-progress", ProgressBar).update(progress=done)
    if spec:
        screen.query_one("#resolve-label", Static).update(Content(f" Fetching {done + 1}/{total}: {spec} (esc cancels) "))


def _fetched(screen, results, error: str, asked: int = 0) -> None:
    screen.fetching = False
    screen.query_one("#resolve-bar").display = False
    new = [k for r in results for k in r.new_keys]
    if new:
        screen.new_keys = last_fetch_new(screen)
    screen.after_change(keep_key=screen.paper_list.current_key)
    failed = [r for r in results if r.error]
    if error:
        screen.notify(error, severity="error", timeout=10)
    text = f"{len(new)} new paper{'' if len(new) == 1 else 's'} from {len(results)} source{'' if len(results) == 1 else 's'}"
    if screen.fetch_cancel and len(results) < asked:
        text = f"Fetch cancelled: {text} of {asked}"
    if new:
        text += " · N shows them"
    if failed:
        text += f" · {len(failed)} failed"
    screen.notify(text, severity="warning" if failed else "information", timeout=8)
    for r in failed:
        screen.notify(r.line(), severity="warning", timeout=12)
    for line in (w for r in results for w in r.warning_lines()):
        screen.notify(line, severity="warning", timeout=12)


def paste(screen) -> None:
    """Import whatever text is on the system clipboard, in a worker with a timeout."""
    app = screen.app

    def work() -> None:
        from reader.sources.paste import system_paste

        text, why = system_paste()
        if why:
            app.call_from_thread(screen.notify, f"Cannot read the clipboard: {why}; or paste into reader with your "
                                 "terminal's paste (ctrl+shift+v)", severity="warning", timeout=8)
            return
        _import_text(screen, text, "The clipboard")

    screen.run_worker(work, thread=True, group="paste")


def import_pasted(screen, text: str) -> None:
    """Import text pasted into the main screen with the terminal's own paste (a bracketed
    paste): the way in over SSH, where no clipboard tool reaches the user's clipboard."""
    screen.run_worker(lambda: _import_text(screen, text, "The pasted text"), thread=True, group="paste")


def _import_text(screen, text: str, what: str) -> None:
    """In a worker: parse, import, and say what came in (and what was skipped)."""
    from reader.parsers import InputError, parse_text
    from reader.sources.files import stamp

    app = screen.app
    if not text.strip():
        app.call_from_thread(screen.notify, f"{what} is empty", severity="warning")
        return
    try:
        papers = parse_text(text, source="clipboard")
        if not papers:
            raise InputError("clipboard", "no papers found (ids, URLs, a copied page, BibTeX, CSL-JSON or RIS)")
        stamp(papers)
        result = screen.triage.import_papers(papers)
    except Exception as exc:  # InputError, StoreError: one line, nothing lost
        app.call_from_thread(screen.notify, str(exc), severity="error", timeout=10, markup=False)
        return
    try:  # the New view keeps them across restarts, as it keeps what fetches added
        from reader.sources.fetch import remember_new
        remember_new(state_file(screen), list(result.new_keys))
    except Exception:  # noqa: BLE001 - a read-only data dir: the New view of this session only
        pass
    skipped = list(getattr(papers, "problems", []))
    app.call_from_thread(_pasted, screen, what, len(papers), result, skipped)


def _pasted(screen, what: str, read: int, result, skipped: list[str]) -> None:
    if result.new_keys:
        pasted = set(result.new_keys)  # after what fetches (and earlier pastes) added
        screen.new_keys = [k for k in last_fetch_new(screen) if k not in pasted] + list(result.new_keys)
    screen.after_change(keep_key=result.new_keys[0] if result.new_keys else screen.paper_list.current_key)
    said = (f"{what}: {read} paper{'' if read == 1 else 's'} read, {result.new} new, "
            f"{result.existing} already in the library")
    if skipped:  # nothing skipped silently
        said += f"; {len(skipped)} skipped ({clean(str(skipped[0]))[:120]})"
    screen.notify(said, timeout=8 if skipped else 6, severity="warning" if skipped else "information", markup=False)


def last_fetch_new(screen) -> list[str]:
    """The papers fetches (here or by cron) added that are still unread."""
    if not state_path(screen).exists():
        return []  # never fetched: no need to import the fetcher (~60 ms) before the first frame
    try:
        keys = state_file(screen).last_new()
    except OSError:
        return []
    return [k for k in keys if not screen.triage.state(k).read]


def new_rows(screen) -> list[int]:
    live = (k for k in screen.new_keys if not screen.triage.state(k).archived)  # archived: only in Archived
    positions = (screen.triage.position(k) for k in live)
    return sorted(p for p in positions if p is not None)
