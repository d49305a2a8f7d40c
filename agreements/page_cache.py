"""The PK page's body, rendered once per version of everything it shows and per viewer, then
served from the shared cache (Redis in production, so every web process reuses it).

A repeat view costs one cache read (the generations, the viewer's memberships and the page
last served to this viewer at this address) and one query besides the session's and the
user's (page_agreement: the PK with its unit, the version of its check report's family and
the viewer's unread count, read together by a statement PostgreSQL plans once per
connection); the page is served again when the key it was rendered under still holds. A
request with messages to show renders the frame around the cached body.

The cache key is made of:
- the PK's and its unit's fields as the page's lookup read them, and the check report's
  family version read with them (`_FAMILY_VERSION_SQL`: what agreements.checks.report_version
  reads, folded into a signature that moves whenever that report's version moves);
- the versions other apps register (`add_version_part`: the monitoring panel's realisations);
- a generation per PK and a global one (agreements.generations), renewed whenever a row a
  PK page may show is saved or deleted;
- the viewer (user id, and whether this session gave a one-time code): actions, links and
  forms differ per viewer, and one user's page is never served to another;
- the language and the hour (UTC): deadlines ("3 hari lagi") and entry windows change with
  the clock, on whole hours in every Indonesian time zone.

The CSRF token is never cached: the body is rendered with a placeholder in its place, which
each response replaces with the request's own token.
"""

import contextlib
import dataclasses
import functools
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from agreements.generations import (
    GLOBAL_GENERATION,
    flush_pending,
    generation_key,
    generations,
)
from agreements.models import Agreement, Notification
from indicators.models import IKUDesignation
from organisations.models import Membership, Unit

# Bump when the code changes what the page shows or how it is kept (a template's change is
# seen by itself).
BODY_VERSION = 2  # 2: the page kept as bytes
BODY_SECONDS = 60 * 60  # the key holds the hour: an older body is never asked for again
# A letter-and-digit token no escaping changes; a user who types it sees their own token.
CSRF_PLACEHOLDER = "pkcsrfplaceholder7c1e9b04"
_CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()

_AGREEMENT_NAMES = [field.attname for field in Agreement._meta.concrete_fields]
_UNIT_NAMES = [field.attname for field in Unit._meta.concrete_fields]

_version_parts: list[Callable[[Agreement], str]] = []


@functools.cache
def _templates_digest() -> str:
    """SHA-256 of the project's templates, once per process: a deploy that changes one
    serves no page rendered by the old one from the shared cache."""
    digest = hashlib.sha256()
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def add_version_part(part: Callable[[Agreement], str]) -> None:
    """Let a higher app add what its part of the page depends on (called in its ready())."""
    if part not in _version_parts:
        _version_parts.append(part)


def _q(name: str) -> str:
    return '"' + name + '"'  # PostgreSQL and SQLite quote alike


_AGREEMENTS = _q(Agreement._meta.db_table)
_UNITS = _q(Unit._meta.db_table)
_PK_UNITS = f"{_UNITS}.{_q('id')}, COALESCE({_UNITS}.{_q('parent_id')}, {_UNITS}.{_q('id')})"
# The family agreements.checks.report_version reads (the PKs of the unit, its parent, its
# children and its siblings in the year, and the IKU catalogue), correlated with the row the
# page reads and folded into one text: the number, ids and lock versions of the family's PKs
# (lock versions only grow), their newest creation and save, the catalogue's size and last id.
# Whatever moves that report's version moves this signature, so the page's key needs no
# query of its own for it.
_FAMILY_VERSION_SQL = "".join(
    [
        "(SELECT CAST(COUNT(*) AS TEXT) || ':' || CAST(COALESCE(SUM(f.id), 0) AS TEXT)",
        " || ':' || CAST(COALESCE(SUM(f.lock_version), 0) AS TEXT)",
        " || ':' || COALESCE(CAST(MAX(f.created_at) AS TEXT), '')",
        " || ':' || COALESCE(CAST(MAX(f.updated_at) AS TEXT), '')",
        f" FROM {_AGREEMENTS} f WHERE f.year = {_AGREEMENTS}.{_q('year')}",
        # The family's units first, by their keys (the units' primary key and parent index),
        # then their PKs by the PKs' unit index: no scan of either table.
        " AND f.unit_id IN (SELECT fu.id FROM ",
        _UNITS,
        " fu",
        f" WHERE fu.id IN ({_PK_UNITS}) OR fu.parent_id IN ({_PK_UNITS})))",
        " || '/' || (SELECT CAST(COUNT(*) AS TEXT) || ':' || COALESCE(CAST(MAX(i.id) AS TEXT), '')",
        f" FROM {_q(IKUDesignation._meta.db_table)} i)",
    ]
)
_UNREAD_SQL = "".join(
    [
        "SELECT COUNT(*) FROM ",
        _q(Notification._meta.db_table),
        " n WHERE n.user_id = %s AND n.read_at IS NULL",
    ]
)
# The memberships are kept pickled with their units: a deploy that changes either model's
# fields reads none pickled by the old code.
_MEMBERSHIPS_SHAPE = hashlib.sha256(
    repr([[f.attname for f in m._meta.concrete_fields] for m in (Membership, Unit)]).encode()
).hexdigest()[:16]


