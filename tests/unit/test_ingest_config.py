"""The sources registry: the shipped file, the one adapter list, and validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from yescount.domain.events import WEBSITE_SOURCES
from yescount.errors import ConfigError
from yescount.ingest.config import registry_from_mapping
from yescount.ingest.registry import ADAPTERS, adapter_for, registry

ROOT = Path(__file__).resolve().parents[2]
NAMES = frozenset(a.name for a in ADAPTERS)


def test_shipped_registry_lists_every_source_with_an_adapter() -> None:
    reg = registry(ROOT / "config" / "sources.yaml")
    names = [s.name for s in reg.sources]
    assert names == [*WEBSITE_SOURCES, "nyc_open_data"]
    assert {s.name for s in reg.sources if not s.enabled} == {"anisah_immersive"}
    anisah = reg.get("anisah_immersive")
    assert anisah.required is False
    assert reg.get("nyc_open_data").socrata is not None
    assert all(s.politeness.respect_robots for s in reg.sources)
    assert reg.get("secretnyc").politeness.per_host_delay_seconds == 3.0  # override of the default
    assert reg.get("fever_newyork").follow is not None
    assert reg.vibe_tags_path.is_file()
    assert sorted(NAMES) == sorted(names)


def test_unknown_names_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        adapter_for("nope")
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
        {"sources": [{"name": "mystery", "site": "https://x"}]},
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
        registry_from_mapping(raw, adapters=NAMES)
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
