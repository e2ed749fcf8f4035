"""Citations in every common format. Pure core: no textual imports.

``render(papers_with_keys, fmt)`` is the one entry point the TUI and CLI use;
keys come from :mod:`reader.citations.keys` and are pinned by the caller.
"""

from reader.citations.formats import FORMAT_LABELS, FORMATS, Annotation, incomplete_fields, render

__all__ = ["FORMATS", "FORMAT_LABELS", "Annotation", "incomplete_fields", "render"]
