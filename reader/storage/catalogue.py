"""The paper catalogue: every paper the library knows, in SQLite (WAL mode).

Why SQLite and not one JSON document: a library of a million papers is ~2 GB of
text; decoding it whole at start costs seconds and gigabytes. Here the app reads
what is on screen (rows by position, papers by key), matches imports through
indexes, and searches a full-text index (FTS5, prefix queries).

Layout: ``papers`` holds one row per paper, ``id`` 1..N in library order (position =
id - 1; ``reader purge`` renumbers the rows after the ones it deletes), indexed columns for matching and sorting, and
the full record as JSON (``data``) so fields added to :class:`Paper` later round-trip.
``fts`` is a contentless FTS5 index over title, authors and abstract; ``fts_title`` indexes
titles alone with prefix indexes (1 to 6 characters), so the first title matches of a
keystroke are read straight from the index, however many papers match.

Durability and concurrency: every import is one ``BEGIN IMMEDIATE`` transaction
(synchronous=FULL), so a SIGKILL leaves either all of it or none, and two processes
importing at once serialize (each matches against what the other committed). Another
process's commits are seen through ``PRAGMA data_version`` (:meth:`Catalogue.version`).

Migration: an existing ``library.json`` (the TinyDB catalogue of schema 1) is copied
into a new database file, which is put in place atomically; the JSON file is then
kept beside as ``library.json.migrated-<timestamp>``, never deleted.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import threading
import unicodedata
import urllib.parse
from array import array
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain
from pathlib import Path

from reader.model import Paper, different_works, distinct_key, mend_text, title_key
from reader.sorting import PUBLISHED_KEY_SQL
from reader.storage.files import FileReport, check_file, move_aside
from reader.storage.lock import FileLock, LockTimeout
from reader.storage.records import encode as _encode
from reader.storage.records import paper_json

DB_SCHEMA = 1
BUSY_MS = 10_000

_COLUMNS = "key, arxiv_id, doi, norm, title, published, added_at, upvotes, data"
_SCHEMA_SQL = f"""
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS papers (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    arxiv_id TEXT,
    doi TEXT,
    norm TEXT NOT NULL,
    title TEXT NOT NULL,
    published TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL DEFAULT '',
    upvotes INTEGER,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS papers_arxiv ON papers(arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS papers_doi ON papers(doi) WHERE doi IS NOT NULL;
CREATE INDEX IF NOT EXISTS papers_norm ON papers(norm);
CREATE INDEX IF NOT EXISTS papers_by_date ON papers({PUBLISHED_KEY_SQL} DESC, id, published);
CREATE INDEX IF NOT EXISTS papers_by_upvotes ON papers(upvotes DESC, id);
CREATE INDEX IF NOT EXISTS papers_by_title ON papers(title COLLATE NOCASE, id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    title, authors, abstract, content='', detail=column, tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts_title USING fts5(
    title, content='', detail=none, prefix='1 2 3 4 5 6', tokenize='unicode61 remove_diacritics 2'
);
"""
# indexes and tables an older catalogue (same schema number) lacks, made once on opening
# (Catalogue._open); upgrade_pending looks for them
ADDED_LATER = ("papers_by_title", "papers_by_date", "fts_title")
# (name, CREATE statement) of the secondary indexes of papers (the key's UNIQUE one aside)
_INDEXES = re.findall(r"(CREATE INDEX IF NOT EXISTS (\w+) ON [^;]*)", _SCHEMA_SQL)
_INDEXES = [(name, sql) for sql, name in _INDEXES]
CACHE_KIB = 16_000  # page cache of a connection
BIG_IMPORT = 2_000  # new papers from which an import sets a bigger cache and full-text buffer
IMPORT_CACHE_KIB = 256_000  # the most page cache an import takes
FTS_HASH = 64 * 2**20  # bytes of terms a full-text index keeps in memory during a big import
FTS_HASH_DEFAULT = 2**20  # FTS5's own
BULK_MIN = 2_000  # new papers from which an import into a library no bigger than it rebuilds the indexes
_ADD_FTS = "INSERT INTO fts (rowid, title, authors, abstract) VALUES (?, ?, ?, ?)"
_ADD_TITLE = "INSERT INTO fts_title (rowid, title) VALUES (?, ?)"
WAL_LIMIT = 64 * 2**20  # bytes of write-ahead log kept after a checkpoint
# how titles are normalized for matching: 2 reads TeX math as its Unicode form ($\alpha$ as α);
# 3 also reads operators as words ($\log n$ as "log n"; a catalogue written between the two
# changes has stale hashes for such titles). A catalogue of less has the title hashes of its
# titles with math worked out again once
NORMS = 3
_META_SQL = (f"INSERT OR REPLACE INTO meta VALUES ('app', 'reader'), ('kind', 'catalogue'), ('schema', '{DB_SCHEMA}'), "
             f"('norms', '{NORMS}');")
_INSERT = f"INSERT INTO papers (id, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


# what a list row shows: key, title, date (ISO, else as the page said it: the record's
# listing_date, read only when there is no date) and upvotes. Reading the whole record of
# each row on screen for its date was 13 ms of a 20 ms frame after a view switch.
ROW = "key, title, CASE WHEN published = '' THEN coalesce(json_extract(data, '$.listing_date'), '') ELSE published END, upvotes"


class CatalogueError(Exception):
    """The catalogue could not be changed. One line, fit for the user."""


class Interrupted(Exception):
    """A read stopped because its caller no longer wants the answer (see
    :meth:`Catalogue.interruptible`)."""


STOP_EVERY = 50_000  # SQLite VM steps between two asks of ``stop``: well under a millisecond


@dataclass
class ImportResult:
    read: int = 0
    new: int = 0
    existing: int = 0
    updated: int = 0
    new_keys: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # the library key each paper read went into, in order


def title_hash(key: str, title: str) -> str:
    """The normalized-title identity of a paper. Title-keyed papers carry it as their key
    (titles never change once set), so only arXiv-keyed ones need normalizing; except
    for titles with TeX math, whose normalized form changed (NORMS 2) after their keys
    were given."""
    return key if key.startswith("t:") and "$" not in title else title_key(title)


def _row(paper: Paper, doc: dict | None, norm: str | None = None, text: str | None = None) -> tuple:
    """The papers row of a paper; ``doc`` is its record when it is more than ``paper.to_dict()``;
    ``text`` its record's JSON when written already (see :meth:`Catalogue.import_papers`)."""
    return (
        paper.key, paper.arxiv_id or None, paper.doi.lower() or None, norm or title_hash(paper.key, paper.title),
        paper.title, paper.published, paper.added_at, paper.upvotes,
        text or (paper_json(paper) if doc is None else _encode(doc)),
    )


def prepared_records(papers: Sequence[Paper]) -> list[tuple[str, str]]:
    """(title hash, record JSON) of each paper, as an import would compute them: work
    another process can do (the arXiv snapshot's reader) while this one stores."""
    return [(title_hash(p.key, p.title), paper_json(p)) for p in papers]


def _fts(paper: Paper) -> tuple[str, str, str]:
    return paper.title, " ".join(paper.authors), paper.abstract


def fts_query(words: list[str]) -> str:
    """Every word as a quoted prefix term (quotes doubled): user text is never FTS syntax."""
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


_WORD = re.compile(r"[^\W_]+")
PREFIX_MAX = 6  # the longest prefix index of fts_title (prefix='1 2 3 4 5 6')
LONG_FIRST = 200  # first hits of a search with a longer word (each title is checked)
LONG_SCAN = 1500  # titles checked at most for those first hits (about 12 ms at 1M papers)


def fold(text: str) -> str:
    """Lower case without diacritics, as the tokenizer (remove_diacritics 2) sees words."""
    text = text.lower()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def word_start(word: str):
    """``search`` of a compiled pattern: ``word`` at the start of a word of a folded text
    (letters and digits make words, as for the tokenizer)."""
    return re.compile(r"(?<![^\W_])" + re.escape(fold(word))).search


def search_words(query: str) -> list[str]:
    """The words FTS5 would see: letters and digits; the rest separates."""
    return _WORD.findall(query.lower())


class Catalogue:
    def __init__(self, path: Path, legacy: Path | None, report: FileReport):
        self.path = path
        self.legacy = legacy
        self.report = report
        self.readonly_reason = ""
        self.notices: list[str] = []
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._uri = ""  # how a read-only file system is read (see _read_only_uri)
        try:
            with FileLock(path.with_name(path.name + ".lock")):
                if not path.exists() and legacy is not None and legacy.exists():
                    self._migrate(legacy)
                self._open_checked()
        except LockTimeout:
            raise
        except OSError as exc:  # read-only mount, immutable data dir: read without the lock
            if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise
            self.readonly_reason = f"{path.parent}: read-only ({exc.strerror or exc}); changes cannot be saved"
            self._uri = self._read_only_uri()
            self._open_checked()

    def _read_only_uri(self) -> str:
        """How to read the catalogue where nothing can be written beside it (a read-only
        mount, an immutable directory). SQLite reads a WAL file through a shared-memory
        file next to it, which it cannot create there: ``mode=ro`` works when one is
        already there, else ``immutable=1`` (the file is read as it stands, which is all of
        it when no write-ahead log holds more)."""
        if not self.path.exists():
            raise CatalogueError(f"{self.path}: no catalogue here, and {self.path.parent} is read-only")
        base = "file:" + urllib.parse.quote(str(self.path))
        wal = self.path.with_name(self.path.name + "-wal")
        tries = ["mode=ro"]
        if not wal.exists() or wal.stat().st_size == 0:
            tries.append("immutable=1")
        why = ""
        for query in tries:
            try:
                conn = sqlite3.connect(f"{base}?{query}", uri=True)
                try:
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                finally:
                    conn.close()
                return f"{base}?{query}"
            except sqlite3.DatabaseError as exc:
                why = str(exc)
        raise CatalogueError(
            f"{self.path}: cannot be read where it is ({why}; {self.path.parent} is read-only"
            + (f" and {wal.name} holds changes not yet in the file" if len(tries) == 1 else "")
            + "); copy the data dir somewhere writable and point READER_DATA_DIR at it"
        )

    # -- connections -------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._uri:
            conn = sqlite3.connect(self._uri, uri=True, timeout=BUSY_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            return conn
        conn = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # 16 MB per connection
        conn.execute(f"PRAGMA journal_size_limit={WAL_LIMIT}")  # a big import leaves no big log to replay
        return conn

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection (sqlite3 connections are not shared between threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
            with self._conns_lock:
                self._conns.append(conn)
        return conn

    @contextmanager
    def interruptible(self, stop: Callable[[], bool], pause: Callable[[], None] | None = None) -> Iterator[None]:
        """Reads in this block (on this thread's connection) end with :class:`Interrupted`
        soon after ``stop()`` turns true: a search the user has typed past stops within a
        millisecond instead of reading a million rows for nothing, beside the UI thread.
        ``pause()``, asked as often, may wait (the UI thread has keys to answer)."""
        db = self.db

        def progress() -> int:
            if stop():
                return 1
            if pause is not None:
                pause()
            return 0

        db.set_progress_handler(progress, STOP_EVERY)
        try:
            yield
        except sqlite3.OperationalError as e:
            if stop():
                raise Interrupted() from e
            raise
        finally:
            db.set_progress_handler(None, 0)

    def release(self) -> None:
        """Close this thread's connection (a worker thread that is done with the catalogue:
        its page cache is not kept for the life of the app)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        with self._conns_lock:
            if conn in self._conns:
                self._conns.remove(conn)
        try:
            conn.close()
        except sqlite3.Error:
            pass

    def close(self) -> None:
        with self._conns_lock:
            for conn in self._conns:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._conns.clear()
        self._local = threading.local()

    def _open_checked(self) -> None:
        """Open (creating if new); keep a file that is not a reader catalogue aside."""
        try:
            self._init_schema()
        except sqlite3.DatabaseError as exc:
            self.close()
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise CatalogueError(f"{self.path}: locked by another program") from exc
            if isinstance(exc, sqlite3.OperationalError):  # cannot open, I/O error: nothing says it is damaged
                if self._uri:
                    raise CatalogueError(f"{self.path}: cannot be read ({exc})") from exc
                # nothing can be written beside it (an immutable directory, a full disk): read it as it stands
                self._uri = self._read_only_uri()
                self.readonly_reason = f"{self.path}: cannot be opened for writing ({exc}); changes cannot be saved"
                self._init_schema()
                return
            aside = self._move_aside()
            self.report.warnings.append(f"{self.path}: {exc}; kept it as {aside.name} and started a new one")
            self._init_schema()

    def _init_schema(self) -> None:
        db = self.db
        meta = {}
        has_meta = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if has_meta:
            meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables and (meta.get("app") != "reader" or meta.get("kind") != "catalogue"):
            raise sqlite3.DatabaseError("not a reader catalogue")
        schema = int(meta.get("schema", DB_SCHEMA))
        if schema > DB_SCHEMA:
            self.readonly_reason = (
                f"{self.path} was written by a newer reader (schema {schema}, this one knows {DB_SCHEMA}); "
                "opened read-only, nothing will be written to it"
            )
            return
        if self.readonly_reason:
            return
        db.execute("PRAGMA journal_mode=WAL")  # only on a file known to be ours
        if not tables:
            db.executescript(f"BEGIN IMMEDIATE; {_SCHEMA_SQL} {_META_SQL} COMMIT;")
        db.execute("SELECT count(*) FROM papers WHERE id = 1").fetchone()  # a damaged file fails here
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'papers_by_title'").fetchone():
            # made before the sort indexes (same schema number): a one-time pass over the table
            db.executescript(f"BEGIN IMMEDIATE; {_SCHEMA_SQL} COMMIT;")
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'papers_by_date'").fetchone():
            # the date index before seasons sorted among months (the text of published): replaced
            db.executescript(f"BEGIN IMMEDIATE; DROP INDEX IF EXISTS papers_by_published; {_SCHEMA_SQL} COMMIT;")
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'fts_title'").fetchone():
            # made by the first catalogue version (same schema number): add the title index
            db.executescript(f"BEGIN IMMEDIATE; {_SCHEMA_SQL} "
                             "INSERT INTO fts_title (rowid, title) SELECT id, title FROM papers; COMMIT;")
        if int(meta.get("norms", 1)) < NORMS:
            self._renormalize()

    def _renormalize(self) -> None:
        """Title hashes of the titles with TeX math, worked out again as NORMS says (one
        pass over the titles, once; another process doing it meanwhile is seen)."""
        db = self.db
        with _transaction(db):
            if int((db.execute("SELECT value FROM meta WHERE name = 'norms'").fetchone() or (1,))[0]) >= NORMS:
                return
            # id and title only: the title index holds both (0.5 s at 1M papers; the table, 2-8 s)
            rows = db.execute("SELECT id, title FROM papers WHERE instr(title, '$')").fetchall()
            db.executemany("UPDATE papers SET norm = ? WHERE id = ?", [(title_key(t), i) for i, t in rows])
            db.execute("INSERT OR REPLACE INTO meta VALUES ('norms', ?)", (str(NORMS),))

    def _move_aside(self) -> Path:
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                os.replace(side, side.with_name(f"{self.path.name}.corrupt-{stamp}{suffix}"))
        return move_aside(self.path)

    # -- migration from library.json ---------------------------------------------
    def _migrate(self, legacy: Path) -> None:
        data = check_file(legacy, "library", self.report)
        if data is None:  # empty, or corrupt and already kept aside
            return
        if self.report.readonly_reason:
            self.readonly_reason = self.report.readonly_reason
            self.report.readonly_reason = ""
            return
        table = data.get("papers", {})
        docs = [doc for _id, doc in sorted(table.items(), key=_doc_order) if isinstance(doc, dict)]
        tmp = self.path.with_name(self.path.name + ".migrating")
        for stale in (tmp, tmp.with_name(tmp.name + "-journal")):
            if stale.exists():
                stale.unlink()
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.executescript(_SCHEMA_SQL + _META_SQL)
            with _transaction(conn):
                rows, texts, n = [], [], 0
                for doc in docs:
                    paper = Paper.from_dict(doc)
                    n += 1
                    rows.append((n, *_row(paper, doc)))
                    texts.append((n, *_fts(paper)))
                conn.executemany(_INSERT, rows)
                conn.executemany(_ADD_FTS, texts)
                conn.executemany(_ADD_TITLE, ((t[0], t[1]) for t in texts))
            stored = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
            if stored != len(docs):  # two documents with one key: keep the old file as the truth
                raise CatalogueError(f"{legacy}: {len(docs) - stored} duplicate keys; not migrated")
        finally:
            conn.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = legacy.with_name(f"{legacy.name}.migrated-{stamp}")
        os.replace(legacy, kept)
        self.notices.append(f"Moved {len(docs)} papers from {legacy.name} into {self.path.name}; "
                            f"the old file is kept as {kept.name}")

    # -- reading -------------------------------------------------------------
    def version(self) -> int:
        """Changes when another connection (process) commits: the live-reload hook."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def count(self) -> int:
        return self.db.execute("SELECT max(id) FROM papers").fetchone()[0] or 0

    def titles(self, start: int, stop: int) -> list[tuple[str, str, str, int | None]]:
        """The list rows (:data:`ROW`: key, title, date, upvotes) of the papers at
        positions start..stop-1 (library order)."""
        return self.db.execute(f"SELECT {ROW} FROM papers WHERE id > ? AND id <= ? ORDER BY id", (start, stop)).fetchall()

    def titles_of(self, positions: Iterable[int]) -> dict[int, tuple[str, str, str, int | None]]:
        ids = [p + 1 for p in positions]
        out: dict[int, tuple[str, str, str, int | None]] = {}
        for chunk in _chunks(ids, 500):
            q = f"SELECT id, {ROW} FROM papers WHERE id IN ({','.join('?' * len(chunk))})"
            for pid, *row in self.db.execute(q, chunk):
                out[pid - 1] = tuple(row)
        return out

    def renumbered(self) -> int:
        """How many times papers were removed and the rest renumbered (:meth:`remove`):
        positions read before a change of it are stale."""
        row = self.db.execute("SELECT value FROM meta WHERE name = 'renumbered'").fetchone()
        return int(row[0]) if row else 0

    def paper(self, key: str) -> Paper | None:
        row = self.db.execute("SELECT data FROM papers WHERE key = ?", (key,)).fetchone()
        return Paper.from_dict(json.loads(row[0])) if row else None

    def position(self, key: str) -> int | None:
        row = self.db.execute("SELECT id FROM papers WHERE key = ?", (key,)).fetchone()
        return row[0] - 1 if row else None

    def positions(self, keys: Iterable[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(list(keys), 500):
            q = f"SELECT key, id FROM papers WHERE key IN ({','.join('?' * len(chunk))})"
            out.update((k, i - 1) for k, i in self.db.execute(q, chunk))
        return out

    def papers(self, start: int = 0) -> Iterator[Paper]:
        """Every paper from position ``start`` on, in library order, read in batches."""
        last = start
        while True:
            rows = self.db.execute("SELECT id, data FROM papers WHERE id > ? ORDER BY id LIMIT 2000",
                                   (last,)).fetchall()
            if not rows:
                return
            for _id, data in rows:
                yield Paper.from_dict(json.loads(data))
            last = rows[-1][0]

    def order(self, column: str, descending: bool) -> array:
        """Every position, sorted by a column (ties in library order): a scan of its index."""
        cur = self.db.execute(f"SELECT id - 1 FROM papers ORDER BY {_order_by(column, descending)}")
        out = array("q")
        while batch := cur.fetchmany(65536):
            out.extend(chain.from_iterable(batch))  # in C: the UI thread keeps the GIL more
        return out

    def first_in_order(self, column: str, descending: bool, inside: Container[int], limit: int,
                       scan: int | None = None) -> array:
        """The first ``limit`` positions in ``inside``, in the order of a column: read from
        the start of its index (at most ``scan`` entries of it), so the first screen of a
        sorted million costs milliseconds."""
        sql = f"SELECT id - 1 FROM papers ORDER BY {_order_by(column, descending)}"
        cur = self.db.execute(sql if scan is None else f"{sql} LIMIT {int(scan)}")
        out = array("q")
        try:
            while len(out) < limit and (batch := cur.fetchmany(min(4096, 2 * limit))):
                out.extend(p for (p,) in batch if p in inside)
        finally:
            cur.close()  # an unfinished statement would hold its read snapshot
        return out[:limit]

    def texts_of(self, positions: Iterable[int]) -> dict[int, str]:
        """position -> title, authors and abstract, lower case without diacritics (what
        the full-text index holds), for a few papers (a search's words checked in Python)."""
        ids = json.dumps([p + 1 for p in positions])
        out = {}
        for pos, data in self.db.execute("SELECT id - 1, data FROM papers WHERE id IN (SELECT value FROM json_each(?))",
                                         (ids,)):
            doc = json.loads(data)
            out[pos] = fold(" ".join([doc.get("title", ""), *doc.get("authors", []), doc.get("abstract", "")]))
        return out

    def order_of(self, positions: Iterable[int], column: str, descending: bool) -> array:
        """These positions sorted by a column, as :meth:`order` sorts them (one query)."""
        ids = json.dumps([p + 1 for p in positions])
        cur = self.db.execute(f"SELECT id - 1 FROM papers WHERE id IN (SELECT value FROM json_each(?)) "
                              f"ORDER BY {_order_by(column, descending)}", (ids,))
        return array("q", (p for (p,) in cur))

    def search(self, words: list[str], limit: int | None = None) -> tuple[Sequence[int], bool]:
        """Positions of papers whose title, authors or abstract have a word starting with
        each of ``words``: title matches first, then the others, each in library order.
        With ``limit``, at most that many, and whether there may be more."""
        if not words:
            return array("q"), False
        q = fts_query(words)
        db = self.db
        long_words = limit is not None and any(len(w) > PREFIX_MAX for w in words)
        if long_words:  # a screenful or two at once; the worker completes
            limit = min(limit, LONG_FIRST)
            title = self._first_title_hits(words, limit + 1)
        else:
            lim = "" if limit is None else f" LIMIT {int(limit) + 1}"
            cur = db.execute(f"SELECT rowid - 1 FROM fts_title WHERE fts_title MATCH ? ORDER BY rowid{lim}", (q,))
            title = array("q", (r[0] for r in cur))
        if limit is not None and len(title) > limit:
            return title[:limit], True
        seen = bytearray(self.count() + 1)  # one byte a paper: a set of a million ints is 60 MB
        for p in title:
            seen[p] = 1
        rest_lim = "" if limit is None else f" LIMIT {int(limit) + len(title) + 1}"
        if long_words:  # the words as whole words: a subset, at once; the worker completes
            q = " ".join(f'"{w.replace(chr(34), chr(34) * 2)}"' + ("" if len(w) > PREFIX_MAX else "*") for w in words)
        cur = db.execute(f"SELECT rowid - 1 FROM fts WHERE fts MATCH ? ORDER BY rowid{rest_lim}", (q,))
        out = title
        out.extend(p for (p,) in cur if not seen[p])
        if limit is not None and len(out) > limit:
            return out[:limit], True
        return out, long_words

    def _first_title_hits(self, words: list[str], limit: int) -> array:
        """Title matches of words longer than the prefix indexes, read incrementally.

        FTS5 answers a prefix longer than its longest prefix index ("diffusi"*) by merging
        every matching term's full list in memory first: 80-120 ms at a million papers for a
        common word, on every keystroke. Its first six characters are read from the prefix
        index in rowid order instead, and each candidate's title is checked for the whole
        prefix, until ``limit`` are found, or ``LONG_SCAN`` titles were checked: a word no
        title has ("optimizer" where a million titles start "optimi...") would otherwise
        check every one of them on the UI thread, for seconds. What was found is shown; the
        worker's exact search completes it."""
        short = fts_query([w[:PREFIX_MAX] for w in words])
        starts = [word_start(w) for w in words]
        out = array("q")
        cur = self.db.execute("SELECT f.rowid - 1, p.title FROM fts_title f JOIN papers p ON p.id = f.rowid "
                              f"WHERE fts_title MATCH ? ORDER BY f.rowid LIMIT {int(LONG_SCAN)}", (short,))
        try:
            for pos, title in cur:
                folded = fold(title)
                if all(start(folded) for start in starts):
                    out.append(pos)
                    if len(out) >= limit:
                        break
        finally:
            cur.close()  # an unfinished statement would hold its read snapshot
        return out

    # -- writing -------------------------------------------------------------
    def _writable(self) -> None:
        if self.readonly_reason:
            raise CatalogueError(self.readonly_reason)

    def import_papers(self, papers: Iterable[Paper]) -> ImportResult:
        """Merge parsed papers into the catalogue, finding the same paper by arXiv id, then
        DOI (case-insensitive), then normalized title. Keys never change. One transaction.
        ``papers`` may carry ``records``: :func:`prepared_records` of them, worked out
        beforehand in another process.
        Text that cannot be stored as UTF-8 (a lone surrogate: JSON's escape of half an
        emoji) gets U+FFFD in its place, and the transaction is made again."""
        self._writable()
        records = getattr(papers, "records", None)  # see prepared_records
        papers = list(papers)
        try:
            return self._import(papers, records if records is not None and len(records) == len(papers) else None)
        except UnicodeEncodeError:  # rolled back: nothing of it was written
            return self._import([mend_text(p) for p in papers])

    def _import(self, papers: list[Paper], records: Sequence[tuple[str, str]] | None = None) -> ImportResult:
        result = ImportResult(read=len(papers))
        if not papers:
            return result
        db = self.db
        with _import_cache(db, len(papers)), _transaction(db):
            norms = [r[0] for r in records] if records else [title_hash(p.key, p.title) for p in papers]
            texts = [r[1] for r in records] if records else [None] * len(papers)
            before = db.execute("SELECT max(id) FROM papers").fetchone()[0] or 0
            if before:
                by_id = self._lookup("arxiv_id", {p.arxiv_id for p in papers if p.arxiv_id})
                by_doi = self._lookup("doi", {p.doi.lower() for p in papers if p.doi})
                by_norm = self._lookup("norm", set(norms))
                by_key = self._lookup("key", {p.key for p in papers})
            else:  # an empty catalogue matches nothing
                by_id, by_doi, by_norm, by_key = {}, {}, {}, {}
            next_id = before + 1
            new: dict[int, Paper] = {}
            new_norm: dict[int, str] = {}
            new_text: dict[int, str | None] = {}
            changed: dict[int, Paper] = {}
            for paper, norm, text in zip(papers, norms, texts, strict=True):
                parsed = paper
                pid = by_id.get(paper.arxiv_id) if paper.arxiv_id else None
                by_title = False
                if pid is None and paper.doi:
                    pid = by_doi.get(paper.doi.lower())
                if pid is None:
                    pid = by_norm.get(norm) or by_key.get(paper.key)
                    by_title = pid is not None
                current = None if pid is None else new.get(pid) or changed.get(pid) or self._paper_by_id(pid)
                if current is not None and (different_works(current, paper) if by_title
                                            else paper.arxiv_id and current.arxiv_id not in ("", paper.arxiv_id)):
                    # the same title (or DOI), but another work: its own paper, under a key of its own
                    pid = current = None
                    if paper.key.startswith("t:"):  # (an arXiv paper's key is its own already)
                        paper = replace(paper, key=distinct_key(paper))
                        pid = by_key.get(paper.key) or self._lookup("key", {paper.key}).get(paper.key)
                        if pid is not None:  # imported before
                            current = new.get(pid) or changed.get(pid) or self._paper_by_id(pid)
                if pid is not None:
                    result.existing += 1
                    result.keys.append(current.key if current is not None else paper.key)
                    if current is not None and current.merge(paper) and pid not in new:
                        if pid not in changed:
                            result.updated += 1
                        changed[pid] = current
                    continue
                pid = next_id
                next_id += 1
                new[pid] = paper
                new_norm[pid] = norm
                # the record written beforehand, if it is this paper's (not a copy given a key of its own)
                new_text[pid] = text if paper is parsed and text and text.startswith(f'{{"key":{_encode(paper.key)}') else None
                by_norm.setdefault(norm, pid)
                by_key[paper.key] = pid
                if paper.arxiv_id:
                    by_id[paper.arxiv_id] = pid
                if paper.doi:
                    by_doi.setdefault(paper.doi.lower(), pid)
                result.new += 1
                result.new_keys.append(paper.key)
                result.keys.append(paper.key)
            bulk = len(new) >= BULK_MIN and len(new) >= before
            with _fts_buffer(db, len(new)):
                if bulk:  # rebuilt below from the whole table: a sort instead of n random inserts
                    for name, _sql in _INDEXES:
                        db.execute(f"DROP INDEX {name}")
                try:
                    db.executemany(_INSERT, [(pid, *_row(p, None, new_norm[pid], new_text[pid])) for pid, p in new.items()])
                except sqlite3.IntegrityError as exc:
                    raise CatalogueError(f"{self.path}: {exc}") from exc
                db.executemany(_ADD_FTS, [(pid, *_fts(p)) for pid, p in new.items()])
                db.executemany(_ADD_TITLE, [(pid, p.title) for pid, p in new.items()])
                if bulk:
                    for _name, sql in _INDEXES:
                        db.execute(sql)
            for pid, paper in changed.items():
                self._rewrite(pid, paper)
        if len(new) > 5_000:
            self.checkpoint()
        return result

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database and truncate it (best effort: a
        reader in another process may hold it; it is then done later, automatically)."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass

    def _lookup(self, column: str, values: set[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(sorted(values), 500):
            q = f"SELECT {column}, min(id) FROM papers WHERE {column} IN ({','.join('?' * len(chunk))}) GROUP BY {column}"
            out.update(self.db.execute(q, chunk).fetchall())
        return out

    def _paper_by_id(self, pid: int) -> Paper | None:
        row = self.db.execute("SELECT data FROM papers WHERE id = ?", (pid,)).fetchone()
        return Paper.from_dict(json.loads(row[0])) if row else None

    def _rewrite(self, pid: int, paper: Paper) -> None:
        """Store a merged paper: the row, and its full-text entry (old terms out, new in)."""
        db = self.db
        old_data = db.execute("SELECT data FROM papers WHERE id = ?", (pid,)).fetchone()[0]
        old_doc = json.loads(old_data)
        old = Paper.from_dict(old_doc)
        doc = {**old_doc, **paper.to_dict()}  # fields this version does not know are kept
        db.execute(f"UPDATE papers SET ({_COLUMNS}) = (?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?", (*_row(paper, doc), pid))
        if _fts(old) != _fts(paper):
            db.execute("INSERT INTO fts (fts, rowid, title, authors, abstract) VALUES ('delete', ?, ?, ?, ?)", (pid, *_fts(old)))
            db.execute(_ADD_FTS, (pid, *_fts(paper)))
        if old.title != paper.title:
            db.execute("INSERT INTO fts_title (fts_title, rowid, title) VALUES ('delete', ?, ?)", (pid, old.title))
            db.execute(_ADD_TITLE, (pid, paper.title))

    def update_papers(self, found: dict[str, Paper]) -> list[Paper]:
        """Merge resolved metadata into the papers with these keys. Returns those updated."""
        self._writable()
        updated = []
        if not found:
            return updated
        try:
            return self._update(found)
        except UnicodeEncodeError:
            return self._update({key: mend_text(p) for key, p in found.items()})

    def _update(self, found: dict[str, Paper]) -> list[Paper]:
        updated = []
        db = self.db
        with _transaction(db):
            for key, other in found.items():
                row = db.execute("SELECT id, data FROM papers WHERE key = ?", (key,)).fetchone()
                if row is None:
                    continue
                current = Paper.from_dict(json.loads(row[1]))
                if current.merge(other):
                    self._rewrite(row[0], current)
                    updated.append(current)
        return updated

    def remove(self, keys: Iterable[str]) -> list[Paper]:
        """Delete these papers (``reader purge``) in one transaction, then close the gaps so
        position = id - 1 stays true: the rows after the first removed one move down (with
        their full-text entries). Returns the papers removed."""
        self._writable()
        db = self.db
        with _transaction(db):
            rows: list[tuple[int, str]] = []
            for chunk in _chunks(sorted(set(keys)), 500):
                rows += db.execute(f"SELECT id, data FROM papers WHERE key IN ({','.join('?' * len(chunk))})",
                                   chunk).fetchall()
            if not rows:
                return []
            removed = [Paper.from_dict(json.loads(data)) for _id, data in rows]
            for (pid, _data), paper in zip(rows, removed, strict=True):
                _fts_out(db, pid, paper)
                db.execute("DELETE FROM papers WHERE id = ?", (pid,))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('renumbered', ?)", (str(self.renumbered() + 1),))
            low = min(pid for pid, _data in rows)
            later = db.execute("SELECT id, data FROM papers WHERE id > ? ORDER BY id", (low,)).fetchall()
            for new_id, (old_id, data) in enumerate(later, start=low):
                paper = Paper.from_dict(json.loads(data))
                _fts_out(db, old_id, paper)
                db.execute("UPDATE papers SET id = ? WHERE id = ?", (new_id, old_id))  # ascending: never taken
                db.execute(_ADD_FTS, (new_id, *_fts(paper)))
                db.execute(_ADD_TITLE, (new_id, paper.title))
        return removed


def upgrade_pending(path: Path) -> bool:
    """Whether opening the catalogue at ``path`` will first build an index or re-hash
    titles, once (seconds at a million papers): the app says so instead of a blank screen.
    Read-only, a few lookups; any doubt (no file, not ours, locked) is "no"."""
    if not path.is_file():
        return False
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.1)
        try:
            names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            if "papers" not in names or "meta" not in names:
                return False
            norms = db.execute("SELECT value FROM meta WHERE name = 'norms'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return not set(ADDED_LATER) <= names or int((norms or (1,))[0]) < NORMS


def _order_by(column: str, descending: bool) -> str:
    """The ORDER BY of a sort; each matches an index of _SCHEMA_SQL (descending columns
    have a descending index, so the scan is the index read forwards)."""
    expr = {"published": f"{PUBLISHED_KEY_SQL} DESC" if descending else PUBLISHED_KEY_SQL,  # seasons among months
            "upvotes": "upvotes DESC" if descending else "upvotes",
            "title": "title COLLATE NOCASE DESC" if descending else "title COLLATE NOCASE"}[column]
    return f"{expr}, id"


def _fts_out(db: sqlite3.Connection, pid: int, paper: Paper) -> None:
    """Take a paper's words out of both full-text indexes (contentless: the old text is given)."""
    db.execute("INSERT INTO fts (fts, rowid, title, authors, abstract) VALUES ('delete', ?, ?, ?, ?)", (pid, *_fts(paper)))
    db.execute("INSERT INTO fts_title (fts_title, rowid, title) VALUES ('delete', ?, ?)", (pid, paper.title))


@contextmanager
def _import_cache(db: sqlite3.Connection, n: int) -> Iterator[None]:
    """A page cache big enough for the pages an import of ``n`` papers changes, for the
    length of its transaction (a smaller one writes index pages to the log again and again
    as they are evicted and changed anew); back to the usual one after, which frees it.
    Only how fast the import is written changes, never what nor how durably."""
    if n < BIG_IMPORT:
        yield
        return
    db.execute(f"PRAGMA cache_size=-{max(CACHE_KIB, min(n * 8, IMPORT_CACHE_KIB))}")  # ~8 KiB a paper
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")


@contextmanager
def _fts_buffer(db: sqlite3.Connection, n: int) -> Iterator[None]:
    """Inside an import's transaction: the full-text indexes keep more terms in memory
    before they write a segment (fewer segments written and merged), then FTS5's default
    again, with no trace left in the file (the setting is written, and rolled back with
    the transaction on error)."""
    if n < BIG_IMPORT:
        yield
        return
    for table in ("fts", "fts_title"):
        db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {FTS_HASH})")
    yield
    for table in ("fts", "fts_title"):
        db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {FTS_HASH_DEFAULT})")
        db.execute(f"DELETE FROM {table}_config WHERE k = 'hashsize'")


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error): the write lock is taken up front,
    so a second process waits (busy timeout) instead of failing midway."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, exc, tb):
        if kind is None:
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error:
                self._rollback()
                raise
        else:
            self._rollback()
        return False

    def _rollback(self) -> None:
        """Undo what is left: SQLite has rolled back already after some errors (a full disk:
        SQLITE_FULL), and a ROLLBACK then fails with "no transaction is active", an error
        that took the place of the real one in the message the user saw."""
        if self.db.in_transaction:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the error being raised is the one to tell; SQLite undoes the rest when it can


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _doc_order(item: tuple[str, object]) -> tuple[int, int, str]:
    """library.json documents in id order; ids that are not numbers (hand-edited) last."""
    doc_id = item[0]
    return (0, int(doc_id), "") if doc_id.isdigit() else (1, 0, doc_id)
