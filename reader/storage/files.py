"""Opening a reader data file: recognise ours, keep corrupt/foreign files aside,
refuse to write files from a newer version."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from reader.storage.atomic import CorruptFile, read_json

SCHEMA = 1
META_TABLE = "_meta"

# schema migrations: MIGRATIONS[n] turns a schema-n document into schema n+1.
MIGRATIONS: dict[int, callable] = {}


@dataclass
class FileReport:
    warnings: list[str] = field(default_factory=list)
    readonly_reason: str = ""


def meta_doc(kind: str) -> dict:
    return {"1": {"app": "reader", "kind": kind, "schema": SCHEMA}}


def move_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, target)
    return target


def check_file(path: Path, kind: str, report: FileReport) -> dict | None:
    """Read ``path`` as a reader ``kind`` file.

    Returns the data (migrated if old), or None for a new/empty file. A corrupt
    or foreign file is renamed to ``NAME.corrupt-<timestamp>`` and reported.
    """
    try:
        data = read_json(path)
    except CorruptFile as exc:
        aside = move_aside(path)
        report.warnings.append(f"{path}: {exc}; kept it as {aside.name} and started a new one")
        return None
    except OSError as exc:
        report.readonly_reason = f"{path}: cannot read ({exc.strerror or exc})"
        return None
    if data is None:
        return None
    meta = data.get(META_TABLE, {}).get("1") if isinstance(data.get(META_TABLE), dict) else None
    tables_ok = all(isinstance(t, dict) for t in data.values())
    if not isinstance(meta, dict) or meta.get("app") != "reader" or meta.get("kind") != kind or not tables_ok:
        aside = move_aside(path)
        report.warnings.append(
            f"{path}: not a reader {kind} file; kept it as {aside.name} and started a new one"
        )
        return None
    schema = meta.get("schema")
    if not isinstance(schema, int) or schema < 1:
        aside = move_aside(path)
        report.warnings.append(f"{path}: unknown schema {schema!r}; kept it as {aside.name}")
        return None
    if schema > SCHEMA:
        report.readonly_reason = (
            f"{path} was written by a newer reader (schema {schema}, this one knows {SCHEMA}); "
            "opened read-only, nothing will be written to it"
        )
        return data
    while schema < SCHEMA:
        data = MIGRATIONS[schema](data)
        schema += 1
        data[META_TABLE] = meta_doc(kind)
    return data
