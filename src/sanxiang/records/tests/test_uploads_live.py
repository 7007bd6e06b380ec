"""A real dropped connection against a real HTTP server: the officer's phone loses the network
halfway through a chunk, comes back, asks for the offset and finishes the upload."""

from __future__ import annotations

import json
import os
import socket
import time
import urllib.request
from urllib.parse import urlsplit

from sanxiang.accounts import services as accounts
from sanxiang.records.models import Blob
from sanxiang.records.tests.evidence_support import MiB, sha256, sm3


def call(url: str, token: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback test server
        return response.status, json.loads(response.read() or b"null")


def test_upload_survives_a_connection_dropped_mid_chunk(live_server, make_user, vault):
    user = make_user("pudong", "officer", certificate=True)
    _token, token = accounts.token_create(user=user)
    data = os.urandom(3 * MiB)
    base = f"{live_server.url}/api/v1/uploads"
    status, created = call(base, token, "POST", json.dumps({"size": len(data), "sha256": sha256(data)}).encode(),
                           {"Content-Type": "application/json"})
    assert status == 201
    upload = f"{base}/{created['id']}"
    first, second = data[:2 * MiB], data[2 * MiB:]
    assert call(f"{upload}?offset=0", token, "PUT", first, {"X-Chunk-SHA256": sha256(first)})[1] == {"offset": 2 * MiB}

    # send the headers and half of the second chunk, then the network goes away
    where = urlsplit(live_server.url)
    with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
        sock.sendall(
            f"PUT /api/v1/uploads/{created['id']}?offset={2 * MiB} HTTP/1.1\r\n"
            f"Host: {where.netloc}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {len(second)}\r\n"
            f"X-Chunk-SHA256: {sha256(second)}\r\nConnection: close\r\n\r\n".encode() + second[:MiB // 2])
    time.sleep(0.3)  # let the server notice

    # the phone is back: where were we?
    assert call(upload, token)[1]["offset"] == 2 * MiB
    assert call(f"{upload}?offset={2 * MiB}", token, "PUT", second,
                {"X-Chunk-SHA256": sha256(second)})[1] == {"offset": len(data)}
    status, result = call(f"{upload}/finish", token, "POST", b"")
    assert status == 200
    assert (result["sha256"], result["sm3"], result["size"]) == (sha256(data), sm3(data), len(data))
    assert Blob.objects.filter(pk=sha256(data)).exists()

