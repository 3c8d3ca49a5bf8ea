"""Reads of the casework app, one module per screen or list."""
