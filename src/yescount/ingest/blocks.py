"""Cut any listing page into item blocks by its repeated structure, with no site selectors.

Two readings of a page are tried and the better one kept:

* **tiles** — sibling elements (``article``, ``li``, ``div``, ``section``, ``a``...)
  that share a tag and their common classes, each with a heading or a title link
  and some text besides the title (a card grid, an event list, a list of tiles);
* **sections** — the headings of one level (``h2``, ``h3`` or ``h4``) and what
  follows each up to the next (a listicle article).

Boilerplate (navigation, ads, newsletter boxes, "related" rails, footers) is
removed before, and groups inside such regions are skipped (``chrome``). The reading whose
blocks mention dates most often wins (then the one with more blocks, then tiles).
A ``hint`` (a CSS selector of the item elements, from ``sources.yaml``) skips the
guessing for sites that need it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from selectolax.lexbor import LexborHTMLParser, LexborNode

from yescount.ingest.chrome import NAMED, STRUCTURAL, chrome_level, in_chrome
from yescount.ingest.html import text_of
from yescount.ingest.listicle import section_nodes
from yescount.ingest.titles import (
    MAX_LINK_TITLE,
    heading_title,
    leading_emphasis,
    mentions_date,
    spaced_text,
    title_link,
    titled,
)

_CONTAINERS = frozenset({"article", "section", "li", "div", "a", "tr", "dd", "figure", "aside"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_HEADING_SELECTOR = "h1, h2, h3, h4, h5, h6, [role='heading']"
# A heading that is only a day: "Sunday, July 12, 2026", "Wed 7/15", "Today", "Tomorrow".
_DAY_HEADING = re.compile(
    r"\s*(?:today|tonight|tomorrow"
    r"|(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"|\d{1,2}/\d{1,2})(?:,?\s+20\d\d)?)\s*[.:]?\s*",
    re.IGNORECASE,
)
DATE_WINDOW = 800
MIN_TILES = 2
MIN_BODY_CHARS = 4
MAX_BLOCKS = 500


@dataclass(frozen=True, slots=True)
class Block:
    """One item of a listing page: its title, heading and the nodes holding its text."""

    title: str
    heading: LexborNode | None
    nodes: tuple[LexborNode, ...]
    root: LexborNode | None = None
    day: str | None = None  # the day heading the block is listed under ("Sunday, July 12")
    section: str | None = None  # the heading of the part of the page it is in
    body: str = ""  # all its text on one line, words of adjacent elements kept apart

    def text(self) -> str:
        """All the block's text on one line (computed once, when the block is made)."""
        return self.body


def _make(
    title: str, heading: LexborNode | None, nodes: tuple[LexborNode, ...], root: LexborNode | None
) -> Block:
    parts = (n.text(deep=True, separator=" ") for n in nodes if not _is_text(n))
    return Block(title, heading, nodes, root=root, body=" ".join(" ".join(parts).split()))


def find_blocks(doc: LexborHTMLParser, *, hint: str | None = None) -> list[Block]:
    """The page's item blocks, in page order (empty when it has no repeated items)."""
    body = doc.body
    if body is None:
        return []
    if hint:
        hinted = [b for b in (_tile(n) for n in _unique(doc.css(hint))) if b is not None]
        return with_day_headings(body, hinted)
    tiles = _best_tiles(body)
    sections = _sections(body)
    best = max(
        (tiles, sections),
        key=lambda blocks: (_dated(blocks), len(blocks), blocks is tiles),
    )
    return with_day_headings(body, best)[:MAX_BLOCKS]


def with_day_headings(body: LexborNode, blocks: list[Block]) -> list[Block]:
    """Each block with the headings above it: a calendar's day heading ("Sunday, July 12")
    and the section it is listed in ("Online Exhibitions", "Traveling Exhibitions")."""
    anchors = {a.mem_id: i for i, b in enumerate(blocks) if (a := _anchor(b)) is not None}
    roots = {b.root.mem_id: i for i, b in enumerate(blocks) if b.root is not None}
    if not anchors:
        return blocks
    out = list(blocks)
    day: str | None = None
    section: tuple[int, str] | None = None
    for node in body.traverse():
        index = anchors.get(node.mem_id)
        if index is not None:
            level = int(node.tag[1]) if node.tag in _HEADINGS else 7
            above = section[1] if section is not None and section[0] < level else None
            out[index] = replace(out[index], day=day, section=above)
        elif node.tag in _HEADINGS or node.tag == "caption":
            text = text_of(node)
            if not text or _within(node, roots):
                continue
            if _DAY_HEADING.fullmatch(text):
                day = text
            elif node.tag in _HEADINGS:
                section = (int(node.tag[1]), text)
    return out


