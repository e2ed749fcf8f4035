"""The detail pane: everything known about the highlighted paper.

A Line-API widget (like the list): the paper is turned into wrapped lines once per
paper and width, and Textual asks for the visible ones. A pane of Statics cost two
layouts and ~25 ms of wrapping and restyling per key; this costs a few milliseconds,
so the detail is drawn in the same frame as the highlight.

Every piece of paper text goes into a Rich ``Text`` built from the plain string (never
parsed as markup), so "[Re]", "[CLS]", "[/" and "[@click=...]" show literally and never act.
"""

from __future__ import annotations

from collections import OrderedDict

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.citations import incomplete_fields
from reader.citations.metadata import readable_date
from reader.citations.names import OTHERS, parse_name
from reader.model import Paper
from reader.state import PaperState, unique_tags
from reader.text import clean
from reader.tui.widgets.finished_lines import FinishedLines
from reader.tui.widgets.scrolling import SteadyScrollbar, exact_strip

SECTIONS = ("title", "meta", "tags", "note-label", "note", "abstract")
READY_KEPT = 8  # papers built ahead (see DetailPane.prepare)
NOTES_KEPT = 8  # notes' rendered lines kept (see DetailPane._note_lines)
LABEL_WIDTH = 10  # "Authors   ": a wrapped value goes on under its first line


def match_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the search words occur in ``text`` (case-insensitive); lone letters are not
    marked (they would mark half the abstract)."""
    words = [w for w in words if len(w) >= 2]
    low = text.lower()
    if not words or len(low) != len(text):
        return []
    spans = []
    for word in words:
        start = low.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = low.find(word, start + len(word))
    return spans


def hard_breaks(markdown: str) -> str:
    """Keep the note's line breaks: Markdown joins single newlines into one paragraph,
    a line ending in two spaces breaks (fenced code is left alone)."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        fence = line.lstrip().startswith(("```", "~~~"))
        fenced ^= fence
        out.append(line if fence or fenced or not line.strip() else line + "  ")
    return "\n".join(out)


# Characters with a meaning somewhere in CommonMark inline text (escapes, entities, code,
# emphasis, strikethrough, links and images ("!" only before "["), autolinks, HTML, tables).
MARKUP_CHARS = frozenset("\\`*_~[]<>&|")


def plain_paragraphs(note: str) -> list[str] | None:
    """The note's paragraphs when Markdown would show its text unchanged (no character
    with a meaning, every line starting with a letter: no heading, list, quote, code,
    rule or HTML block), each line kept as a hard break as :func:`hard_breaks` asks;
    None when the note needs the Markdown renderer. Rendered as Rich's Markdown renders
    paragraphs, without importing markdown-it (~60 ms, at the first paint when the first
    paper has a note): ``tests/test_tui.py`` checks the two give the same lines."""
    paragraphs: list[str] = []
    lines: list[str] = []
    for line in note.split("\n"):
        if not line.strip(" "):
            if lines:
                paragraphs.append("\n".join(lines))
                lines = []
            continue
        if not line[0].isalpha():
            return None
        lines.append(line.rstrip(" "))
    if lines:
        paragraphs.append("\n".join(lines))
    for paragraph in paragraphs:
        if not MARKUP_CHARS.isdisjoint(paragraph) or not paragraph.replace("\n", " ").isprintable():
            return None  # markup, or a tab or other whitespace Markdown treats apart
    return paragraphs


class PlainNote:
    """Paragraphs drawn as Rich's Markdown draws them: left-justified text, one blank
    line between."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.paragraphs = paragraphs

    def __rich_console__(self, console, options):
        options = options.update(height=None)
        for i, paragraph in enumerate(self.paragraphs):
            if i:
                yield Segment.line()
            yield from console.render(Text(paragraph, justify="left"), options)


def note_renderable(note: str):
    """What draws a note: plain paragraphs when that is the same, else Markdown."""
    paragraphs = plain_paragraphs(note)
    if paragraphs is not None:
        return PlainNote(paragraphs)
    from rich.markdown import Markdown  # markdown-it: imported with the first note that needs it

    return Markdown(hard_breaks(note))


def shown_names(names: list[str], most: int = 12) -> str:
    """Names in display order, no BibTeX commas or braces: "Guy L. Steele Jr., World Health
    Organization"; after ``most`` of them, "…"."""
    others = bool(names) and names[-1] == OTHERS  # BibTeX's "and others"
    named = names[:-1] if others else names
    return (", ".join(parse_name(clean(a)).given_family() for a in named[:most])
            + (" …" if len(named) > most else "") + (" et al." if others else ""))


