"""Reports (technical reports, an institution as publisher, a number) cited as citeproc-js
cites them (tests/fixtures/citeproc: the corpus's report items), and in the machine formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.citations import render
from reader.cli import main
from reader.model import Paper

HERE = Path(__file__).parent / "fixtures" / "citeproc"
REFERENCE = json.loads((HERE / "reference.json").read_text())["items"]
REPORTS = {c["cite_key"]: Paper.from_dict(c["paper"]) for c in json.loads((HERE / "corpus.json").read_text())
           if c["paper"].get("entry_type") == "report"}


def test_the_corpus_has_reports_of_each_kind():
    assert len(REPORTS) >= 5
    assert any(p.publisher and p.issue for p in REPORTS.values())  # institution as publisher, a number
    assert any(p.journal and not p.publisher for p in REPORTS.values())  # BibTeX's institution, kept as the venue
    assert any(not p.issue for p in REPORTS.values()) and any(not p.authors for p in REPORTS.values())


@pytest.mark.parametrize("key", ["nist2021report", "zeta2019techreport", "anon2017report"])
def test_reader_cite_prints_a_report_as_citeproc_js(paths, capsys, key):
    from reader.storage.store import Store

    Store(paths).import_papers([REPORTS[key]])
    for style in ("apa", "chicago", "mla"):
        assert main(["cite", REPORTS[key].key, "--format", style]) == 0
        assert " ".join(capsys.readouterr().out.split()) == REFERENCE[key][style]


def test_a_report_in_csl_json_bibtex_and_ris():
    nist, bib_style = REPORTS["nist2021report"], REPORTS["zeta2019techreport"]
    item = json.loads(render([(nist, "k")], "csl-json"))[0]
    assert (item["type"], item["publisher"], item["number"]) == ("report", "National Institute of Standards and Technology", "NIST IR 8000")
    assert "issue" not in item and "container-title" not in item
    item = json.loads(render([(bib_style, "k")], "csl-json"))[0]
    assert item["publisher"] == "Stanford University" and "container-title" not in item
    for paper, inst in ((nist, "National Institute of Standards and Technology"), (bib_style, "Stanford University")):
        bib = render([(paper, "k")], "bibtex")
        assert bib.startswith("@techreport{") and f"institution = {{{inst}}}" in bib and "publisher" not in bib
        assert f"PB  - {inst}" in render([(paper, "k")], "ris")
