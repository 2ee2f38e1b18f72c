"""Layering and size rules over ``src/yescount``, read from the source with ``ast``.

The rules (docs/architecture.md):

- ``domain/`` imports only the standard library, ``yescount.domain`` and ``yescount.errors``;
- ``services/`` imports no ``sqlalchemy``, ``storage``, ``bootstrap`` or concrete adapter
  (Chroma, pgvector, the fetcher, an embedder, an HTTP client); pure algorithms are fine,
  but index sync and parity (``search.sync``, ``search.parity``) arrive bound from
  ``bootstrap`` and their reports come from ``domain.indexing``;
- ``storage/`` imports no ``ingest``, ``search`` or ``web``;
- ``cli/`` imports no ``ingest``, ``search``, ``storage`` or ``llm``: commands call services,
  and ``bootstrap`` wires the adapters;
- ``search/`` opens no unit of work of its own (no ``storage.uow``: a factory is injected)
  and ``llm/`` imports no ``storage`` or ``sqlalchemy`` (its cache port is implemented in
  ``storage/repositories/llm_cache.py`` and wired by ``bootstrap``);
- nothing outside ``web/`` imports ``streamlit`` or ``fastapi``;
- no module over 400 lines, no function over 60 lines (migrations are shipped history and
  exempt from the function rule: a migration is never edited once released).

``ALLOWED`` lists today's known violations, each with its reason. The list only shrinks:
a listed violation that no longer exists fails the test too, so remove it from the list.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "yescount"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

CONCRETE_ADAPTERS = (
    "chromadb",
    "pgvector",
    "sentence_transformers",
    "torch",
    "httpx",
    "yescount.search.chroma_index",
    "yescount.search.pgvector_index",
    "yescount.search.embedder",
    "yescount.search.openai_embedder",
    "yescount.search.wiring",
    "yescount.ingest.fetcher",
    "yescount.llm.openai_http",
)
BOUND_IN_BOOTSTRAP = ("yescount.search.sync", "yescount.search.parity")
SERVICES_FORBIDDEN = (
    "sqlalchemy",
    "yescount.storage",
    "yescount.bootstrap",
    *CONCRETE_ADAPTERS,
    *BOUND_IN_BOOTSTRAP,
)
STORAGE_FORBIDDEN = ("yescount.ingest", "yescount.search", "yescount.web")
CLI_FORBIDDEN = ("yescount.ingest", "yescount.search", "yescount.storage", "yescount.llm")
SEARCH_FORBIDDEN = ("yescount.storage.uow",)
LLM_FORBIDDEN = ("sqlalchemy", "yescount.storage")
WEB_ONLY = ("streamlit", "fastapi")

# (rule, module, what) -> why it is still there. Shrink only.
ALLOWED: dict[tuple[str, str, str], str] = {}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        yield ".".join(parts), path


def _imports(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            for alias in node.names:
                # ``from yescount.storage import migrate`` names a module too.
                yield f"{node.module}.{alias.name}"


def _under(name: str, prefixes: tuple[str, ...]) -> str | None:
    for prefix in prefixes:
        if name == prefix or name.startswith(prefix + "."):
            return prefix
    return None


def _import_violations(module: str, tree: ast.AST) -> set[tuple[str, str, str]]:
    found: set[tuple[str, str, str]] = set()
    for name in _imports(tree):
        top = name.split(".")[0]
        if module.startswith("yescount.domain"):
            own = _under(name, ("yescount.domain", "yescount.errors"))
            if top == "yescount" and not own and not _is_module_attr(name):
                found.add(("domain", module, ".".join(name.split(".")[:2])))
            elif top != "yescount" and top not in sys.stdlib_module_names:
                found.add(("domain", module, top))
        if module.startswith("yescount.services"):
            hit = _under(name, SERVICES_FORBIDDEN)
            if hit:
                found.add(("services", module, hit))
        if module.startswith("yescount.storage"):
            hit = _under(name, STORAGE_FORBIDDEN)
            if hit:
                found.add(("storage", module, hit))
        if module.startswith("yescount.cli"):
            hit = _under(name, CLI_FORBIDDEN)
            if hit:
                found.add(("cli", module, hit))
        for package, rule, forbidden in (
            ("yescount.search", "search", SEARCH_FORBIDDEN),
            ("yescount.llm", "llm", LLM_FORBIDDEN),
        ):
            hit = _under(name, forbidden) if _under(module, (package,)) else None
            if hit:
                found.add((rule, module, hit))
        if not module.startswith("yescount.web"):
            hit = _under(name, WEB_ONLY)
            if hit:
                found.add(("web-only", module, hit))
    return found


def _is_module_attr(name: str) -> bool:
    """``from yescount.domain import events`` yields ``yescount.domain.events`` and is fine;
    ``from yescount import errors`` yields ``yescount.errors`` and is fine too."""
    return name in {"yescount", "yescount.errors", "yescount.domain"}


def _size_violations(module: str, path: Path, tree: ast.AST) -> set[tuple[str, str, str]]:
    found: set[tuple[str, str, str]] = set()
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if lines > MAX_MODULE_LINES:
        found.add(("module-size", module, f"{lines} lines"))
    if ".migrations." in module:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - start + 1
            if length > MAX_FUNCTION_LINES:
                found.add(("function-size", module, node.name))
    return found


@cache
def _violations() -> frozenset[tuple[str, str, str]]:
    found: set[tuple[str, str, str]] = set()
    for module, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found |= _import_violations(module, tree)
        found |= _size_violations(module, path, tree)
    return frozenset(found)


def _normalise(found: frozenset[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Module sizes change with every edit: an allowlisted size matches any size."""
    out = set()
    for rule, module, what in found:
        if rule == "module-size":
            what = "> 400 lines"
        out.add((rule, module, what))
    return out


