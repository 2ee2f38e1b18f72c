"""Streamlit's hashed assets come from memory, gzip-compressed, cacheable for a year."""

from __future__ import annotations

import gzip

from starlette.testclient import TestClient

from yescount.web.assets import streamlit_static_dir


def _a_script() -> tuple[str, bytes]:
    js = sorted((streamlit_static_dir() / "static" / "js").glob("index.*.js"))[0]
    return f"/static/js/{js.name}", js.read_bytes()


def test_hashed_assets_are_compressed_cacheable_and_revalidated(client: TestClient) -> None:
    path, raw = _a_script()
    got = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert got.status_code == 200
    assert got.headers["content-encoding"] == "gzip"
    assert got.headers["cache-control"] == "public, immutable, max-age=31536000"
    assert got.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert got.content == raw  # httpx undoes the gzip: same bytes as the file
    assert int(got.headers["content-length"]) < len(raw) / 2
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == raw
    again = client.get(path, headers={"If-None-Match": got.headers["etag"]})
    assert again.status_code == 304
    head = client.head(path, headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200
    assert head.content == b""
    assert gzip.decompress(gzip.compress(raw)) == raw


def test_other_paths_still_reach_streamlit_and_the_api(client: TestClient) -> None:
    # Not a file that exists: Streamlit's own answer (its page, never cached).
    assert client.get("/static/js/not-there.js").headers["cache-control"] == "no-cache"
    assert client.get("/").headers["cache-control"] == "no-cache"
    assert client.get("/healthz").status_code == 200
    assert client.post(_a_script()[0]).status_code != 200  # writes are never assets
