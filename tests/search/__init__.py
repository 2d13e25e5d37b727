"""Search: the /search/ answers and results page, the pickers, the list filters' matching."""
