"""Reads of the casework app, one module per topic (worklist, plans, …)."""
