"""The one rule for links that leave the system: absolute http(s) URLs to real host names.

Scraped pages, ``.url`` sidecars and stored rows all pass through
``http_url``: ingestion uses it before storing ``url``/``image_url``, and the
invite text, the calendar export and the API check again on the way out.
Rejected: other schemes (``javascript:``, ``data:``, ``mailto:``, ``file:``),
relative or scheme-less links, user-info (``https://bank.example@evil.example``),
hosts that are not host names (``localhost``, ``a..b``, ``_x``, single labels,
unspecified or multicast IP literals), bad ports, control characters and anything
longer than ``MAX_URL_LENGTH``. IP literals are hosts (a test site on 127.0.0.1);
whether the crawler may *fetch* an address is the fetcher's rule, not this one.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

MAX_URL_LENGTH = 2048
_SCHEMES = frozenset({"http", "https"})
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
# Whitespace inside a link is an error; browsers strip leading/trailing ASCII space only.
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\s\\<>\"'`{}|^]")
_IP_LIKE = re.compile(r"^[\d.]+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Values templates and scripts leave behind instead of a link.
_PLACEHOLDERS = frozenset({"undefined", "null", "none", "nan", "false", "true", "[object object]"})


def http_url(url: object, base: str | None = None) -> str | None:
    """``url`` (joined to ``base`` when relative) if it is a safe http(s) link, else None."""
    if not isinstance(url, str):
        return None
    candidate = url.strip(" \t\r\n\f")
    if not candidate or len(candidate) > MAX_URL_LENGTH:
        return None
    if not _SCHEME.match(candidate):
        safe_base = _safe_base(base) if base is not None else None
        if safe_base is None or candidate.startswith("#"):
            return None
        if candidate.casefold() in _PLACEHOLDERS:
            return None
        candidate = urljoin(safe_base, candidate)
    if len(candidate) > MAX_URL_LENGTH or _BAD_CHARS.search(candidate):
        return None
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in _SCHEMES or "@" in parts.netloc:
        return None
    if port == 0 or not is_host_name(parts.hostname or ""):
        return None
    return candidate


@lru_cache(maxsize=256)
def _safe_base(base: str) -> str | None:
    return http_url(base)


def is_safe_http_url(url: object) -> bool:
    """True when ``url`` already is an absolute, safe http(s) link."""
    return isinstance(url, str) and http_url(url) == url.strip(" \t\r\n\f") != ""


@lru_cache(maxsize=4096)
def is_host_name(host: str) -> bool:
    """A dotted DNS name with a real top-level label, or a unicast IP literal."""
    host = host.strip("[]").lower()
    if not host or len(host) > 253:
        return False
    if ":" in host or _IP_LIKE.match(host):
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return not (address.is_unspecified or address.is_multicast)
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return False
    return _TLD.match(labels[-1]) is not None
