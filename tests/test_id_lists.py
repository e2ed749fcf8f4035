"""Lists of arXiv ids as people paste them: several on a line, in brackets, with a
heading; never read as a copied page (which made papers titled with the ids)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.parsers import parse_text

IDS = ["2401.00001", "2401.00002", "2312.12345", "hep-th/9901001"]
FORMS = ["{}", "arXiv:{}", "arXiv: {}", "{}v2", "https://arxiv.org/abs/{}", "https://arxiv.org/pdf/{}.pdf",
         "https://arxiv.org/pdf/{}v3", "https://arxiv.org/html/{}v1", "arxiv.org/abs/{}", "<https://arxiv.org/abs/{}>",
         "[{}]", "({})", '"{}"', "{}.", "https://huggingface.co/papers/{}", "https://www.alphaxiv.org/abs/{}"]


@given(st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(FORMS)), min_size=1, max_size=8),
       st.sampled_from(["\n", ", ", "; ", "\t", " | ", " "]))
def test_any_mix_of_forms_and_separators_reads_as_the_ids(items, sep):
    text = sep.join(form.format(i) for i, form in items) + "\n"
    papers = parse_text(text, "ids.txt")
    assert [p.arxiv_id for p in papers] == list(dict.fromkeys(i for i, _ in items))
    assert not papers.problems and all(p.title == f"arXiv:{p.arxiv_id}" for p in papers)


def test_a_heading_is_one_line_skipped_not_the_list_read_as_a_page():
    papers = parse_text("Papers to read:\n2401.00001\n2401.00002\n2401.00003\n2401.00004\n", "ids.txt")
    assert [p.arxiv_id for p in papers] == ["2401.00001", "2401.00002", "2401.00003", "2401.00004"]
    assert papers.problems == ["line 1: not an arXiv id or URL (Papers to read:), skipped"]