def _anchor(block: Block) -> LexborNode | None:
    return block.root if block.root is not None else block.heading


def _within(node: LexborNode, roots: dict[int, int]) -> bool:
    current = node.parent
    while current is not None:
        if current.mem_id in roots:
            return True
        current = current.parent
    return False


def _dated(blocks: list[Block]) -> int:
    """Blocks that mention a date near their start (or carry a ``<time>`` element)."""
    return sum(1 for b in blocks if mentions_date(b.body[:DATE_WINDOW]) or _has_time(b))


def _has_time(block: Block) -> bool:
    return any(not _is_text(n) and n.css_first("time") is not None for n in block.nodes)


def _unique(nodes: list[LexborNode]) -> list[LexborNode]:
    seen: set[int] = set()
    out = []
    for node in nodes:
        if node.mem_id not in seen:
            seen.add(node.mem_id)
            out.append(node)
    return out


def _is_text(node: LexborNode) -> bool:
    return node.tag in ("-text", "_text", "-comment", "_comment")


def _classes(node: LexborNode) -> frozenset[str]:
    return frozenset((node.attributes.get("class") or "").split())


def _groups(body: LexborNode) -> dict[tuple[object, ...], list[LexborNode]]:
    """Sibling containers by tag and the classes most of them share, under alike parents.

    Parents alike (same tag and classes) are merged, so a calendar that opens one list
    per day still gives one group; a lone child only counts once merged.
    """
    groups: dict[tuple[object, ...], list[LexborNode]] = defaultdict(list)
    for parent in body.traverse():
        by_tag: dict[str, list[LexborNode]] = defaultdict(list)
        for child in parent.iter():
            if child.tag in _CONTAINERS:
                by_tag[child.tag].append(child)
        for tag, children in by_tag.items():
            common = _common_classes(children) if len(children) > 1 else _classes(children[0])
            # Items may carry their own classes too ("category-past", "author-x"): sharing
            # one of the common classes is enough.
            members = [c for c in children if not common or common & _classes(c)]
            groups[(parent.tag, _classes(parent), tag, common)].extend(members)
    return {key: members for key, members in groups.items() if len(members) >= MIN_TILES}


def _common_classes(children: list[LexborNode]) -> frozenset[str]:
    counts: dict[str, int] = defaultdict(int)
    for child in children:
        for name in _classes(child):
            counts[name] += 1
    need = 0.6 * len(children)
    return frozenset(name for name, n in counts.items() if n >= need)


def _best_tiles(body: LexborNode) -> list[Block]:
    """The richest group of tiles, plus other groups of dated tiles elsewhere on the page.

    A museum page lists current, upcoming and online shows in separate grids, a
    carousel repeats some of them: titles already taken are not taken twice.
    """
    scored = []
    memo: dict[int, int] = {}
    for members in _groups(body).values():
        blocks = _content_tiles(members, memo)
        titles = {b.title.casefold() for b in blocks}
        if len(blocks) < MIN_TILES or len(titles) < MIN_TILES:
            continue
        dated = _dated(blocks)
        size = sum(min(len(b.text()), 800) for b in blocks) + 400 * dated
        scored.append((size, dated / len(blocks), blocks))
    if not scored:
        return []
    scored.sort(key=lambda item: -item[0])
    scored = _finer_first(scored)
    chosen = list(scored[0][2])
    taken = {b.root.mem_id for b in chosen if b.root is not None}
    titles = {b.title.casefold() for b in chosen}
    for _size, share, blocks in scored[1:]:
        if share < 0.5 or any(_overlaps(b, taken) for b in blocks):
            continue
        fresh = [b for b in blocks if b.title.casefold() not in titles]
        chosen += fresh
        taken |= {b.root.mem_id for b in fresh if b.root is not None}
        titles |= {b.title.casefold() for b in fresh}
    return _in_page_order(body, chosen)


def _content_tiles(members: list[LexborNode], memo: dict[int, int]) -> list[Block]:
    """The group's tiles outside page furniture. Tiles inside an element only *named* like
    furniture ("internal_nav_outer") stay when most of them are dated: a listing, not a menu."""
    chrome = chrome_level(members[0], memo) or chrome_level(members[-1], memo)
    if not chrome:
        return [b for b in (_tile(m) for m in members) if b is not None]
    levels = [chrome_level(m, memo) for m in members]
    tiles = [
        (level, block)
        for member, level in zip(members, levels, strict=True)
        if level < STRUCTURAL and (block := _tile(member)) is not None
    ]
    named = [block for level, block in tiles if level == NAMED]
    keep_named = bool(named) and 2 * _dated(named) >= len(named)
    return [block for level, block in tiles if level == 0 or keep_named]


