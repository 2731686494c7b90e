"""The API's OpenAPI 3.1 document as committed in ``docs/openapi.json``.

Regenerate it after a reviewed change: ``.venv/bin/python -m shopdb.api.openapi >
docs/openapi.json``; a test fails while the committed copy differs from the app's.
"""

from __future__ import annotations

import json

from shopdb.api.app import create_app
from shopdb.config import load_settings


def openapi_document() -> str:
    """The document, as stable text (no database is touched: the app is only built)."""
    app = create_app(load_settings({}, "sqlite:///unused.sqlite3"))
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(openapi_document(), end="")
