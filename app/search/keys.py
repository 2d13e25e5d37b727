"""Search keys: names and titles folded so "cafe" finds "Café" and "BJORK" finds "Björk"."""

import re
import unicodedata

#: Longest stored key; titles are at most 200 characters, folding rarely lengthens them.
KEY_LENGTH = 400

#: Letters that carry no combining accent in Unicode, so NFKD leaves them alone.
UNDECOMPOSED_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
APOSTROPHES = re.compile(r"['’ʼ`´]")
SEPARATORS = re.compile(r"[\W_]+")


def search_key(text: str | None) -> str:
    """Fold text for matching and sorting: lower case, no accents, no punctuation.

    "Don't Stop (Live)" -> "dont stop live"; "Björk" -> "bjork"; "AC/DC" -> "ac dc".
    """
    if not text:
        return ""
    # Case first: folding can itself produce combining marks (İ -> i̇).
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    bare = APOSTROPHES.sub("", bare.translate(UNDECOMPOSED_LETTERS))
    return SEPARATORS.sub(" ", bare).strip()[:KEY_LENGTH]
