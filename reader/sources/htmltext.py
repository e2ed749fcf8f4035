"""HTML (feed summaries and titles) reduced to plain text."""

from __future__ import annotations

from html.parser import HTMLParser

from reader.text import clean

_BLOCKS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section"}
_SKIP = {"script", "style"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str, keep_newlines: bool = False) -> str:
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return clean(html, keep_newlines=keep_newlines)
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    if keep_newlines:
        text = "\n".join(line for line in (ln.strip() for ln in text.split("\n")) if line)
    return clean(text, keep_newlines=keep_newlines)
