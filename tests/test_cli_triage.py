"""The CLI side of the field trial's triage moves: archive, unarchive, purge, keys, list --tag."""

from __future__ import annotations

import io
import json

from reader.cli import main
from reader.state import Change
from reader.storage.store import Store

from .conftest import SAMPLE


def keys_in(capsys, *argv) -> list[str]:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return [json.loads(line)["key"] for line in capsys.readouterr().out.splitlines()]


def test_archive_unarchive_and_reimport(paths, capsys):
    main(["import", "--no-resolve", str(SAMPLE)])
    all_keys = keys_in(capsys, "list")
    first, second = all_keys[0], all_keys[1]
    assert main(["archive", first, "Emergence of Hidden"]) == 0
    out = capsys.readouterr().out
    # named by the key `reader list` shows (and `reader cite` takes), not the internal one
    assert out.startswith("archived: ergotropycapacitynd  Ergotropy") and "archived: " in out.splitlines()[1]
    assert first not in out
    assert Store(paths).states()[first].archived
    assert first not in keys_in(capsys, "list") and len(keys_in(capsys, "list")) == 50
    assert first not in keys_in(capsys, "list", "--view", "unread")
    assert first in keys_in(capsys, "list", "--view", "archived")
    main(["import", "--no-resolve", str(SAMPLE)])  # the same file again: still archived
    assert len(keys_in(capsys, "list", "--view", "archived")) == 2
    assert main(["unarchive", first]) == 0
    assert capsys.readouterr().out.startswith("unarchived: ergotropycapacitynd")
    assert first in keys_in(capsys, "list") and second in keys_in(capsys, "list")


def test_archive_unknown_or_ambiguous_key_exits_2(paths, capsys):
    main(["import", "--no-resolve", str(SAMPLE)])
    capsys.readouterr()
    assert main(["archive", "no-such-paper-anywhere"]) == 2
    assert "matches no paper" in capsys.readouterr().err
    assert main(["archive", "a"]) == 2
    assert "be more specific" in capsys.readouterr().err
    assert not any(s.archived for s in Store(paths).states().values())


def test_purge_asks_and_removes_for_good(paths, capsys, monkeypatch):
    main(["import", "--no-resolve", str(SAMPLE)])
    all_keys = keys_in(capsys, "list")
    first = all_keys[0]
    assert main(["purge", "--yes"]) == 0
    assert "nothing to purge" in capsys.readouterr().out
    main(["archive", first])
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))  # not a terminal: refuses without --yes
    assert main(["purge"]) == 2
    assert "--yes" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["purge"]) == 1
    assert len(Store(paths).papers()) == 52
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert main(["purge"]) == 0
    assert "removed 1 paper " in capsys.readouterr().out
    assert first not in [p.key for p in Store(paths).papers()] and len(Store(paths).papers()) == 51
    cat = Store(paths).catalogue  # positions stay dense (position = id - 1), search follows
    assert cat.count() == 51 and [k for k, *_ in cat.titles(0, 51)] == all_keys[1:]
    assert cat.position(all_keys[-1]) == 50
    assert list(cat.search(["shifting", "distributions"])[0]) == [50]  # the last paper, at its new position
    assert list(cat.search(["ergotropy"])[0]) == []  # the purged paper's words left the index
    main(["import", "--no-resolve", str(SAMPLE)])  # imported again: it stays archived
    assert keys_in(capsys, "list", "--view", "archived") == [first]
    assert len(keys_in(capsys, "list")) == 51


def test_list_by_tag(paths, capsys):
    main(["import", "--no-resolve", str(SAMPLE)])
    k = keys_in(capsys, "list")
    Store(paths).apply([Change(k[3], "tags", ["sae"]), Change(k[1], "tags", ["rl", "sae"]), Change(k[2], "tags", ["rl"])])
    assert keys_in(capsys, "list", "--tag", "sae") == [k[1], k[3]]
    assert keys_in(capsys, "list", "--tag", "SAE") == [k[1], k[3]]  # a tag is the same tag whatever its case
    main(["archive", k[1]])
    assert keys_in(capsys, "list", "--tag", "sae") == [k[3]]
    assert keys_in(capsys, "list", "--tag", "none") == []


def test_keys_prints_the_effective_map_and_clashes(paths, capsys):
    assert main(["keys"]) == 0
    out = capsys.readouterr().out
    assert any(line.split()[:2] == ["toggle_star", "s"] for line in out.splitlines())
    assert any(line.split()[:2] == ["archive", "x"] for line in out.splitlines())
    paths.config_dir.mkdir(parents=True)
    paths.config.write_text('[keymap]\ntoggle_star = "r,f"\nnope = "z"\n')
    assert main(["keys"]) == 0
    captured = capsys.readouterr()
    assert any(line.split()[:3] == ["toggle_star", "r,", "f"] and "from [keymap]" in line for line in captured.out.splitlines())
    assert "key 'r' is bound to both toggle_read (Read) and toggle_star (Star)" in captured.err
    assert "nope: no such action" in captured.err


def test_purge_while_the_app_runs_keeps_its_marks_on_their_papers(paths, capsys):
    """A review found the running app keeping the old positions of every marked paper
    after `reader purge` renumbered the rows: Starred listed another paper, and `s` on it
    starred that one. A purge and an import between two checks (no shrink to see) too."""
    from reader.model import Paper
    from reader.parsers import parse_file
    from reader.triage import Triage

    s = Store(paths)
    s.import_papers(parse_file(SAMPLE))
    keys = [p.key for p in s.papers()]
    starred = keys[10]
    s.apply([Change(keys[2], "archived", "2026-01-01T00:00:00+00:00"), Change(starred, "starred", True)])
    app = Triage(Store(paths))  # the running app
    assert app.keys_at(app.view("starred")) == [starred]
    assert main(["purge", "--yes"]) == 0
    Store(paths).import_papers([Paper(key="t:late", title="A paper imported after the purge")])
    app.refresh_from_disk()  # the app's check
    assert app.size == 52
    assert app.keys_at(app.view("starred")) == [starred]
    app.toggle(app.keys_at(app.view("starred")), "starred")
    app.flush()
    assert not any(st.starred for st in Store(paths).states().values())
    app.close()


def test_the_apps_own_import_keeps_a_purged_paper_archived(paths, capsys):
    """A review found `reader FILE` (and P, F) importing a purged paper again into the
    app without finding its kept mark: it showed in All, and `x` un-archived it."""
    from reader.parsers import parse_file
    from reader.triage import Triage

    s = Store(paths)
    s.import_papers(parse_file(SAMPLE))
    key = s.papers()[0].key
    s.apply([Change(key, "archived", "2026-01-01T00:00:00+00:00")])
    assert main(["purge", "--yes"]) == 0
    app = Triage(Store(paths))
    app.import_papers(parse_file(SAMPLE))
    app.refresh_from_disk()
    assert key not in app.keys_at(app.view("all"))
    assert app.keys_at(app.view("archived")) == [key] and app.counts()["archived"] == 1
    app.close()
