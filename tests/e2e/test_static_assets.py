"""Streamlit's hashed assets come from memory, gzip-compressed, cacheable for a year."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from starlette.testclient import TestClient

from yescount.web.assets import add_preloads, preload_links, streamlit_static_dir


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


def test_the_page_preloads_the_chunks_every_view_loads_lazily(client: TestClient) -> None:
    js = streamlit_static_dir() / "static" / "js"
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200
    assert page.headers["content-encoding"] == "gzip"
    assert page.headers["cache-control"] == "no-cache"
    body = page.text
    html_chunk = next(js.glob("Html.*.js")).name
    assert f'<link rel="modulepreload" crossorigin href="./static/js/{html_chunk}">' in body
    # Its static imports come along (here the HTML sanitizer), each file only once.
    links = re.findall(r'rel="modulepreload" crossorigin href="\./static/js/([^"]+)"', body)
    assert any(name.startswith("purify.") for name in links)
    assert len(links) == len(set(links))
    assert all((js / name).is_file() for name in links)
    # After the page's own preloads, inside the head.
    assert body.index(html_chunk) > body.index('rel="stylesheet"')
    assert body.index(html_chunk) < body.index("</head>")
    assert not any(name.startswith("DateInput.") for name in links)  # the landing's alone
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.text == body


def test_preloads_skip_unknown_chunks_and_leave_other_pages_alone(tmp_path: Path) -> None:
    (tmp_path / "A.x1.js").write_text(
        'import{a}from"./b.y2.js";import"./c.z3.js";import("./d.w4.js")'
    )
    (tmp_path / "b.y2.js").write_text('import"./c.z3.js"')
    (tmp_path / "c.z3.js").write_text("")
    (tmp_path / "d.w4.js").write_text("")
    links = preload_links(tmp_path, ("A", "Gone"))
    names = re.findall(rb"js/([^\"]+)", links)
    assert names == [b"A.x1.js", b"b.y2.js", b"c.z3.js"]  # static imports only, once each
    page = b'<html><head><script type="module" src="./static/js/index.Q1.js"></script></head>'
    assert add_preloads(page, links).count(b"modulepreload") == 3
    assert add_preloads(b"<html><head></head></html>", links) == b"<html><head></head></html>"
    assert add_preloads(page, b"") == page


def test_a_head_of_the_page_has_the_length_of_its_get(client: TestClient) -> None:
    got = client.get("/", headers={"Accept-Encoding": "gzip"})
    head = client.head("/", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]
