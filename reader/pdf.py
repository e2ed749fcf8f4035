"""A paper's PDF: downloaded once into ``<data dir>/pdfs/``, then opened from there
(offline too) with the system viewer or the ``pdf_viewer`` command from the config.

The download streams into a temporary file beside the target and is renamed into
place only when complete, so a cancelled or failed download never leaves a
truncated PDF that would later be opened as if it were whole.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from reader.resolve.http import USER_AGENT

DEFAULT_BASE = "https://arxiv.org/pdf/"
CHUNK = 64 * 1024


class PdfError(Exception):
    """The PDF could not be fetched or opened; the message is one line."""


class Cancelled(Exception):
    pass


def pdf_base() -> str:
    base = os.environ.get("READER_ARXIV_PDF") or DEFAULT_BASE
    return base if base.endswith("/") else base + "/"


def pdf_url(arxiv_id: str, version: str = "") -> str:
    return pdf_base() + arxiv_id + version


def pdf_path(data_dir: Path, arxiv_id: str) -> Path:
    """``pdfs/2401.01234.pdf``; old-style ids (``hep-th/9901001``) lose their slash."""
    return data_dir / "pdfs" / (re.sub(r"[^\w.\-]", "_", arxiv_id) + ".pdf")


def download(
    url: str,
    target: Path,
    progress: Callable[[int, int | None], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
    timeout: float = 30.0,
) -> Path:
    """Fetch ``url`` into ``target`` (atomically). ``progress(bytes, total or None)``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp, open(part, "wb") as out:
            length = resp.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            progress(done, total)
            first = True
            while True:
                if cancelled():
                    raise Cancelled()
                chunk = resp.read(CHUNK)
                if not chunk:
                    break
                if first and not chunk.lstrip().startswith(b"%PDF"):
                    raise PdfError(f"{url}: the server did not send a PDF")
                first = False
                out.write(chunk)
                done += len(chunk)
                progress(done, total)
            if first:
                raise PdfError(f"{url}: empty answer")
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, target)
    except urllib.error.HTTPError as exc:
        raise PdfError(f"{url}: HTTP {exc.code}") from exc
    except urllib.error.URLError as exc:
        raise PdfError(f"cannot reach {url} ({exc.reason}); offline?") from exc
    except TimeoutError as exc:
        raise PdfError(f"{url}: no answer within {timeout:g}s") from exc
    finally:
        part.unlink(missing_ok=True)
    return target


def open_command(path: Path, viewer: str = "") -> list[str]:
    if viewer:
        return [*shlex.split(viewer), str(path)]
    if sys.platform == "darwin":
        return ["open", str(path)]
    if sys.platform.startswith("win"):
        return ["cmd", "/c", "start", "", str(path)]
    return ["xdg-open", str(path)]


def open_pdf(path: Path, viewer: str = "") -> None:
    """Start the viewer detached (its output never reaches the terminal)."""
    cmd = open_command(path, viewer)
    try:
        subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    except OSError as exc:
        raise PdfError(f"cannot run {cmd[0]}: {exc.strerror or exc} (set pdf_viewer in the config)") from exc
