"""Deny by default: every URL of the site refuses anonymous users, except the public few."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Public on purpose: logging in, resetting a password, the health check, switching language,
# and the public verification page of a signed PK.
PUBLIC = {
    "login",
    "logout",  # after the session expired, "Keluar" still leads to the login page
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "set_language",
    "verification",
    "admin:login",
}
SAMPLE = {"pk": 1, "code": "64.74", "part": "lengkap", "fmt": "xlsx", "action": "submit",
          "kind": "indikator", "doc_id": 1, "uidb64": "MQ", "token": "x-y", "object_id": "1",
          "app_label": "organisations", "content_type_id": 1, "url": "x"}  # fmt: skip


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def sample_url(name, pattern):
    converters = getattr(pattern.pattern, "converters", {}) or {}
    names = list(converters) or list(pattern.pattern.regex.groupindex)
    kwargs = {key: SAMPLE.get(key, "1") for key in names}
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:  # a pattern whose sample does not fit: not a URL users reach
        return None


ALL = sorted({name: pattern for name, pattern in named_patterns()}.items())


def test_the_walk_finds_the_views_of_every_app():
    names = {name for name, _ in ALL}
    assert {"home", "agreements:detail", "organisations:unit_detail", "admin:index"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "pattern"), [(n, p) for n, p in ALL if n not in PUBLIC and not n.startswith("admin:")]
)
def test_anonymous_users_are_refused(client, name, pattern):
    url = sample_url(name, pattern)
    if url is None:
        pytest.fail(f"no sample URL for {name}: add its parameters to SAMPLE")
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, (name, response.status_code)
        assert response["Location"].startswith(reverse("login")), (name, response["Location"])


@pytest.mark.django_db
def test_the_admin_sends_anonymous_users_to_its_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_logging_out_after_the_session_expired_ends_at_the_login_page(client):
    response = client.post(reverse("logout"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and "/akun/login/" in response.redirect_chain[-1][0]
