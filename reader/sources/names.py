"""Structured author names (family, given, particle, suffix, literal) written in the
convention of :class:`reader.model.Paper`: "Ashish Vaswani", "van der Waals, Johannes",
"Steele, Jr., Guy L.", "{World Health Organization}"."""

from __future__ import annotations

from reader.citations.names import Name, reads_back_plainly
from reader.citations.names import format_name as name_text
from reader.text import clean


def format_name(family: str = "", given: str = "", particle: str = "", suffix: str = "", literal: str = "") -> str:
    # each part cleaned, the empty ones skipped (the arXiv snapshot has millions of names)
    family, given = clean(family).strip(" ,"), clean(given).strip(" ,")
    particle = particle and clean(particle).strip(" ,")
    suffix = suffix and clean(suffix).strip(" ,")
    literal = literal and clean(literal).strip(" ,")
    if literal or not (family or given):
        literal = literal or ""
        return literal if " " not in literal else "{" + literal + "}"
    full = f"{particle} {family}".strip() if family else given
    if not family:  # a single name given as "given" only
        return full if " " not in full else "{" + full + "}"
    if suffix:
        return f"{full}, {suffix}, {given}" if given else f"{full}, {suffix},"
    if not given:
        return full if " " not in full else "{" + full + "}"
    # "Given Family" when it reads back the same, else the comma form: "Beethoven, Ludwig van"
    # keeps "van" a dropping particle (as CSL-JSON's dropping-particle gives it)
    if not particle and reads_back_plainly(given, family):
        return f"{given} {family}"
    return name_text(Name(family, given, particle=particle))
