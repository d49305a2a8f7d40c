"""Counters of attempts in a time window, kept in Django's cache (Redis in production), so
every web process counts the same attempts: password-reset requests per address and per
client, wrong signing secrets per official.

    count_attempt(scope, key, window) -> int      this attempt's number within the window
    attempts(scope, key) -> int                   how many so far (without counting one more)
"""

import hashlib

from django.core.cache import cache


def _cache_key(scope: str, key: str) -> str:
    # Hashed: an e-mail address or an IP address never becomes a cache key as typed.
    digest = hashlib.sha256(str(key).strip().lower().encode()).hexdigest()[:32]
    return f"limit:{scope}:{digest}"


def count_attempt(scope: str, key: str, window: int) -> int:
    """Count one attempt of `key` and return how many there were in the current window of
    `window` seconds (the window starts at the first attempt). Atomic in Redis and in the
    local-memory cache: two processes counting at once both count."""
    name = _cache_key(scope, key)
    cache.add(name, 0, timeout=window)
    try:
        return cache.incr(name)
    except ValueError:  # expired between add() and incr()
        cache.add(name, 1, timeout=window)
        return 1


def attempts(scope: str, key: str) -> int:
    return int(cache.get(_cache_key(scope, key)) or 0)


def reset(scope: str, key: str) -> None:
    cache.delete(_cache_key(scope, key))
