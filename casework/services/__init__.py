"""Writes of the casework app, one module per topic (contacts, letters, plans, …)."""
