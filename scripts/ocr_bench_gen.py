#!/usr/bin/env python3
"""Synthetic scanned Thai government letters with their ground truth.

Each page is a letter laid out the way Thai official letters are printed
(`ที่ มท ๐๒๑๑.๔/ว ๗๑๖๐` at the left, the agency at the right, the date,
`เรื่อง`, `เรียน`, body paragraphs, signature block, contact line), rendered
with an open Thai font, then degraded like a scan. Some pages set the body
in two columns, some hold a table. Body text comes from the real documents
in corpus/real/.

Everything is seeded: the same arguments give the same pages. The grain of
JPEG pages comes from Pillow's own noise generator, which the seed does not
set, so it depends on the JPEG pages made before in the same run.

    python3 scripts/ocr_bench_gen.py --out target/ocr-bench [--count 72] [--seed 1]
    python3 scripts/ocr_bench_gen.py --out DIR --seed 11 --only 200:speckle --pages 24

The second form makes a focused set of one group (here 24 speckled 200 dpi
pages; the pages of a group are every 16th page, so their fonts rotate).

Writes one image per page and manifest.json: for each page the file, font,
dpi, noise, layout, the text as printed (`truth`), the letter number as
printed (`number`) and the letter's date (`date`, CE YYYY-MM-DD).

Needs (Debian): python3-pil (with libraqm for Thai shaping), fonts-thai-tlwg.
"""

import argparse
import io
import json
import os
import random
import re
import sys

from PIL import Image, ImageDraw, ImageFilter, ImageFont, features

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TLWG = ["/usr/share/fonts/truetype/tlwg", "/usr/share/fonts/opentype/tlwg"]

# Font file, point size for body text. Laksaman is the TH Sarabun look-alike
# (small x-height, printed at 16 pt like Sarabun); the others are set a
# little smaller so that their x-height is comparable.
FONTS = [
    ("Laksaman", "Laksaman.otf", 16),
    ("Garuda", "Garuda.ttf", 13),
    ("Loma", "Loma.ttf", 14),
    ("Norasi", "Norasi.ttf", 15),
    ("Kinnari", "Kinnari.ttf", 15),
    ("TlwgTypo", "TlwgTypo.ttf", 13),
    ("Sawasdee", "Sawasdee.ttf", 15),
    ("Waree", "Waree.ttf", 13),
    ("Umpush", "Umpush.ttf", 14),
]
DPIS = [150, 200, 300, 400]
NOISES = ["clean", "speckle", "jpeg", "skew"]

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
MONTHS = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]
DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
AGENCIES = [
    ("มท", "กระทรวงมหาดไทย", "ถนนอัษฎางค์ กทม. ๑๐๒๐๐"),
    ("นร", "สำนักนายกรัฐมนตรี", "ทำเนียบรัฐบาล กทม. ๑๐๓๐๐"),
    ("ยธ", "กระทรวงยุติธรรม", "ถนนแจ้งวัฒนะ กทม. ๑๐๒๑๐"),
    ("ศธ", "กระทรวงศึกษาธิการ", "ถนนราชดำเนินนอก กทม. ๑๐๓๐๐"),
    ("สธ", "กระทรวงสาธารณสุข", "ถนนติวานนท์ นนทบุรี ๑๑๐๐๐"),
    ("กษ", "กระทรวงเกษตรและสหกรณ์", "ถนนราชดำเนินนอก กทม. ๑๐๒๐๐"),
    ("พม", "กระทรวงการพัฒนาสังคมฯ", "ถนนกรุงเกษม กทม. ๑๐๑๐๐"),
    ("กค", "กระทรวงการคลัง", "ถนนพระรามที่ ๖ กทม. ๑๐๔๐๐"),
    ("รย", "ศาลากลางจังหวัดระยอง", "ถนนสุขุมวิท รย ๒๑๑๕๐"),
    ("ชม", "ศาลากลางจังหวัดเชียงใหม่", "ถนนโชตนา ชม ๕๐๓๐๐"),
    ("ภก", "ศาลากลางจังหวัดภูเก็ต", "ถนนนริศร ภก ๘๓๐๐๐"),
    ("สข", "ศาลากลางจังหวัดสงขลา", "ถนนราชดำเนิน สข ๙๐๐๐๐"),
]
SUBJECTS = [
    "ขอความร่วมมือในการดำเนินงานตามแผนสิทธิมนุษยชนแห่งชาติ",
    "การประชุมคณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด",
    "ขอเชิญเข้าร่วมการอบรมเชิงปฏิบัติการ",
    "ติดตามรายงานผลการปฏิบัติตามวาระแห่งชาติ",
    "การจัดทำแผนปฏิบัติการประจำปีงบประมาณ",
    "ขอส่งสำเนาคำสั่งแต่งตั้งคณะกรรมการ",
]
RECIPIENTS = [
    "ผู้ว่าราชการจังหวัดทุกจังหวัด",
    "หัวหน้าส่วนราชการ นายอำเภอทุกอำเภอ",
    "ปลัดกระทรวงยุติธรรม",
    "อธิบดีกรมคุ้มครองสิทธิและเสรีภาพ",
    "ผู้อำนวยการสำนักงานยุติธรรมจังหวัด",
]
SIGNERS = [
    ("(นายสมชาย ใจดี)", "ผู้ว่าราชการจังหวัด"),
    ("(นางสาวอรุณี ศรีสุข)", "รองปลัดกระทรวง ปฏิบัติราชการแทน"),
    ("(นายประเสริฐ วงศ์ใหญ่)", "อธิบดีกรมการปกครอง"),
]
PROVINCES = ["ภูเก็ต", "สงขลา", "เชียงใหม่", "ระยอง", "ขอนแก่น", "นครราชสีมา", "ชลบุรี"]

