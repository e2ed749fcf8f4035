"""Lists of arXiv ids as people write them (trial 10 #2, #17): arXiv DOIs, doi.org links,
Markdown bullets and autolinks, an id followed by its title or a comment, a version cut
off. A line that is not an id is skipped and said with its line, never made a junk paper,
and the other ids are kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.parsers import parse_text

FORMS = {
    "https://doi.org/10.48550/arXiv.2401.04088": "2401.04088",
    "10.48550/arXiv.2310.06825": "2310.06825",
    "doi:10.48550/arXiv.2305.10601v2": "2305.10601",
    "2403.00004 - a great paper": "2403.00004",
    "2401.04088 Mixtral of Experts": "2401.04088",
    "- 2403.00005": "2403.00005",
    "* arXiv:2403.00010": "2403.00010",
    "1. 2403.00011": "2403.00011",
    "<https://arxiv.org/abs/2403.00007>": "2403.00007",
    "2403.99999v": "2403.99999",
}


@pytest.mark.parametrize("line", FORMS)
def test_each_form_is_an_arxiv_id_next_to_a_plain_one(line):
    papers = parse_text(f"{line}\n2307.09288\n", "ids.txt")
    assert [p.arxiv_id for p in papers] == [FORMS[line], "2307.09288"]
    assert papers.problems == []


def test_an_impossible_month_is_not_an_id_and_is_said_with_its_line():
    papers = parse_text("2401.04088\n1234.5678\n2310.06825\n", "ids.txt")
    assert [p.arxiv_id for p in papers] == ["2401.04088", "2310.06825"]
    assert papers.problems == ["line 2: not an arXiv id or URL (1234.5678), skipped"]


def test_cli_imports_a_mixed_list_with_no_junk_paper(paths, capsys):
    f = paths.data_dir.parent / "ids.txt"
    f.write_text("\n".join([*FORMS, "1234.5678", "see the slides"]) + "\n")
    assert main(["import", "--no-resolve", str(f)]) == 0
    out, err = capsys.readouterr()
    want = len(set(FORMS.values()))
    assert f"ids.txt: {want} papers read, {want} new, 0 already in the library, 2 entries skipped" in out
    assert f"reader: {f}: line {len(FORMS) + 1}: not an arXiv id or URL (1234.5678), skipped" in err


_ID = st.builds(lambda y, m, n: f"{y:02d}{m:02d}.{n:05d}", st.integers(7, 26), st.integers(1, 12), st.integers(0, 99999))
_FORM = st.sampled_from(["{}", "- {}", "https://doi.org/10.48550/arXiv.{}", "{} Some Title", "<https://arxiv.org/abs/{}>",
                         "10.48550/arXiv.{}", "arXiv:{}v", "[{}]"])
_JUNK = st.text(st.sampled_from("abc XYZ-:"), min_size=1, max_size=30).filter(lambda t: t.strip() and t.strip()[0] not in "-")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_FORM, _ID), min_size=2, max_size=12, unique_by=lambda x: x[1]), st.lists(_JUNK, max_size=1))
def test_fuzz_ids_in_any_form_are_all_kept_and_junk_is_said(items, junk):
    lines = [form.format(i) for form, i in items] + junk
    papers = parse_text("\n".join(lines) + "\n", "ids.txt")
    assert [p.arxiv_id for p in papers] == [i for _form, i in items]
    assert len(papers.problems) == len(junk)
