"""Listening: each person's play queue for the web player."""
