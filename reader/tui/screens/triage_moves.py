"""The main screen's triage moves: archive, redo, move on after a mark, next/previous
unread, mark the whole view read, sort, tag views, and the paper's PDF.

A mixin of :class:`~reader.tui.screens.main.MainScreen` (kept apart so the screen
module stays readable); the logic it needs lives in the core (``reader.views``,
``reader.sorting``, ``reader.pdf``, ``reader.history``).
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.content import Content
from textual.widgets import ProgressBar, Static

from reader.config import save_setting
from reader.sorting import SORTS, next_sort
from reader.storage.catalogue import search_words
from reader.text import clean, plural, truncate
from reader.views import TAG, VIEWS, tag_counts, tag_view, view_label

# reader.pdf (urllib, http.client, email) and the dialogs are imported when a key needs
# them: not before the first frame

ARCHIVED_KEY = list(VIEWS).index("archived") + 1
# S on a big view: the worker that sorts the whole view starts once the first rows are
# drawn (started at once, it took the GIL from that frame: 31-48 ms to 25-31 ms at 1M)
SORT_SETTLE = 0.04
BIG_CHANGE = 5_000  # papers marked at once from which the app says so before doing it
EMPTY_LIBRARY = (
    "No papers yet. To get some in:\n"
    "  · copy a Hugging Face papers page (trending or daily) into a file,\n"
    "    then run  reader import FILE  (or start  reader FILE);\n"
    "  · a file of arXiv ids or URLs, one per line, works too."
)


class TriageMoves:
    MOVE_BINDINGS = [
        Binding("x", "toggle('archived')", "Archive / unarchive", show=False, id="archive"),
        Binding("U", "redo", "Redo", show=False, id="redo"),
        Binding("right_square_bracket", "next_unread", "Next unread", show=False, id="next_unread"),
        Binding("left_square_bracket", "prev_unread", "Previous unread", show=False, id="prev_unread"),
        Binding("A", "mark_view_read", "Mark all in view read", show=False, id="mark_view_read"),
        Binding("S", "cycle_sort", "Sort: added/published/upvotes/title", show=False, id="cycle_sort"),
        Binding("number_sign", "pick_tag", "Tag view…", show=False, id="pick_tag"),
        Binding("p", "open_pdf", "Open the PDF", show=False, id="open_pdf"),
    ]

    sort = "added"
    downloading = False
    _pdf_cancel = False

    # -- layout ----------------------------------------------------------------
    def moves_bars(self) -> dict[str, list]:
        """The PDF download's bar (its id and widgets), mounted by ``MainScreen.mount_bars``."""
        return {"pdf-bar": [Static(id="pdf-label"), ProgressBar(id="pdf-progress", show_eta=False)]}

    def mount_moves(self) -> None:
        self.sort = self.app.config.sort

    def header_moves(self, tiny: bool) -> list:
        parts: list = []
        if self.view.startswith(TAG):
            parts.append((f"  {view_label(self.view)} {len(self.paper_list.rows)} ", "reverse bold"))
        if not tiny:
            parts.append((f"  library {self.triage.counts()['all']:,} ·", "dim"))  # (not the view's: its tab says)
        if not tiny or self.sort != "added":
            label = SORTS[self.sort] if tiny else f"sort: {SORTS[self.sort]}"
            parts.append((f" {label}", "dim" if self.sort == "added" else "bold"))
        return parts

    def empty_text(self) -> str:
        if not self.triage.size:
            return EMPTY_LIBRARY
        if self.search_text:
            if not search_words(self.search_text):
                return f"No papers match “{self.search_text}”: a search looks for words (letters and digits)."
            return f"No papers match “{self.search_text}”."
        if self.view == "all" and self.triage.counts()["archived"]:
            return f"Every paper is archived: {ARCHIVED_KEY} shows them, x brings one back."
        return f"No papers in the {view_label(self.view)} view."

    # -- archive, undo/redo --------------------------------------------------
    def notify_archived(self, keys: list[str], on: bool) -> None:
        what = f"“{truncate(clean(self.triage.paper(keys[0]).title), 50)}”" if len(keys) == 1 else plural(len(keys), "paper")
        if on:
            self.notify(f"Archived {what} (view {ARCHIVED_KEY} lists it) · u undoes", timeout=4, markup=False)
        else:
            self.notify(f"Unarchived {what}", timeout=3, markup=False)

    def action_redo(self) -> None:
        keys = self.triage.redo()
        if not keys:
            self.notify(self.triage.last_step, markup=False)
            return
        self.after_change(keep_key=keys[0])
        self.notify(self.triage.last_step, timeout=4, markup=False)

    # -- moving on -------------------------------------------------------------
    def advance_after(self, field: str, on: bool, keys: list[str]) -> None:
        """After marking one paper, move to the next one (config ``advance_after_mark``)."""
        if on and len(keys) == 1 and field in self.app.config.advance_after_mark:
            self.paper_list.cursor += 1

    def _find_unread(self, step: int) -> None:
        plist = self.paper_list
        keys, state = self.triage.keys, self.triage.state
        i = plist.cursor + step
        while 0 <= i < len(plist.rows):
            if not state(keys[plist.rows[i]]).read:
                plist.cursor = i
                return
            i += step
        self.notify(f"No unread paper {'below' if step > 0 else 'above'} in this view", timeout=2)

    def action_next_unread(self) -> None:
        self._find_unread(1)

    def action_prev_unread(self) -> None:
        self._find_unread(-1)

    def action_mark_view_read(self) -> None:
        rows = self.paper_list.rows
        keys = self.triage.keys_at(rows)
        unread = [k for k in keys if not self.triage.state(k).read]
        if not keys:
            self.notify("No papers here to mark read")
            return
        if not unread:
            self.notify("Every paper in this view is already read")
            return
        label = view_label(self.view) + (f", search “{self.search_text}”" if self.search_text else "")

        def mark() -> None:
            where = dict(zip(keys, rows, strict=True)) if len(unread) > BIG_CHANGE else None
            self.triage.set(unread, "read", True, where=where)  # one change group: one undo step
            self.after_change(keep_key=self.paper_list.current_key)
            self.notify(f"Marked {plural(len(unread), 'paper')} read · u undoes", timeout=4, markup=False)

        def answered(yes: bool | None) -> None:
            if yes and len(unread) > BIG_CHANGE:  # a second or more: say so first, on screen
                self.notify(f"Marking {plural(len(unread), 'paper')} read…", timeout=3, markup=False)
                self.call_after_refresh(mark)
            elif yes:
                mark()

        from reader.tui.screens.dialogs import Confirm

        self.app.push_screen(Confirm(f"Mark {plural(len(unread), 'unread paper')} in {label} read?"), answered)

    # -- sort and tag views ------------------------------------------------------
    def action_cycle_sort(self) -> None:
        self.sort = next_sort(self.sort)
        self.app.config.sort = self.sort
        self.reload(keep_key=self.paper_list.current_key, settle=SORT_SETTLE)
        self.notify(f"Sorted: {SORTS[self.sort]}", timeout=2)
        self._remember_sort(self.sort)

    @work(thread=True, group="config")
    def _remember_sort(self, sort: str) -> None:
        try:
            save_setting(self.app.paths.config, "sort", sort)
        except OSError as exc:
            self.app.call_from_thread(self.notify, f"Could not remember the sort: {exc.strerror or exc}", severity="warning")

    def action_pick_tag(self) -> None:
        tags = tag_counts(self.triage.states, self.triage.pos)
        if not tags:
            self.notify("No tags yet: t tags a paper")
            return
        current = self.view[len(TAG):] if self.view.startswith(TAG) else None

        def chosen(tag: str | None) -> None:
            if tag is not None:
                self.view = tag_view(tag)

        from reader.tui.screens.pickers import TagPicker

        self.app.push_screen(TagPicker(tags, current), chosen)

    # -- PDF ---------------------------------------------------------------------
    def action_open_pdf(self) -> None:
        key = self.paper_list.current_key
        if key is None:
            return
        paper = self.triage.paper(key)
        if not paper.arxiv_id:
            self.notify("No arXiv id for this paper, so no PDF link: R looks it up", severity="warning")
            return
        from reader.pdf import pdf_path, pdf_url

        target = pdf_path(self.triage.store.paths.data_dir, paper.arxiv_id)
        if target.is_file():
            self._open_pdf(target)
            return
        if self.downloading:
            self.notify("A PDF is already downloading; esc cancels it")
            return
        self.downloading, self._pdf_cancel = True, False
        self.mount_bars()
        self.query_one("#pdf-progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#pdf-label", Static).update(Content(f" PDF {clean(paper.arxiv_id)} (esc cancels) "))
        self.query_one("#pdf-bar").display = True
        self._download(pdf_url(paper.arxiv_id, paper.arxiv_version), target)

    def cancel_download(self) -> bool:
        if not self.downloading:
            return False
        self._pdf_cancel = True
        return True

    @work(thread=True, exclusive=True, group="pdf")
    def _download(self, url: str, target) -> None:
        from reader.pdf import Cancelled as DownloadCancelled
        from reader.pdf import PdfError, download

        bar = self.query_one("#pdf-progress", ProgressBar)

        def progress(done: int, total: int | None) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        try:
            download(url, target, progress=progress, cancelled=lambda: self._pdf_cancel)
            result, severity = None, "information"
        except DownloadCancelled:
            result, severity = "PDF download cancelled", "information"
        except (PdfError, OSError) as exc:
            result, severity = f"PDF not downloaded: {exc}", "error"
        self.app.call_from_thread(self._download_done, target, result, severity)

    def _download_done(self, target, message: str | None, severity: str) -> None:
        self.downloading = False
        self.query_one("#pdf-bar").display = False
        if message:
            self.notify(message, severity=severity, timeout=6, markup=False)
        else:
            self._open_pdf(target)

    def _open_pdf(self, target) -> None:
        from reader.pdf import PdfError, open_pdf

        try:
            open_pdf(target, self.app.config.pdf_viewer)
        except PdfError as exc:
            self.notify(str(exc), severity="error", timeout=8, markup=False)
            return
        self.notify(f"Opening {target.name}", timeout=3, markup=False)

