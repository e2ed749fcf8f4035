"""The shape of one document in each data file: a bad document is skipped and
reported, never allowed to crash the program later."""

from __future__ import annotations

from dataclasses import fields

from reader.model import Paper
from reader.state import parse_state_doc

# Paper field -> the JSON types it may hold
_PAPER_TYPES: dict[str, tuple[type, ...]] = {}
for _f in fields(Paper):
    _t = str(_f.type)
    _PAPER_TYPES[_f.name] = (list,) if _t.startswith("list") else (int, type(None)) if "int" in _t else (str,)


def paper_problem(doc: object) -> str:
    if type(doc) is not dict:
        return f"not an object ({type(doc).__name__})"
    key, title = doc.get("key"), doc.get("title")
    if not isinstance(key, str) or not key:
        return "no paper key"
    if not isinstance(title, str) or not title.strip():
        return f"{key[:40]}: no title"
    for name, value in doc.items():
        types = _PAPER_TYPES.get(name)
        if types is not None and not isinstance(value, types):
            return f"{key[:40]}: {name} is {type(value).__name__}"
        if types == (int, type(None)) and isinstance(value, bool):
            return f"{key[:40]}: {name} is bool"
    for name in ("authors", "edited"):
        value = doc.get(name)
        if value and not all(isinstance(a, str) for a in value):
            return f"{key[:40]}: {name} holds a non-string"
    return ""


def state_problem(doc: object) -> str:
    parsed = parse_state_doc(doc)
    return parsed if isinstance(parsed, str) else ""


DOC_CHECKS = {"library": {"papers": paper_problem}, "state": {"state": state_problem}}
