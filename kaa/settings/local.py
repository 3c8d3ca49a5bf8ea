"""The embedded demo run: SQLite, no broker (jobs run in-process), console e-mail."""

from .base import *

DEBUG = env.bool("DEBUG", default=True)
LOGGING["formatters"]["json"] = {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
