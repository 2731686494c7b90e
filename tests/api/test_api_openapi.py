"""The OpenAPI document is committed and reviewed; ``/docs`` works without a network."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from api_support import TestClient

from shopdb.api.openapi import openapi_document

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "src" / "shopdb" / "api" / "static" / "swagger-ui"


def test_the_committed_openapi_document_is_the_apps() -> None:
    committed = (REPO / "docs" / "openapi.json").read_text(encoding="utf-8")
    # a failure here means the API changed: review the difference, then regenerate with
    # .venv/bin/python -m shopdb.api.openapi > docs/openapi.json
    assert openapi_document() == committed


def test_the_document_is_openapi_3_1_and_every_error_is_problem_json() -> None:
    document = json.loads(openapi_document())
    assert document["openapi"].startswith("3.1")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if int(code) >= 400 and path.startswith("/v1/"):
                    assert list(response.get("content", {})) == ["application/problem+json"], (
                        method,
                        path,
                        code,
                    )
            if path.startswith("/v1/"):
                assert operation["x-scope"], (method, path)


def test_the_served_document_is_the_committed_one(client: TestClient) -> None:
    served = client.get("/v1/openapi.json")
    assert served.status_code == 200
    assert served.json() == json.loads((REPO / "docs" / "openapi.json").read_text(encoding="utf-8"))


def test_docs_load_only_vendored_assets(client: TestClient) -> None:
    page = client.get("/docs")

    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/docs/assets/") for s in sources)
    assert "cdn" not in page.text.lower()
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert len(asset.content) > 500


def test_the_vendored_files_are_the_recorded_ones() -> None:
    record = (ASSETS / "VENDORED.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\S+) \| `([0-9a-f]{64})` \|$", record, re.M)
    assert len(rows) == 6
    for name, digest in rows:
        assert hashlib.sha256((ASSETS / name).read_bytes()).hexdigest() == digest, name
    assert "Apache-2.0" in record and "5.35.0" in record
