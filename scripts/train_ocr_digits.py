#!/usr/bin/env python3
"""Builds data/ocr_digit_glyphs.txt: the glyphs saraban's OCR digit reader
compares number and date fields against.

Each Thai and Arabic digit and the punctuation of letter numbers and dates
(`. / , -`), and `ว` (the circular mark that follows `/` in letter
numbers, so that it is told apart from `๑`), is rendered in the open Thai fonts Debian ships
(fonts-thai-tlwg), at several sizes and stroke weights (antialiased, then
cut at three thresholds), and stored as a 1-bit bitmap of its ink with
its size and position relative to the font's x-height (the height of `น`)
and baseline. saraban computes its features from these bitmaps at start-up
with the same code it applies to the page, so the two never drift apart.

    python3 scripts/train_ocr_digits.py [--out data/ocr_digit_glyphs.txt] [--exclude FONT]

`--exclude` leaves a font out (to measure the reader on a font it never saw).
Needs (Debian): python3-pil, fonts-thai-tlwg. Output is deterministic.
"""

import argparse
import os

from PIL import Image, ImageDraw, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIRS = ["/usr/share/fonts/truetype/tlwg", "/usr/share/fonts/opentype/tlwg"]
FONTS = [
    "Laksaman", "Laksaman-Bold", "Garuda", "Garuda-Bold", "Loma", "Loma-Bold",
    "Norasi", "Norasi-Bold", "Kinnari", "Kinnari-Bold", "TlwgTypo", "TlwgTypo-Bold",
    "Sawasdee", "Sawasdee-Bold", "Waree", "Waree-Bold", "Umpush", "Umpush-Bold",
    "TlwgTypist", "TlwgTypewriter", "TlwgMono",
]
LABELS = list("๐๑๒๓๔๕๖๗๘๙0123456789./,-ว")
SIZES = [22, 40]
THRESHOLDS = [90, 128, 170]


def font_path(name):
    for d in DIRS:
        for ext in (".ttf", ".otf"):
            p = os.path.join(d, name + ext)
            if os.path.exists(p):
                return p
    return None


def ink(font, text, threshold, em):
    """Bitmap rows of the glyph's ink, its box, on a canvas with the
    baseline at a known row."""
    pad = em
    img = Image.new("L", (em * 3, em * 3), 255)
    d = ImageDraw.Draw(img)
    base = pad + round(em * 1.2)
    d.text((pad, base), text, font=font, fill=0, anchor="ls")
    w, h = img.size
    px = img.load()
    xs, ys = [], []
    for y in range(h):
        for x in range(w):
            if px[x, y] < threshold:
                xs.append(x)
                ys.append(y)
    if not xs:
        return None
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    rows = []
    for y in range(y0, y1 + 1):
        rows.append("".join("1" if px[x, y] < threshold else "0" for x in range(x0, x1 + 1)))
    return rows, (x0, y0, x1, y1), base


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "ocr_digit_glyphs.txt"))
    ap.add_argument("--exclude", action="append", default=[])
    args = ap.parse_args()
    lines = [
        "# Glyphs of the OCR digit reader: rendered by scripts/train_ocr_digits.py",
        "# from fonts-thai-tlwg (GPL-2+ with font exception; Laksaman: GPL-2+).",
        "# label<TAB>font<TAB>x_height<TAB>baseline_minus_bottom<TAB>width<TAB>height<TAB>bits (rows, hex)",
    ]
    for name in FONTS:
        if any(name.startswith(e) for e in args.exclude):
            continue
        path = font_path(name)
        if path is None:
            continue
        for em in SIZES:
            font = ImageFont.truetype(path, em, layout_engine=ImageFont.Layout.RAQM)
            for t in THRESHOLDS:
                ref = ink(font, "น", t, em)
                if ref is None:
                    continue
                _, (_, ry0, _, ry1), _ = ref
                xh = ry1 - ry0 + 1
                for label in LABELS:
                    g = ink(font, label, t, em)
                    if g is None:
                        continue
                    rows, (x0, y0, x1, y1), base = g
                    w, h = x1 - x0 + 1, y1 - y0 + 1
                    bits = "".join(rows)
                    bits += "0" * (-len(bits) % 4)
                    hexs = "".join("%x" % int(bits[i:i + 4], 2) for i in range(0, len(bits), 4))
                    # Baseline row minus the glyph's bottom row (positive: above the baseline).
                    lines.append(f"{label}\t{name}\t{xh}\t{base - 1 - y1}\t{w}\t{h}\t{hexs}")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"{len(lines) - 3} glyphs in {args.out}")


if __name__ == "__main__":
    main()
