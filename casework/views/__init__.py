"""Views of the casework app, one module per screen."""
