"""`reader export -o FILE` (trial 10, item 9): the format follows FILE's extension unless
--format says otherwise (a mismatch is warned about), and an existing file is replaced
only with --force."""

from __future__ import annotations

from reader.cli import main
from reader.parsers import parse_file
from reader.storage.store import Store

from .conftest import SAMPLE


def _library(paths, cite_format: str = "apa"):
    Store(paths).import_papers(parse_file(SAMPLE))
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    (paths.config_dir / "config.toml").write_text(f'cite_format = "{cite_format}"\n')


def test_the_extension_picks_the_format_over_the_config(paths, tmp_path, capsys):
    _library(paths, "apa")
    for name, start in (("refs.bib", "@misc{"), ("refs.ris", "TY  - "), ("refs.json", "[")):
        out = tmp_path / name
        assert main(["export", "-o", str(out)]) == 0, name
        assert out.read_text().startswith(start), name
    assert "warning" not in capsys.readouterr().err


def test_an_explicit_format_wins_and_a_mismatch_is_warned_about(paths, tmp_path, capsys):
    _library(paths, "bibtex")
    out = tmp_path / "refs.bib"
    assert main(["export", "--format", "ris", "-o", str(out)]) == 0
    assert out.read_text().startswith("TY  - ")
    err = capsys.readouterr().err
    assert "warning" in err and "refs.bib" in err and "ris" in err
    again = tmp_path / "other.bib"
    assert main(["export", "--format", "biblatex", "-o", str(again)]) == 0  # .bib holds BibLaTeX too
    assert "warning" not in capsys.readouterr().err


def test_an_existing_file_is_kept_without_force(paths, tmp_path, capsys):
    _library(paths, "bibtex")
    out = tmp_path / "refs.bib"
    out.write_text("% my hand-made bibliography\n")
    assert main(["export", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert out.read_text() == "% my hand-made bibliography\n"
    assert len(err.strip().splitlines()) == 1 and str(out) in err and "--force" in err
    link = tmp_path / "link.bib"
    link.symlink_to(out)
    assert main(["export", "-o", str(link)]) == 1  # a link to it is the file too
    assert out.read_text() == "% my hand-made bibliography\n"
    assert main(["export", "--force", "-o", str(link)]) == 0
    assert link.is_symlink() and out.read_text().startswith("@misc{")