def _memberships_key(user_id) -> str:
    return f"pk-page-memberships:{_MEMBERSHIPS_SHAPE}:{user_id}"


@dataclasses.dataclass(frozen=True)
class _LookupPlan:
    """The page's one statement and how to read its row: the PK's columns but its check
    summary, its unit's and the family version (what the body's key hashes: every column
    before `unread`), the unread count, then the check summary."""

    sql: str
    converters: list  # per column: the converters the ORM would apply
    agreement_columns: list[int]  # the row's index of each Agreement field, in model order
    unit_columns: slice
    family: int
    unread: int  # also where the columns the key hashes end


_SUMMARY_FIELDS = {"check_errors", "check_warnings"}


@functools.cache
def _lookup_plan() -> _LookupPlan:
    """Built once per process: building the same ORM query cost every view more CPU than
    running it. Table and column names come from the models, the user's id and the PK's are
    parameters."""
    keyed = [f for f in Agreement._meta.concrete_fields if f.name not in _SUMMARY_FIELDS]
    summary = [f for f in Agreement._meta.concrete_fields if f.name in _SUMMARY_FIELDS]
    units = list(Unit._meta.concrete_fields)
    fields = [*keyed, *units, *summary]
    columns = [f"{_q(field.model._meta.db_table)}.{_q(field.column)}" for field in fields]
    family = len(keyed) + len(units)
    columns[family:family] = [_FAMILY_VERSION_SQL, f"({_UNREAD_SQL})"]
    sql = "".join(
        [
            "SELECT ",
            ", ".join(columns),
            " FROM ",
            _AGREEMENTS,
            " JOIN ",
            _UNITS,
            f" ON {_UNITS}.{_q('id')} = {_AGREEMENTS}.{_q('unit_id')}",
            f" WHERE {_AGREEMENTS}.{_q('id')} = %s",
        ]
    )
    converters = []
    for field in fields:
        column = field.get_col(field.model._meta.db_table)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        converters.append([(converter, column) for converter in found])
    converters[family:family] = [[], []]
    index = {field: number for number, field in enumerate(fields)}
    index.update({field: number + 2 for field, number in index.items() if number >= family})
    return _LookupPlan(
        sql=sql,
        converters=converters,
        agreement_columns=[index[field] for field in Agreement._meta.concrete_fields],
        unit_columns=slice(len(keyed), family),
        family=family,
        unread=family + 1,
    )


@contextlib.contextmanager
def _statement_cursor():
    """Django's cursor (its health check, execute wrappers and query log) over, on
    PostgreSQL, a psycopg cursor that binds the parameters on the server: psycopg then
    prepares the statement on its first run in each connection (`prepare_threshold` in
    settings), and PostgreSQL stops planning it on every view, which cost it three times
    the statement's own run (the family version's subqueries). Django's own cursors bind on
    the client and are never prepared; with prepared statements switched off
    (DATABASE_PREPARED_STATEMENTS=false, for PgBouncer in transaction mode) this is a plain
    cursor. So it is while Django logs queries (DEBUG, a test that counts them): psycopg does
    not keep the text of a statement it ran prepared, and the log would read None."""
    with connection.cursor() as cursor:
        if (
            connection.vendor == "postgresql"
            and connection.connection.prepare_threshold is not None
            and not connection.queries_logged
        ):
            cursor.cursor = ServerBindingCursor(connection.connection)
        yield cursor


def _read_page_agreement(pk: int, user_id) -> Agreement | None:
    """The PK with its unit, `page_family_version`, `page_unread` (the user's unread
    notifications) and `page_version` (a digest of everything the page's key reads from the
    statement), as the ORM would have read them (the same converters); None: no PK."""
    plan = _lookup_plan()
    with _statement_cursor() as cursor:
        cursor.execute(plan.sql, [user_id, pk])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for number, column_converters in enumerate(plan.converters):
        for converter, column in column_converters:
            values[number] = converter(values[number], column, connection)
    agreement = Agreement.from_db(
        connection.alias, _AGREEMENT_NAMES, [values[i] for i in plan.agreement_columns]
    )
    Agreement._meta.get_field("unit").set_cached_value(
        agreement, Unit.from_db(connection.alias, _UNIT_NAMES, values[plan.unit_columns])
    )
    agreement.page_family_version = row[plan.family]
    agreement.page_unread = row[plan.unread]
    # The row as the database gave it (no model field is read again to make the key): every
    # field of the PK but its check summary, every field of its unit, the family version.
    agreement.page_version = hashlib.sha256(repr(row[: plan.unread]).encode()).hexdigest()
    return agreement


