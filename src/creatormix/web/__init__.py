"""The web app (FastAPI): today the tracking-link redirect and a health check; pages and the REST
API under /api grow here. ``create_app()`` builds it; ``creatormix serve`` runs it with uvicorn."""

from creatormix.web.app import create_app

__all__ = ["create_app"]
