"""Opening a reader data file: recognise ours, validate it document by document,
keep corrupt/foreign files aside, refuse to write files from a newer version, and
tell one version of a file from the next (the generation stamp)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from reader.storage.atomic import CorruptFile, atomic_write_bytes, read_json
from reader.storage.validate import DOC_CHECKS

SCHEMA = 1
META_TABLE = "_meta"
MAX_REPORTED = 5  # bad documents named one by one; the rest are counted

# schema migrations: MIGRATIONS[n] turns a schema-n document into schema n+1.
MIGRATIONS: dict[int, callable] = {}

# Every write puts the generation first in the file, so a reader learns whether the file
# changed from its first bytes: no trust in (inode, mtime, size), which coarse file-system
# clocks and inode reuse make ambiguous.
_GEN = re.compile(rb'^\{"_meta":\{"1":\{"gen":(\d{1,18}),"write":"([0-9a-f]{1,32})"')
HEAD_BYTES = 96


@dataclass
class FileReport:
    warnings: list[str] = field(default_factory=list)
    readonly_reason: str = ""


def meta_doc(kind: str) -> dict:
    return {"1": {"app": "reader", "kind": kind, "schema": SCHEMA}}


def generation(data: dict) -> tuple[int, str] | None:
    meta = data.get(META_TABLE, {}).get("1", {})
    gen, token = meta.get("gen"), meta.get("write")
    if isinstance(gen, int) and isinstance(token, str):
        return gen, token
    return None


def stamped(data: dict, kind: str) -> dict:
    """``data`` ready to write: the meta table first, its first fields the next generation
    and a random write token (two writers can never produce the same identity)."""
    old = data.get(META_TABLE, {}).get("1", {})
    gen = old.get("gen") if isinstance(old.get("gen"), int) else 0
    meta = {"gen": gen + 1, "write": secrets.token_hex(8)}
    meta.update({k: v for k, v in (old or meta_doc(kind)["1"]).items() if k not in ("gen", "write")})
    out = {META_TABLE: {"1": meta}}
    out.update((k, v) for k, v in data.items() if k != META_TABLE)
    return out


def identity(path: Path) -> tuple | None:
    """What this version of the file is: its generation stamp when it has one (any file
    written by this version), else (inode, mtime, size). None when it is missing."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
            st = os.fstat(fh.fileno())
    except OSError:
        return None
    m = _GEN.match(head)
    if m:
        return int(m.group(1)), m.group(2).decode()
    return ("stat", st.st_ino, st.st_mtime_ns, st.st_size)


def aside_name(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    return target


def move_aside(path: Path) -> Path:
    target = aside_name(path)
    os.replace(path, target)
    return target


def copy_aside(path: Path) -> Path:
    """Keep a copy (the file itself stays: its good documents are still in use)."""
    target = aside_name(path)
    shutil.copyfile(path, target)
    return target


def check_data(data: dict, kind: str) -> str:
    """Why ``data`` is not a reader ``kind`` file ("" when it is one)."""
    meta = data.get(META_TABLE, {}).get("1") if isinstance(data.get(META_TABLE), dict) else None
    if not isinstance(meta, dict) or meta.get("app") != "reader":
        return f"not a reader {kind} file"
    if meta.get("kind") != kind:
        return f"not a reader {kind} file (it is a {meta.get('kind')!s:.20} file)"
    if not all(isinstance(t, dict) for t in data.values()):
        return f"not a reader {kind} file (a table is not an object)"
    schema = meta.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        return f"unknown schema {schema!r:.20}"
    return ""


def drop_bad_documents(data: dict, kind: str) -> list[str]:
    """Remove the documents that do not have the shape of a ``kind`` document; one line
    per removed document (the caller reports them and keeps the file aside)."""
    problems: list[str] = []
    for table_name, check in DOC_CHECKS[kind].items():
        table = data.get(table_name)
        if not isinstance(table, dict):
            continue
        bad = [(doc_id, why) for doc_id, doc in table.items() if (why := check(doc))]
        for doc_id, why in bad:
            del table[doc_id]
            problems.append(f"document {doc_id[:20]!r}: {why}")
    return problems


def summarize(problems: list[str]) -> str:
    shown = "; ".join(problems[:MAX_REPORTED])
    more = len(problems) - MAX_REPORTED
    return shown + (f"; and {more} more" if more > 0 else "")


def check_file(path: Path, kind: str, report: FileReport) -> dict | None:
    """Read ``path`` as a reader ``kind`` file.

    Returns the data (migrated if old, bad documents dropped), or None for a new/empty
    file. A corrupt or foreign file is renamed to ``NAME.corrupt-<timestamp>``; a file
    with bad documents is copied there; both are reported.
    """
    try:
        data = read_json(path)
    except CorruptFile as exc:
        return _aside(path, kind, str(exc), report)
    except OSError as exc:
        report.readonly_reason = f"{path}: cannot read ({exc.strerror or exc}); opened read-only"
        return None
    if data is None:
        return None
    why = check_data(data, kind)
    if why:
        return _aside(path, kind, why, report)
    meta = data[META_TABLE]["1"]
    schema = meta["schema"]
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
    problems = drop_bad_documents(data, kind)
    if problems:
        try:
            kept = f"kept a copy as {copy_aside(path).name}"
            data = stamped(data, kind)  # the copy holds them: the file keeps only good documents
            atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        except OSError as exc:
            kept = f"could not keep a copy ({exc.strerror or exc})"
        report.warnings.append(
            f"{path}: skipped {len(problems)} bad document{'s' if len(problems) > 1 else ''} "
            f"({summarize(problems)}); {kept}"
        )
    return data


def _aside(path: Path, kind: str, why: str, report: FileReport) -> None:
    try:
        aside = move_aside(path)
    except OSError as exc:
        report.warnings.append(f"{path}: {why}")
        report.readonly_reason = (
            f"{path}: {why} and it cannot be moved aside ({exc.strerror or exc}); opened read-only"
        )
        return None
    report.warnings.append(f"{path}: {why}; kept it as {aside.name} and started a new one")
    return None
