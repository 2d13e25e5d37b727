"""Finding catalog rows: the search box and its JSON answers."""
