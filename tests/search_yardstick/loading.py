"""Read and check a query file (format: the header of blind_queries.yaml)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.search_yardstick.rules import Clause, Query, list_of, mapping_of
from tests.search_yardstick.text import Places

BLIND_QUERIES = Path(__file__).resolve().parents[1] / "fixtures" / "search" / "blind_queries.yaml"
KINDS: tuple[str, ...] = (
    "issue",
    "vibe",
    "outing",
    "place",
    "price",
    "free",
    "when",
    "typo",
    "slang",
    "vague",
)
MAX_WORDS = 10
MAX_TEXT = 500
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QUERY_KEYS = {"id", "text", "kinds", "concept", "require", "prefer", "note"}


@dataclass(frozen=True)
class QuerySet:
    version: int
    places: Places
    queries: tuple[Query, ...]

    def by_id(self) -> Mapping[str, Query]:
        return {query.id: query for query in self.queries}


def load_query_set(path: Path = BLIND_QUERIES) -> QuerySet:
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    try:
        return parse_query_set(raw)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc


def parse_query_set(raw: object) -> QuerySet:
    top = mapping_of(raw, "query file", {"version", "boroughs", "shared", "queries"})
    if top.get("version") != 1:
        raise ValueError(f"version: expected 1, got {top.get('version')!r}")
    table = top.get("boroughs") or {}
    if not isinstance(table, Mapping):
        raise ValueError("boroughs: expected a mapping of borough -> neighbourhoods")
    places = Places.from_table({str(k): list_of(v, f"boroughs.{k}") for k, v in table.items()})
    items = list_of(top.get("queries"), "queries")
    queries = tuple(parse_query(item, places, index) for index, item in enumerate(items))
    seen: set[str] = set()
    for query in queries:
        if query.id in seen:
            raise ValueError(f"query id {query.id!r} is used twice")
        seen.add(query.id)
    return QuerySet(version=1, places=places, queries=queries)


def parse_query(raw: object, places: Places, index: int = 0) -> Query:
    spec = mapping_of(raw, f"queries[{index}]", _QUERY_KEYS)
    qid = spec.get("id")
    if not isinstance(qid, str) or not _ID.match(qid):
        raise ValueError(f"queries[{index}]: id must be a lower-case slug, got {qid!r}")
    try:
        return _query(qid, spec, places)
    except ValueError as exc:
        raise ValueError(f"query {qid!r}: {exc}") from exc


def _query(qid: str, spec: Mapping[str, object], places: Places) -> Query:
    text = spec.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise ValueError(f"text: expected 1-{MAX_TEXT} characters, got {text!r}")
    if len(text.split()) > MAX_WORDS:
        raise ValueError(f"text: at most {MAX_WORDS} words, got {text!r}")
    kinds = tuple(str(kind) for kind in list_of(spec.get("kinds"), "kinds"))
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"kinds: unknown {', '.join(unknown)}; one of {', '.join(KINDS)}")
    prefer: Sequence[object] = list_of(spec["prefer"], "prefer") if "prefer" in spec else ()
    query = Query(
        id=qid,
        text=text.strip(),
        kinds=kinds,
        concept=Clause.parse(spec["concept"], "concept") if "concept" in spec else None,
        require=Clause.parse(spec["require"], "require") if "require" in spec else None,
        prefer=tuple(Clause.parse(item, f"prefer[{i}]") for i, item in enumerate(prefer)),
        places=places,
    )
    if query.concept is None and query.require is None and not query.prefer:
        raise ValueError("give at least one of concept, require, prefer")
    return query
