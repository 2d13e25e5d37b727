"""Finding catalog rows by what people type: folded search keys and ranked matching."""
