"""SHA-256 of text, without the start-up cost of hashlib.

``import hashlib`` loads OpenSSL (about 4 ms, on every ``ritual plan``). CPython
also ships its own SHA-2 as built-in modules (the standard library's ``random``
takes SHA-512 from them the same way); the digest is the same.
"""

from __future__ import annotations

import sys

# Asked for by version: a failed import costs a search of every sys.path entry.
try:
    if sys.version_info >= (3, 12):
        from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]
    else:
        from _sha256 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
except ImportError:  # another interpreter
    from hashlib import sha256  # type: ignore[assignment,no-redef,unused-ignore]


def sha256_hex(data: str | bytes) -> str:
    """The SHA-256 of ``data`` (text as UTF-8), in hex."""
    return str(sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest())
