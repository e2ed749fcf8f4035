"""Citation formats, keys, escaping, and the clipboard paths."""

from __future__ import annotations

import json
import sys
import types

import bibtexparser
import pytest

from reader import clipboard
from reader.citations import render
from reader.citations.keys import KeyAllocator, base_key
from reader.model import Paper

FULL = Paper(
    key="1706.03762", title="Attention Is All You Need", authors=["Ashish Vaswani", "Noam Shazeer", "Łukasz Kaiser"],
    arxiv_id="1706.03762", published="2017-06-12", primary_category="cs.CL",
)
OLD = Paper(key="hep-th/9901001", title="Old-style & 100% $\\infty$ {Braced} Title_x #1", authors=["Juan Maldacena"],
            arxiv_id="hep-th/9901001", published="1999-01-05", primary_category="hep-th", doi="10.1023/A:1026654312961")
BARE = Paper(key="t:1", title="Pointer Networks")
HOSTILE = Paper(key="t:2", title="[Re] x [/] y \x1b]52;c;AAAA\x07 [b]z[/b] \\", authors=["A B"], published="2020")
MANY = Paper(key="2401.00001", title="Big Team", authors=[f"Given{i} Family{i}" for i in range(25)],
             arxiv_id="2401.00001", published="2024-01-02")


def test_bibtex_arxiv_style_fields():
    text = render([(FULL, "vaswani2017attention")], "bibtex")
    assert text.startswith("@misc{vaswani2017attention,")
    for field in ["eprint = {1706.03762}", "archivePrefix = {arXiv}", "primaryClass = {cs.CL}",
                  "url = {https://arxiv.org/abs/1706.03762}", "year = {2017}"]:
        assert field in text
    assert "doi = {10.48550/arXiv.1706.03762}" in text  # arXiv's DOI for the preprint
    assert "Kaiser, {\\L}ukasz" in text


@pytest.mark.parametrize("paper", [FULL, OLD, BARE, HOSTILE, MANY])
def test_bibtex_reparses_with_bibtexparser(paper):
    text = render([(paper, "k1")], "bibtex")
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks
    (entry,) = lib.entries
    assert entry.key == "k1"
    fields = {f.key: f.value for f in entry.fields}
    if paper.arxiv_id:
        assert fields["eprint"] == paper.arxiv_id
    if paper.authors:
        assert fields["author"].count(" and ") == len(paper.authors) - 1
    else:
        assert "author" not in fields and "year" not in fields and "unknown" in fields["note"]
    assert "\x1b" not in text and "\x07" not in text


def test_bibtex_escaping_keeps_tex_and_escapes_specials():
    text = render([(OLD, "k")], "bibtex")
    assert "\\& 100\\% $\\infty$ {Braced} Title\\_x {\\#1}" in text
    # a journal DOI without the published version's details: the preprint form stays,
    # with arXiv's DOI, and the journal's goes into the note (never the preprint's year with it)
    assert "doi = {10.48550/arXiv.hep-th/9901001}" in text and "note = {doi:10.1023/A:1026654312961}" in text
    acr = render([(Paper(key="x", title="LLM See, CodeGen2 Do"), "k")], "bibtex")
    assert "{LLM} See, {CodeGen2} Do" in acr


def test_biblatex():
    text = render([(FULL, "k")], "biblatex")
    assert text.startswith("@online{k,")
    assert "eprinttype = {arxiv}" in text and "eprintclass = {cs.CL}" in text and "date = {2017-06-12}" in text


def test_apa():
    assert render([(FULL, "k")], "apa").strip() == (
        "Vaswani, A., Shazeer, N., & Kaiser, Ł. (2017). Attention Is All You Need (arXiv:1706.03762). arXiv. "
        "https://doi.org/10.48550/arXiv.1706.03762"
    )
    assert render([(BARE, "k")], "apa").strip() == "Pointer Networks. (n.d.)."
    many = render([(MANY, "k")], "apa")
    assert "Family18, G., \u2026 Family24, G." in many and "Family19" not in many


def test_mla_and_chicago():
    assert render([(FULL, "k")], "mla").strip() == (
        "Vaswani, Ashish, et al. \u201cAttention Is All You Need.\u201d arXiv:1706.03762, arXiv, 12 June 2017, "
        "https://doi.org/10.48550/arXiv.1706.03762."
    )
    assert render([(FULL, "k")], "chicago").strip() == (
        "Vaswani, Ashish, Noam Shazeer, and Łukasz Kaiser. 2017. \u201cAttention Is All You Need.\u201d "
        "arXiv:1706.03762. Preprint, arXiv, June 12. https://doi.org/10.48550/arXiv.1706.03762."
    )
    assert "n.d." in render([(BARE, "k")], "chicago")


def test_csl_json_required_fields():
    items = json.loads(render([(FULL, "a"), (BARE, "b")], "csl-json"))
    full, bare = items
    for item in items:
        assert {"id", "type", "title"} <= item.keys() and item["type"] == "article"
    assert full["publisher"] == "arXiv" and full["number"] == "arXiv:1706.03762"
    assert full["DOI"] == "10.48550/arXiv.1706.03762"
    assert full["issued"] == {"date-parts": [[2017, 6, 12]]}
    assert full["author"][0] == {"family": "Vaswani", "given": "Ashish"}
    assert "author" not in bare and "issued" not in bare


def test_ris_tag_order():
    lines = render([(FULL, "k")], "ris").strip("\n").splitlines()
    assert lines[0] == "TY  - UNPB" and lines[-1] == "ER  - "
    assert [ln for ln in lines if ln.startswith("AU")] == ["AU  - Vaswani, Ashish", "AU  - Shazeer, Noam", "AU  - Kaiser, Łukasz"]
    assert all(len(ln) >= 6 and ln[2:6] == "  - " for ln in lines)


