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
    papers = parse_text("\n".join(parts))
    for p in papers:
        assert p.title and "\x1b" not in p.title and "\x00" not in p.title


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes_only_input_error(data):
    try:
        text = decode_bytes(data, "fuzz.bin")
    except InputError:
        return
    parse_text(text)


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