def _finer_first(
    scored: list[tuple[int, float, list[Block]]],
) -> list[tuple[int, float, list[Block]]]:
    """When the best group's tiles are sections that each hold several dated items (a
    museum's "current" and "upcoming" panels), the group of those items comes first."""
    top = scored[0][2]
    roots = {b.root.mem_id for b in top if b.root is not None}
    dated = _dated(top)
    inner = [
        entry
        for entry in scored[1:]
        if entry[1] >= 0.5
        and _dated(entry[2]) > dated
        and all(_below(b.root, roots) for b in entry[2])
    ]
    if not inner:
        return scored
    finer = max(inner, key=lambda entry: entry[0])
    return [finer, *(entry for entry in scored if entry is not finer)]


def _below(node: LexborNode | None, roots: set[int]) -> bool:
    current = node.parent if node is not None else None
    while current is not None:
        if current.mem_id in roots:
            return True
        current = current.parent
    return False


def _overlaps(block: Block, taken: set[int]) -> bool:
    """The block's root is, contains or sits inside a root already taken."""
    root = block.root
    if root is None:
        return False
    current: LexborNode | None = root
    while current is not None:
        if current.mem_id in taken:
            return True
        current = current.parent
    return any(n.mem_id in taken for n in root.traverse())


def _in_page_order(body: LexborNode, blocks: list[Block]) -> list[Block]:
    position = {n.mem_id: i for i, n in enumerate(body.traverse())}
    return sorted(blocks, key=lambda b: position.get(b.root.mem_id if b.root else 0, 0))


def _tile(node: LexborNode) -> Block | None:
    """A block from one repeated element, when it has a title and more text than the title."""
    if len(node.text(deep=True).strip()) < MIN_BODY_CHARS + 3:
        return None
    heading = node.css_first(_HEADING_SELECTOR)
    title = heading_title(heading) if heading is not None else ""
    if not title:
        heading = titled(node)
        title = heading_title(heading) if heading is not None else ""
    if not title:
        heading = leading_emphasis(node)
        title = spaced_text(heading) if heading is not None else ""
    if not title:
        heading = None
        link = node if node.tag == "a" else title_link(node)
        title = text_of(link) if link is not None else ""
        if len(title) > MAX_LINK_TITLE:
            title = ""
    if not title or len(title) > 300 or not any(ch.isalpha() for ch in title):
        return None
    block = _make(title, heading, (node,), node)
    if len(block.body) < len(title) + MIN_BODY_CHARS and not _linked_picture(node):
        return None
    return block


def _linked_picture(node: LexborNode) -> bool:
    """A card that is only a title, a picture and its own link (a show's tile)."""
    return node.css_first("img") is not None and (
        node.tag == "a" or node.css_first("a[href]") is not None
    )


def _sections(body: LexborNode) -> list[Block]:
    """Heading sections of the level with the most sections that have text under them.

    Sections are h2-h4 ones; a page with a single dated section at any level (one
    exhibition or event under its heading, the page's own h1 title above it) gives it alone.
    """
    best: list[Block] = []
    single: list[Block] = []
    memo: dict[int, int] = {}
    for tag in ("h1", "h2", "h3", "h4"):
        blocks = []
        for head in body.css(tag):
            title = heading_title(head)
            if not title or in_chrome(head, memo):
                continue
            nodes = tuple(_following(head, tag))
            if title != text_of(head):
                nodes = (head, *nodes)  # the date line the title left out
            block = _make(title, head, nodes, None)
            if block.body:
                blocks.append(block)
        # A page's h1s are its title and at most a lone item: never a list of sections.
        if tag != "h1" and len(blocks) >= MIN_TILES and len(blocks) > len(best):
            best = blocks
        elif not single and len(blocks) >= 1 and _dated(blocks[-1:]):
            single = blocks[-1:] if len(blocks) <= 2 else []
    return best or single


def _following(head: LexborNode, tag: str) -> list[LexborNode]:
    """What follows a heading up to the next one of its level (climbing out of wrappers)."""
    anchor = head
    for _ in range(3):
        nodes = section_nodes(anchor, tag)
        if any(not _is_text(n) and text_of(n) for n in nodes):
            return nodes
        parent = anchor.parent
        if parent is None or parent.tag == "body" or len(parent.css(tag)) > 1:
            return nodes
        anchor = parent
    return section_nodes(anchor, tag)
