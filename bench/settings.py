"""The project's settings with bench.urls (a bare view beside the pages): for bench/peak.py."""

from pk_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
