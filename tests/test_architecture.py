"""The core never imports textual; styles ship inside the wheel."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "reader"


def core_modules():
    for path in PKG.rglob("*.py"):
        if "tui" not in path.relative_to(PKG).parts:
            yield path


@pytest.mark.parametrize("path", list(core_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_never_imports_textual(path):
    """textual nowhere; reader.tui only lazily inside the function that opens the TUI."""
    tree = ast.parse(path.read_text())
    top_level = set(map(id, tree.body))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        for name in names:
            assert not name.startswith("textual"), f"{path.name} imports {name}"
            if id(node) in top_level:
                assert not name.startswith("reader.tui"), f"{path.name} imports {name}"


def test_cli_import_does_not_load_textual():
    code = "import sys, reader.cli, reader.triage, reader.citations.cite; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_wheel_contains_styles_and_sample(tmp_path):
    pytest.importorskip("hatchling")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("reader_tui-*.whl")  # the distribution is reader-tui
    names = zipfile.ZipFile(wheel).namelist()
    assert "reader/styles/reader.tcss" in names
    assert "reader/data/hf-trending-papers.txt" in names
    # its own distribution name (PyPI's "reader" is a feed library), same command and package
    wheel_zip = zipfile.ZipFile(wheel)
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "\nName: reader-tui\n" in wheel_zip.read(meta).decode()
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "reader = reader.cli:main" in wheel_zip.read(entry).decode()


def test_user_agent_names_this_distribution_not_the_feed_library():
    from reader.resolve.http import USER_AGENT

    assert USER_AGENT.startswith("reader/") and "pypi.org/project/reader-tui" in USER_AGENT
