"""A rendered decision converts to PDF with LibreOffice (when installed)."""

import shutil
import subprocess

import pytest

from sanxiang.cases.documents import render_docx
from sanxiang.catalog.data.document_templates import DEFAULT_TEMPLATES

from . import samples

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(OFFICE is None, reason="libreoffice/soffice is not on PATH")
def test_decision_converts_to_pdf(tmp_path):
    template = next(t for t in DEFAULT_TEMPLATES if t["code"] == "penalty_decision")
    source = tmp_path / "decision.docx"
    source.write_bytes(render_docx(template, samples.context("penalty_decision")))
    profile = tmp_path / "profile"  # private profile: no clash with a running office
    result = subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "decision.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists(), result.stdout + result.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        compact = "".join(text.split())
        assert samples.PARTY in compact
        assert samples.DOCUMENT_NUMBER in compact
