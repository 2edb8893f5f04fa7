"""Encryption at rest for what identifies a resident (the callback queue): AES-256-GCM.

The key is derived (HKDF-SHA256) from the records key (WEGWIJZER_RECORDS_KEY or var/records.key), with a purpose
of its own, so the conversation hash and this cipher never share key material. Each value gets a fresh 96-bit
nonce; the associated data binds a sealed value to what it belongs to (the gemeente), so a value copied to another
row does not open. A stored value is 'v1.' + urlsafe base64 of nonce + ciphertext + tag.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1."
NONCE_BYTES = 12
PURPOSE = b"wegwijzer callback queue v1"


class Unreadable(ValueError):
    """A sealed value that does not open: another key, or changed in the database."""


class Sealer:
    def __init__(self, records_key: bytes) -> None:
        if not records_key:
            raise ValueError("de sleutel van de gespreksverslagen is leeg")
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(records_key)
        self._aead = AESGCM(derived)

    def seal(self, data: dict[str, Any], context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        sealed = self._aead.encrypt(nonce, plain, context.encode("utf-8"))
        return VERSION + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, value: str, context: str) -> dict[str, Any]:
        if not value.startswith(VERSION):
            raise Unreadable("onbekende vorm")
        try:
            raw = base64.urlsafe_b64decode(value[len(VERSION) :].encode("ascii"))
            plain = self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8"))
        except (InvalidTag, ValueError) as error:
            raise Unreadable("past niet bij deze sleutel") from error
        data = json.loads(plain)
        if not isinstance(data, dict):
            raise Unreadable("geen verzoek")
        return data
