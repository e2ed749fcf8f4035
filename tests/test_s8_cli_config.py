"""A syntax error in config.toml: a setting the TUI remembers (S, the theme picker) says
once that it was not saved, naming the file and the line, and never rewrites the file
(trial 10, item 14)."""

from __future__ import annotations

import pytest

from reader.config import save_setting, save_theme


def test_a_broken_config_is_reported_once_and_kept(tmp_path):
    path = tmp_path / "config.toml"
    broken = 'theme = "nord"\ncite_format = "apa\n'
    path.write_text(broken)
    with pytest.raises(OSError) as told:
        save_setting(path, "sort", "title")
    message = str(told.value)
    assert str(path) in message and "line 2" in message and "\n" not in message
    save_setting(path, "sort", "added")  # said once: no second warning
    save_theme(path, "gruvbox")
    assert path.read_text() == broken
    other = 'cite_format = "apa\n\n'  # another broken text: told again
    path.write_text(other)
    with pytest.raises(OSError):
        save_theme(path, "gruvbox")
    assert path.read_text() == other


def test_a_valid_config_is_still_saved(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('cite_format = "apa"\n')
    save_setting(path, "sort", "title")
    assert 'sort = "title"' in path.read_text() and 'cite_format = "apa"' in path.read_text()


def test_what_loading_said_is_not_said_again(tmp_path):
    from reader.config import load_config

    path = tmp_path / "config.toml"
    path.write_text("theme = [broken\n")
    assert "invalid TOML" in load_config(path).errors[0]  # shown when the app starts
    save_theme(path, "nord")  # no second warning for the same text
    assert path.read_text() == "theme = [broken\n"
