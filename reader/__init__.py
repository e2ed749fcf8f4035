"""reader: a keyboard-first reading queue for research papers."""

__version__ = "0.1.0"
