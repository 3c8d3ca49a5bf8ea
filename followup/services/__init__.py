"""Writes of the follow-up jobs, one module per job."""
