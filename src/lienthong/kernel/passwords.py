"""Password hashes: argon2id through argon2-cffi (its default type and parameters,
RFC 9106's second recommended setting).

Only the hash is stored. :func:`verify` also tells when a stored hash was made with
weaker parameters than today's, so the caller can store a new one on the next sign-in.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()  # argon2id
# Checked when nobody has the code given, so that an unknown code takes as long as a
# wrong password (the answer's time does not tell which codes exist).
_DUMMY = _HASHER.hash("lienthong: no such user")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored: str | None, password: str) -> tuple[bool, bool]:
    """``(matches, needs_rehash)``; a missing or broken hash never matches."""
    try:
        _HASHER.verify(stored or _DUMMY, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, False
    if stored is None:
        return False, False
    return True, _HASHER.check_needs_rehash(stored)
