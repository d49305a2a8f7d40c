import os
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit


def services_required() -> bool:
    """True on CI: a test that needs PostgreSQL or Redis must fail, not skip, without them."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get(
        "PK_REQUIRE_SERVICES", ""
    ) in {"1", "true"}


def redis_url_of_worker(redis_url: str, worker_index: int) -> str:
    """The Redis URL pytest-xdist worker number `worker_index` uses: the database REDIS_URL
    names for gw0, the one below it for gw1, and so on down.

    Each worker's test cache is flushed before and after every test and its Celery worker
    processes read the broker: two workers sharing a database would empty each other's cache
    and take each other's tasks. Counting down keeps a run inside the numbers below the one it
    was given (CI's 14 gives 14 and 13 on two cores)."""
    parts = urlsplit(redis_url)
    query = parse_qs(parts.query)
    # unix:///run/redis.sock?db=3 or redis://host:6379/3; no number is database 0.
    database = query["db"][0] if "db" in query else parts.path.strip("/") or "0"
    if not database.isdigit():
        raise ValueError(f"REDIS_URL={redis_url!r} names no database number")
    own = int(database) - worker_index
    if own < 0:
        raise ValueError(
            f"REDIS_URL={redis_url!r} leaves no Redis database for worker gw{worker_index}: "
            f"name database {worker_index} or higher, or run fewer workers"
        )
    if "db" in query:
        query["db"] = [str(own)]
        # Not urlunsplit: it would write unix:///path as unix:/path.
        return redis_url.partition("?")[0] + "?" + urlencode(query, doseq=True)
    return urlunsplit(parts._replace(path=f"/{own}"))
