"""Per-client rate limiting of the public API (限流): a fixed window per client IP.

`install(api)` puts the limit in front of every operation of a NinjaAPI (before
validation, so bad requests count too); `rate_limited` is the same as a decorator for one
Router (`router.add_decorator(rate_limited, mode="view")`). A request is counted once even
when both apply. Past the limit the answer is 429 `rate_limited` with `Retry-After` (whole
seconds until the window ends) and `details.retry_after`.

Settings (read on each request, with defaults; not environment variables yet):

* `PUBLIC_API_RATE_LIMIT` — requests per window and client (default 120; 0 or None: off);
* `PUBLIC_API_RATE_WINDOW` — window length in seconds (default 60);
* `PUBLIC_API_TRUSTED_PROXIES` — how many reverse proxies in front of the app append to
  `X-Forwarded-For` (default 0: the client is `REMOTE_ADDR`, and `X-Forwarded-For`, which
  any client can forge, is ignored). With 1, the client is the last address the proxy added.

Counters live in Django's default cache. As configured (`conf.base.CACHES`) that is a per-process
`LocMemCache`: each worker process (and each server) then counts on its own, so the
effective limit is the limit times the number of processes. A deployment with several
processes or servers should configure a shared cache for the limit to be exact — Redis or
Memcached (atomic increments) or, with no extra service, Django's database cache
(`django.core.cache.backends.db.DatabaseCache` + `sanxiang createcachetable`; its
increments are not atomic, so under heavy concurrency a few requests more may pass).
"""

from __future__ import annotations

import functools
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from sanxiang.api.errors import error_response

DEFAULT_LIMIT = 120
DEFAULT_WINDOW = 60
_CHECKED = "_sanxiang_rate_checked"


def client_ip(request: HttpRequest) -> str:
    """The client's address: `REMOTE_ADDR`, or the one the trusted proxies saw."""
    proxies = int(getattr(settings, "PUBLIC_API_TRUSTED_PROXIES", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    return hops[-min(proxies, len(hops))] if hops else remote


def hit(request: HttpRequest, scope: str = "public") -> int | None:
    """Count this request; None when allowed, else the seconds until the window ends (>= 1)."""
    limit = getattr(settings, "PUBLIC_API_RATE_LIMIT", DEFAULT_LIMIT)
    if not limit:
        return None
    window = max(1, int(getattr(settings, "PUBLIC_API_RATE_WINDOW", DEFAULT_WINDOW)))
    now = time.time()
    slot = int(now // window)
    key = f"sanxiang:rate:{scope}:{window}:{client_ip(request)}:{slot}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count <= int(limit):
        return None
    return max(1, math.ceil((slot + 1) * window - now))


def too_many_requests(retry_after: int):
    return error_response(
        429, "rate_limited",
        _("Too many requests; please retry in %(seconds)d seconds.") % {"seconds": retry_after},
        {"retry_after": retry_after}, {"Retry-After": str(retry_after)},
    )


def rate_limited(run):
    """Decorator for a Ninja operation's `run` (mode "view"): 429 past the limit."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not getattr(request, _CHECKED, False):
            setattr(request, _CHECKED, True)
            retry_after = hit(request)
            if retry_after is not None:
                return too_many_requests(retry_after)
        return run(request, *args, **kwargs)

    return wrapper


def install(api) -> None:
    """Rate-limit every operation of `api` (a NinjaAPI), before validation and auth."""
    api.add_decorator(rate_limited, mode="view")
