"""Text that arrives inside files: what may be kept of it."""

import unicodedata

# Control characters (NUL, CR, LF, ESC) and invisible formatting ones (a right-to-left
# override disguises a name): PostgreSQL refuses NUL outright, the others break headers or
# mislead readers.
HIDDEN_CATEGORIES = ("Cc", "Cf")


def visible_text(text: str) -> str:
    """The text without control or invisible formatting characters."""
    return "".join(c for c in text if unicodedata.category(c) not in HIDDEN_CATEGORIES)
