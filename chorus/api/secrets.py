"""Hashing of the technical accounts' passwords: salted SHA-256, checked on every call.

They are not people's passwords: the portal generates them (192 random bits, shown once),
so a slow key-derivation function buys nothing against guessing, while it would cost a few
hundred milliseconds on every API call (``cpro-account`` comes with each one).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALGORITHM = "sha256"


def secret_hash(secret: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()
    return f"{ALGORITHM}${salt}${digest}"


def secret_matches(secret: str, stored: str) -> bool:
    algorithm, _, rest = stored.partition("$")
    salt, _, expected = rest.partition("$")
    if algorithm != ALGORITHM or not salt or not expected:
        return False
    digest = hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()
    return hmac.compare_digest(digest, expected)
