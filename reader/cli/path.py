"""``reader path``: where data and config live."""

from __future__ import annotations

from reader.paths import default_paths


def register(sub) -> None:
    s = sub.add_parser("path", help="show where data and config live")
    s.set_defaults(handler=run)


def run(args) -> int:
    paths = default_paths()
    print(f"data dir:    {paths.data_dir}")
    print(f"config dir:  {paths.config_dir}")
    print(f"library:     {paths.catalogue}")
    print(f"state:       {paths.state}")
    print(f"backups:     {paths.backups}")
    print(f"config file: {paths.config}")
    return 0
