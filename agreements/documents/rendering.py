"""HTML to PDF with WeasyPrint, offline: nothing is fetched but data: URIs and our static files.

WeasyPrint is imported inside the functions that need it: the import alone costs ~0.65 s,
which a web process that never renders a PDF should not pay at start.
"""

import functools
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The base URL the documents are rendered under. ".invalid" never resolves (RFC 2606), and the
# fetcher below never opens a connection anyway: it maps this origin's static URLs to files.
INTERNAL_ORIGIN = "https://pk-portal.invalid/"


class FetchRefused(ValueError):
    """A document asked for a resource outside data: URIs and the project's static files."""


def static_prefix() -> str:
    """The absolute URL `{% static %}` paths resolve to under INTERNAL_ORIGIN."""
    return urljoin(INTERNAL_ORIGIN, settings.STATIC_URL)


def static_relative_path(url: str) -> str | None:
    """ "documents/pk.css" for a URL of our static files, None for anything else."""
    prefix = static_prefix()
    if not url.startswith(prefix):
        return None
    relative = unquote(url[len(prefix) :].split("?", 1)[0].split("#", 1)[0])
    normalised = posixpath.normpath(relative) if relative else ""
    if (
        not normalised
        or normalised in {".", ".."}
        or normalised.startswith(("../", "/"))
        or "\\" in normalised
        or "\x00" in normalised
    ):
        return None
    return normalised


def read_static(relative: str) -> bytes:
    """Our own static file: collected (hashed names under STATIC_MANIFEST) or from the finders."""
    if staticfiles_storage.exists(relative):
        with staticfiles_storage.open(relative, "rb") as handle:
            return handle.read()
    found = finders.find(relative)
    if found:
        return Path(found).read_bytes()
    raise FetchRefused(f"no static file {relative!r}")


@functools.cache
def _fetcher_class():

    class LocalOnlyFetcher(URLFetcher):
        """Serves data: URIs and our static files; refuses every other URL (http, file, …)."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            relative = static_relative_path(url)
            if relative is None:
                raise FetchRefused(f"documents fetch nothing from {url!r}")
            content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=read_static(relative), headers={"Content-Type": content_type}
            )

    return LocalOnlyFetcher


def url_fetcher():
    """A fetcher that stops the rendering (FatalURLFetchingError) on any refused URL."""
    return _fetcher_class()(fail_on_errors=True)


def layout(html: str):
    """Lay the HTML out into pages: a weasyprint.Document (its boxes are there to inspect)."""

    return weasyprint.HTML(
        string=html, base_url=INTERNAL_ORIGIN, url_fetcher=url_fetcher()
    ).render()


def write_pdf(htmls: list[str]) -> bytes:
    """One PDF of the given HTML documents, one after the other.

    Each is laid out on its own, so page numbers ("Halaman 1 dari 3") count within each part.
    """
    documents = [layout(html) for html in htmls]
    if len(documents) == 1:
        return documents[0].write_pdf()
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
