"""``yescount ingest`` and ``yescount extract`` through the real console script."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.e2e.cli_helpers import run_cli, sqlite_env

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "pages"
LISTICLE = PAGES / "secretnyc" / "things-to-do-this-weekend-nov-20.html"
SOURCES = ("secretnyc", "timeout_newyork", "hiddennyc", "untappedcities", "fever_newyork")
# Every source of the shipped registry (the six sites, open data, then generic sources).
CONFIGURED = [
    s["name"] for s in yaml.safe_load((ROOT / "config" / "sources.yaml").read_text())["sources"]
]


def env_for(tmp_path: Path, sources: Path | None = None) -> dict[str, str]:
    env = sqlite_env(tmp_path)
    env.update(
        SOURCES_CONFIG_PATH=str(sources or ROOT / "config" / "sources.yaml"), LOG_LEVEL="ERROR"
    )
    return env


@pytest.fixture
def db(tmp_path: Path) -> dict[str, str]:
    env = env_for(tmp_path)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    return env


def query(env: dict[str, str], sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(env["SQLITE_DB_PATH"]) as conn:
        return conn.execute(sql).fetchall()


def test_ingest_from_dir_prints_one_line_per_source_and_is_idempotent(
    db: dict[str, str], tmp_path: Path
) -> None:
    first = run_cli(
        "ingest", "--from-dir", str(PAGES), "--as-of", "2026-11-20", env=db, cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr
    lines = first.stdout.strip().splitlines()
    names = [line.split()[0] for line in lines[:-1]]
    assert names == CONFIGURED
    assert names[: len(SOURCES) + 2] == [*SOURCES, "anisah_immersive", "nyc_open_data"]
    assert "skipped" in lines[5]  # disabled in sources.yaml
    assert all(" success " in line for line in lines[:5] + lines[6:7])
    # Generic sources whose folder is not in this directory are skipped, and say why.
    assert all("skipped   no saved pages in" in line for line in lines[7:-1])
    assert lines[-1].startswith("run 1 success")
    stored = query(db, "SELECT count(*) FROM events")[0][0]
    assert isinstance(stored, int)
    assert stored > 50

    second = run_cli(
        "ingest", "--from-dir", str(PAGES), "--as-of", "2026-11-20", env=db, cwd=tmp_path
    )
    assert second.returncode == 0, second.stderr
    assert " new=0 updated=0 " in second.stdout.strip().splitlines()[-1]
    assert query(db, "SELECT count(*) FROM events")[0][0] == stored
    assert query(db, "SELECT status FROM ingestion_runs ORDER BY id") == [
        ("success",),
        ("success",),
    ]


def test_ingest_force_runs_disabled_sources_and_json_report(
    db: dict[str, str], tmp_path: Path
) -> None:
    done = run_cli(
        "ingest", "--from-dir", str(PAGES), "--source", "anisah_immersive", "--force", "--json",
        env=db, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "success"
    assert [(s["source"], s["status"]) for s in report["sources"]] == [
        ("anisah_immersive", "success")
    ]
    assert report["sources"][0]["new"] > 0


def test_extract_listicle_json_has_one_event_per_section_not_the_article(tmp_path: Path) -> None:
    done = run_cli(
        "extract", str(LISTICLE), "--source", "secretnyc", "--json", env=env_for(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    events = json.loads(done.stdout)  # stdout is the JSON array and nothing else
    titles = [e["title"] for e in events]
    assert len(titles) == 8
    assert not any("Things To Do" in t for t in titles)
    assert titles[0] == "Catch The Holiday Train Show At The New York Botanical Garden"
    first = events[0]
    assert (first["date_start"], first["date_end"], first["date_status"]) == (
        "2026-11-21",
        "2027-01-18",
        "range",
    )
    assert first["extraction_method"] == "listicle"
    assert set(first) >= {
        "title", "date_start", "date_end", "date_status", "date_confidence", "time", "location",
        "price_min", "price_max", "url", "image_url", "vibe_tags", "extraction_method",
    }  # fmt: skip


def test_extract_shows_rejections_and_honours_as_of(tmp_path: Path) -> None:
    done = run_cli(
        "extract", str(LISTICLE), "--source", "secretnyc", "--show-rejected", env=env_for(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    assert "[newsletter] Sign up for our newsletter" in done.stdout
    assert "[not_event_section] More things to do in NYC" in done.stdout
    assert "published: 2026-11-20" in done.stdout
    later = run_cli(
        "extract", str(LISTICLE), "--source", "secretnyc", "--as-of", "2026-12-03", "--json",
        "--show-rejected", env=env_for(tmp_path),
    )  # fmt: skip
    titles = [e["title"] for e in json.loads(later.stdout)]
    assert "Watch The Macy’s Thanksgiving Day Parade" not in titles
    assert "rejected [past_event] Watch The Macy’s Thanksgiving Day Parade" in later.stderr


def test_extract_reads_a_saved_socrata_response(tmp_path: Path) -> None:
    saved = PAGES / "nyc_open_data" / "permitted-events-2026-11-25.json"
    done = run_cli(
        "extract", str(saved), "--source", "nyc_open_data", "--as-of", "2026-11-25", "--json",
        env=env_for(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    events = json.loads(done.stdout)
    assert len(events) == 7
    assert {e["extraction_method"] for e in events} == {"socrata"}


def test_bad_usage_is_reported(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    both = run_cli("ingest", "--from-dir", str(PAGES), "--save-pages", str(tmp_path), env=env)
    assert both.returncode == 1
    assert "--save-pages" in both.stderr
    unknown = run_cli("extract", str(LISTICLE), "--source", "nope", env=env)
    assert unknown.returncode == 2
    assert "Unknown source 'nope'" in unknown.stderr


def unreachable_config(tmp_path: Path) -> Path:
    """Every source of the real registry, pointed at a port where nothing listens."""
    raw = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text())
    raw["defaults"]["politeness"].update(max_retries=0, connect_timeout_seconds=1)
    for source in raw["sources"]:
        source["start_urls"] = [f"http://127.0.0.1:9/{source['name']}/"]
        if source.get("socrata"):
            source["socrata"].update(base_url="http://127.0.0.1:9", dataset_id="abcd-1234")
    raw["vibe_tags"] = str(ROOT / "config" / "vibe_tags.yaml")
    path = tmp_path / "unreachable.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_every_source_unreachable_fails_the_run_and_keeps_events(
    db: dict[str, str], tmp_path: Path
) -> None:
    assert run_cli("ingest", "--from-dir", str(PAGES), env=db, cwd=tmp_path).returncode == 0
    before = query(db, "SELECT count(*) FROM events")[0][0]
    env = {**db, "SOURCES_CONFIG_PATH": str(unreachable_config(tmp_path))}
    done = run_cli("ingest", "--force", env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.strip().splitlines()[-1].startswith("run 2 failed")
    checks = query(
        db, "SELECT source, status, error_text FROM ingestion_source_checks WHERE run_id = 2"
    )
    assert len(checks) == len(CONFIGURED)
    assert all(status == "failed" and error for _, status, error in checks)
    error_text = query(db, "SELECT error_text FROM ingestion_runs WHERE id = 2")[0][0]
    assert isinstance(error_text, str)
    assert len(error_text.splitlines()) == len(CONFIGURED)
    assert query(db, "SELECT count(*) FROM events")[0][0] == before


@pytest.fixture
def fake_site() -> Iterator[str]:
    article = LISTICLE.read_bytes()
    # An index page: its one heading is a teaser linking to the article.
    hub = b'<html><body><article><h2><a href="/weekend-picks/">This weekend</a></h2></article>'
    pages = {
        "/things-to-do/": hub,
        "/weekend-picks/": article,
        "/robots.txt": b"User-agent: *\nAllow: /\n",
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_save_pages_records_a_replayable_live_run(
    db: dict[str, str], tmp_path: Path, fake_site: str
) -> None:
    raw = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text())
    secret = next(s for s in raw["sources"] if s["name"] == "secretnyc")
    secret.update(
        start_urls=[f"{fake_site}/things-to-do/"],
        follow={"pattern": r"/weekend-picks/$", "selector": "a[href]", "max_pages": 3},
        politeness={"per_host_delay_seconds": 0},
    )
    raw["vibe_tags"] = str(ROOT / "config" / "vibe_tags.yaml")
    config = tmp_path / "site.yaml"
    config.write_text(yaml.safe_dump(raw))
    env = {**db, "SOURCES_CONFIG_PATH": str(config)}
    saved = tmp_path / "saved"

    live = run_cli(
        "ingest", "--source", "secretnyc", "--save-pages", str(saved), "--as-of", "2026-11-20",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert live.returncode == 0, live.stdout + live.stderr
    assert "pages=2" in live.stdout
    manifest = [json.loads(line) for line in (saved / "manifest.jsonl").read_text().splitlines()]
    assert len(manifest) == 2
    files = sorted((saved / "secretnyc").glob("*.html"))
    assert len(files) == 2
    assert all(f.with_suffix(".url").exists() for f in files)

    article = next(f for f in files if "weekend" in f.name)
    extracted = run_cli("extract", str(article), "--source", "secretnyc", "--json", env=env)
    assert len(json.loads(extracted.stdout)) == 8
    replay = run_cli(
        "ingest", "--from-dir", str(saved), "--source", "secretnyc", "--as-of", "2026-11-20",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert replay.returncode == 0
    assert "new=0 updated=0 unchanged=8" in replay.stdout


def test_ingest_real_socrata_response_stores_every_permitted_row(
    db: dict[str, str], tmp_path: Path
) -> None:
    real = ROOT / "tests" / "fixtures" / "real"
    done = run_cli(
        "ingest", "--from-dir", str(real), "--source", "nyc_open_data", "--as-of", "2026-10-01",
        env=db, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert " accepted=60 rejected=0 new=60 " in done.stdout
    assert query(db, "SELECT count(*), count(DISTINCT source_id) FROM events") == [(60, 60)]
    assert query(db, "SELECT count(*) FROM events WHERE duplicate_of_id IS NOT NULL") == [(0,)]
