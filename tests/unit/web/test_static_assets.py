"""The dashboard's files work offline: no template or static file refers to another
host, and every vendored file is the one its manifest records."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from importlib import resources
from pathlib import Path

WEB = Path(str(resources.files("shopdb.web")))
VENDOR = WEB / "static" / "vendor"
# an absolute or scheme-relative URL: http://x, https://x, //x.y, ws://x
URL = re.compile(r"""(?:\b(?:https?|wss?|ftp):)?//[a-z0-9-]+(?:\.[a-z0-9-]+)+""", re.I)
# namespace names are identifiers, never fetched
NAMESPACES = ("http://www.w3.org",)


def _urls(text: str) -> set[str]:
    found = set()
    for match in URL.finditer(text):
        start = match.start()
        if (
            start > 0
            and text[start - 1] in "/:"
            and not match.group(0).startswith(("http", "ws", "ftp"))
        ):
            continue  # the tail of a longer match, or a regex like /x//y
        found.add(match.group(0))
    return {u for u in found if not u.startswith(NAMESPACES)}


def _own_files() -> list[Path]:
    files = [*WEB.joinpath("templates").rglob("*"), *WEB.joinpath("static").glob("*")]
    return [f for f in files if f.is_file()]


def test_templates_and_own_static_files_name_no_other_host() -> None:
    offenders = {str(f.relative_to(WEB)): sorted(_urls(f.read_text())) for f in _own_files()}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(offenders) > 10


def test_templates_load_scripts_and_styles_from_this_site_only() -> None:
    for template in WEB.joinpath("templates").glob("*.html"):
        for attr in re.findall(r'\s(?:src|href|action)="([^"{]+)"', template.read_text()):
            assert attr.startswith(("/", "#")), f"{template.name}: {attr}"


def test_vendored_files_match_their_manifest_and_mention_only_known_urls() -> None:
    manifest = json.loads(VENDOR.joinpath("MANIFEST.json").read_text())["files"]
    on_disk = {f.name for f in VENDOR.glob("*.js")}
    assert on_disk == set(manifest)
    for name, entry in manifest.items():
        data = VENDOR.joinpath(name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        assert entry["version"] and entry["license"]
        assert VENDOR.joinpath(entry["license_file"]).is_file()
        mentioned = _urls(data.decode("utf-8"))
        known = _urls(" ".join(entry["mentions"]))
        assert mentioned <= known, (
            f"{name} names hosts its manifest does not list: {mentioned - known}"
        )


def test_javascript_fits_the_budget() -> None:
    def gz(name: str) -> int:
        return len(gzip.compress(WEB.joinpath("static", name).read_bytes(), 9))

    plain = gz("vendor/htmx.min.js") + gz("app.js")
    charts = plain + gz("vendor/chart.umd.min.js")
    assert plain <= 30 * 1024
    assert charts <= 300 * 1024
