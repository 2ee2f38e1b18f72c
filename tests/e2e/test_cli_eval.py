"""``yescount eval-extraction`` through the real console script."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.e2e.cli_helpers import run_cli, sqlite_env

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"


def env(tmp_path: Path) -> dict[str, str]:
    values = sqlite_env(tmp_path)
    values["SOURCES_CONFIG_PATH"] = str(ROOT / "config" / "sources.yaml")
    return values


def test_eval_prints_a_row_per_page_and_a_total(tmp_path: Path) -> None:
    result = run_cli("eval-extraction", str(REAL), env=env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].split() == ["page", "lab", "ext", "mat", "prec", "rec", "F1", "date"]
    pages = sorted(REAL.rglob("*.gold.json"))
    rows = lines[1:-1]
    assert len(rows) == len(pages)
    # Long names are cut at the front ("…govparks/event-...html"); the file name stays.
    shown = [row.split()[0] for row in rows]
    assert all(name.endswith((".html", ".json")) for name in shown)
    assert lines[-1].startswith("total")


def test_eval_json_scores_one_page_of_a_source_with_no_adapter(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "some_new_site"
    corpus.mkdir(parents=True)
    (corpus / "list.html").write_text(
        "<html><body><script type='application/ld+json'>"
        '{"@type": "Event", "name": "Harvest Fair", "startDate": "2026-10-03",'
        ' "location": {"name": "Prospect Park"}}</script></body></html>',
        encoding="utf-8",
    )
    (corpus / "list.url").write_text("https://new-site.example/events\n", encoding="utf-8")
    gold = {
        "page_date": "2026-10-01",
        "events": [{"title": "Harvest Fair", "date_start": "2026-10-03", "date_end": None}],
    }
    (corpus / "list.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    result = run_cli("eval-extraction", str(tmp_path / "corpus"), "--json", env=env(tmp_path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"]["matched"] == 1
    assert data["pages"][0]["page"] == "some_new_site/list.html"
    assert data["pages"][0]["date_accuracy"] == 1.0


def test_eval_refuses_a_directory_without_labels(tmp_path: Path) -> None:
    shutil.copytree(
        REAL / "timeout_newyork", tmp_path / "x", ignore=shutil.ignore_patterns("*.gold.json")
    )
    result = run_cli("eval-extraction", str(tmp_path / "x"), env=env(tmp_path))
    assert result.returncode == 1
    assert "no_labels" in result.stderr


def test_extract_with_the_generic_path_reads_a_page_of_any_site(tmp_path: Path) -> None:
    page = REAL / "timeout_newyork" / "things-to-do-this-weekend-2026-09-30.html"
    result = run_cli(
        "extract", str(page), "--source", "generic", "--json", "--as-of", "2026-09-30",
        env=env(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = {e["title"]: e for e in json.loads(result.stdout)}
    assert found["Taste of Sunnyside"]["date_start"] == "2026-10-04"
    assert found["Taste of Sunnyside"]["time"] == "13:00"
    assert found["Pierre Soulages: Paintings on Paper"]["date_status"] == "ongoing"
    assert "Heart of the Beast" not in found  # a film review
