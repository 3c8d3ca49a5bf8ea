"""The integration API, version 1 (docs/api.md). Apps add their routers in ``kaa/api/urls.py``."""
