"""Listening: each user's play queue, as the player keeps it."""
