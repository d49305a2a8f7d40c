"""The watermark of a PK that is not final ("DRAF", "DIAJUKAN", "DIKEMBALIKAN"), drawn as
vector outlines in an SVG image, not as text: it shows on every page (the page background)
but adds no letters to the PDF's text layer, so that copied or extracted text reads clean.

The outlines are those of Liberation Sans Bold (the documents' font), read with fontTools
(which WeasyPrint already installs).
"""

import base64
import functools
import math
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import DecomposingRecordingPen as RecordingPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

FONT_FILE = "LiberationSans-Bold.ttf"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
COLOUR = "rgb(190,0,0)"
OPACITY = 0.13


@functools.cache
def _font_path() -> Path:
    """Liberation Sans Bold from the system fonts (fonts-liberation2, which bootstrap.sh
    installs); raises FileNotFoundError without it."""
    for root in FONT_DIRS:
        for path in sorted(Path(root).glob(f"**/{FONT_FILE}")):
            return path
    raise FileNotFoundError(FONT_FILE)


@functools.cache
def _font() -> TTFont:
    return TTFont(_font_path())


@functools.cache
def watermark_svg(word: str) -> str:
    """An SVG of `word` in outlines, rising at 45° across a square canvas (the page centres
    it). The outlines are transformed point by point: the SVG holds one plain path."""
    font = _font()
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    spacing = 80  # font units between letters
    placed, x = [], 0
    for char in word:
        name = cmap.get(ord(char))
        if name is not None:
            placed.append((glyphs[name], x))
            x += glyphs[name].width + spacing
    bounds = BoundsPen(glyphs)
    for glyph, offset in placed:
        glyph.draw(TransformPen(bounds, (1, 0, 0, -1, offset, 0)))  # SVG's y axis points down
    x_min, y_min, x_max, y_max = bounds.bounds or (0, 0, 1, 1)
    centre_x, centre_y = (x_min + x_max) / 2, (y_min + y_max) / 2
    side = int(max(x_max - x_min, y_max - y_min) * 1.4)
    cos = sin = math.sqrt(0.5)
    pen = RecordingPen(glyphs)
    for glyph, offset in placed:
        # flip y, centre on the origin, turn 45° anticlockwise (as seen), centre on the canvas
        u, v = offset - centre_x, -centre_y
        matrix = (
            cos,
            -sin,
            -sin,
            -cos,
            cos * u + sin * v + side / 2,
            -sin * u + cos * v + side / 2,
        )
        glyph.draw(TransformPen(pen, matrix))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
        f'preserveAspectRatio="xMidYMid meet">'
        f'<path fill="{COLOUR}" fill-opacity="{OPACITY}" d="{_path_data(pen)}"/></svg>'
    )


def _path_data(pen: RecordingPen) -> str:
    """SVG path data with a command letter before every segment (WeasyPrint misreads the
    implicit line-to of a moveto followed by several points)."""
    commands = []
    for operator, points in pen.value:
        if operator == "moveTo":
            commands.append("M{:.0f} {:.0f}".format(*points[0]))
        elif operator == "lineTo":
            commands.append("L{:.0f} {:.0f}".format(*points[0]))
        elif operator == "qCurveTo":
            # TrueType: several off-curve points with implied on-curve points between them.
            *controls, end = points
            for i, control in enumerate(controls):
                if i + 1 < len(controls):
                    following = controls[i + 1]
                    target = ((control[0] + following[0]) / 2, (control[1] + following[1]) / 2)
                else:
                    target = end
                commands.append("Q{:.0f} {:.0f} {:.0f} {:.0f}".format(*control, *target))
        elif operator == "curveTo":
            commands.append("C" + " ".join("{:.0f} {:.0f}".format(*p) for p in points))
        elif operator in ("closePath", "endPath"):
            commands.append("Z")
    return "".join(commands)


def watermark_data_uri(word: str) -> str:
    """The watermark of `word` as a data: URI ("" for no watermark)."""
    if not word:
        return ""
    encoded = base64.b64encode(watermark_svg(word).encode("ascii")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
