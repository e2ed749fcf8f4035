"""The detail pane: everything known about the highlighted paper.

Every piece of paper text is put into a :class:`~textual.content.Content`
object (never a markup string), so "[Re]", "[CLS]" and "[/" show literally.
"""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content, Span
from textual.widgets import Static

from reader.citations import incomplete_fields
from reader.model import Paper
from reader.state import PaperState
from reader.text import clean


def highlight(text: str, words: list[str], style: str = "reverse") -> Content:
    """``text`` with every occurrence of the search words marked (one pass, one Content)."""
    words = [w for w in words if len(w) >= 2]  # a lone letter would mark half the abstract
    low = text.lower()
    if not words or len(low) != len(text):
        return Content(text)
    spans = []
    for word in words:
        start = low.find(word)
        while start != -1:
            spans.append(Span(start, start + len(word), style))
            start = low.find(word, start + len(word))
    return Content(text, spans=spans)


def hard_breaks(markdown: str) -> str:
    """Keep the note's line breaks: Markdown joins single newlines into one paragraph,
    a line ending in two spaces breaks (fenced code is left alone)."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        fence = line.lstrip().startswith(("```", "~~~"))
        fenced ^= fence
        out.append(line if fence or fenced or not line.strip() else line + "  ")
    return "\n".join(out)


def meta_lines(paper: Paper, st: PaperState) -> Content:
    parts: list[tuple[str, str] | str] = []

    def add(label: str, value: str) -> None:
        if value:
            if parts:
                parts.append("\n")
            parts.append((f"{label:<10}", "dim"))
            parts.append(clean(value))

    add("Authors", ", ".join(clean(a) for a in paper.authors[:12]) + (" …" if len(paper.authors) > 12 else ""))
    add("Org", paper.organisation)
    add("Date", paper.published or paper.listing_date)
    add("Upvotes", "" if paper.upvotes is None else str(paper.upvotes))
    add("GitHub", " ".join(x for x in [paper.github_url, f"★ {paper.github_stars}" if paper.github_stars is not None else ""] if x))
    add("arXiv", paper.arxiv_id + (f" [{paper.primary_category}]" if paper.primary_category else ""))
    add("DOI", paper.doi)
    add("Source", paper.source_file)
    marks = ["read" if st.read else "unread"]
    if st.archived:
        marks.append("archived (x brings it back)")
    if st.starred:
        marks.append("★ starred")
    if st.later:
        marks.append("◷ later")
    add("Status", " · ".join(marks))
    add("Cite key", st.cite_key)
    missing = incomplete_fields(paper)
    if missing:
        add("Missing", ", ".join(missing) + " — citations incomplete; R looks them up")
    return Content.assemble(*parts)


class DetailPane(VerticalScroll, can_focus=True):
    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="detail_down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="detail_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="detail_top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="detail_bottom"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._note = None
        self._pending: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title")
        yield Static(id="detail-meta")
        yield Static(id="detail-tags")
        # your own words first: the note sits above the abstract
        yield Static(Content("Note"), id="detail-note-label")
        yield Static(id="detail-note")
        yield Static(id="detail-abstract")

    def on_mount(self) -> None:
        if self._pending is not None:
            self.show(*self._pending)

    def show(self, paper: Paper | None, st: PaperState | None, words: list[str]) -> None:
        if not self.query("#detail-note"):  # children not mounted yet: show once they are
            self._pending = (paper, st, words)
            return
        self._pending = None
        title = self.query_one("#detail-title", Static)
        if paper is None:
            title.update(Content("Nothing to show"))
            for wid in ("#detail-meta", "#detail-tags", "#detail-abstract"):
                self.query_one(wid, Static).update(Content(""))
            self._set_note("")
            return
        st = st or PaperState()
        title.update(highlight(clean(paper.title) or "(untitled)", words))
        self.query_one("#detail-meta", Static).update(meta_lines(paper, st))
        tags = Content.assemble(*[part for t in st.tags for part in ((f" {clean(t)} ", "reverse"), " ")])
        tag_widget = self.query_one("#detail-tags", Static)
        tag_widget.update(tags)
        tag_widget.display = bool(st.tags)
        abstract = clean(paper.abstract, keep_newlines=True)
        body = highlight(abstract, words) if abstract else Content.styled("No abstract in the imported page.", "dim italic")
        self.query_one("#detail-abstract", Static).update(body)
        self._set_note(st.note)
        self.scroll_home(animate=False)

    def _set_note(self, note: str) -> None:
        """The note as Markdown, rendered synchronously by Rich (Textual's Markdown widget
        mounts a widget per block and updates asynchronously: too slow to follow j/k)."""
        label = self.query_one("#detail-note-label")
        widget = self.query_one("#detail-note", Static)
        label.display = widget.display = bool(note.strip())
        if note != self._note:
            self._note = note
            widget.update(RichMarkdown(hard_breaks(clean(note, keep_newlines=True))) if note.strip() else Content(""))

