"""The sources registry: the shipped file, the one adapter list, and validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from yescount.errors import ConfigError
from yescount.ingest.config import registry_from_mapping
from yescount.ingest.registry import adapter_for, registry
from yescount.ingest.sources.generic import GenericAdapter
from yescount.ingest.sources.nyc_open_data import NYCOpenData

ROOT = Path(__file__).resolve().parents[2]
WEBSITES = (
    "secretnyc",
    "timeout_newyork",
    "hiddennyc",
    "untappedcities",
    "fever_newyork",
    "anisah_immersive",
)


def test_shipped_registry_lists_every_source() -> None:
    reg = registry(ROOT / "config" / "sources.yaml")
    names = [s.name for s in reg.sources]
    assert names[: len(WEBSITES)] == list(WEBSITES)
    assert "nyc_open_data" in names
    # Cards come from every website source, never from the open-data permits.
    assert "nyc_open_data" not in reg.card_sources
    assert set(WEBSITES) <= set(reg.card_sources)
    assert {s.name for s in reg.sources if not s.enabled} == {"anisah_immersive"}
    anisah = reg.get("anisah_immersive")
    assert anisah.required is False
    assert reg.get("nyc_open_data").socrata is not None
    assert all(s.politeness.respect_robots for s in reg.sources)
    assert reg.get("secretnyc").politeness.per_host_delay_seconds == 3.0  # override of the default
    assert reg.get("fever_newyork").follow is not None
    assert reg.vibe_tags_path.is_file()


def test_a_source_without_a_module_of_its_own_reads_pages_with_the_generic_path() -> None:
    assert isinstance(adapter_for("nyc_open_data"), NYCOpenData)
    generic = adapter_for("some_new_site", hint="li.event")
    assert isinstance(generic, GenericAdapter)
    assert (generic.name, generic.hint) == ("some_new_site", "li.event")


def test_unknown_names_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        registry(ROOT / "config" / "sources.yaml").get("nope")
    with pytest.raises(ConfigError) as missing:
        registry(ROOT / "config" / "missing.yaml")
    assert missing.value.code == "sources_config_missing"


@pytest.mark.parametrize(
    "raw",
    [
        [],
        {"sources": [{"name": "secretnyc"}]},
        {"sources": [{"name": "mystery", "site": "https://x", "hint": "li[["}]},
        {"sources": [{"name": "mystery", "site": "https://x", "cards": "sometimes"}]},
        {
            "sources": [
                {"name": "secretnyc", "site": "https://x"},
                {"name": "secretnyc", "site": "https://y"},
            ]
        },
        {"sources": [{"name": "secretnyc", "site": "https://x", "follow": {"pattern": "("}}]},
        {"sources": [{"name": "secretnyc", "site": "https://x", "typo": 1}]},
    ],
)
def test_invalid_registries_are_rejected_with_a_clear_message(raw: object) -> None:
    with pytest.raises(ConfigError) as caught:
        registry_from_mapping(raw)
    assert caught.value.code == "sources_config_invalid"


def test_defaults_merge_into_each_source(tmp_path: Path) -> None:
    raw = {
        "defaults": {"politeness": {"per_host_delay_seconds": 9, "max_retries": 1}},
        "sources": [{"name": "secretnyc", "site": "https://x", "politeness": {"max_retries": 4}}],
    }
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(raw))
    source = registry(path).sources[0]
    assert (source.politeness.per_host_delay_seconds, source.politeness.max_retries) == (9, 4)
