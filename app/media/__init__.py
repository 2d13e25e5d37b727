"""Audio file handling that knows nothing of Flask requests: checks, probing, storage."""
