"""Steps shared by the browser tests."""

from playwright.sync_api import expect


def confirm(page) -> None:
    """Answer "Ya, lanjutkan" in the confirmation dialog that Ajukan, Setujui, Sampaikan and
    Hapus draf open (static/js/actions.js)."""
    dialog = page.locator("#pk-confirm")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Ya, lanjutkan").click()
