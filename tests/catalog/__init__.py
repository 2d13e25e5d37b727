"""The catalog as people browse and edit it: authors, albums and songs, their forms, pages and
lists (pagers, filters, sorting at any size)."""