def test_no_new_violations() -> None:
    new = sorted(_normalise(_violations()) - set(ALLOWED))
    assert not new, "layering or size rule broken (see docs/architecture.md):\n" + "\n".join(
        f"  {rule}: {module} -> {what}" for rule, module, what in new
    )


def test_allowlist_only_shrinks() -> None:
    gone = sorted(set(ALLOWED) - _normalise(_violations()))
    assert not gone, "fixed — remove from ALLOWED in tests/unit/test_architecture.py:\n" + (
        "\n".join(f"  {rule}: {module} -> {what}" for rule, module, what in gone)
    )


def test_checker_sees_a_violation() -> None:
    """The checker itself can fail: a domain module importing sqlalchemy is caught."""
    tree = ast.parse("import sqlalchemy\nfrom yescount.storage import uow\n")
    found = _import_violations("yescount.domain.fake", tree)
    assert ("domain", "yescount.domain.fake", "sqlalchemy") in found
    assert ("domain", "yescount.domain.fake", "yescount.storage") in found
    tree = ast.parse("from yescount.storage.uow import UnitOfWork\nimport streamlit as st\n")
    found = _import_violations("yescount.services.fake", tree)
    assert ("services", "yescount.services.fake", "yescount.storage") in found
    assert ("web-only", "yescount.services.fake", "streamlit") in found
    tree = ast.parse("from yescount.search.parity import compare_backends\n")
    found = _import_violations("yescount.services.fake", tree)
    assert ("services", "yescount.services.fake", "yescount.search.parity") in found
    tree = ast.parse("from yescount.ingest.pages import SavedPages\nimport yescount.llm.copy\n")
    found = _import_violations("yescount.cli.fake", tree)
    assert ("cli", "yescount.cli.fake", "yescount.ingest") in found
    assert ("cli", "yescount.cli.fake", "yescount.llm") in found
    tree = ast.parse("from yescount.storage.uow import UnitOfWork\n")
    found = _import_violations("yescount.search.fake", tree)
    assert ("search", "yescount.search.fake", "yescount.storage.uow") in found
    tree = ast.parse("from yescount.storage.repositories.llm_cache import SqlTextCache\n")
    found = _import_violations("yescount.llm.fake", tree)
    assert ("llm", "yescount.llm.fake", "yescount.storage") in found
    long_function = "def f():\n" + "    x = 1\n" * 61
    found = _size_violations("m", Path(__file__), ast.parse(long_function))
    assert ("function-size", "m", "f") in found
