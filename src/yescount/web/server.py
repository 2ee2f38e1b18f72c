"""One ASGI app: the Streamlit UI plus health routes, run by uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st
import uvicorn
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from yescount.config import Settings

SCRIPT = Path(__file__).with_name("streamlit_app.py")


async def _healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings) -> Any:
    """Build the combined Streamlit + HTTP application."""
    return st.App(str(SCRIPT), routes=[Route("/healthz", _healthz)])


def serve(settings: Settings, *, host: str, port: int) -> None:
    """Run the app with uvicorn until interrupted."""
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
