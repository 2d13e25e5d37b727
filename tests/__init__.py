"""Setlist's tests, in folders named like the parts of app/ they test (see README's layout)."""
