"""Evidence files of the demo data set (演示证据文件): tiny but real, generated in code.

* Photos: PNG (a minimal encoder over ``zlib``: a colour gradient with the case number, the
  evidence number and the time drawn in a 3×5 pixel font) and baseline JPEG (a minimal
  encoder that codes only the DC coefficient of each 8×8 block, so the picture is a block
  mosaic: a gradient with the evidence number in big block letters). Both decode with any
  viewer; both are sniffed as image/png and image/jpeg.
* Audio: WAV (``wave`` module), 8 kHz mono 16-bit, two short tones.
* Video: MP4. When ``ffmpeg`` is installed a one-second H.264 test pattern with a tone is
  encoded once per process (in a temporary directory, read into memory); each video then
  gets its own bytes by a trailing top-level ``free`` box naming the evidence (ISO/IEC 14496-12
  §8.1.2: free space, ignored by players), so identical files are not stored as one blob.
  Without ``ffmpeg`` a minimal ISO-BMFF file (``ftyp`` + ``free`` + ``mdat``, no playable
  track) is written instead: sniffed as video/mp4, but it does not play. ``video_source()``
  says which one is in use.

Pure Python and the standard library only (plus the optional ``ffmpeg`` binary).
"""

from __future__ import annotations

import array
import functools
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
import zlib
from io import BytesIO

# --- the 3×5 pixel font ----------------------------------------------------------------------

_FONT: dict[str, tuple[str, ...]] = {
    "0": ("111", "101", "101", "101", "111"), "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"), "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"), "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"), "7": ("111", "001", "001", "010", "010"),
    "8": ("111", "101", "111", "101", "111"), "9": ("111", "101", "111", "001", "111"),
    "A": ("010", "101", "111", "101", "101"), "B": ("110", "101", "110", "101", "110"),
    "C": ("011", "100", "100", "100", "011"), "D": ("110", "101", "101", "101", "110"),
    "E": ("111", "100", "110", "100", "111"), "F": ("111", "100", "110", "100", "100"),
    "G": ("011", "100", "101", "101", "011"), "H": ("101", "101", "111", "101", "101"),
    "I": ("111", "010", "010", "010", "111"), "J": ("001", "001", "001", "101", "010"),
    "K": ("101", "101", "110", "101", "101"), "L": ("100", "100", "100", "100", "111"),
    "M": ("101", "111", "111", "101", "101"), "N": ("110", "101", "101", "101", "101"),
    "O": ("010", "101", "101", "101", "010"), "P": ("110", "101", "110", "100", "100"),
    "Q": ("010", "101", "101", "110", "011"), "R": ("110", "101", "110", "101", "101"),
    "S": ("011", "100", "010", "001", "110"), "T": ("111", "010", "010", "010", "010"),
    "U": ("101", "101", "101", "101", "111"), "V": ("101", "101", "101", "101", "010"),
    "W": ("101", "101", "111", "111", "101"), "X": ("101", "101", "010", "101", "101"),
    "Y": ("101", "101", "010", "010", "010"), "Z": ("111", "001", "010", "100", "111"),
    "-": ("000", "000", "111", "000", "000"), ":": ("000", "010", "000", "010", "000"),
    ".": ("000", "000", "000", "000", "010"), "/": ("001", "001", "010", "100", "100"),
    "#": ("101", "111", "101", "111", "101"), " ": ("000", "000", "000", "000", "000"),
}


def _glyph_pixels(text: str, scale: int) -> tuple[list[tuple[int, int]], int]:
    """The lit pixels (x, y) of `text` at `scale`, and its width in pixels."""
    lit = []
    for i, ch in enumerate(text.upper()):
        rows = _FONT.get(ch, _FONT[" "])
        for y, row in enumerate(rows):
            for x, bit in enumerate(row):
                if bit == "1":
                    for dy in range(scale):
                        for dx in range(scale):
                            lit.append((i * 4 * scale + x * scale + dx, y * scale + dy))
    return lit, max(0, len(text) * 4 * scale - scale)


