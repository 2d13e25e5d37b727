"""Editing many records at once and looking back: bulk actions, CSV export, change history."""
