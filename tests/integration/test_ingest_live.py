"""A live run through the real fetcher against a local site: crawl, store, record pages."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from tests.conftest import FrozenClock
from yescount.bootstrap import build
from yescount.config import Settings
from yescount.services.ingestion import run_ingestion
from yescount.storage.tables import events

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "pages"


@pytest.fixture
def local_site() -> Iterator[str]:
    routes = {
        "/robots.txt": (b"User-agent: *\nDisallow: /drafts/\n", "text/plain"),
        "/fever/": ((PAGES / "fever_newyork" / "new-york-listing.html").read_bytes(), "text/html"),
        "/resource/tvpp-9vvx.json": (
            (PAGES / "nyc_open_data" / "permitted-events-2026-11-25.json").read_bytes(),
            "application/json",
        ),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, kind = routes.get(self.path.split("?", 1)[0], (b"", "text/html"))
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_live_run_fetches_stores_and_records(
    db_url: str, clock: FrozenClock, local_site: str, tmp_path: Path
) -> None:
    raw = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text())
    raw["defaults"]["politeness"].update(per_host_delay_seconds=0, max_retries=0)
    for source in raw["sources"]:
        source.pop("follow", None)
        source["start_urls"] = [f"{local_site}/fever/"] if source["name"] == "fever_newyork" else []
        if source.get("socrata"):
            source["socrata"]["base_url"] = local_site
    raw["vibe_tags"] = str(ROOT / "config" / "vibe_tags.yaml")
    config = tmp_path / "sources.yaml"
    config.write_text(yaml.safe_dump(raw))
    settings = Settings(
        database_url=db_url,
        sources_config_path=config,
        nyc_open_data_dataset_id="tvpp-9vvx",
        nyc_open_data_app_token="tok",
    )
    container = build(settings, clock=clock)
    saved = tmp_path / "saved"
    summary = run_ingestion(
        container.ingestion(),
        pages=container.live_pages(save_pages=saved),
        sources=["fever_newyork", "nyc_open_data", "secretnyc"],
        as_of=date(2026, 11, 21),
    )
    by_source = {s.source: s for s in summary.sources}
    assert by_source["fever_newyork"].status == "success"
    assert by_source["fever_newyork"].counts.new == 5
    assert by_source["nyc_open_data"].counts.new == 7
    assert by_source["secretnyc"].status == "failed"  # no start URLs: nothing to read
    assert summary.status == "degraded"
    recorded = [p.name for p in saved.glob("*/*.html")]
    assert len(recorded) == 1
    assert "fever" in recorded[0]
    assert len(list(saved.glob("nyc_open_data/*.json"))) == 1
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 12
    container.close()
