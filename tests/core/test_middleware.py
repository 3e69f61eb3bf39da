"""Request bodies are bounded before any view reads them."""

import pytest
from django.test import Client

from partnerships.models import Partnership
from submissions.models import ProposedChange

pytestmark = pytest.mark.django_db


def _multipart(size: int) -> tuple[bytes, str]:
    boundary = "----sharedmapboundary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="name"\r\n\r\nA proposal\r\n'
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="upload"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + b"x" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_twelve_megabyte_upload_to_a_public_form_is_refused_unread():
    body, content_type = _multipart(12 * 1024 * 1024)
    before = ProposedChange.objects.count()
    response = Client().generic("POST", "/refresh/propose/", body, content_type=content_type)
    assert response.status_code == 413
    assert "Too much was sent" in response.content.decode()
    assert "at most 3,145,728" in response.content.decode()
    assert ProposedChange.objects.count() == before


def test_an_ordinary_form_post_still_reaches_the_form():
    response = Client().post("/refresh/propose/", {"name": "x"})
    assert response.status_code in (200, 302, 400, 429)
    assert response.status_code != 413


def test_staff_may_upload_a_larger_file_under_the_admin_but_not_without_bound(admin_client):
    body, content_type = _multipart(4 * 1024 * 1024)
    url = "/admin/partnerships/partnership/upload-csv/"
    response = admin_client.generic("POST", url, body, content_type=content_type)
    assert response.status_code != 413
    body, content_type = _multipart(7 * 1024 * 1024)
    before = Partnership.objects.count()
    response = admin_client.generic("POST", url, body, content_type=content_type)
    assert response.status_code == 413
    assert Partnership.objects.count() == before


def test_a_content_length_that_is_not_a_number_is_a_400():
    response = Client().generic(
        "POST", "/refresh/propose/", b"a=b", CONTENT_LENGTH="1²", content_type="text/plain"
    )
    assert response.status_code == 400
    assert "Content-Length is not a number" in response.content.decode()
