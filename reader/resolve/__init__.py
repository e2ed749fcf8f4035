"""Completing title-only papers from the Hugging Face and arXiv APIs.

Pure core (no textual): the CLI and the TUI both drive :class:`Resolver`.
"""