def _hues(seed: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Two colours of a gradient chosen by `seed` (muted, like a photo under daylight)."""
    palette = [((70, 110, 150), (190, 200, 170)), ((90, 120, 80), (200, 190, 150)),
               ((120, 90, 70), (210, 200, 180)), ((60, 80, 110), (170, 190, 210)),
               ((100, 100, 100), (200, 210, 200)), ((80, 110, 120), (220, 200, 160))]
    return palette[seed % len(palette)]


# --- PNG -------------------------------------------------------------------------------------

def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_photo(lines: list[str], *, seed: int = 0, width: int = 200, height: int = 150) -> bytes:
    """A PNG photo: a diagonal colour gradient with `lines` of text (3×5 font, scale 2)."""
    left, right = _hues(seed)
    base = bytearray()
    for x in range(width):
        t = x / (width - 1)
        base += bytes(int(a + (b - a) * t) for a, b in zip(left, right, strict=True))
    base = bytes(base)
    rows = []
    for y in range(height):
        shade = 0.65 + 0.35 * (1 - y / (height - 1))  # darker towards the bottom
        table = bytes(min(255, int(v * shade)) for v in range(256))
        rows.append(bytearray(base.translate(table)))
    for n, line in enumerate(lines):
        pixels, _width = _glyph_pixels(line, 2)
        top = 10 + n * 16
        for colour, off in (((20, 20, 20), 1), ((255, 255, 240), 0)):  # shadow, then text
            for x, y in pixels:
                px, py = 8 + x + off, top + y + off
                if 0 <= px < width and 0 <= py < height:
                    rows[py][px * 3:px * 3 + 3] = bytes(colour)
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    comment = b"Comment\x00Sanxiang demo evidence (generated): " + " | ".join(lines).encode("ascii", "replace")
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"tEXt", comment)
            + _png_chunk(b"IDAT", zlib.compress(raw, 9)) + _png_chunk(b"IEND", b""))


# --- JPEG (baseline, DC coefficients only) -------------------------------------------------

class _Bits:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value: int, length: int) -> None:
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0x00)  # byte stuffing
                self.acc, self.n = 0, 0

    def flush(self) -> bytes:
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)  # pad with one-bits
        return bytes(self.out)


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload


def jpeg_photo(label: str, *, seed: int = 0, blocks_wide: int = 24, blocks_high: int = 18) -> bytes:
    """A baseline JPEG whose 8×8 blocks are flat: a gradient with `label` in block letters.

    Only DC coefficients are coded (quantisation 1, every AC run ends at once with EOB), with
    two tiny Huffman tables: DC categories 0–11 as 4-bit codes, AC only EOB as the code "0".
    """
    left, right = _hues(seed + 3)
    grid = []
    for by in range(blocks_high):
        row = []
        for bx in range(blocks_wide):
            t = (bx / (blocks_wide - 1) + by / (blocks_high - 1)) / 2
            row.append(tuple(int(a + (b - a) * t) for a, b in zip(left, right, strict=True)))
        grid.append(row)
    pixels, width = _glyph_pixels(label, 1)
    x0, y0 = max(1, (blocks_wide - width) // 2), (blocks_high - 5) // 2
    for x, y in pixels:
        if 0 <= x0 + x < blocks_wide and 0 <= y0 + y < blocks_high:
            grid[y0 + y][x0 + x] = (250, 250, 235)

    def ycc(rgb):
        r, g, b = rgb
        return (0.299 * r + 0.587 * g + 0.114 * b,
                128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
                128 + 0.5 * r - 0.418688 * g - 0.081312 * b)

    bits, pred = _Bits(), [0, 0, 0]
    for row in grid:
        for rgb in row:
            for c, value in enumerate(ycc(rgb)):
                dc = max(-1023, min(1023, round(8 * (value - 128))))
                diff, pred[c] = dc - pred[c], dc
                size = abs(diff).bit_length()
                bits.put(size, 4)  # DC table: category k has the 4-bit code k
                if size:
                    bits.put(diff if diff > 0 else diff + (1 << size) - 1, size)
                bits.put(0, 1)  # AC table: EOB is the 1-bit code "0"
    height, width_px = blocks_high * 8, blocks_wide * 8
    jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\x00" + b"\x01" * 64
    sof = struct.pack(">BHHB", 8, height, width_px, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"
    dht = (b"\x00" + bytes([0, 0, 0, 12] + [0] * 12) + bytes(range(12))
           + b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    sos = b"\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00"
    comment = f"Sanxiang demo evidence (generated): {label}".encode("ascii", "replace")
    return (b"\xff\xd8" + _segment(0xE0, jfif) + _segment(0xFE, comment) + _segment(0xDB, dqt)
            + _segment(0xC0, sof) + _segment(0xC4, dht) + _segment(0xDA, sos) + bits.flush() + b"\xff\xd9")


# --- WAV -------------------------------------------------------------------------------------

def wav_tone(*, seed: int = 0, seconds: float = 0.8, rate: int = 8000) -> bytes:
    """A WAV file (8 kHz, mono, 16-bit): two tones with soft edges, pitch chosen by `seed`."""
    first, second = 330.0 + 55.0 * (seed % 7), 440.0 + 40.0 * (seed % 5)
    count = int(rate * seconds)
    half = count // 2
    samples = array.array("h")
    for i in range(count):
        freq = first if i < half else second
        edge = min(1.0, (i % half) / 400, (half - i % half) / 400)
        samples.append(int(9000 * edge * math.sin(2 * math.pi * freq * i / rate)))
    if sys.byteorder == "big":
        samples.byteswap()
    out = BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return out.getvalue()


# --- MP4 -------------------------------------------------------------------------------------

def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


_FFMPEG_ATTEMPTS = (
    ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k"],
    ["-c:v", "mpeg4", "-q:v", "8", "-c:a", "aac", "-b:a", "32k"],
    ["-c:v", "mpeg4", "-q:v", "8", "-an"],
)


@functools.lru_cache(maxsize=1)
def _ffmpeg_base_video() -> bytes | None:
    """A one-second 160×120 test pattern with a tone, encoded once by ffmpeg; None without it."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None or os.environ.get("SANXIANG_DEMO_NO_FFMPEG"):
        return None
    with tempfile.TemporaryDirectory(prefix="sanxiang-demo-") as tmp:
        path = os.path.join(tmp, "video.mp4")
        for codec in _FFMPEG_ATTEMPTS:
            command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                       "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=1",
                       "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
                       *codec, "-shortest", "-movflags", "+faststart", "-f", "mp4", path]
            try:
                done = subprocess.run(command, capture_output=True, timeout=60, check=False)  # noqa: S603 (fixed argv)
            except (OSError, subprocess.TimeoutExpired):
                return None
            if done.returncode == 0 and os.path.getsize(path) > 0:
                with open(path, "rb") as fh:
                    return fh.read()
    return None


def video_source() -> str:
    """"ffmpeg" (a playable H.264/MPEG-4 file) or "minimal" (ftyp + mdat, sniffed as video/mp4)."""
    return "ffmpeg" if _ffmpeg_base_video() is not None else "minimal"


def mp4_video(label: str) -> bytes:
    """An MP4 file naming `label` in a trailing `free` box (see the module docstring)."""
    note = f"Sanxiang demo evidence (generated): {label}".encode()
    base = _ffmpeg_base_video()
    if base is not None:
        return base + _box(b"free", note)
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2mp41")
    return ftyp + _box(b"free", note) + _box(b"mdat", b"\x00" * 16)


def top_level_boxes(data: bytes) -> list[bytes]:
    """The types of the top-level ISO-BMFF boxes of `data` (for tests and checks)."""
    kinds, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
        if size < 8:
            break
        kinds.append(kind)
        offset += size
    return kinds if offset == len(data) else [*kinds, b"????"]