def _slot_key(request, pk) -> str:
    """Where the whole page last rendered for this viewer, PK, address and language is
    kept, with the key it was rendered under (one slot: an older version is never asked
    for again)."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"pk-page-slot:{request.user.pk}:{pk}:{get_language()}:{path}"


def page_agreement(request, pk: int) -> Agreement:
    """The PK of the page, if the viewer may see it (404 else, as visible_agreement), in one
    query with its unit, its family's version (`page_family_version`) and the viewer's unread
    notifications (`page_unread`): counted in the same statement, never cached, so a new
    notice and one marked read show on the next view whatever wrote them.

    One cache read brings, with the page's generations, the viewer's memberships (who may
    see which unit), kept per user under the global generation, which every save or delete
    of a membership or a unit, or a user's save that changes what pages show of them,
    bumps (agreements.generations), and the page this viewer was last served here
    (`page_slot`: served again if its key still holds)."""
    user = request.user
    flush_pending()
    memberships_key = _memberships_key(user.pk)
    slot_key = _slot_key(request, pk)
    found = cache.get_many([GLOBAL_GENERATION, generation_key(pk), memberships_key, slot_key])
    current = generations(pk, found)
    cached = found.get(memberships_key)
    if cached is not None and cached[0] == current[0]:
        user.remember_memberships(cached[1])
    else:
        cache.set(memberships_key, (current[0], user.active_memberships()), BODY_SECONDS)
    agreement = _read_page_agreement(pk, user.pk)
    if agreement is None or not agreement.unit.is_visible_to(user):
        raise Http404
    agreement.page_generations = current
    agreement.page_slot_key = slot_key
    agreement.page_slot = found.get(slot_key)
    return agreement


def body_key(request, agreement: Agreement) -> str:
    """The body's key; `agreement` as page_agreement read it."""
    user = request.user
    verified = user.is_verified() if hasattr(user, "is_verified") else False
    parts = (
        BODY_VERSION,
        _templates_digest(),
        # Every field of the PK and its unit, not only the lock version and `updated_at`:
        # a plain UPDATE (the DIPA copied in, a state set by a script) moves neither.
        agreement.page_version,
        [part(agreement) for part in _version_parts],
        agreement.page_generations,
        user.pk,
        verified,
        get_language(),
        timezone.now().strftime("%Y-%m-%dT%H"),
    )
    return "pk-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


# The indentation of our templates between two tags: a sixth of a 51-indicator PK page, read
# from Redis and sent on every view (and down a slow line in Sorong). A browser shows a run of
# whitespace between tags as one space, except inside <pre> and <textarea>, which the page
# has none of (a page that does is kept as rendered).
_BETWEEN_TAGS = re.compile(r">\s{2,}<")


def compact(html: str) -> str:
    if "<pre" in html or "<textarea" in html:
        return html
    return _BETWEEN_TAGS.sub("> <", html)


def page_response(request, agreement: Agreement, context: Callable[[], dict]) -> HttpResponse:
    """The PK page for this viewer. A repeat view is served whole from the cache: the body
    (per viewer and version) inside the frame (menu, notification count, language form),
    the frame's versions being the unread count and the address, both read per request.
    `agreement` as page_agreement read it.
    A request with messages to show renders the frame (and does not store it); a miss of
    the body renders it from `context()`. The request's own CSRF token is put in last."""
    key = body_key(request, agreement)
    page_key = f"{key}:{agreement.page_unread}"
    with_messages = len(messages.get_messages(request)) > 0
    slot = None if with_messages else agreement.page_slot
    if slot is not None and slot[0] == page_key:
        html = slot[1]
    else:
        body = cache.get(key)
        if body is None:
            body = render_to_string(
                "agreements/_detail_body.html",
                {**context(), "csrf_token": CSRF_PLACEHOLDER},
                request=request,
            )
            cache.set(key, body, timeout=BODY_SECONDS)
        html = compact(
            render_to_string(
                "agreements/detail.html",
                {
                    "agreement": agreement,
                    # Rendered by our own templates, which escaped every value.
                    "page_body": mark_safe(body),  # noqa: S308
                    "csrf_token": CSRF_PLACEHOLDER,
                    "unread_notification_count": agreement.page_unread,
                },
                request=request,
            )
        )
        # Kept as the bytes sent: a repeat view neither decodes nor encodes 50 KB of text.
        html = html.encode()
        if not with_messages:
            cache.set(agreement.page_slot_key, (page_key, html), timeout=BODY_SECONDS)
    return HttpResponse(html.replace(_CSRF_PLACEHOLDER_BYTES, get_token(request).encode()))
