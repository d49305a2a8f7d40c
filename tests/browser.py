"""Steps shared by the browser tests."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image
from playwright.sync_api import expect

PASSWORD = "sandi-uji-yang-panjang"  # the one tests.factories.make_user gives
LOGIN_PATH = "/akun/login/"
# Where the journeys leave the README tour's screenshots (docs/tour/), when set.
TOUR_DIR = "PK_TOUR_DIR"
TOUR_WIDTH = 1280


def confirm(page) -> None:
    """Answer "Ya, lanjutkan" in the confirmation dialog that Ajukan, Setujui, Sampaikan and
    Hapus draf open (static/js/actions.js)."""
    dialog = page.locator("#pk-confirm")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Ya, lanjutkan").click()


def only_by_clicks(page) -> None:
    """From now on `page.goto` opens the login page only: a person follows links and buttons
    from there, so a journey that needs a typed address to go on fails."""
    goto = page.goto

    def login_page_only(url, **kwargs):
        path = urlsplit(url).path
        assert path == LOGIN_PATH, f"a journey types no address but the login page's: {url}"
        return goto(url, **kwargs)

    page.goto = login_page_only


def log_in(page, base_url: str, username: str) -> None:
    """Log out if someone is logged in, then in as `username` through the login page; ends on
    the home page."""
    logout = page.get_by_role("button", name="Keluar")
    if logout.count():
        logout.click()
        expect(page.get_by_role("button", name="Keluar")).to_have_count(0)
    page.goto(f"{base_url}{LOGIN_PATH}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.locator("main")).to_contain_text(f"Selamat datang, {username}")


def tour_shot(page, name: str, *, down_to=None, full_page=False) -> Path | None:
    """Save the README tour's screenshot `name` (docs/tour/<name>.png) when PK_TOUR_DIR names a
    folder: the window (or the whole page) at 1280 px, or its top down to the bottom of
    `down_to`, reduced to 256 colours so that the repository stays small. Otherwise nothing."""
    folder = os.environ.get(TOUR_DIR)
    if not folder:
        return None
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    if size["width"] != TOUR_WIDTH:
        page.set_viewport_size({"width": TOUR_WIDTH, "height": size["height"]})
    if down_to is None:
        page.screenshot(path=path, full_page=full_page)
    else:
        page.evaluate("window.scrollTo(0, 0)")
        box = down_to.bounding_box()
        clip = {"x": 0, "y": 0, "width": TOUR_WIDTH, "height": box["y"] + box["height"] + 16}
        page.screenshot(path=path, full_page=True, clip=clip)
    if size["width"] != TOUR_WIDTH:
        page.set_viewport_size(size)
    _reduce(path)
    return path


def _reduce(path: Path) -> None:
    # A PNG of 256 colours is about a quarter of the size, and reads the same.
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(256)
    reduced.save(path, optimize=True)
