"""BibTeX output oddities (trial 10, item 15): bracket markup got case braces inside it, a
plain title's \\backslash went out as a TeX command, and a CSL literal name with braces
was split into "Ltd, ACME \\& Sons"."""

from __future__ import annotations

from reader.citations import render
from reader.citations.names import parse_name
from reader.model import Paper


def _bib(paper: Paper) -> str:
    return render([(paper, "k")], "bibtex")


def test_bracket_markup_gets_no_braces_inside_it():
    p = Paper(key="t:1", title="[b]Bold[/b] Claims about TCP/IP and [LLM] agents", published="2025")
    out = _bib(p)
    assert "title = {[b]Bold[/b] Claims about {TCP}/{IP} and [{LLM}] agents}" in out, out


def test_a_plain_backslash_command_outside_math_is_text():
    p = Paper(key="t:2", title=r"A \backslash and \alpha in text, $\alpha$ in math, \emph{kept}", published="2021",
              authors=["Ann Bee"])
    out = _bib(p)
    assert r"A \textbackslash{}backslash and \textbackslash{}alpha in text, $\alpha$ in math, \emph{kept}" in out, out


def test_a_literal_name_with_braces_is_one_braced_name():
    assert parse_name("{ACME & Sons {Ltd}}").literal
    p = Paper(key="t:3", title="Report", published="2021", authors=["Zoë O'Brien", "{ACME & Sons {Ltd}}"])
    assert "author = {O'Brien, Zo{\\\"e} and {ACME \\& Sons Ltd}}" in _bib(p)
    ris = render([(p, "k")], "ris")
    assert "AU  - ACME & Sons Ltd," in ris and "Ltd, ACME" not in ris
    assert '"literal": "ACME & Sons Ltd"' in render([(p, "k")], "csl-json")