MARKS = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
FOLLOWING = set("ะาำๅ")
LEADING = set("เแโใไ")


def thai_digits(s):
    return "".join(THAI_DIGITS[int(c)] if c.isdigit() and c.isascii() else c for c in s)


def digits(rng, n):
    return "".join(str(rng.randrange(10)) for _ in range(n))


def body_paragraphs(rng, n):
    """`n` paragraphs of real Thai prose from corpus/real/."""
    real = os.path.join(ROOT, "corpus", "real")
    files = sorted(f for f in os.listdir(real) if f.endswith(".txt"))
    paras = []
    for f in files:
        with open(os.path.join(real, f), encoding="utf-8-sig") as fh:
            for line in fh:
                line = re.sub(r"\s+", " ", line).strip()
                thai = sum(1 for c in line if "\u0e01" <= c <= "\u0e5b")
                if len(line) >= 80 and thai * 10 >= len(line) * 7:
                    paras.append(line)
    out = []
    for _ in range(n):
        p = rng.choice(paras)
        if len(p) > 360:
            cut = p.find(" ", 300)
            p = p[: cut if 0 < cut < 420 else 360].strip()
        out.append(p)
    return out


def breakable(text, i):
    """May a line break fall before text[i] (not inside a syllable)?"""
    if i <= 0 or i >= len(text):
        return True
    c, p = text[i], text[i - 1]
    return c not in MARKS and c not in FOLLOWING and p not in LEADING and c != " "


def wrap(text, font, width):
    """Greedy wrap at spaces, else between syllable-safe characters."""
    lines = []
    rest = text
    while rest:
        if font.getlength(rest) <= width:
            lines.append(rest)
            break
        # Longest prefix that fits.
        lo, hi = 1, len(rest)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if font.getlength(rest[:mid]) <= width:
                lo = mid
            else:
                hi = mid - 1
        cut = rest.rfind(" ", 0, lo + 1)
        if cut <= lo // 2:
            cut = lo
            while cut > 1 and not breakable(rest, cut):
                cut -= 1
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return lines


