"""A user's note in CSL-JSON and RIS: written as typed (no "Note: " label that other tools
show) unless reader's import would read its first line as an old export's journal
reference, which it does only for a preprint; every note comes back as it was."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.citations import Annotation, render
from reader.cli import main
from reader.model import Paper
from reader.sources.csljson import parse_csl_json
from reader.sources.ris import parse_ris

PUBLISHED = Paper(key="t:pub", title="Noted paper", authors=["Eve Eps"], entry_type="article-journal",
                  journal="J Notes", volume="6", published="2020-05", journal_date="2020-05")
PUBLISHED_ARXIV = Paper(key="2401.00008", arxiv_id="2401.00008", title="Published preprint", authors=["A B"],
                        entry_type="article-journal", journal="J", volume="1", published="2024", journal_date="2024")
PREPRINT = Paper(key="2401.00009", arxiv_id="2401.00009", title="T", authors=["A B"], published="2024")
NO_ARXIV = Paper(key="t:plain", title="Plain", authors=["A B"], published="2024")
REFERENCE_LIKE = "Phys. Rev. D 12, 345 (2024)"


def test_a_published_papers_note_is_written_as_typed(paths, capsys):
    from reader.storage.store import Store
    from reader.triage import Triage

    store = Store(paths)
    store.import_papers([PUBLISHED])
    triage = Triage(store, background=False)
    triage.set_note(PUBLISHED.key, REFERENCE_LIKE)
    triage.close()
    assert main(["export", "--format", "csl-json", "--with-notes"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["note"] == REFERENCE_LIKE  # was "Note: Phys. Rev. D ..."
    assert main(["export", "--format", "ris", "--with-notes"]) == 0
    assert f"N1  - {REFERENCE_LIKE}" in capsys.readouterr().out.splitlines()


def test_only_a_preprints_reference_like_note_is_labelled():
    for paper in (PUBLISHED, PUBLISHED_ARXIV, NO_ARXIV):
        assert json.loads(render([(paper, "k")], "csl-json", [Annotation(REFERENCE_LIKE)]))[0]["note"] == REFERENCE_LIKE
    assert json.loads(render([(PREPRINT, "k")], "csl-json", [Annotation(REFERENCE_LIKE)]))[0]["note"] == "Note: " + REFERENCE_LIKE
    ref = Paper(**{**PREPRINT.to_dict(), "journal_ref": "Nature 1, 2 (2024)"})  # the labelled reference comes first
    assert json.loads(render([(ref, "k")], "csl-json", [Annotation(REFERENCE_LIKE)]))[0]["note"].endswith("\n" + REFERENCE_LIKE)


_BITS = st.sampled_from(["NeurIPS", "2023", "Phys.", "Rev.", "D", "12,", "(2024)", "doi:10.1/x", "Note:", "Note: Note:",
                         "Journal reference:", "in", "read", "\n", " ", "ICML"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_BITS, min_size=1, max_size=8).map(" ".join),
       st.sampled_from([PUBLISHED, PUBLISHED_ARXIV, PREPRINT, NO_ARXIV]))
def test_every_note_comes_back_from_csl_json_and_ris(note, paper):
    from reader.text import clean, strip_controls

    typed = strip_controls(note).strip("\n")
    if not typed.strip() or any(line.strip().startswith("Journal reference:") for line in typed.splitlines()):
        return  # nothing to keep; a line with arXiv's label is the reference (test_s7_citations)
    for fmt, parse in (("csl-json", parse_csl_json), ("ris", parse_ris)):
        parsed = parse(render([(paper, "k")], fmt, [Annotation(note)]))
        marks = {p.key: a.note for p, a in parsed.marks}
        want = clean(typed, keep_newlines=True).strip() if fmt == "csl-json" else " ".join(typed.split())
        want = "\n".join(line for line in want.splitlines())
        got = marks.get(parsed[0].key, "")
        assert " ".join(got.split()) == " ".join(want.split()), (fmt, note, got)
        assert parsed[0].journal_ref == "", (fmt, note)
