"""How the visible stamp of an electronic signature looks: Liberation Sans (the documents' font)
embedded as a subset, so that every glyph prints (no "ƒ" for "…") and PDF/A holds; the text
beside the QR code shrinks to fit the 55 × 24 mm box rather than being cut.
"""

from pathlib import Path

from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import QRStampStyle

STAMP_FONT_FILE = "LiberationSans-Regular.ttf"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
FONT_SIZE = 6
LEADING = 7


class StampFontMissing(FileNotFoundError):
    """Liberation Sans is not installed (fonts-liberation2; scripts/bootstrap.sh installs it)."""


def stamp_font_path() -> Path:
    for root in FONT_DIRS:
        for path in sorted(Path(root).glob(f"**/{STAMP_FONT_FILE}")):
            return path
    raise StampFontMissing(STAMP_FONT_FILE)


def stamp_style(stamp_text: str):
    """The pyHanko QRStampStyle of our stamps, showing `stamp_text` beside the QR code."""
    font = GlyphAccumulatorFactory(str(stamp_font_path()), font_size=FONT_SIZE)
    return QRStampStyle(
        # The template interpolates %(…)s: a literal % in a name must not.
        stamp_text=stamp_text.replace("%", "%%"),
        border_width=1,
        innsep=3,
        text_box_style=TextBoxStyle(font=font, font_size=FONT_SIZE, leading=LEADING),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )
