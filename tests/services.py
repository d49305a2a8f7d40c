import os


def services_required() -> bool:
    """True on CI: a test that needs PostgreSQL or Redis must fail, not skip, without them."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get(
        "PK_REQUIRE_SERVICES", ""
    ) in {"1", "true"}
