"""Field encryption and keyed hashes for personal data (the ID number).

AES-256-GCM with a random nonce per value: the same ID number encrypts differently each time, so
the ciphertext tells nothing. Exact look-up uses an HMAC-SHA256 of the normalised value under a key
derived from the field key. Files people upload (creditor files full of ID numbers) are kept
encrypted the same way. Rotating ``ARREARS_FIELD_KEY`` therefore needs a re-encryption and
re-hash of the column (ADR 0003).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_VERSION = b"\x01"


@cache
def _keys(field_key: bytes) -> tuple[AESGCM, bytes]:
    hash_key = hmac.new(field_key, b"arrears/keyed-hash/v1", hashlib.sha256).digest()
    return AESGCM(field_key), hash_key


def encrypt_bytes(plain: bytes) -> bytes:
    aead, _ = _keys(settings.FIELD_KEY)
    nonce = os.urandom(12)
    return _VERSION + nonce + aead.encrypt(nonce, plain, _VERSION)


def decrypt_bytes(blob: bytes | memoryview) -> bytes:
    data = bytes(blob)
    if data[:1] != _VERSION:
        raise ValueError("unknown ciphertext version")
    aead, _ = _keys(settings.FIELD_KEY)
    return aead.decrypt(data[1:13], data[13:], _VERSION)


def encrypt(plain: str) -> bytes:
    return encrypt_bytes(plain.encode())


def decrypt(blob: bytes | memoryview) -> str:
    return decrypt_bytes(blob).decode()


def keyed_hash(plain: str) -> str:
    _, hash_key = _keys(settings.FIELD_KEY)
    return hmac.new(hash_key, plain.encode(), hashlib.sha256).hexdigest()
