"""How the visible stamp of an electronic signature looks: Liberation Sans (the documents' font)
embedded as a subset, so that every glyph prints (no "ƒ" for "…") and PDF/A holds; the text
beside the QR code shrinks to fit the 55 × 24 mm box rather than being cut.
"""

import hashlib
import os
import tempfile
from io import BytesIO
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import QRStampStyle, TextStamp, TextStampStyle

STAMP_FONT_FILE = "LiberationSans-Regular.ttf"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
FONT_SIZE = 6
LEADING = 7


class StampFontMissing(FileNotFoundError):
    """Liberation Sans is not installed (fonts-liberation2; scripts/bootstrap.sh installs it)."""


def installed_font_path() -> Path:
    for root in FONT_DIRS:
        for path in sorted(Path(root).glob(f"**/{STAMP_FONT_FILE}")):
            return path
    raise StampFontMissing(STAMP_FONT_FILE)


def stamp_font_path() -> Path:
    """Liberation Sans rescaled to 1000 units per em. pyHanko 0.38 writes a TrueType font's
    glyph widths (/W) in the font's own units, which PDF reads as thousandths of an em: the
    installed font's 2048 units spread the stamp's letters twice as wide and cut its lines.
    The copy is derived from the installed font (a cache file in the temporary directory,
    named by the font's hash; any process may remake it)."""
    source = installed_font_path()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"pk-portal-stamp-font-{digest}-1000.ttf"
    if not target.exists():
        font = TTFont(str(source))
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".ttf")
        os.close(handle)
        font.save(partial)
        os.replace(partial, target)  # atomic: another process never reads half a font
    return target


def _text_box_style() -> TextBoxStyle:
    font = GlyphAccumulatorFactory(str(stamp_font_path()), font_size=FONT_SIZE)
    return TextBoxStyle(font=font, font_size=FONT_SIZE, leading=LEADING)


def _shrinking_layout() -> layout.SimpleBoxLayoutRule:
    return layout.SimpleBoxLayoutRule(
        x_align=layout.AxisAlignment.ALIGN_MIN,
        y_align=layout.AxisAlignment.ALIGN_MID,
        inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
    )


def draw_texts(
    pdf: bytes, boxes: list[tuple[int, tuple[float, float, float, float], str]]
) -> bytes:
    """`pdf` with, for each (page index, box x1 y1 x2 y2 in PDF points, text), a bordered
    text stamp drawn into the page's content (the embedded font, shrunk to fit the box), as
    one incremental update. Page content, not an annotation: done before the first
    signature, so the signatures cover it and a later signature still changes only a form
    field."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    for page_index, (x1, y1, x2, y2), text in boxes:
        style = TextStampStyle(
            stamp_text=text.replace("%", "%%"),
            border_width=1,
            text_box_style=_text_box_style(),
            inner_content_layout=_shrinking_layout(),
        )
        box = layout.BoxConstraints(width=round(x2 - x1), height=round(y2 - y1))
        TextStamp(writer, style, text_params={}, box=box).apply(page_index, round(x1), round(y1))
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def stamp_style(stamp_text: str):
    """The pyHanko QRStampStyle of our stamps, showing `stamp_text` beside the QR code."""
    return QRStampStyle(
        # The template interpolates %(…)s: a literal % in a name must not.
        stamp_text=stamp_text.replace("%", "%%"),
        border_width=1,
        innsep=3,
        text_box_style=_text_box_style(),
        inner_content_layout=_shrinking_layout(),
    )
