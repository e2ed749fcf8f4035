"""Text transformations the CSL styles ask for, done the way citeproc-js does them:
title case (``text-case="title"``), typographic quotes, page ranges, month names.
"""

from __future__ import annotations

import re

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MLA_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.",
              "Nov.", "Dec."]

# citeproc-js's CSL.SKIP_WORDS (single words only: a one-word token never matches the others)
_STOP = set("""about above across afore after against al along alongside amid amidst among amongst
anenst apropos apud around as aside astride at athwart atop barring before behind below beneath
beside besides between beyond but by circa despite down during et except for forenenst from given
in inside into lest like modulo near next notwithstanding of off on onto out over per plus pro qua
sans since than through throughout thruout till to toward towards under underneath until unto up
upon versus vs. v. vs v via vis-à-vis with within without or yet so and nor a an the de d' von van
c ca""".split())
# what citeproc-js splits a title at before casing words: quotes, punctuation, brackets
_TAGS = re.compile(r"(\u2018|\u2019|\u201C|\u201D| \"| '|\"|'|[-\u2013\u2014/.,;?!:]|\[|\]|\(|\))")


def _capitalise(word: str) -> str:
    lead = len(word) - len(word.lstrip())
    if lead >= len(word):
        return word
    first = word[lead]
    if "\u0370" <= first <= "\u03ff" and len(word) == lead + 1:
        return word  # a lone Greek letter stays as it is
    return word[:lead] + first.upper() + word[lead + 1 :]


def _is_stop(lower: str) -> bool:
    return lower in _STOP


def title_case(text: str) -> str:
    """CSL title case as citeproc-js applies it to English titles: words written all in
    lowercase are capitalised unless they are stop words (which are capitalised first,
    last and after ``: ? !``); words with any capital are left alone."""
    pieces = _TAGS.split(text)
    strings, tags = pieces[0::2], pieces[1::2]
    # an apostrophe followed by text belongs to the word (Don't)
    for i in range(len(tags) - 1, -1, -1):
        if tags[i] == "'" and strings[i + 1]:
            strings[i + 1] = "'" + strings[i + 1]
            tags[i] = ""
    state = {"first": True, "after_punct": False, "last": None}

    def words_of(seg: int, following: str | None) -> None:
        parts = re.split(r"([\u00a0 \u2000-\u200b\u205f\u3000]+)", strings[seg])
        words = parts[0::2]
        for j, word in enumerate(words):
            if not word:
                continue
            lower = word.lower()
            cap = (len(word) > 1 and not _is_stop(lower)) or (j == len(words) - 1 and following == "-")
            cap = cap or state["first"] or state["after_punct"]
            if cap and word == lower:
                words[j] = _capitalise(word)
            state["first"] = state["after_punct"] = False
            state["last"] = (seg, j)
        parts[0::2] = words
        strings[seg] = "".join(parts)

    if strings[0].strip():
        words_of(0, tags[0] if tags else None)
    for i, tag in enumerate(tags):
        if re.search(r"[!?:]$", tag):
            state["after_punct"] = True
        words_of(i + 1, None)
        if strings[i + 1].strip():
            state["first"] = state["after_punct"] = False
    if state["last"] is not None:
        seg, j = state["last"]
        parts = re.split(r"([\u00a0 \u2000-\u200b\u205f\u3000]+)", strings[seg])
        word = parts[2 * j]
        if len(word) > 1 and _is_stop(word.lower()):
            parts[2 * j] = _capitalise(word)
            strings[seg] = "".join(parts)
    out = [strings[0]]
    for tag, s in zip(tags, strings[1:], strict=True):
        out += [tag, s]
    return "".join(out)


def smart_quotes(text: str, level: int = 0) -> str:
    """Straight quotes as typographic ones: apostrophes become ’, double quotes “…” (or
    ‘…’ inside a quoted title, ``level=1``)."""
    text = re.sub(r"(?<=\w)'", "\u2019", text)
    pairs = ["\u201c\u201d", "\u2018\u2019"]
    out, open_ = [], False
    for ch in text:
        if ch == '"':
            quote = pairs[level % 2]
            out.append(quote[1] if open_ else quote[0])
            open_ = not open_
        else:
            out.append(ch)
    return "".join(out)


_RANGE = re.compile(r"^(\d+)\s*(?:-+|\u2013)\s*(\d+)$")


def page_range(pages: str, form: str) -> str:
    """``form`` is the style's page-range-format: expanded, minimal-two, chicago-16."""
    pages = pages.strip()
    m = _RANGE.match(pages)
    if not m:
        return re.sub(r"(?<!\\)-+", "\u2013", pages)
    begin, end = m.group(1), m.group(2)
    if len(end) < len(begin):
        end = begin[: len(begin) - len(end)] + end
    b, e = int(begin), int(end)
    if b >= e:
        return f"{m.group(1)}\u2013{m.group(2)}"
    if form == "minimal-two" and len(begin) == len(end):
        keep = len(end)
        for i in range(len(begin)):
            if begin[i] == end[i] and keep > 2:
                keep -= 1
            else:
                break
        end = end[len(end) - keep :]
    elif form == "chicago-16" and b > 100 and b % 100:
        for i in range(2, len(end)):
            if b // 10**i == e // 10**i:
                end = str(e % 10**i)
                break
    return f"{begin}\u2013{end}"
