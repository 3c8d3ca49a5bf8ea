"""Forms of the casework app, one module per topic."""
