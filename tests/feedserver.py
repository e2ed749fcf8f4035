"""A local stand-in for the sources `reader fetch` reads (127.0.0.1, started by the tests):
Hugging Face daily papers JSON, paged arXiv Atom listings, RSS 0.91/1.0/2.0 and Atom
feeds with ETags, and broken answers (HTML, truncated XML, 10 MB, an entity bomb, 429).

``server.listing`` is the arXiv listing, newest first (tests prepend "new submissions");
``server.log`` records (path, query, request headers, status) of every request."""

from __future__ import annotations

import json
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from .apiserver import ApiServer, atom

HF_DAILY = {
    "2024-05-01": [
        {"paper": {"id": "2404.19756", "title": "KAN: Kolmogorov-Arnold Networks", "summary": "Inspired by the Kolmogorov-Arnold theorem.",
                   "authors": [{"name": "Ziming Liu"}, {"name": "Max Tegmark"}], "publishedAt": "2024-04-30T17:58:29.000Z", "upvotes": 42},
         "numComments": 7, "title": "KAN: Kolmogorov-Arnold Networks"},
        {"paper": {"id": "2404.19752", "title": "Visual Fact Checker", "summary": "Captions.",
                   "authors": [{"name": "Yunhao Ge"}], "publishedAt": "2024-04-30T17:55:27.000Z", "upvotes": 3}, "numComments": 0},
        {"paper": {"id": "x", "title": ""}},  # no title: skipped
    ],
}


def listing_paper(n: int) -> tuple[str, dict]:
    return f"2501.{n:05d}", {"title": f"Listing Paper Number {n}", "authors": [f"Author {n}"], "date": "2025-01-15", "cat": "cs.CL"}


RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">
<channel><title>Journal of Examples</title><link>https://journal.example/</link><description>New articles</description>
<item><title>Graph &lt;i&gt;Neural&lt;/i&gt; Networks [Re] Revisited</title><link>https://journal.example/a1</link>
<description>&lt;p&gt;We revisit &lt;b&gt;GNNs&lt;/b&gt;.&lt;/p&gt;&lt;p&gt;Second paragraph &amp;amp; more.&lt;/p&gt;</description>
<dc:creator>Ada Lovelace</dc:creator><dc:creator>van der Waals, Johannes</dc:creator><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>
<guid isPermaLink="false">doi:10.5555/JEX.2024.001</guid><prism:publicationName>Journal of Examples</prism:publicationName>
<prism:volume>12</prism:volume><prism:number>3</prism:number><prism:startingPage>101</prism:startingPage><prism:endingPage>120</prism:endingPage></item>
<item><title>Attention Is All You Need</title><link>https://arxiv.org/abs/1706.03762v7</link><description>Transformers.</description>
<author>noam@example.org (Noam Shazeer)</author><pubDate>Mon, 12 Jun 2017 00:00:00 GMT</pubDate></item>
<item><title>A DOI Link Item</title><link>https://doi.org/10.5555/jex.2024.002</link><description>x</description></item>
</channel></rss>"""

RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">
<channel rdf:about="https://biorxiv.example/"><title>bioRxiv example</title><link>https://biorxiv.example/</link><description>d</description>
<items><rdf:Seq><rdf:li rdf:resource="https://biorxiv.example/1"/></rdf:Seq></items></channel>
<item rdf:about="https://biorxiv.example/1"><title>Protein Folding in the Wild</title><link>https://biorxiv.example/1</link>
<description>Abstract &lt;sup&gt;with&lt;/sup&gt; markup.</description><dc:creator>Smith, J.; Doe, A.</dc:creator><dc:date>2024-03-04</dc:date>
<dc:identifier>doi:10.1101/2024.03.04.000001</dc:identifier><prism:publicationName>bioRxiv</prism:publicationName></item>
</rdf:RDF>"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lab news</title><id>urn:lab</id><updated>2024-02-01T00:00:00Z</updated>
<entry><title type="html">Sparse &lt;em&gt;Autoencoders&lt;/em&gt; Find Features</title><id>https://lab.example/p/1</id>
<link href="https://lab.example/p/1"/><link rel="related" href="https://arxiv.org/abs/2501.00004"/>
<updated>2024-02-01T00:00:00Z</updated><author><name>Grace Hopper</name></author><author><name>Alan Turing</name></author>
<summary type="html">&lt;p&gt;Features.&lt;/p&gt;</summary></entry>
</feed>"""

RSS091 = """<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link><description>d</description><language>en</language>
<item><title>An Old-Style Feed Item</title><link>https://old.example/1</link><description>Plain.</description></item>
</channel></rss>"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss version="2.0"><channel><title>&lol4;</title><item><title>&lol4;</title></item></channel></rss>"""


