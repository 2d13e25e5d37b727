"""Reading environment variables, and the project folder the defaults are relative to."""

import os
from pathlib import Path

#: The project folder (where config.py is): two levels above app/settings/.
BASE_DIR = Path(__file__).resolve().parents[2]


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read a whole-number environment variable, falling back to a default."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default
