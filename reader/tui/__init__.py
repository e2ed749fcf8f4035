"""The Textual front end: a thin layer over :mod:`reader.triage`."""
