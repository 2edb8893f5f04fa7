"""The content team's /beheer page and JSON report, as a FastAPI router the API app mounts."""

from connectors.admin.router import admin_router

__all__ = ["admin_router"]
