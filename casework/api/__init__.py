"""API routers of the casework app (API.md), one module per resource; see kaa/api/urls.py."""
