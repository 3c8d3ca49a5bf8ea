"""API routers of the casework app (docs/api.md), one module per resource; see kaa/api/urls.py."""
