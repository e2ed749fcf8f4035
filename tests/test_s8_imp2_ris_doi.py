"""RIS records that give their DOI only as a doi.org link in UR, or in M3 (EndNote), have
that DOI, so they match the same paper already in the library (trial 10 #16)."""

from __future__ import annotations

import pytest

from reader.cli import main
from reader.parsers import parse_text

BIB = """@article{lecun2015,
  title = {Deep Learning},
  author = {LeCun, Yann},
  journal = {Nature},
  year = {2015},
  doi = {10.1038/nature14539}
}
"""


@pytest.mark.parametrize("tag", ["UR  - https://doi.org/10.1038/nature14539", "UR  - http://dx.doi.org/10.1038/nature14539",
                                 "M3  - doi: 10.1038/nature14539", "M3  - 10.1038/nature14539"])
def test_a_doi_in_ur_or_m3_is_the_doi_and_matches_the_library(paths, capsys, tag):
    bib = paths.data_dir.parent / "a.bib"
    bib.write_text(BIB)
    ris = paths.data_dir.parent / "b.ris"
    ris.write_text(f"TY  - JOUR\nTI  - Deep learning: a review\n{tag}\nER  - \n")
    (paper,) = parse_text(ris.read_text(), "b.ris")
    assert paper.doi == "10.1038/nature14539"
    assert main(["import", "--no-resolve", str(bib), str(ris)]) == 0
    assert "b.ris: 1 paper read, 0 new, 1 already in the library" in capsys.readouterr().out


def test_a_url_that_is_not_a_doi_link_gives_no_doi():
    (paper,) = parse_text("TY  - JOUR\nTI  - X\nUR  - https://example.com/10.1000/x\nER  - \n", "b.ris")
    assert paper.doi == ""
