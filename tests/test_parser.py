"""The Hugging Face page parser: the shipped sample, every page variant, bad input, fuzzing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.parsers import InputError, parse_file, parse_text
from reader.parsers.decode import decode_bytes
from reader.text import normalize_title

from .conftest import FIXTURES, SAMPLE

# CI checks out the repo with a copy of shared/ beside it (../shared); READER_SHARED_DIR overrides
SHARED = Path(os.environ.get("READER_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared") / "data" / "hf-trending-papers.txt"


def expected_sample_titles() -> list[str]:
    """Independent reading of the sample: after the 5 chrome lines, title/abstract alternate."""
    lines = [ln for ln in SAMPLE.read_text().splitlines() if ln.strip()]
    body = lines[5:]
    return body[0::2]


def test_sample_parses_to_exactly_its_52_papers():
    papers = parse_file(SAMPLE)
    assert len(papers) == 52
    assert [p.title for p in papers] == expected_sample_titles()
    assert all(len(p.abstract) > 1000 for p in papers)
    assert len({p.key for p in papers}) == 52


def test_shipped_sample_is_the_shared_file():
    if not SHARED.exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI: {SHARED} is missing (shared/ must be beside the checkout)")
        pytest.skip(f"{SHARED} not found (shared/ not beside the checkout)")
    assert SAMPLE.read_bytes() == SHARED.read_bytes()


def test_trending_page_lists_each_paper_once_with_metadata():
    papers = parse_file(FIXTURES / "trending_page.txt")
    assert [p.title for p in papers] == [
        "[Re] Reproducing Attention Is All You Need",
        "$\\infty$-Diff: Infinite Resolution Diffusion with Subsampled Mollified States",
    ]
    re_, inf = papers
    assert re_.organisation == "Google DeepMind"
    assert re_.published == "2026-10-04"
    assert re_.upvotes == 142
    assert re_.github_stars == 3290
    assert inf.upvotes == 57 and inf.organisation == "University of Oxford"
    assert inf.abstract.startswith("This paper introduces")


def test_daily_page_counts_wrapped_titles_missing_and_one_line_abstracts():
    papers = parse_file(FIXTURES / "daily_page.txt")
    assert [p.title for p in papers] == [
        "Gödel Agent: A Self-Referential Framework for Agents Recursively Self-Improving",
        "A Tiny Paper Whose Abstract Is Missing",
        "An Entry With Only a One-Line Summary",
    ]
    godel, tiny, summary = papers
    assert godel.upvotes == 101 and godel.organisation == "Peking University"
    assert godel.published == "2025-02-27" and godel.comments == 3
    assert tiny.abstract == "" and tiny.upvotes is None and tiny.listing_date == "May 29"
    assert summary.abstract == "The paper shows that short summaries are enough for triage."


def test_crlf_and_trailing_spaces():
    (paper,) = parse_file(FIXTURES / "crlf_page.txt")
    assert paper.title == "CRLF Title With Trailing Spaces"
    assert paper.abstract.endswith("keep the abstract whole.")


def test_latin1_file_is_decoded():
    (paper,) = parse_file(FIXTURES / "latin1_page.txt")
    assert paper.title == "Café Society: A Latin-1 Title"


@pytest.mark.parametrize(
    "name, problem",
    [
        ("binary.png", "binary"),
        ("empty.txt", "empty"),
        ("no_papers.txt", "no papers"),
        ("bad_encoding.txt", "not UTF-8"),
        ("does-not-exist.txt", "no such file"),
    ],
)
def test_bad_inputs_raise_one_clear_error(name, problem):
    with pytest.raises(InputError) as info:
        parse_file(FIXTURES / name)
    message = str(info.value)
    assert name in message and problem in message and "\n" not in message


def test_directory_is_refused():
    with pytest.raises(InputError, match="is a directory"):
        parse_file(FIXTURES)


def test_titles_keep_every_character_and_duplicates_merge():
    text = (
        "[CLS] Tokens: x [/] y and [b]bold[/b]\n\n" + "A" * 250 + ".\n\n"
        "Gödel\n\n" + "B" * 250 + ".\n\n"
        "[CLS] Tokens: x [/] y and [b]bold[/b]\n\n" + "A" * 260 + ".\n"
    )
    papers = parse_text(text)
    assert [p.title for p in papers] == ["[CLS] Tokens: x [/] y and [b]bold[/b]", "Gödel"]
    assert len(papers[0].abstract) == 261  # the longer copy wins


def test_control_characters_are_stripped_from_titles():
    text = "Evil \x1b]52;c;aGk=\x07Title\x1b[31m Red\x07\n\n" + "x " * 150 + "\n"
    (paper,) = parse_text(text)
    assert paper.title == "Evil Title Red"


def test_normalize_title_matches_latex_stripped_variants():
    assert normalize_title("$\\infty$-Diff: Infinite") == normalize_title("-Diff: infinite")
    assert normalize_title("Self-Attention, Revisited!") == normalize_title("self attention revisited")
    assert normalize_title("Gödel") == normalize_title("Godel")


# -- fuzzing: nothing but InputError ever escapes --------------------------------------

chrome = st.sampled_from(
    ["new", "Subscribe", "Daily", "Upvote", "42", "-", "·", "Mar 12", "Submitted by", "GitHub 3.2k",
     "arXiv Page", "7 authors", "Org · Published on Oct 4, 2026", "[/", "[Re] x", "\x00", "\x1b[2J"]
)
lines = st.lists(st.one_of(chrome, st.text(max_size=300)), max_size=60)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(lines)
def test_fuzz_parse_text_never_crashes(parts):
    try:
        papers = parse_text("\n".join(parts))
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    for p in papers:
        assert p.title and "\x1b" not in p.title and "\x00" not in p.title


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes_only_input_error(data):
    try:
        parse_text(decode_bytes(data, "fuzz.bin"), "fuzz.bin")
    except InputError as exc:
        assert str(exc).startswith("fuzz.bin: ") and "\n" not in str(exc)


def test_huge_line_and_repeated_chrome(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Subscribe\n" * 50_000 + "T" * 1_000_000 + "\n")
    with pytest.raises(InputError, match="no papers"):
        parse_file(path)


def test_parse_time_is_roughly_linear(tmp_path):
    """Compare the work at two sizes (no timed assertion: a ratio of operation counts)."""
    import time

    block = SAMPLE.read_text()
    small = block * 20
    large = block * 80
    t0 = time.perf_counter()
    n_small = len(parse_text(small))
    t1 = time.perf_counter()
    n_large = len(parse_text(large))
    t2 = time.perf_counter()
    assert n_small == n_large == 52  # duplicates merge
    ratio = (t2 - t1) / max(t1 - t0, 1e-6)
    assert ratio < 12, f"4x the input took {ratio:.1f}x the time"


# -- page variants seen in the field trial (issue 10 §2) -------------------------------

def sample_cards() -> list[tuple[str, str]]:
    body = expected_sample_body()
    return [(body[i], body[i + 1]) for i in range(0, len(body), 2)]


def expected_sample_body() -> list[str]:
    return [ln for ln in SAMPLE.read_text().splitlines() if ln.strip()][5:]


def test_trending_page_rendering_every_card_twice():
    """The repeat puts org and date on one line ("University of Amsterdam · Mar 4, 2026"),
    cuts the abstract and shows a stale count: six papers, each with its own values."""
    papers = parse_file(FIXTURES / "trending_twice.txt")
    cards = sample_cards()[:6]
    assert [p.title for p in papers] == [t for t, _ in cards]
    assert [p.abstract for p in papers] == [a for _, a in cards]  # the full first rendering
    assert [(p.organisation, p.published, p.upvotes, p.github_stars) for p in papers] == [
        ("University of Amsterdam", "2026-03-04", 142, 1210),
        ("Purdue University", "2026-03-03", 97, None),
        ("Harvard University", "2026-02-28", 64, 312),
        ("MIT", "2026-03-01", 51, None),
        ("Max Planck Institute for Intelligent Systems", "2026-02-26", 38, 88),
        ("Southeast University", "2026-03-02", 7, None),
    ]


def test_org_and_date_line_is_metadata_not_a_paper():
    text = "Title One\n\n" + "An abstract sentence. " * 20 + "\n\nUniversity of Amsterdam · Mar 4, 2026\n"
    (paper,) = parse_text(text)
    assert paper.organisation == "University of Amsterdam" and paper.published == "2026-03-04"


def test_short_abstract_ending_in_backslash_is_an_abstract():
    papers = parse_file(FIXTURES / "short_abstract_page.txt")
    cards = sample_cards()
    assert [p.title for p in papers] == [cards[0][0], "Quantum Battery Bounds from Coherence", cards[1][0]]
    short = papers[1].abstract
    assert len(short) == 137 and short.endswith("\\")
    assert [p.abstract for p in (papers[0], papers[2])] == [cards[0][1], cards[1][1]]


def test_long_paragraph_after_an_abstract_is_not_glued_onto_it():
    papers = parse_file(FIXTURES / "long_paragraph_page.txt")
    cards = sample_cards()[2:5]
    assert [(p.title, p.abstract) for p in papers] == cards


def test_daily_page_count_line_belongs_to_the_card_after_it():
    *_, summary = parse_file(FIXTURES / "daily_page.txt")
    assert summary.upvotes == 12


def test_a_repeated_card_never_overwrites_the_first():
    card = "Same Title\n\n{abstract}\n\nOrg {n} · Published on Mar {n}, 2026\nUpvote\n{n}\n\n"
    text = card.format(abstract="A full abstract. " * 20, n=9) + card.format(abstract="Cut…", n=3)
    (paper,) = parse_text(text)
    assert (paper.upvotes, paper.organisation, paper.published) == (9, "Org 9", "2026-03-09")
    assert paper.abstract.startswith("A full abstract.")


@pytest.mark.parametrize(
    "text, kind",
    [
        ("@article{vaswani2017attention,\n  title = {Attention Is All You Need},\n  year = {2017}\n}\n", "BibTeX"),
        ("% exported by Zotero\n\n@inproceedings{a,\n title={T}\n}\n", "BibTeX"),
        ("TY  - JOUR\nTI  - Attention Is All You Need\nER  - \n", "RIS"),
        ('[\n  {"id": "a", "title": "Attention Is All You Need"}\n]\n', "JSON"),
        ("<!DOCTYPE html>\n<html><body>Trending Papers</body></html>\n", "HTML"),
    ],
)
def test_other_formats_are_not_a_hugging_face_page(text, kind):
    from reader.parsers.hf import NotHFPage, parse_hf_page

    with pytest.raises(NotHFPage, match=kind):
        parse_hf_page(text)


def test_text_in_no_recognised_format_is_refused_with_one_line(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text(
        "Meeting notes\n\n" + "We talked about the reading group and the schedule for next term. " * 4 + "\n\n"
        + "Then we discussed which papers to read first. Everyone agreed on three of them. " * 3 + "\n\n"
        + "Finally the room booking. It is settled for Tuesdays. Snacks are on Anna. " * 3 + "\n"
    )
    with pytest.raises(InputError) as info:
        parse_file(notes)
    assert str(info.value) == f"{notes}: not a Hugging Face papers page (no cards: title, blank line, abstract)"


def test_titles_with_brackets_are_not_taken_for_json():
    (paper,) = parse_text("[Re] Attention\n\n" + "Prose. " * 40 + "\n")
    assert paper.title == "[Re] Attention"


# -- bounded memory and refusal of what no page holds (issue 11 item 10) ---------------

def test_a_line_over_one_mib_is_refused(tmp_path):
    path = tmp_path / "one-line.txt"
    path.write_text("Title\n\n" + "x" * ((1 << 20) + 1) + "\n")
    with pytest.raises(InputError, match=r"one-line.txt: a line is over 1 MiB"):
        parse_file(path)


def test_more_papers_than_a_page_lists_are_refused(tmp_path, monkeypatch):
    from reader.parsers import hf, ids

    monkeypatch.setattr(hf, "MAX_PAPERS", 100)
    monkeypatch.setattr(ids, "MAX_IDS", 100)
    page = tmp_path / "many.txt"
    page.write_text("".join(f"Paper number {i}\n\nAn abstract of paper {i}. " + "Words. " * 30 + "\n\n" for i in range(101)))
    with pytest.raises(InputError, match=r"many.txt: more than 100 papers: no copied page lists that many"):
        parse_file(page)
    listed = tmp_path / "ids.txt"
    listed.write_text("".join(f"2401.{i:05d}\n" for i in range(101)))
    with pytest.raises(InputError, match=r"ids.txt: more than 100 arXiv ids"):
        parse_file(listed)
    page.write_text("".join(f"Paper number {i}\n\nAn abstract. " + "Words. " * 30 + "\n\n" for i in range(100)))
    assert len(parse_file(page)) == 100


def _peak(path) -> int:
    import tracemalloc

    tracemalloc.start()
    try:
        parse_file(path)
    except InputError:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_parsing_memory_does_not_grow_with_the_input(tmp_path):
    """Peak memory at 4x the input stays flat when the output does not grow: the file is
    streamed, never held whole (a repeated page; a page of chrome and page prose)."""
    sample = SAMPLE.read_text()
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text(sample * 20)
    large.write_text(sample * 80)
    p_small, p_large = _peak(small), _peak(large)
    assert p_large < p_small * 1.3 + 200_000, (p_small, p_large)
    assert p_large < large.stat().st_size / 2  # far below the file's size
    junk = "Subscribe\n\n" + ("Page prose that is no title. " * 40 + "\n\n") * 500
    small.write_text(junk)
    large.write_text(junk * 4)
    assert _peak(large) < _peak(small) * 1.3 + 200_000


def test_standard_input_is_read(monkeypatch):
    import io
    import sys

    data = SAMPLE.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    papers = parse_file("-")
    assert [p.title for p in papers] == expected_sample_titles()
    assert {p.source_file for p in papers} == {"stdin"}
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\n\n")))
    with pytest.raises(InputError, match=r"^<stdin>: file is empty$"):
        parse_file("-")


def test_latin1_detected_late_in_a_long_file(tmp_path):
    path = tmp_path / "late.txt"
    path.write_bytes(SAMPLE.read_bytes() + b"\n\nCaf\xe9 Society\n\n" + b"An abstract. " * 30 + b"\n")
    papers = parse_file(path)
    assert len(papers) == 53 and papers[-1].title == "Café Society"


@pytest.mark.parametrize("layout", ["no blank lines", "hard-wrapped at 72"])
def test_sample_copied_without_blank_lines_or_hard_wrapped(layout):
    import textwrap

    lines = [ln for ln in SAMPLE.read_text().splitlines() if ln.strip()]
    if layout == "no blank lines":
        text = "\n".join(lines)
    else:
        text = "\n\n".join("\n".join(textwrap.wrap(ln, 72, break_on_hyphens=False, break_long_words=False)) for ln in lines)
    papers = parse_text(text)
    want = parse_file(SAMPLE)
    assert [(p.title, p.abstract) for p in papers] == [(p.title, p.abstract) for p in want]


ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["README.md", "pyproject.toml", "tests/test_parser.py", "reader/cli/__init__.py", ".gitignore"])
def test_files_of_no_recognised_format_are_never_turned_into_papers(name):
    """Markdown, TOML, Python, ignore lists: refused in one line, not junk papers (this
    file itself holds page snippets; its titles would be code)."""
    with pytest.raises(InputError) as info:
        parse_file(ROOT / name)
    assert str(info.value).endswith(": not a Hugging Face papers page (no cards: title, blank line, abstract)")


def test_a_page_of_cards_without_any_chrome_still_parses():
    """A selection of a few cards (no header, no metadata) is still a page."""
    cards = sample_cards()[:3]
    papers = parse_text("\n\n".join(f"{t}\n\n{a}" for t, a in cards))
    assert [(p.title, p.abstract) for p in papers] == cards


def test_a_paragraph_over_one_mib_is_refused(tmp_path):
    """200 MB of title lines without blank lines is one endless paragraph: refused early."""
    path = tmp_path / "titles.txt"
    path.write_text("".join(f"A Study of Things Number {i}\n" for i in range(60_000)))
    with pytest.raises(InputError, match=r"titles.txt: a paragraph is over 1 MiB"):
        parse_file(path)
