"""A paper's record as the catalogue stores it: compact JSON (``ensure_ascii=False``), the
text ``json`` writes for ``paper.to_dict()``, written faster for a new paper (imports)."""

from __future__ import annotations

import json
from dataclasses import fields
from itertools import compress
from operator import attrgetter

from reader.model import Paper

encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_encode_str = json.encoder.encode_basestring  # what _encode does to a str (ensure_ascii=False)
_FIELDS = tuple(f.name for f in fields(Paper))
_values = attrgetter(*_FIELDS)
_INT_FIELDS = tuple(_FIELDS.index(name) for name in ("upvotes", "comments", "github_stars"))


_ESCAPED = bytes(range(32)) + b'"\\'  # what the json module escapes (ensure_ascii=False)
_KEYS = tuple(f',"{name}":' for name in _FIELDS)


def _plain(text: str) -> bool:
    """Nothing in ``text`` is escaped by json (no quote, backslash or control character):
    its JSON is the text in quotes. (Deleting those bytes from the UTF-8 is the fastest test
    here: str.isprintable or a regex take 2-3 times longer for an abstract.)"""
    try:
        raw = text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return len(raw.translate(None, _ESCAPED)) == len(raw)


def paper_json(paper: Paper) -> str:
    """``encode(paper.to_dict())``, the same text, from the fields that are set, joined
    once (a third of the Python cost of importing a paper was building and encoding that
    dict, most of it copying the abstract from one string into the next)."""
    values = _values(paper)
    keep = list(map(bool, values))
    for i in _INT_FIELDS:  # a count of 0 is kept
        if type(values[i]) is int:
            keep[i] = True
    if len(keep) - sum(keep) != values.count(None) + values.count("") + values.count([]):
        return encode(paper.to_dict())  # another falsy value to_dict keeps (False, 0.0)
    out: list[str] = []
    for key, value in compress(zip(_KEYS, values, strict=True), keep):
        kind = type(value)
        if kind is str:
            out += (key, '"', value, '"') if _plain(value) else (key, _encode_str(value))
        elif kind is int:
            out += (key, int.__repr__(value))
        elif kind is list and all(type(v) is str and _plain(v) for v in value):
            out += (key, '["', '","'.join(value), '"]')
        else:  # anything else a parser may have left: as json writes it
            out += (key, encode(value))
    if not out:
        return "{}"
    out[0] = "{" + out[0][1:]
    out.append("}")
    return "".join(out)
