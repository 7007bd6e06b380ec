"""Content sniffing (文件类型识别) from magic bytes, and file-name sanitising. Pure, stdlib only.

The sniffed type is recorded beside the type the client claimed; neither decides anything
on its own. Formats are those archives expect for enforcement records (RULES.md R8.9:
OFD/PDF text, JPEG/TIFF images, WAV/MP3 audio, MPEG/MP4/AVI video) plus what body cameras
and phones commonly produce.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
import zlib

HEAD_BYTES = 8192
OCTET_STREAM = "application/octet-stream"

_FTYP_BRANDS = {
    b"qt  ": "video/quicktime",
    b"M4A ": "audio/mp4",
    b"M4B ": "audio/mp4",
    b"3gp4": "video/3gpp", b"3gp5": "video/3gpp", b"3gp6": "video/3gpp", b"3g2a": "video/3gpp2",
    b"heic": "image/heic", b"heix": "image/heic", b"mif1": "image/heif",
}


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio frame header (MP3 without ID3 tag): 11 sync bits, valid version and layer."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end of the head
            return False
        text = head[:exc.start].decode("utf-8")
    return all(ch in "\t\n\r\f" or unicodedata.category(ch) != "Cc" for ch in text)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAX_CONTENT_TYPES = 1024 * 1024


def _zip_type(head: bytes, path: str | os.PathLike | None) -> str:
    """OFD (GB/T 33190, a ZIP package with OFD.xml at its root), DOCX (ISO/IEC 29500 word
    processing package: ``[Content_Types].xml`` declaring the main document part) or plain ZIP."""
    if head[30:37] == b"OFD.xml":  # name of the first local file header
        return "application/ofd"
    if path is not None:
        try:
            with zipfile.ZipFile(path) as archive:  # reads the central directory only
                names = archive.namelist()
                if "OFD.xml" in names:
                    return "application/ofd"
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    info = archive.getinfo("[Content_Types].xml")
                    if info.file_size <= _MAX_CONTENT_TYPES and _DOCX_MAIN in archive.read(info):
                        return DOCX
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, zlib.error):
            pass
    return "application/zip"


def sniff(head: bytes, path: str | os.PathLike | None = None) -> str:
    """The media type of content starting with `head` (first HEAD_BYTES bytes).

    `path`, when given, is the complete file on disk, consulted only for ZIP packages
    (whose directory is at the end). Unknown binary content is application/octet-stream.
    """
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return _FTYP_BRANDS.get(brand, "video/mp4")
    if head[:4] == b"RIFF":
        return {b"AVI ": "video/x-msvideo", b"WAVE": "audio/wav", b"WEBP": "image/webp"}.get(
            head[8:12], OCTET_STREAM)
    if head[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[:5] == b"%PDF-":
        return "application/pdf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip_type(head, path)
    if head[:3] == b"ID3" or _mpeg_audio_frame(head):
        return "audio/mpeg"
    if head[:4] == b"\x00\x00\x01\xba":
        return "video/mpeg"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/x-matroska"
    if len(head) > 188 and head[0] == 0x47 and head[188] == 0x47:
        return "video/mp2t"
    if _looks_like_text(head):
        return "text/plain"
    return OCTET_STREAM


# --- file names ---------------------------------------------------------------------------

MAX_FILENAME_BYTES = 255
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_FORBIDDEN = set('<>:"/\\|?*')


def sanitize_filename(name: str | None) -> str:
    """A display name safe on any file system: last path component, no control characters,
    no characters Windows refuses, no reserved device names, at most 255 UTF-8 bytes
    (extension kept). May be empty. It is never used to build a path: blobs are named by hash.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFC", str(name))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(
        "_" if ch in _FORBIDDEN else " " if ch in "\t\r\n\v\f" else ch
        for ch in text
        if ch in "\t\r\n\v\f" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
    )
    text = " ".join(text.split())  # tabs, odd spaces, runs of blanks → one space
    text = text.strip(" .")
    if not text:
        return ""
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    if stem.split(".")[0].upper().rstrip() in _WINDOWS_RESERVED:
        text = "_" + text
        stem = "_" + stem
    if len(text.encode("utf-8")) > MAX_FILENAME_BYTES:
        suffix = f".{ext}" if ext and len(ext.encode("utf-8")) <= 16 else ""
        budget = MAX_FILENAME_BYTES - len(suffix.encode("utf-8"))
        base = stem if suffix else text
        cut = base.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip(" .")
        text = cut + suffix
    return text