def test_markdown_and_plain():
    assert render([(FULL, "k")], "markdown").strip() == "[Attention Is All You Need](<https://arxiv.org/abs/1706.03762>)"
    assert render([(BARE, "k")], "plain").strip() == "Pointer Networks."
    assert "\\[Re\\]" in render([(HOSTILE, "k")], "markdown")


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "apa", "mla", "chicago", "csl-json", "ris", "markdown", "plain"])
def test_no_control_characters_in_any_format(fmt):
    text = render([(HOSTILE, "k")], fmt)
    assert not any(ord(c) < 32 and c not in "\n" for c in text)


def test_keys():
    assert base_key(FULL) == "vaswani2017attention"
    assert base_key(BARE) == "pointernetworksnd"
    assert base_key(OLD) == "maldacena1999old"
    taken = {"vaswani2017attention"}
    assert KeyAllocator(set(taken)).assign(FULL) == "vaswani2017attentiona"
    assert KeyAllocator(taken | {"vaswani2017attentiona"}).assign(FULL) == "vaswani2017attentionb"


def test_keys_pinned_and_unique_across_the_library(paths):
    from reader.citations.cite import keyed
    from reader.storage.store import Store
    from reader.triage import Triage

    store = Store(paths)
    store.import_papers([Paper(key="t:a", title="Deep Learning"), Paper(key="t:b", title="Deep Learning Revisited")])
    triage = Triage(store, background=False)
    items = keyed(triage, ["t:a", "t:b"])
    assert [k for _, k in items] == ["deeplearningnd", "deeplearningnda"]
    # built from incomplete metadata (no authors/year): not pinned, it may still change
    assert not triage.state("t:a").cite_key and not triage.state("t:b").cite_key
    better = Paper(key="t:a", title="Deep Learning", authors=["Yann LeCun"], published="2015-05-28")
    store.import_papers([better])
    triage = Triage(store, background=False)
    assert [k for _, k in keyed(triage, ["t:a", "t:b"])] == ["lecun2015deep", "deeplearningnd"]
    assert triage.state("t:a").cite_key == "lecun2015deep"  # complete: pinned
    # once pinned, a key never changes again
    store.import_papers([Paper(key="t:a", title="Deep Learning", authors=["Someone Else"], published="2016-01-01")])
    triage = Triage(store, background=False)
    assert [k for _, k in keyed(triage, ["t:a"])] == ["lecun2015deep"]


# -- clipboard (more in test_clipboard.py) --------------------------------------------------------------------

def _fake_pyperclip(monkeypatch, copy):
    mod = types.ModuleType("pyperclip")

    class PyperclipException(RuntimeError):
        pass

    mod.PyperclipException = PyperclipException
    mod.determine_clipboard = lambda: (copy(mod), lambda: "")
    monkeypatch.setitem(sys.modules, "pyperclip", mod)
    return mod


def test_pyperclip_success(monkeypatch):
    got = []

    def make(mod):
        def copy_xclip(text):
            got.append(text)
        return copy_xclip

    _fake_pyperclip(monkeypatch, make)
    assert clipboard.copy_with_pyperclip("abc") == "xclip"
    assert got == ["abc"]


@pytest.mark.parametrize("exc", ["pyperclip", OSError("boom"), FileNotFoundError("clip.exe")])
def test_pyperclip_failures_become_runtime_error(monkeypatch, exc):
    def make(mod):
        def copy_wsl(text):
            raise mod.PyperclipException("no clipboard") if exc == "pyperclip" else exc
        return copy_wsl

    _fake_pyperclip(monkeypatch, make)
    with pytest.raises(RuntimeError):
        clipboard.copy_with_pyperclip("abc")


def test_pyperclip_absent(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyperclip", None)
    with pytest.raises(RuntimeError, match="not installed"):
        clipboard.copy_with_pyperclip("abc")


def test_keys_for_many_papers_sharing_a_base_are_the_naive_ones_in_one_step_each():
    """A trial found keys given in quadratic time: 16,000 papers sharing a base took 45 s
    to list, 100,000 never finished. Each base now remembers its next suffix; the keys are
    those the one-by-one search gives (taken ones skipped)."""
    import itertools
    import string

    from reader.citations import keys as keys_mod

    def suffixes():
        letters = string.ascii_lowercase
        yield from letters
        yield from (a + b for a in letters for b in letters)
        yield from (f"x{n}" for n in itertools.count(1))

    def naive(paper, taken):
        base = base_key(paper)
        if base not in taken:
            return base
        return next(base + s for s in suffixes() if base + s not in taken)

    papers = [FULL] * 800 + [Paper(key="o", title="Other things", authors=["Ada Lovelace"], published="1843")] * 30
    pinned = {"vaswani2017attentionb", "vaswani2017attentionzz", "vaswani2017attentionx3"}
    taken, want = set(pinned), []
    for p in papers:
        want.append(naive(p, taken))
        taken.add(want[-1])
    given = KeyAllocator(set(pinned))
    assert [given.assign(p) for p in papers] == want
    tried = []
    real = keys_mod._suffix
    keys_mod._suffix = lambda i: tried.append(i) or real(i)
    try:
        many = KeyAllocator(set())
        keys = [many.assign(FULL) for _ in range(5_000)]
    finally:
        keys_mod._suffix = real
    assert len(set(keys)) == 5_000 and len(tried) == 4_999  # one suffix tried a paper (was 12.5 million)
