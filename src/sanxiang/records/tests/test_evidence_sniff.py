"""Content type sniffed from the bytes (RULES.md R8.9 formats), file names sanitised."""

from __future__ import annotations

import io
import zipfile

import pytest

from sanxiang.records.sniff import MAX_FILENAME_BYTES, sanitize_filename, sniff


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("head, expected", [
    pytest.param(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "video/mp4", id="mp4"),
    pytest.param(b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", "video/quicktime", id="mov"),
    pytest.param(b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00", "audio/mp4", id="m4a"),
    pytest.param(b"RIFF\x24\x00\x00\x00AVI LIST", "video/x-msvideo", id="avi"),
    pytest.param(b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav", id="wav"),
    pytest.param(b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg", id="mp3-id3"),
    pytest.param(b"\xff\xfb\x90\x64" + b"\x00" * 100, "audio/mpeg", id="mp3-frame-sync"),
    pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg", id="jpeg"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png", id="png"),
    pytest.param(b"GIF89a\x01\x00", "image/gif", id="gif"),
    pytest.param(b"II*\x00\x08\x00\x00\x00", "image/tiff", id="tiff-le"),
    pytest.param(b"MM\x00*\x00\x00\x00\x08", "image/tiff", id="tiff-be"),
    pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "application/pdf", id="pdf"),
    pytest.param(zipped("OFD.xml", "Doc_0/Document.xml"), "application/ofd", id="ofd"),
    pytest.param(zipped("word/document.xml"), "application/zip", id="zip"),
    pytest.param(b"\x00\x00\x01\xba\x44\x00", "video/mpeg", id="mpeg-ps"),
    pytest.param("现场检查笔录\n第一页".encode(), "text/plain", id="utf8-text"),
    pytest.param(b"\x00\x01\x02\x03\x04binary", "application/octet-stream", id="unknown-binary"),
    pytest.param(b"", "application/octet-stream", id="empty"),
])
def test_sniff_magic_bytes(head, expected):
    assert sniff(head) == expected


def test_ofd_is_found_in_the_zip_directory_when_not_first(tmp_path):
    data = zipped("Doc_0/Document.xml", "OFD.xml")
    path = tmp_path / "x.ofd"
    path.write_bytes(data)
    assert sniff(data[:8192]) == "application/zip"  # the head alone cannot tell
    assert sniff(data[:8192], path) == "application/ofd"


def test_docx_is_found_by_its_content_types(tmp_path):
    """An issued document (ISO/IEC 29500 word processing package) is told from other ZIPs by the
    main part declared in [Content_Types].xml; the head alone cannot tell."""
    import docx

    path = tmp_path / "x.docx"
    docx.Document().save(path)
    data = path.read_bytes()
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert sniff(data[:8192], path) == docx_type
    assert sniff(data[:8192]) == "application/zip"
    other = tmp_path / "x.xlsx"  # a spreadsheet package is not a word-processing document
    other.write_bytes(zipped("[Content_Types].xml", "word/document.xml"))
    assert sniff(other.read_bytes()[:8192], other) == "application/zip"


def test_text_cut_in_the_middle_of_a_character_is_still_text():
    head = ("记录" * 3000).encode()[:8191]
    assert sniff(head) == "text/plain"


@pytest.mark.parametrize("name, expected", [
    pytest.param("../../etc/passwd", "passwd", id="traversal"),
    pytest.param("..\\..\\Windows\\System32\\drivers\\etc\\hosts", "hosts", id="windows-traversal"),
    pytest.param("/etc/shadow", "shadow", id="absolute"),
    pytest.param("C:\\Users\\张三\\现场录像.mp4", "现场录像.mp4", id="windows-path"),
    pytest.param("evil\x00\x1b[31m.mp4.exe", "evil[31m.mp4.exe", id="nul-and-escape"),
    pytest.param("a\r\nb\tc.txt", "a b c.txt", id="control-characters"),
    pytest.param("re\u202eport\u200b.pdf", "report.pdf", id="bidi-and-zero-width"),
    pytest.param('a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt", id="windows-forbidden"),
    pytest.param("CON", "_CON", id="con"),
    pytest.param("nul.txt", "_nul.txt", id="nul-device"),
    pytest.param("com1.tar.gz", "_com1.tar.gz", id="com1"),
    pytest.param("LPT9 .log", "_LPT9 .log", id="lpt9"),
    pytest.param("console.log", "console.log", id="not-reserved"),
    pytest.param("  .hidden ", "hidden", id="leading-dot"),
    pytest.param("trailing dots...", "trailing dots", id="trailing-dots"),
    pytest.param("..", "", id="dotdot"),
    pytest.param("", "", id="empty"),
    pytest.param(None, "", id="none"),
    pytest.param("现场检查 2026-11-02 09.30.mp4", "现场检查 2026-11-02 09.30.mp4", id="ordinary"),
    pytest.param("cafe\u0301.jpg", "caf\u00e9.jpg", id="nfc"),
])
def test_sanitize_filename(name, expected):
    assert sanitize_filename(name) == expected


@pytest.mark.parametrize("name", ["a" * 1000 + ".mp4", "录" * 400 + ".mp4", "x" * 300, "录" * 200])
def test_very_long_names_are_cut_to_255_bytes_keeping_the_extension(name):
    cleaned = sanitize_filename(name)
    assert 0 < len(cleaned.encode("utf-8")) <= MAX_FILENAME_BYTES
    cleaned.encode("utf-8").decode("utf-8")  # never cut inside a character
    if name.endswith(".mp4"):
        assert cleaned.endswith(".mp4")
