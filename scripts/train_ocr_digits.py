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

import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIRS = ["/usr/share/fonts/truetype/tlwg", "/usr/share/fonts/opentype/tlwg"]
FONTS = [
    "Laksaman", "Laksaman-Bold", "Garuda", "Garuda-Bold", "Loma", "Loma-Bold",
    "Norasi", "Norasi-Bold", "Kinnari", "Kinnari-Bold", "TlwgTypo", "TlwgTypo-Bold",
    "Sawasdee", "Sawasdee-Bold", "Waree", "Waree-Bold", "Umpush", "Umpush-Bold",
    "TlwgTypist", "TlwgTypewriter", "TlwgMono",
]
LABELS = list("๐๑๒๓๔๕๖๗๘๙0123456789./,-ว")
# (em in pixels, degradation, threshold). Clean renders cut at three
# thresholds give thin and bold strokes; the degraded ones are what the
# reader meets on scans: blurred JPEG pages (300 dpi, 12-16 pt is an em of
# 50-67 px) and pages despeckled by the 3x3 median filter (150-200 dpi).
VARIANTS = [
    (22, "clean", 128),
    (40, "clean", 90),
    (40, "clean", 128),
    (40, "clean", 170),
    (44, "jpeg", 128),
    (62, "jpeg", 128),
    (30, "median", 128),
    (42, "median", 128),
]
# Held-out evaluation (--eval): other sizes and seeds.
EVAL_VARIANTS = [
    (34, "clean", 128),
    (56, "clean", 128),
    (52, "jpeg", 128),
    (36, "median", 128),
    (48, "median", 128),
]


_NOISE = {}


def noise_tile(size, rng):
    """Gaussian noise (sigma 18 around mid-grey), drawn once per size from
    the seeded generator so that the output is deterministic."""
    if size not in _NOISE:
        n = size[0] * size[1]
        px = bytes(max(0, min(255, int(rng.gauss(128, 18)))) for _ in range(n))
        _NOISE[size] = Image.frombytes("L", size, px)
    return _NOISE[size]


def degrade(img, how, em, rng):
    """The canvas as a scan of that kind would show it."""
    if how == "jpeg":
        img = img.filter(ImageFilter.GaussianBlur(radius=0.5 * em / 60))
        noise = noise_tile(img.size, rng)
        img = Image.blend(img, noise, 0.12)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=rng.randrange(30, 55))
        return Image.open(io.BytesIO(buf.getvalue())).convert("L")
    if how == "median":
        px = img.load()
        w, h = img.size
        for _ in range(int(w * h * 0.004)):
            x, y = rng.randrange(w), rng.randrange(h)
            px[x, y] = 0 if rng.random() < 0.7 else 255
        return img.filter(ImageFilter.MedianFilter(3))
    return img


def font_path(name):
    for d in DIRS:
        for ext in (".ttf", ".otf"):
            p = os.path.join(d, name + ext)
            if os.path.exists(p):
                return p
    return None


def ink(font, text, threshold, em, how="clean", rng=None):
    """Bitmap rows of the glyph's ink, its box, on a canvas with the
    baseline at a known row. Specks left after degradation (ink away from
    the glyph's own box) are not part of it."""
    pad = em
    img = Image.new("L", (em * 3, em * 3), 255)
    d = ImageDraw.Draw(img)
    base = pad + round(em * 1.2)
    d.text((pad, base), text, font=font, fill=0, anchor="ls")
    bx = d.textbbox((pad, base), text, font=font, anchor="ls")
    if how != "clean":
        img = degrade(img, how, em, rng)
    w, h = img.size
    px = img.load()
    xs, ys = [], []
    for y in range(max(0, bx[1] - 1), min(h, bx[3] + 2)):
        for x in range(max(0, bx[0] - 1), min(w, bx[2] + 2)):
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
    ap.add_argument("--only", action="append", default=[],
                    help="only this font (with --eval: the held-out test set)")
    ap.add_argument("--eval", action="store_true",
                    help="write degraded test glyphs at other sizes instead")
    args = ap.parse_args()
    rng = random.Random(7 if args.eval else 1)
    variants = EVAL_VARIANTS if args.eval else VARIANTS
    lines = [
        "# Glyphs of the OCR digit reader: rendered by scripts/train_ocr_digits.py",
        "# from fonts-thai-tlwg (GPL-2+ with font exception; Laksaman: GPL-2+).",
        "# label<TAB>font<TAB>x_height<TAB>baseline_minus_bottom<TAB>width<TAB>height<TAB>bits (rows, hex)",
    ]
    for name in FONTS:
        if any(name.startswith(e) for e in args.exclude):
            continue
        if args.only and not any(name.startswith(o) for o in args.only):
            continue
        path = font_path(name)
        if path is None:
            continue
        for em, how, t in variants:
            font = ImageFont.truetype(path, em, layout_engine=ImageFont.Layout.RAQM)
            ref = ink(font, "น", t, em)
            if ref is None:
                continue
            _, (_, ry0, _, ry1), _ = ref
            xh = ry1 - ry0 + 1
            for label in LABELS:
                g = ink(font, label, t, em, how, rng)
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
