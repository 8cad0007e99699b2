"""Evidence files of a visit (audio recordings and photos): what a file really is, and its fingerprint.

The browser's word for a file's type is not trusted: the first bytes decide. Only the formats phones
produce are accepted, so a document or a program cannot be filed as "evidence". Pure Python.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# (prefix at offset, offset, kind, label). ISO media ("ftyp" at 4) is told apart by its brand below.
_SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\xff\xd8\xff", 0, "photo", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", 0, "photo", "PNG"),
    (b"GIF87a", 0, "photo", "GIF"),
    (b"GIF89a", 0, "photo", "GIF"),
    (b"ID3", 0, "audio", "MP3"),
    (b"#!AMR", 0, "audio", "AMR"),
    (b"OggS", 0, "audio", "Ogg"),
    (b"fLaC", 0, "audio", "FLAC"),
    (b"\x1a\x45\xdf\xa3", 0, "audio", "WebM"),  # what Chrome's MediaRecorder writes
)
_PHOTO_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"avif"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"isom", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"qt  ", b"mp41"}


class NotEvidence(ValueError):
    """The file is not an audio recording or a photo arrears accepts."""


@dataclass(frozen=True)
class Sniffed:
    kind: str  # "audio" (a sound or video recording) or "photo"
    label: str  # the format, for the page


def sniff(head: bytes) -> Sniffed:
    """The kind of file from its first bytes (at least 16 are needed); :class:`NotEvidence` otherwise."""
    for prefix, offset, kind, label in _SIGNATURES:
        if head[offset : offset + len(prefix)] == prefix:
            return Sniffed(kind, label)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Sniffed("audio", "WAV")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("photo", "WebP")
    if (
        len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    ):  # an MPEG audio frame (MP3 without tags)
        return Sniffed("audio", "MP3")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _PHOTO_BRANDS:
            return Sniffed("photo", "HEIF")
        if brand in _AUDIO_BRANDS:
            return Sniffed("audio", "MPEG-4")
    raise NotEvidence("not an audio recording or a photo")


def sha256_of(chunks: object) -> str:
    """The SHA-256 of a file given as an iterable of byte chunks."""
    digest = hashlib.sha256()
    for chunk in chunks:  # type: ignore[attr-defined]
        digest.update(chunk)
    return digest.hexdigest()
