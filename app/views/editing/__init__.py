"""Changing many rows at once, exporting lists, and the history of changes."""
