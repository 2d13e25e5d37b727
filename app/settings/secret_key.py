"""SECRET_KEY: development's own random secret, and what production refuses."""

import math
import os
import secrets
from collections import Counter
from pathlib import Path

from app.settings.environment import BASE_DIR

#: Where development keeps the secret it made on first start (instance/ is never committed).
INSTANCE_DIR = BASE_DIR / "instance"
#: Placeholders people paste; production refuses to start with any of them.
KNOWN_DEV_SECRETS = frozenset({"", "changeme", "secret", "dev", "development"})
MIN_PRODUCTION_SECRET_LENGTH = 32
#: Estimated randomness a production secret needs (a 32-character hex key has about 120).
MIN_PRODUCTION_SECRET_BITS = 100


def development_secret(folder: Path = INSTANCE_DIR) -> str:
    """This machine's development secret: random, made on first start, kept in `folder`."""
    path = folder / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(secret)
    return secret


def estimated_bits(secret: str) -> float:
    """A secret's randomness: the entropy of its characters over its repeating unit."""
    unit = next(
        (
            secret[:size]
            for size in range(1, len(secret))
            if (secret[:size] * len(secret)).startswith(secret)
        ),
        secret,
    )
    counts = Counter(unit)
    per_character = -sum(n / len(unit) * math.log2(n / len(unit)) for n in counts.values())
    return len(unit) * per_character


def refuse_weak_secret(secret: str) -> None:
    """Raise unless the secret is long and random enough to sign production's sessions."""
    if (
        secret in KNOWN_DEV_SECRETS
        or len(secret) < MIN_PRODUCTION_SECRET_LENGTH
        or estimated_bits(secret) < MIN_PRODUCTION_SECRET_BITS
    ):
        raise RuntimeError(
            "Production needs SECRET_KEY set in the environment to a random value "
            f"of at least {MIN_PRODUCTION_SECRET_LENGTH} characters, not a repeated or "
            "guessable one, e.g. "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`.'
        )
