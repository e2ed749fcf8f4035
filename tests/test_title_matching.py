"""A title written with TeX math and the same title written in Unicode are one paper:
HF pages and arXiv keep ``$\\alpha$``, reader's own CSL-JSON and text exports (and other
tools) write α; importing one after the other made two papers."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from reader.citations.tex import tex_to_unicode
from reader.cli import main
from reader.model import Paper, title_key
from reader.storage.catalogue import NORMS
from reader.storage.store import Store
from reader.text import normalize_title

_PIECES = ["Attention", "über", "$\\alpha$", "$\\Omega$-decay", "$x_1^2$", "$\\ell_2$", "$O(n \\log n)$",
           "$\\mathcal{L}$", "$x_{ij}$", "$\\varphi$", "$\\infty$", "$n^{-1}$", "Self-Attention", "$5", "$K$-means",
           "$\\mathbb{R}^n$", "$\\theta_{t+1}$", "$\\mathbf{x}_i$", "$\\text{ReLU}$", "$a^{2b}$", "{BERT}", "$\\chi^2$", "\\$100",
           "$\\hat{y}$", "$\\bar x$", "$\\tilde{\\alpha}$-net", "$\\hat{\\mathcal{L}}$", "$\\vec{v}_t$",
           "$\\mathcal{O}(\\log n)$", "$\\text{Softmax}_\\tau$", "$e^{i\\pi}+1=0$", "$\\alpha n$", "$\\log\\log n$",
           "$\\sqrt{n+1}$", "$\\min_x f$"]


@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6))
def test_tex_math_and_its_unicode_form_normalize_alike(words):
    title = " ".join(words)
    assert normalize_title(title) == normalize_title(tex_to_unicode(title))


def test_a_csl_json_export_imported_back_adds_nothing(paths, tmp_path, capsys):
    Store(paths).import_papers([
        Paper(key=title_key("Über $\\alpha$-Theorie and $x_1^2$ in TeX"), title="Über $\\alpha$-Theorie and $x_1^2$ in TeX", authors=["Kurt Gödel"], published="2020"),
        Paper(key="2401.00001", arxiv_id="2401.00001", title="$\\Omega$-nets for $K$-means"),
    ])
    out = tmp_path / "all.json"
    assert main(["export", "--format", "csl-json", "-o", str(out)]) == 0
    assert "α" in out.read_text() and "Ω" in out.read_text()
    capsys.readouterr()
    assert main(["import", "--no-resolve", str(out)]) == 0
    assert "2 papers read, 0 new, 2 already in the library" in capsys.readouterr().out


def test_a_catalogue_of_the_old_normalization_gets_its_math_titles_hashed_anew(paths):
    """Title hashes are stored; a catalogue written before titles' math was read as
    Unicode is brought up to date once, and then matches the Unicode form."""
    from reader.model import norm_key
    from reader.text import clean

    store = Store(paths)
    store.import_papers([Paper(key="t:old", title="Über $\\alpha$-Theorie"), Paper(key="t:plain", title="Plain title")])
    db = store.catalogue.db
    old_norm = norm_key(" ".join(clean("Über $\\alpha$-Theorie").replace("$", " ").split()).lower())  # any stale hash
    db.execute("UPDATE papers SET norm = ? WHERE key = 't:old'", (old_norm,))
    db.execute("UPDATE meta SET value = '1' WHERE name = 'norms'")
    plain_before = db.execute("SELECT norm FROM papers WHERE key = 't:plain'").fetchone()
    store.catalogue.close()
    again = Store(paths)
    db = again.catalogue.db
    assert db.execute("SELECT value FROM meta WHERE name = 'norms'").fetchone() == (str(NORMS),)
    assert db.execute("SELECT norm FROM papers WHERE key = 't:plain'").fetchone() == plain_before  # untouched
    result = again.import_papers([Paper(key=title_key("Über α-Theorie"), title="Über α-Theorie", abstract="now with an abstract")])
    assert (result.new, result.existing) == (0, 1)
    assert json.loads(db.execute("SELECT data FROM papers WHERE key = 't:old'").fetchone()[0])["abstract"]
    again.import_papers([Paper(key=title_key("Über α-Theorie"), title="Über α-Theorie")])  # after the merge, too
    assert again.catalogue.count() == 2


def test_math_in_titles_reads_as_text_in_citations():
    """The human-readable styles show simple TeX as Unicode: operators as words, roots,
    scripts that have no Unicode form keep their mark (and a group its parentheses)."""
    from reader.citations import render

    cases = {
        "$\\mathcal{O}(n \\log n)$ sorting with $\\beta$-trees": "O(n log n) sorting with β-trees",
        "A $\\text{Softmax}_\\tau$ study": "A Softmax_τ study",
        "Proof of $e^{i\\pi}+1=0$": "Proof of e^(iπ)+1=0",
        "Why $\\sqrt{2}$ and $\\sqrt{n+1}$": "Why √2 and √(n+1)",
        "On $\\hat{y}$ and $x_1^2$": "On ŷ and x₁²",
    }
    for title, shown in cases.items():
        apa = render([(Paper(key="t:x", title=title, authors=["Pat Poe"], published="2019"), "poe2019")], "apa")
        assert shown in apa and "\\" not in apa, apa


def test_a_catalogue_of_norms_2_gets_its_operator_titles_hashed_anew(paths):
    """Titles with \\log-style operators imported while NORMS was 2 kept hashes from before
    operators were read as words; NORMS 3 works them out again once."""
    store = Store(paths)
    store.import_papers([Paper(key="t:log", title="Sorting in $O(n \\log n)$ time")])
    db = store.catalogue.db
    db.execute("UPDATE papers SET norm = 'stale' WHERE key = 't:log'")
    db.execute("UPDATE meta SET value = '2' WHERE name = 'norms'")
    store.catalogue.close()
    again = Store(paths)
    result = again.import_papers([Paper(key=title_key("Sorting in O(n log n) time"), title="Sorting in O(n log n) time")])
    assert (result.new, result.existing) == (0, 1)
