"""What listeners do with the catalog (their play queue), whatever door they come in by."""