def venue(paper: Paper) -> str:
    """Where the paper was published: "Nature, vol. 612, no. 3, pp. 45-50"; a chapter's
    book; else arXiv's journal reference of a preprint ("Accepted at NeurIPS 2023")."""
    if not paper.journal:
        return paper.journal_ref
    return ", ".join(x for x in [
        paper.journal,
        f"vol. {paper.volume}" if paper.volume else "",
        f"no. {paper.issue}" if paper.issue else "",
        (f"pp. {paper.pages}" if any(c in paper.pages for c in "-–,") else f"p. {paper.pages}") if paper.pages else "",
    ] if x)


def meta_parts(paper: Paper, st: PaperState) -> list[tuple[str, str]]:
    """(label, value) lines of the metadata block, values cleaned of control characters."""
    parts: list[tuple[str, str]] = []

    def add(label: str, value: str) -> None:
        if value:
            parts.append((label, clean(value)))

    add("Authors", shown_names(paper.authors))
    # of a book, or of a chapter's book: an edited book has no authors but these
    add("Editors", shown_names(paper.editors))
    add("Org", paper.organisation)
    add("Venue", venue(paper))
    add("Publisher", paper.publisher)
    add("Date", readable_date(paper.published) or paper.listing_date)  # "Spring 2019", not 2019-21
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
    return parts


