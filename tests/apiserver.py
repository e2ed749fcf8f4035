"""A local stand-in for the Hugging Face and arXiv APIs (127.0.0.1, started by the tests).

Also serves Crossref's ``/works/{DOI}``. Serves the documented formats and misbehaves on demand via ``server.modes``:
"timeout" (sleep past the client's timeout once), "429" (once, with Retry-After),
"503" (once), "malformed", "arxiv-error".
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

PAPERS = {
    "2401.00001": {"title": "Ergotropy and Capacity Optimization in Heisenberg Spin Chain Quantum Batteries",
                   "authors": ["Asad Ali", "Saif Al-Kuwari", "Saeed Haddadi"], "date": "2024-01-01", "cat": "quant-ph",
                   "doi": "10.1103/PhysRevA.110.052404", "jref": "Phys. Rev. A 110, 052404 (2024)"},
    "2306.00002": {"title": "PYInfer: Deep Learning Semantic Type Inference for Python Variables",
                   "authors": ["Siwei Cui", "Gang Zhao"], "date": "2023-06-02", "cat": "cs.SE"},
    "1506.03134": {"title": "Pointer Networks", "authors": ["Oriol Vinyals", "Meire Fortunato", "Navdeep Jaitly"],
                   "date": "2015-06-09", "cat": "stat.ML"},
    # two near-identical candidates for "Random Teachers are Good Teachers"
    "2302.12091": {"title": "Random Teachers are Good Teachers", "authors": ["A B"], "date": "2023-02-23", "cat": "cs.LG"},
    "2302.99999": {"title": "Random teachers are good teachers!", "authors": ["C D"], "date": "2023-02-24", "cat": "cs.LG"},
    "2501.00004": {"title": "Sparse Autoencoders Find Features", "authors": ["G H"], "date": "2025-01-01", "cat": "cs.LG"},
    "1920.00003": {"title": "Scaling to 1920times1080 Video", "authors": ["E F"], "date": "2019-01-01", "cat": "cs.CV"},
}
# Crossref works (GET /crossref/works/{DOI}), keyed by lowercase DOI
CROSSREF = {
    "10.1103/physreva.110.052404": {
        "DOI": "10.1103/PhysRevA.110.052404", "type": "journal-article", "container-title": ["Physical Review A"],
        "volume": "110", "issue": "5", "page": "052404", "publisher": "American Physical Society (APS)",
        "issued": {"date-parts": [[2024, 11, 4]]}, "title": ["Ergotropy and capacity optimization"]},
    "10.1023/a:1026654312961": {
        "DOI": "10.1023/A:1026654312961", "type": "journal-article",
        "container-title": ["International Journal of Theoretical Physics"], "volume": "38", "issue": "4",
        "page": "1113-1133", "publisher": "Springer Science and Business Media LLC",
        "issued": {"date-parts": [[1999, 4]]}},
    "10.31219/osf.io/preprint": {"DOI": "10.31219/osf.io/preprint", "type": "posted-content"},
}
ARXIV_ONLY = {"The Consciousness Prior"}  # HF does not know it; arXiv does
ARXIV_EXTRA = {"1709.08568": {"title": "The Consciousness Prior", "authors": ["Yoshua Bengio"], "date": "2017-09-25", "cat": "cs.LG"}}


def atom(entries: dict[str, dict]) -> bytes:
    items = []
    for pid, p in entries.items():
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in p["authors"])
        doi = f"<arxiv:doi>{p['doi']}</arxiv:doi>" if p.get("doi") else ""
        jref = f"<arxiv:journal_ref>{escape(p['jref'])}</arxiv:journal_ref>" if p.get("jref") else ""
        title = escape(p["title"])
        if len(title) > 40:  # arXiv hard-wraps long titles
            cut = title.rfind(" ", 0, 40)
            title = title[:cut] + "\n  " + title[cut + 1 :]
        items.append(
            f"<entry><id>http://arxiv.org/abs/{pid}v2</id><updated>{p['date']}T00:00:00Z</updated>"
            f"<published>{p['date']}T00:00:00Z</published><title>{title}</title>"
            f"<summary>  Abstract of\n  {escape(p['title'])}.\n</summary>{authors}{doi}{jref}"
            f"<arxiv:primary_category xmlns:arxiv=\"http://arxiv.org/schemas/atom\" term=\"{p['cat']}\"/></entry>"
        )
    return ('<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom">' + "".join(items) + "</feed>").encode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, code: int, body: bytes, ctype: str = "application/json", headers: dict | None = None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        srv = self.server
        url = urlsplit(self.path)
        srv.log.append((self.headers.get("Host"), url.path, url.query, self.headers.get("User-Agent")))
        for mode in ("timeout", "429", "503"):
            if mode in srv.modes and srv.modes[mode] > 0:
                srv.modes[mode] -= 1
                if mode == "timeout":
                    time.sleep(1.0)
                    return self.send(200, b"[]")
                if mode == "429":
                    return self.send(429, b"slow down", "text/plain", {"Retry-After": "7"})
                return self.send(503, b"busy", "text/plain")
        if "malformed" in srv.modes:
            return self.send(200, b"{not json <feed", "text/plain")
        q = parse_qs(url.query)
        if url.path.startswith("/crossref/works/"):
            work = CROSSREF.get(unquote(url.path.removeprefix("/crossref/works/")).lower())
            if work is None:
                return self.send(404, b"Resource not found.", "text/plain")
            return self.send(200, json.dumps({"status": "ok", "message-type": "work", "message": work}).encode())
        if url.path == "/hf/papers/search":
            needle = q.get("q", [""])[0].lower()
            hits = [
                {"paper": {"id": pid, "title": p["title"], "summary": "HF summary", "publishedAt": p["date"] + "T00:00:00.000Z",
                           "authors": [{"name": a} for a in p["authors"]], "upvotes": 5}}
                for pid, p in PAPERS.items()
                if p["title"] not in ARXIV_ONLY and needle[:12] and needle[:12] in p["title"].lower()
            ]
            return self.send(200, json.dumps(hits).encode())
        if url.path.startswith("/hf/papers/"):
            pid = unquote(url.path.removeprefix("/hf/papers/"))
            p = PAPERS.get(pid)
            if not p:
                return self.send(404, b'{"error":"not found"}')
            return self.send(200, json.dumps({"id": pid, "title": p["title"], "authors": [{"name": a} for a in p["authors"]],
                                              "publishedAt": p["date"] + "T00:00:00.000Z", "summary": "s"}).encode())
        if url.path == "/arxiv/query":
            if "arxiv-error" in srv.modes:
                return self.send(200, atom({"error": {"title": "Error", "authors": [], "date": "2020-01-01", "cat": "x"}}).replace(
                    b"http://arxiv.org/abs/errorv2", b"http://arxiv.org/api/errors#incorrect_id_format"), "application/atom+xml")
            if "id_list" in q:
                ids = q["id_list"][0].split(",")
                found = {i: (PAPERS.get(i) or ARXIV_EXTRA.get(i)) for i in ids}
                return self.send(200, atom({i: p for i, p in found.items() if p}), "application/atom+xml")
            title = q.get("search_query", [""])[0].removeprefix("ti:").strip('"').lower()
            found = {i: p for i, p in {**PAPERS, **ARXIV_EXTRA}.items() if p["title"].lower() == title}
            return self.send(200, atom(found), "application/atom+xml")
        return self.send(404, b"{}")


class ApiServer:
    def __init__(self, handler: type[BaseHTTPRequestHandler] = Handler):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.modes = {}
        self.httpd.log = []
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def modes(self) -> dict:
        return self.httpd.modes

    @property
    def log(self) -> list:
        return self.httpd.log

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
