"""The blind search yardstick (issue 12): relevance rules, grades and nDCG@10.

    from tests.search_yardstick import evaluate_search, load_query_set

    query_set = load_query_set()  # tests/fixtures/search/blind_queries.yaml
    result = evaluate_search(query_set.queries, search, catalogue, today=today)
    result.mean, result.per_query, result.worst(), result.unjudged

``search(text)`` returns events best first (domain events or mappings with their
field names); ``catalogue`` is every event the search could return; ``today`` is
the day the catalogue's dates were built from. Rules: the header of
blind_queries.yaml and tests/fixtures/search/README-blind.md.
"""

from tests.search_yardstick.fields import EventFields, EventLike, as_fields
from tests.search_yardstick.loading import (
    BLIND_QUERIES,
    KINDS,
    QuerySet,
    load_query_set,
    parse_query,
    parse_query_set,
)
from tests.search_yardstick.metrics import (
    DEFAULT_K,
    Evaluation,
    catalogue_grades,
    dcg_at_k,
    evaluate,
    evaluate_search,
    ndcg_at_k,
    ranked_grades,
)
from tests.search_yardstick.rules import Clause, Query, Verdict, When, grade
from tests.search_yardstick.text import BOROUGHS, Places, Terms, normalise

__all__ = [
    "BLIND_QUERIES",
    "BOROUGHS",
    "DEFAULT_K",
    "KINDS",
    "Clause",
    "Evaluation",
    "EventFields",
    "EventLike",
    "Places",
    "Query",
    "QuerySet",
    "Terms",
    "Verdict",
    "When",
    "as_fields",
    "catalogue_grades",
    "dcg_at_k",
    "evaluate",
    "evaluate_search",
    "grade",
    "load_query_set",
    "ndcg_at_k",
    "normalise",
    "parse_query",
    "parse_query_set",
    "ranked_grades",
]