class DetailPane(FinishedLines, SteadyScrollbar, ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "detail--title",
        "detail--label",
        "detail--tag",
        "detail--note-label",
        "detail--match",
        "detail--muted",
    }
    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="detail_down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="detail_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="detail_top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="detail_bottom"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[Paper | None, PaperState | None, list[str]] = (None, None, [])
        self._marks = ""  # repr of the shown paper's state when its lines were built
        self._lines: list[Strip] | None = None
        self._width = 0
        self._sections: dict[str, tuple[int, int, str]] = {}  # name -> (first line, end, plain text)
        self._styles_key: tuple | None = None
        self._style_cache: dict[str, Style] = {}
        self._ready: OrderedDict[tuple, tuple[Paper | None, list[Strip], dict]] = OrderedDict()  # see prepare()
        self._notes: OrderedDict[tuple, list[Strip]] = OrderedDict()  # see _note_lines

    # -- what is shown -------------------------------------------------------------
    def show(self, paper: Paper | None, st: PaperState | None, words: list[str]) -> None:
        """The lines are built at once (a millisecond or two), so the new scroll range goes
        into the same frame as the highlight and the text: one frame per key, no screen
        layout (see :meth:`_set_height`)."""
        marks = repr(st)  # the state is changed in place: compare its value
        shown, _st, shown_words = self._shown
        if self._lines is not None and paper is shown and marks == self._marks and list(words) == shown_words:
            return  # the same paper as it is drawn: nothing to build again
        same = paper is not None and shown is not None and paper.key == shown.key
        before = self._lines if same else None  # a mark or a note changed: stay where the reader is
        self._marks = marks
        self._shown = (paper, st, list(words))
        self._lines = None
        if before is None:
            self.scroll_to(y=0, animate=False, immediate=True)
        if self.is_mounted and self._content_width() > 0:
            top = round(self.scroll_offset.y)
            lines = self._ensure_lines(now=True)
            if before is not None:  # the lines a mark did not change stay the same Strips (finished already)
                for i in range(min(len(before), len(lines))):
                    if lines[i] is not before[i] and lines[i] == before[i]:
                        lines[i] = before[i]
            if before is not None and round(self.scroll_offset.y) == top:
                self._refresh_changed(before, lines, top)
                return
        self.refresh()

    def _refresh_changed(self, before: list[Strip], after: list[Strip], top: int) -> None:
        """Redraw only the visible lines that differ (a star changes one line of the
        metadata, not the 40 lines of the pane)."""
        width = self.size.width
        changed = [y for y in range(self.size.height)
                   if (before[top + y] if top + y < len(before) else None)
                   != (after[top + y] if top + y < len(after) else None)]
        for y in changed:
            self.refresh(Region(0, y, width, 1))

    def prepare(self, paper: Paper | None, st: PaperState | None, words: list[str]) -> None:
        """Build a paper's lines now, to be shown later at no cost: the main screen asks for
        the next paper once keys pause, so the next ``j`` only draws (the wrapping of a long
        abstract is about half of what a key costs the app)."""
        width = self._content_width()
        if paper is None or not self.is_mounted or width <= 0:
            return
        key = self._ready_key(paper, st, words, width)
        found = self._ready.get(key)
        if found is None or found[0] is not paper:
            self._ready[key] = (paper, *self._build(width, paper, st, words))
            self._keep(key, paper)
            self.finish_ahead(self._ready[key][1][:self.size.height])  # styled as Textual will draw them

    def _keep(self, key: tuple, paper: Paper | None) -> None:
        """Keep built lines for going back and forth (the most recent ``READY_KEPT``)."""
        if key not in self._ready and self._lines is not None:
            self._ready[key] = (paper, self._lines, self._sections)
        self._ready.move_to_end(key)
        while len(self._ready) > READY_KEPT:
            self._ready.popitem(last=False)

    def _ready_key(self, paper: Paper | None, st: PaperState | None, words: list[str], width: int) -> tuple:
        self._styles()
        return (paper.key if paper else None, repr(st), tuple(words), width, self._styles_key)

    def plain(self, section: str) -> str:
        """The text of one section as shown (tests, and anyone scripting the app)."""
        self._ensure_lines()
        return self._sections.get(section, (0, 0, ""))[2]

    def rendered(self, section: str) -> list[str]:
        """The lines of one section as drawn (trailing spaces dropped)."""
        lines = self._ensure_lines()
        start, end, _text = self._sections.get(section, (0, 0, ""))
        return [lines[i].text.rstrip() for i in range(start, end)]

    def section_line(self, section: str) -> int | None:
        """The first line of a section in the pane, or None when it is not shown."""
        self._ensure_lines()
        found = self._sections.get(section)
        return found[0] if found else None

    # -- lines ---------------------------------------------------------------------
    def _content_width(self) -> int:
        return self.content_width(fallback=3)  # the lines are wrapped to it

    def _ensure_lines(self, now: bool = False) -> list[Strip]:
        """The lines for the current width. The scroll range follows at once when called
        before the frame (``now``); from inside a frame (``render_line``) a scrollbar refresh
        would be lost, so it follows just after."""
        width = self._content_width()
        if self._lines is None or width != self._width:
            self._width = width
            paper, st, words = self._shown
            found = self._ready.get(self._ready_key(paper, st, words, width)) if width > 0 else None
            if width <= 0:
                self._lines, self._sections = [], {}
            elif found is not None and found[0] is paper:
                self._lines, self._sections = found[1], found[2]
            else:
                self._lines, self._sections = self._build(width, paper, st, words)
                self._keep(self._ready_key(paper, st, words, width), paper)
            if now:
                self._sync_height()
            else:
                self.call_later(self._sync_height)
        return self._lines

    def _sync_height(self) -> None:
        if self._lines is not None:
            self.set_virtual_height(self._width, len(self._lines))  # the scrollbar is always shown

    def on_resize(self, event: events.Resize) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles_key = None
        self._lines = None
        self._ready.clear()
        self._notes.clear()

    def _styles(self) -> dict[str, Style]:
        key = (self.app.theme, self.has_focus)
        if self._styles_key != key:
            self._styles_key = key
            self._style_cache = {name: self.get_component_rich_style(name, partial=True) for name in self.COMPONENT_CLASSES}
            self._style_cache["base"] = self.rich_style
        return self._style_cache

    @staticmethod
    def _chips(tags: list[str], width: int, style: Style) -> Text:
        """The tags as chips, a chip moved whole to the next line when it does not fit (the
        wrap split "beta gamma" at its space, and left a chip's padding alone at a line end);
        only a chip wider than the pane is folded."""
        chips = Text(style=style, end="")
        used = 0
        for tag in tags:
            chip = f" {clean(tag)} "
            size = cell_len(chip)
            if used and used + 1 + size > width:
                chips.append("\n")
                used = 0
            elif used:
                chips.append(" ")
                used += 1
            chips.append(chip, Style(reverse=True))
            used += size
        return chips

    def render_line(self, y: int) -> Strip:
        lines = self._ensure_lines()
        row = y + round(self.scroll_offset.y)
        if row < len(lines):
            return lines[row]
        return self.blank_line(max(self._width, self.line_width(fallback=3)), self._styles()["base"])

    def _note_lines(self, note: str, width: int, line_width: int) -> list[Strip]:
        """A note's lines (Markdown), kept while the note, width and theme stay: a star on a
        paper with a 20 KB note rendered the note again, 170-250 ms a key (trial 10)."""
        styles = self._styles()
        key = (note, width, line_width, self._styles_key)
        found = self._notes.get(key)
        if found is None:
            base = styles["base"]
            console = self.app.console
            options = console.options.update(width=width, height=None, highlight=False, markup=False)
            found = [exact_strip(line, line_width, base)
                     for line in console.render_lines(note_renderable(note), options, style=base, pad=False)]
            self._notes[key] = found
            while len(self._notes) > NOTES_KEPT:
                self._notes.popitem(last=False)
        self._notes.move_to_end(key)
        return found

    def _build(self, width: int, paper: Paper | None, st: PaperState | None,
               words: list[str]) -> tuple[list[Strip], dict[str, tuple[int, int, str]]]:
        """Every line of the pane for this paper at this width, each section followed by a
        blank line, as the old pane of Statics laid them out; and where each section is."""
        styles = self._styles()
        base = styles["base"]
        console = self.app.console
        out: list[Strip] = []
        sections: dict[str, tuple[int, int, str]] = {}
        line_width = max(width, self.line_width(fallback=3))  # each line as wide as Textual draws it

        def strip(segments: list[Segment]) -> Strip:
            return exact_strip(segments, line_width, base)

        def add(name: str, text: Text, gap: bool = True) -> None:
            start = len(out)
            for line in text.wrap(console, width, overflow="fold", no_wrap=False):
                line.rstrip_end(width)
                if line.spans:
                    out.append(strip(list(line.render(console))))
                else:  # Rich renders a line without spans unstyled
                    out.append(strip([Segment(line.plain, line.style)]))
            sections[name] = (start, len(out), text.plain)
            if gap:
                out.append(Strip.blank(line_width, base))

        def marked(plain: str, style: Style) -> Text:
            text = Text(plain, style=base + style, end="")
            for a, b in match_spans(plain, words):
                text.stylize(styles["detail--match"], a, b)
            return text

        if paper is None:
            add("title", Text("Nothing to show", style=base + styles["detail--title"]))
            return out, sections
        st = st or PaperState()
        add("title", marked(clean(paper.title) or "(untitled)", styles["detail--title"]))
        meta = Text(style=base, end="")
        indent = LABEL_WIDTH if width >= 3 * LABEL_WIDTH else 0  # too narrow: wrapped lines start at the edge
        for i, (label, value) in enumerate(meta_parts(paper, st)):
            if i:
                meta.append("\n")
            meta.append(f"{label:<{LABEL_WIDTH}}", styles["detail--label"])
            if not indent:
                meta.append(value)
                continue
            for j, line in enumerate(Text(value).wrap(console, width - indent, overflow="fold")):
                if j:
                    meta.append("\n" + " " * indent)
                meta.append(line.plain.rstrip(" "))
        add("meta", meta)
        if st.tags:
            add("tags", self._chips(unique_tags(st.tags), width, base + styles["detail--tag"]))  # NLP and nlp are one tag
        note = clean(st.note, keep_newlines=True)
        if note.strip():
            add("note-label", Text("Note", style=base + styles["detail--note-label"]), gap=False)
            start = len(out)
            out.extend(self._note_lines(note, width, line_width))
            sections["note"] = (start, len(out), note)
            out.append(Strip.blank(line_width, base))
        abstract = clean(paper.abstract, keep_newlines=True)
        if abstract:
            add("abstract", marked(abstract, Style()))
        else:
            where = f" in {clean(paper.source_file)}" if paper.source_file else ""
            look = "; R looks it up" if paper.arxiv_id else ""
            add("abstract", Text(f"No abstract{where}{look}.", style=base + styles["detail--muted"]))
        return out, sections
