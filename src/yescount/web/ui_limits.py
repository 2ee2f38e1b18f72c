"""The API's rate limits, applied to the Streamlit pages that call the same services.

The client is the websocket connection's address (``X-Forwarded-For`` only from
``TRUSTED_PROXIES``, applied by ``web.server`` to websockets too); local connections
share the key ``local``. Re-runs of a page do not count: a preview counts once per
browser session and plan, a card search once per new query, create and join once per
press of their button.
"""

from __future__ import annotations

import streamlit as st

from yescount.bootstrap import Container


def client_address() -> str:
    """The browser's address; "local" for localhost (and where Streamlit has no socket)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"


def limit(c: Container, action: str, *, once: str | None = None) -> None:
    """Count one UI action against this client's budget (RateLimitedError past it)."""
    marker = f"rate-{action}-{once}"
    if once is not None and st.session_state.get(marker):
        return
    c.rate_limiter.check(action, client_address())
    if once is not None:
        st.session_state[marker] = True
