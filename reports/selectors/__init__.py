"""Reads of the reports app, each scoped to the user's municipality."""