class Page:
    def __init__(self, dpi, font_file, pt):
        self.dpi = dpi
        self.w, self.h = int(8.27 * dpi), int(11.69 * dpi)
        self.img = Image.new("L", (self.w, self.h), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.font = ImageFont.truetype(font_file, max(6, round(pt * dpi / 72)),
                                       layout_engine=ImageFont.Layout.RAQM)
        self.line_h = round(pt * dpi / 72 * 1.45)
        self.left = round(1.18 * dpi)   # 3 cm
        self.right = self.w - round(0.79 * dpi)  # 2 cm
        self.y = round(0.9 * dpi)
        self.truth = []
        # Top row of each line printed: (row, text).
        self.rows = []

    def text(self, x, s, truth=True):
        self.draw.text((x, self.y), s, font=self.font, fill=0)
        self.rows.append((self.y, s))
        if truth:
            self.truth.append(s)

    def newline(self, n=1.0):
        self.y += round(self.line_h * n)

    def para(self, s, x0=None, x1=None, indent=True):
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        ind = round(0.98 * self.dpi) if indent else 0
        first = wrap(s, self.font, x1 - x0 - ind)[0]
        rest = s[len(first):].strip()
        lines = [(x0 + ind, first)] + [(x0, l) for l in wrap(rest, self.font, x1 - x0)] if rest else [(x0 + ind, first)]
        out = []
        for x, l in lines:
            self.draw.text((x, self.y), l, font=self.font, fill=0)
            self.rows.append((self.y, l))
            out.append(l)
            self.newline()
        return out


def letter_fields(rng, thai):
    code, agency, address = rng.choice(AGENCIES)
    a = digits(rng, 4)
    b = str(rng.randrange(1, 10)) if rng.random() < 0.8 else digits(rng, 2).lstrip("0") or "1"
    c = str(rng.randrange(1, 99999))
    circular = rng.random() < 0.6
    number = f"{code} {a}.{b}/{'ว ' if circular else ''}{c}"
    year_be = rng.randrange(2558, 2569)
    month = rng.randrange(12)
    day = rng.randrange(1, DAYS_IN_MONTH[month] + 1)
    date_text = f"{day} {MONTHS[month]} {year_be}"
    if thai:
        number, date_text, address = thai_digits(number), thai_digits(date_text), address
    else:
        address = "".join(str(THAI_DIGITS.index(ch)) if ch in THAI_DIGITS else ch for ch in address)
    iso = f"{year_be - 543:04d}-{month + 1:02d}-{day:02d}"
    return number, agency, address, date_text, iso


def render(rng, layout, font_file, pt, dpi):
    thai = rng.random() < 0.75
    number, agency, address, date_text, iso = letter_fields(rng, thai)
    pg = Page(dpi, font_file, pt)
    mid = pg.left + round((pg.right - pg.left) * 0.55)
    # Header: number at the left, agency at the right on the same line.
    pg.text(pg.left, f"ที่ {number}")
    pg.text(mid, agency)
    pg.newline()
    pg.text(mid, address)
    pg.newline(1.6)
    pg.text(pg.left + round((pg.right - pg.left) * 0.45), date_text)
    pg.newline(1.6)
    pg.text(pg.left, f"เรื่อง {rng.choice(SUBJECTS)}")
    pg.newline(1.3)
    pg.text(pg.left, f"เรียน {rng.choice(RECIPIENTS)}")
    pg.newline(1.6)
    fmt = (lambda s: thai_digits(s)) if thai else (lambda s: s)
    if layout == "letter":
        for p in body_paragraphs(rng, 3):
            pg.truth.extend(pg.para(p))
            pg.newline(0.3)
    elif layout == "twocol":
        gap = round(0.3 * dpi)
        colw = (pg.right - pg.left - gap) // 2
        top = pg.y
        paras = body_paragraphs(rng, 4)
        bottom = top
        for col, ps in enumerate([paras[:2], paras[2:]]):
            pg.y = top
            x0 = pg.left + col * (colw + gap)
            for p in ps:
                pg.truth.extend(pg.para(p, x0, x0 + colw, indent=False))
                pg.newline(0.4)
            bottom = max(bottom, pg.y)
        # Below the longer column.
        pg.y = bottom + pg.line_h
    else:  # table
        pg.truth.extend(pg.para(body_paragraphs(rng, 1)[0]))
        pg.newline(0.5)
        cols = [pg.left, pg.left + round(0.8 * dpi), pg.left + round(3.6 * dpi), pg.right - round(1.3 * dpi), pg.right]
        rows = [["ลำดับ", "หน่วยงาน", "จังหวัด", "จำนวน"]]
        for i in range(7):
            rows.append([fmt(str(i + 1)), rng.choice(["สำนักงานยุติธรรมจังหวัด", "ที่ทำการปกครองจังหวัด", "สำนักงานจังหวัด"]),
                         rng.choice(PROVINCES), fmt(f"{rng.randrange(1, 9999):,}")])
        top = pg.y - round(pg.line_h * 0.2)
        for r in rows:
            for k, cell in enumerate(r):
                pg.draw.text((cols[k] + round(0.08 * dpi), pg.y), cell, font=pg.font, fill=0)
            pg.truth.append(" ".join(r))
            pg.newline(1.2)
            pg.draw.line([(cols[0], pg.y - round(pg.line_h * 0.2)), (cols[-1], pg.y - round(pg.line_h * 0.2))], fill=0, width=max(1, dpi // 150))
        bottom = pg.y - round(pg.line_h * 0.2)
        pg.draw.line([(cols[0], top), (cols[-1], top)], fill=0, width=max(1, dpi // 150))
        for x in cols:
            pg.draw.line([(x, top), (x, bottom)], fill=0, width=max(1, dpi // 150))
        pg.newline(0.5)
    pg.newline(0.6)
    sx = pg.left + round((pg.right - pg.left) * 0.45)
    pg.text(sx, "ขอแสดงความนับถือ")
    pg.newline(2.6)
    name, pos = rng.choice(SIGNERS)
    pg.text(sx - round(0.2 * dpi), name)
    pg.newline()
    pg.text(sx - round(0.2 * dpi), pos)
    pg.newline(2.0)
    pg.text(pg.left, "สำนักงานปลัดกระทรวง")
    pg.newline()
    phone = f"โทร. 0 {digits(rng, 4)} {digits(rng, 4)}"
    pg.text(pg.left, fmt(phone))
    return pg, number, iso, thai


def degrade(rng, img, noise, dpi):
    if noise == "speckle":
        px = img.load()
        w, h = img.size
        n = int(w * h * 0.004)
        for _ in range(n):
            x, y = rng.randrange(w), rng.randrange(h)
            px[x, y] = 0 if rng.random() < 0.7 else 255
        return img
    if noise == "jpeg":
        img = img.filter(ImageFilter.GaussianBlur(radius=0.5 * dpi / 300))
        noise_img = Image.effect_noise(img.size, 18)
        img = Image.blend(img, noise_img, 0.12)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=rng.randrange(30, 55))
        return Image.open(io.BytesIO(buf.getvalue())).convert("L")
    if noise == "skew":
        angle = rng.uniform(0.6, 2.0) * rng.choice([-1, 1])
        img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        return img
    return img


def write_fixtures(out, fonts):
    """Letter headers (number, agency, date, subject, addressee, first body
    lines) in Laksaman, the TH Sarabun look-alike, with Thai digits: clean at
    300 dpi and speckled at 200 dpi. Small enough for the test suite."""
    laksaman = next(f for f in fonts if f[0] == "Laksaman")
    truth = []
    for name, dpi, noise, seed in [("scan_header_300dpi.png", 300, "clean", 8),
                                   ("scan_header_speckled_200dpi.png", 200, "speckle", 9)]:
        rng = random.Random(seed)
        while True:
            pg, number, iso, thai = render(rng, "letter", laksaman[1], laksaman[2], dpi)
            if thai:
                break
        img = degrade(rng, pg.img, noise, dpi)
        img = img.crop((0, 0, img.width, int(img.height * 0.45)))
        img.save(os.path.join(out, name), "PNG", dpi=(dpi, dpi), optimize=True)
        truth.append({"file": name, "dpi": dpi, "noise": noise, "number": number, "date": iso,
                      "truth": "\n".join(pg.truth[:9])})
    with open(os.path.join(out, "scan_header.truth.json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    print(f"fixtures in {out}")


def bench_page(seed, i, fonts):
    """Page `i` of the benchmark made with `seed`: its image, manifest entry
    and the rendered page."""
    rng = random.Random(seed * 100_003 + i)
    name, path, pt = fonts[i % len(fonts)]
    dpi = DPIS[i % len(DPIS)]
    noise = NOISES[(i // len(DPIS)) % len(NOISES)]
    layout = "twocol" if i % 8 == 5 else "table" if i % 8 == 7 else "letter"
    pg, number, iso, thai = render(rng, layout, path, pt, dpi)
    img = degrade(rng, pg.img, noise, dpi)
    ext = "jpg" if noise == "jpeg" else "png"
    entry = {
        "file": f"{i:03d}_{name}_{dpi}_{noise}_{layout}.{ext}", "font": name, "dpi": dpi,
        "noise": noise, "layout": layout, "digits": "thai" if thai else "arabic",
        "number": number, "date": iso, "truth": "\n".join(pg.truth),
    }
    return img, entry, pg


# Lines of benchmark pages (seed, page, text on the line) whose digits the
# Thai model misread in ways the digit reader must undo: a digit read as a
# letter after `มาตรา` and inside a number, digits in parentheses, a phone
# number on a line with no letter to measure, `๙` read as `ฆ` plus a tone mark.
DIGIT_CROPS = [
    (1, 2, "มาตรา ๕๗"),
    (1, 62, "มาตรา ๗ "),
    (1, 22, "(๔)"),
    (1, 26, "โทร."),
    (1, 10, "โทร."),
    (3, 22, "(พ.ศ.๒๕๖๖-๒๕๖๙)", 2, 2),
    (1, 30, "๑๑๐๐๐"),
]


def write_digit_crops(out, fonts):
    """Bands of a few lines around each of DIGIT_CROPS, cut from the page
    as the benchmark renders and degrades it, with the line's text.

    The grain of JPEG pages comes from Pillow's own noise generator, which
    the seed does not set: a JPEG page's grain depends on the JPEG pages made
    before it in the same run, so a crop can differ from the page in the
    benchmark. The crops stored in tests/fixtures/ocr_digits are the ones
    the test was checked against (the phone line of seed 1 page 10 was cut
    from that page made alone)."""
    cases = []
    for seed, i, needle, *band in DIGIT_CROPS:
        # Lines above and below the line's top (one and two unless given:
        # tesseract reads some lines differently in a narrower band).
        above, below = band if band else (1, 2)
        img, entry, pg = bench_page(seed, i, fonts)
        row, line = next((y, t) for y, t in pg.rows if needle in t)
        top = max(0, row - above * pg.line_h)
        bottom = min(img.height, row + below * pg.line_h)
        name = f"scan_digits_{seed}_{i:03d}.png"
        img.crop((0, top, img.width, bottom)).save(
            os.path.join(out, name), "PNG", dpi=(entry["dpi"], entry["dpi"]), optimize=True)
        cases.append({"file": name, "from": entry["file"], "seed": seed, "line": line,
                      "digits": needle})
    with open(os.path.join(out, "scan_digits.truth.json"), "w", encoding="utf-8") as fh:
        json.dump(cases, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


# Two-column pages of the benchmark (seed, page) kept as test fixtures: the
# body's columns must be read one after the other.
COLUMN_PAGES = [(1, 53)]


def write_column_pages(out, fonts):
    """Two-column benchmark pages as rendered and degraded, cut below the
    last printed line, with their number, date and text."""
    cases = []
    for seed, i in COLUMN_PAGES:
        img, entry, pg = bench_page(seed, i, fonts)
        bottom = min(img.height, pg.y + pg.line_h)
        name = f"scan_twocol_{seed}_{i:03d}.png"
        img.crop((0, 0, img.width, bottom)).save(
            os.path.join(out, name), "PNG", dpi=(entry["dpi"], entry["dpi"]), optimize=True)
        cases.append({"file": name, "from": entry["file"], "seed": seed, "number": entry["number"],
                      "date": entry["date"], "truth": entry["truth"]})
    with open(os.path.join(out, "scan_twocol.truth.json"), "w", encoding="utf-8") as fh:
        json.dump(cases, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "ocr-bench"))
    ap.add_argument("--count", type=int, default=72)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", help="comma list of dpi:noise pairs to keep, e.g. 300:clean,200:speckle")
    ap.add_argument("--pages", type=int, metavar="N",
                    help="with --only: go on past --count until N pages of those groups are made "
                         "(a focused set; page i is the same page whatever N)")
    ap.add_argument("--fixtures", metavar="DIR",
                    help="write the small test fixtures (letter headers) to DIR instead")
    ap.add_argument("--digit-crops", metavar="DIR",
                    help="write the line crops of the digit test (tests/fixtures/ocr_digits) to DIR instead")
    ap.add_argument("--column-pages", metavar="DIR",
                    help="write the two-column pages of the column test (tests/fixtures/ocr_columns) to DIR instead")
    args = ap.parse_args()
    if not features.check("raqm"):
        sys.exit("Pillow without libraqm cannot shape Thai; install python3-pil from Debian")
    fonts = []
    for name, file, pt in FONTS:
        path = next((os.path.join(d, file) for d in TLWG if os.path.exists(os.path.join(d, file))), None)
        if path is None:
            print(f"font {file} missing (apt-get install fonts-thai-tlwg)", file=sys.stderr)
            continue
        fonts.append((name, path, pt))
    if not fonts:
        sys.exit("no Thai font found")
    if args.fixtures:
        write_fixtures(args.fixtures, fonts)
        return
    if args.digit_crops:
        os.makedirs(args.digit_crops, exist_ok=True)
        write_digit_crops(args.digit_crops, fonts)
        return
    if args.column_pages:
        os.makedirs(args.column_pages, exist_ok=True)
        write_column_pages(args.column_pages, fonts)
        return
    only = None
    if args.only:
        only = {tuple(p.split(":")) for p in args.only.split(",")}
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    if args.pages is not None and only is None:
        sys.exit("--pages needs --only")
    i = -1
    while True:
        i += 1
        if args.pages is None and i >= args.count:
            break
        if args.pages is not None and len(manifest) >= args.pages:
            break
        dpi = DPIS[i % len(DPIS)]
        noise = NOISES[(i // len(DPIS)) % len(NOISES)]
        if only is not None and (str(dpi), noise) not in only:
            continue
        img, entry, _ = bench_page(args.seed, i, fonts)
        file = entry["file"]
        if file.endswith(".jpg"):
            img.save(os.path.join(args.out, file), "JPEG", quality=90, dpi=(dpi, dpi))
        else:
            img.save(os.path.join(args.out, file), "PNG", dpi=(dpi, dpi), optimize=True)
        manifest.append(entry)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
    print(f"{len(manifest)} pages in {args.out}")


if __name__ == "__main__":
    main()