def big_rss(n: int) -> str:
    items = "".join(
        f"<item><title>Feed Paper {i}: A Study of Things</title><link>https://big.example/{i}</link>"
        f"<description>&lt;p&gt;Abstract {i} of a long feed.&lt;/p&gt;</description><dc:creator>Author {i}</dc:creator>"
        f"<pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate><guid isPermaLink=\"false\">doi:10.5555/big.{i}</guid></item>"
        for i in range(n)
    )
    return ('<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Big</title>'
            f"<link>https://big.example/</link><description>d</description>{items}</channel></rss>")


# declared (and read) as Latin-1; declared UTF-8 with two bytes that are not (the rest is)
LATIN1 = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<rss version="2.0"><channel><title>l</title>'
          '<item><title>Caf\u00e9 latin feed paper</title><link>https://latin.example/1</link></item></channel></rss>').encode("latin-1")
# no declaration: the HTTP Content-Type's charset says Latin-1 (it wins over XML's UTF-8 default)
LATIN1_BY_HEADER = ('<rss version="2.0"><channel><title>l</title><item><title>Caf\u00e9 by its HTTP charset</title>'
                    '<link>https://latin.example/2</link></item></channel></rss>').encode("latin-1")
BAD_UTF8 = (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>l</title>'
            b'<item><title>Bad \xff\xfe bytes paper</title><link>https://bad.example/1</link></item>'
            b'<item><title>Good caf\xc3\xa9 paper</title><link>https://bad.example/2</link></item></channel></rss>')

FEEDS = {"/feeds/rss2.xml": RSS2, "/feeds/rss1.xml": RSS1, "/feeds/atom.xml": ATOM_FEED, "/feeds/rss091.xml": RSS091,
         "/feeds/latin1.xml": LATIN1, "/feeds/badutf8.xml": BAD_UTF8, "/feeds/latin1-header.xml": LATIN1_BY_HEADER}
FEED_TYPES = {"/feeds/latin1-header.xml": "application/rss+xml; charset=ISO-8859-1"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code: int, body: bytes, ctype: str = "application/xml", headers: dict | None = None, length: int | None = None):
        self.server.log.append((urlsplit(self.path).path, urlsplit(self.path).query, dict(self.headers.items()), code))
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Connection", "close")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def do_GET(self):
        srv = self.server
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        if url.path == "/hf/daily_papers":
            return self.send(200, json.dumps(HF_DAILY.get(q.get("date", [""])[0], [])).encode(), "application/json")
        if url.path == "/arxiv/query":
            start, size = int(q.get("start", ["0"])[0]), int(q.get("max_results", ["10"])[0])
            query = q.get("search_query", [""])[0]
            rows = srv.listing if query.startswith("cat:cs.CL") or query.startswith("au:") else []
            return self.send(200, atom(dict(rows[start:start + size])), "application/atom+xml")
        if url.path in FEEDS or url.path.startswith("/feeds/big"):
            body = FEEDS[url.path] if url.path in FEEDS else big_rss(int(url.path.removeprefix("/feeds/big").removesuffix(".xml") or 500))
            body = srv.feed_override.get(url.path, body)
            body = body if isinstance(body, bytes) else body.encode()
            etag = f'"{hash(body) & 0xffffffff:x}"'
            modified = formatdate(1704196800, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, b"", headers={"ETag": etag})
            return self.send(200, body, FEED_TYPES.get(url.path, "application/rss+xml"), {"ETag": etag, "Last-Modified": modified})
        if url.path == "/broken/html":
            return self.send(200, b"<!DOCTYPE html><html><head><title>Login</title></head><body><p>Please sign in<br></body></html>", "text/html")
        if url.path == "/broken/truncated":
            return self.send(200, RSS2[: len(RSS2) // 2].encode())
        if url.path == "/broken/short":  # the connection closes before Content-Length bytes
            return self.send(200, RSS2[:200].encode(), length=len(RSS2))
        if url.path == "/broken/big":
            return self.send(200, b"<rss>" + b"x" * (10 * 2**20) + b"</rss>")
        if url.path == "/broken/bomb":
            return self.send(200, BOMB.encode())
        if url.path == "/broken/429":
            return self.send(429, b"slow down", "text/plain", {"Retry-After": "5"})
        if url.path == "/broken/json":
            return self.send(200, b"{not json", "application/json")
        return self.send(404, b"not found", "text/plain")


class FeedServer(ApiServer):
    def __init__(self, listing: int = 25):
        super().__init__(Handler)
        self.httpd.listing = [listing_paper(n) for n in range(listing, 0, -1)]
        self.httpd.feed_override = {}
        self.url = f"http://127.0.0.1:{self.port}"

    def __getattr__(self, name):
        return getattr(self.httpd, name)
