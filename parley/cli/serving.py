"""Serve Parley: one uvicorn process running the ASGI application (static files by whitenoise)."""

from __future__ import annotations

import uvicorn

APPLICATION = "parley.config.asgi:application"


def site_url(host: str, port: int) -> str:
    """Return the address a browser opens for a server on *host*:*port*."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(host: str, port: int) -> None:
    """Serve until interrupted (Ctrl+C)."""
    # Django's ASGI handler does not speak the lifespan protocol; saying so saves a log line.
    uvicorn.run(APPLICATION, host=host, port=port, log_level="info", lifespan="off")
