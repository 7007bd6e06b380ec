"""Settings of the benchmark server: production settings, the public API's rate limit off
(the load of `portal_search.py` comes from one address)."""

from sanxiang.conf.base import *  # noqa: F403

PUBLIC_API_RATE_LIMIT = 0
