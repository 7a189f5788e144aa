"""The HTTP API (FastAPI) over the same pipeline and cache as the CLI."""

from wirebrief.api.app import create_app

__all__ = ["create_app"]
