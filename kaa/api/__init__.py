"""The integration API, version 1 (API.md). Apps add their routers in ``kaa/api/urls.py``."""
