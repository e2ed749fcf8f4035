"""The paper record and its never-changing key.

A :class:`Paper` is what the library knows about a paper (metadata that comes
from imports and resolution). The user's own marks live in
:class:`reader.state.PaperState`, in a separate file, so toggling a star never
rewrites the library.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, fields, replace

from reader.text import clean, normalize_title

_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
# a container or publisher that names a preprint server: no published version
PREPRINT_VENUES = re.compile(r"^(?:arxiv\b.*|corr|.*\bpreprint\b.*|biorxiv|medrxiv|ssrn)$", re.I)
_ARXIV_FULL = re.compile(rf"^(?:arxiv:)?(?P<id>{_NEW_ID}|{_OLD_ID})(?P<version>v\d+)?$", re.I)


def split_arxiv_id(text: str) -> tuple[str, str] | None:
    """``"arXiv:2401.01234v2"`` -> ``("2401.01234", "v2")``; None if not an id."""
    m = _ARXIV_FULL.match(text.strip())
    if not m:
        return None
    return m.group("id"), m.group("version") or ""


def preprint_venue(text: str) -> bool:
    """``text`` (a journal or publisher) is a preprint server, not a venue: "arXiv", "CoRR"."""
    return bool(PREPRINT_VENUES.match(text.strip()))


def placeholder_title(arxiv_id: str) -> str:
    return f"arXiv:{arxiv_id}"


def title_key(title: str) -> str:
    return norm_key(normalize_title(title))


def norm_key(norm: str) -> str:
    """The key of a title-only paper, from its normalized title."""
    return "t:" + hashlib.blake2b(norm.encode(), digest_size=8).hexdigest()


# -- the keys that earlier title normalizations gave ----------------------------------
# A title-keyed paper keeps the key it was given at its first import. When normalization
# changes, a paper still in the library is found by its re-hashed title (the catalogue's
# NORMS), but the marks of one purged before are left under the old key: an import that
# gives the paper a new key looks there too (:meth:`reader.storage.store.Store.import_papers`).
_V1_TEX_COMMAND = re.compile(r"\\[a-zA-Z]+\*?|\\.")
_V1_NON_WORD = re.compile(r"[^\w\s]+")
_V1_WS = re.compile(r"\s+")


def normalize_title_v1(title: str) -> str:
    """:func:`reader.text.normalize_title` as it was before TeX math was read as its Unicode
    form (the catalogue's NORMS 1): math commands dropped like any TeX command, so
    "$\\alpha$-Nets" was "nets". Frozen: it must give the keys it gave then, whatever
    the current normalization becomes."""
    text = unicodedata.normalize("NFKC", clean(title))
    text = _V1_TEX_COMMAND.sub(" ", text).replace("_", " ")
    text = _V1_NON_WORD.sub(" ", text.casefold())
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _V1_WS.sub(" ", text).strip()


def legacy_key(paper: Paper, key: str) -> str:
    """The key that NORMS 1 gave the title-keyed paper that gets ``key`` now (a ``t:`` key,
    or a ``w:`` key from :func:`distinct_key`); "" when it is the same (only a title
    with ``$`` normalizes differently) or ``key`` is not title-made."""
    if not key.startswith(("t:", "w:")) or "$" not in (paper.title + "".join(paper.authors) if key[0] == "w" else paper.title):
        return ""
    norm = normalize_title_v1(paper.title)
    if key.startswith("t:"):
        old = norm_key(norm)
    else:
        words = {w for a in paper.authors for w in normalize_title_v1(a).split() if len(w) > 1}
        old = "w:" + norm_key(norm + "\x00" + (paper.doi.lower() or ";".join(sorted(words)) or paper.url))[2:]
    return "" if old == key else old


def paper_key(arxiv_id: str | None, title: str) -> str:
    """The internal key given at first import. It never changes afterwards."""
    if arxiv_id:
        parts = split_arxiv_id(arxiv_id)
        return parts[0] if parts else arxiv_id
    return title_key(title)


@dataclass(slots=True)
class Paper:
    """What the library knows about one work.

    ``authors`` are strings. A plain name is written "Given Family" ("Ashish Vaswani").
    A name with a particle, a suffix or an ambiguous split is written in BibTeX's comma
    form, which keeps every part: "van der Waals, Johannes", "Steele, Jr., Guy L."
    (lowercase words ending the given part are a dropping particle: "Beethoven, Ludwig van").
    A corporate or single-part name that must never be split is wrapped in braces:
    "{World Health Organization}". :mod:`reader.citations.names` parses all three forms.
    ``editors`` (of a book, or of a chapter's book) are written the same way.
    """

    key: str
    title: str
    # the title as TeX when the source said more than ``title`` holds: a BibTeX file's own
    # value (its case-protecting braces, "The {BERT} Model for {L}atin"), or a plain-text
    # title's literal braces written as TeX. Citations use it while it still reads as
    # ``title`` (see reader.citations.metadata.tex_title); "" for most papers.
    title_tex: str = ""
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    arxiv_id: str = ""  # without version
    arxiv_version: str = ""
    published: str = ""  # ISO date when known (YYYY-MM-DD or YYYY-MM)
    updated: str = ""
    listing_date: str = ""  # as the page said it ("May 29"), when no year is known
    url: str = ""
    organisation: str = ""
    upvotes: int | None = None
    comments: int | None = None
    github_url: str = ""
    github_stars: int | None = None
    primary_category: str = ""
    doi: str = ""
    journal_ref: str = ""  # arXiv's free-text journal reference
    # the published version (from Crossref, BibTeX, CSL-JSON, RIS, feeds); empty for a preprint
    entry_type: str = ""  # CSL item type ("article-journal", "paper-conference", ...); "" = preprint
    journal: str = ""  # container title: journal, proceedings or book
    volume: str = ""
    issue: str = ""
    pages: str = ""
    publisher: str = ""
    journal_date: str = ""  # ISO date of the published version (YYYY, YYYY-MM or YYYY-MM-DD)
    genre: str = ""  # a thesis's kind, CSL's genre: "Doctoral dissertation", "Master's thesis"
    place: str = ""  # the publisher's place: BibTeX address, biblatex location, CSL publisher-place, RIS CY
    source_file: str = ""
    added_at: str = ""
    edited: list[str] = field(default_factory=list)  # fields the user edited by hand

    @property
    def year(self) -> str:
        return self.published[:4] if self.published[:4].isdigit() else ""

    @property
    def norm_title(self) -> str:
        return normalize_title(self.title)

    def to_dict(self) -> dict:
        out = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if value is None or value == "" or value == []:
                continue
            out[name] = list(value) if isinstance(value, list) else value
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Paper:
        if data.keys() <= _FIELD_SET:
            return cls(**data)
        return cls(**{k: v for k, v in data.items() if k in _FIELD_SET})

    def merge(self, other: Paper) -> bool:
        """Fill this paper with what ``other`` knows. The key never changes;
        fields the user edited are never overwritten. Returns True if anything changed."""
        changed = False
        if other.journal and not self.journal and not preprint_venue(other.journal):
            changed = self._take_venue(other)
        for f in fields(self):
            name = f.name
            if name in ("key", "added_at", "edited", "source_file") or name in self.edited:
                continue
            new = getattr(other, name)
            if new in ("", None, []):
                continue
            old = getattr(self, name)
            if name == "title" and self.arxiv_id and old == placeholder_title(self.arxiv_id):
                old = ""  # imported from a bare id: the real title replaces the placeholder
            # counts (upvotes, stars) move; longer abstracts win; missing fields fill
            if old in ("", None, []) or (
                name in ("upvotes", "github_stars", "comments") and new != old
            ) or (name == "abstract" and len(new) > len(old)):
                setattr(self, name, new)
                changed = changed or new != old
        if preprint_venue(self.publisher) and "publisher" not in self.edited and (self.journal or self.entry_type):
            self.publisher = ""  # "arXiv" never publishes a paper of a real venue
            if not self.journal and "entry_type" not in self.edited:
                self.entry_type = ""  # nor makes a preprint a journal article (as stored before)
            changed = True
        return changed

    def _take_venue(self, other: Paper) -> bool:
        """A preprint record meets its published version: the venue's type, publisher and
        date replace the preprint's (a preprint stored as a journal article "published by arXiv")."""
        changed = False
        for name in ("entry_type", "publisher", "journal_date"):
            new = getattr(other, name)
            if name in self.edited or not new or getattr(self, name) == new:
                continue
            setattr(self, name, new)
            changed = True
        return changed


_FIELD_NAMES = tuple(f.name for f in fields(Paper))
_FIELD_SET = frozenset(_FIELD_NAMES)


def _mend(text: str) -> str:
    """A lone surrogate (cannot be UTF-8) made U+FFFD; a pair of them, one character."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def mend_text(paper: Paper) -> Paper:
    """``paper`` with every text field storable as UTF-8 (see :func:`_mend`)."""
    changes = {}
    for f in fields(paper):
        value = getattr(paper, f.name)
        if isinstance(value, str):
            changes[f.name] = _mend(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            changes[f.name] = [_mend(v) for v in value]
    return replace(paper, **changes)


def _name_words(authors: list[str]) -> set[str]:
    """The words of the authors' names (two letters or more, normalized as titles are):
    "A. Vaswani", "Vaswani, Ashish" and "Ashish Vaswani" share "vaswani"."""
    return {w for a in authors for w in normalize_title(a).split() if len(w) > 1}


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})


def family_name(author: str) -> str:
    """The last word of an author's family name, normalized as titles are: "Vaswani, Ashish",
    "Ashish Vaswani", "A. Vaswani" and "Vaswani A" give "vaswani"; "van Beethoven, Ludwig"
    and "Ludwig van Beethoven" give "beethoven"; "Guy L. Steele Jr." gives "steele"."""
    family, comma, _given = author.partition(",")
    words = normalize_title(family).split()
    if not comma:
        while len(words) > 1 and (words[-1] in _SUFFIXES or len(words[-1]) == 1):  # "Jr.", "Vaswani A"
            words.pop()
    return words[-1] if words else ""


_NOT_NAMES = frozenset({"others", "al"})  # BibTeX's "and others", "et al.": more authors, no one named


def _families(authors: list[str]) -> list[str]:
    return [f for f in map(family_name, authors) if f and f not in _NOT_NAMES]


def different_works(a: Paper, b: Paper) -> bool:
    """Two records whose titles match, known to be two works: both have a DOI and they
    differ, or both an arXiv id and they differ, or both authors and neither the first
    author nor half of the shorter list of authors in common, by family name (journals'
    "Correction", "Editorial"; LeCun, Bengio and Hinton's "Deep learning" and Goodfellow,
    Bengio and Courville's). Given names do not count: two Andrews are not one author.
    When in doubt they are one paper only if an author leads both lists."""
    if a.doi and b.doi and a.doi.lower() != b.doi.lower():
        return True
    if a.arxiv_id and b.arxiv_id and a.arxiv_id != b.arxiv_id:
        return True
    if a.authors and b.authors:
        families_a, families_b = _families(a.authors), _families(b.authors)
        if not families_a or not families_b or families_a[0] == families_b[0]:
            return False
        shared = len(set(families_a) & set(families_b))
        return 2 * shared < min(len(set(families_a)), len(set(families_b)))
    return False


def distinct_key(paper: Paper) -> str:
    """A key for a title-keyed paper whose title another work already has: from the
    title and what tells it apart (DOI, else authors, else link), so importing the same
    record again finds it."""
    tell = paper.doi.lower() or ";".join(sorted(_name_words(paper.authors))) or paper.url
    return "w:" + norm_key(normalize_title(paper.title) + "\x00" + tell)[2:]
