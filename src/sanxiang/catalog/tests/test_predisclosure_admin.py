"""Admin of 事前公开 documents: read-only (publishers write through the staff editor)."""

from __future__ import annotations

import pytest

from sanxiang.catalog.models import PreDisclosureDocument

pytestmark = pytest.mark.django_db


def test_admin_lists_and_shows_documents_read_only(admin_client):
    assert admin_client.get("/admin/catalog/predisclosuredocument/").status_code == 200
    row = PreDisclosureDocument.objects.get(slug="city-procedures")
    page = admin_client.get(f"/admin/catalog/predisclosuredocument/{row.pk}/change/")
    assert page.status_code == 200 and 'name="body"' not in page.content.decode()
    assert admin_client.get("/admin/catalog/predisclosuredocument/add/").status_code == 403
    assert admin_client.get(f"/admin/catalog/predisclosuredocument/{row.pk}/delete/").status_code == 403
    response = admin_client.post(f"/admin/catalog/predisclosuredocument/{row.pk}/change/", {"body": "x"})
    assert response.status_code == 403
    assert PreDisclosureDocument.objects.get(pk=row.pk).body == row.body
