#!/usr/bin/env bash
# Regenerates the format fixtures from the seed documents:
#   corpus/fixtures/      good files of every ingested format (small)
#   tests/fixtures/bad/   deliberately broken files (never under corpus/)
#
# Needs (Debian): poppler-utils qpdf libreoffice-writer-nogui pango1.0-tools
#   imagemagick fonts-thai-tlwg python3. The tests do not need any of these.
# Output is deterministic apart from PDF timestamps and IDs.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SEEDS="$ROOT/corpus/seeds"
OUT="$ROOT/corpus/fixtures"
BAD="$ROOT/tests/fixtures/bad"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# ImageMagick 6 under its own name (a `convert` earlier on PATH may be another tool).
IM="$(command -v convert-im6.q16 || command -v convert)"
for tool in pdftoppm pdftotext qpdf soffice pango-view python3 "$IM"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

mkdir -p "$OUT" "$BAD"
rm -f "$OUT"/* "$BAD"/*

SEED_NEWS="$SEEDS/000_34a1339aa7e8c079.txt"      # MGR Online news, Phuket committee
SEED_NHRC="$SEEDS/001_540c5badf066de20.txt"      # NHRC news page with furniture
SEED_CM="$SEEDS/002_94a5e7a9c55b254b.txt"        # Chiang Mai committee news
SEED_LETTER="$SEEDS/003_42c590216e999c55.txt"    # Rayong provincial letter (Thai digits)

# --- Office documents built from a flat ODT: LibreOffice PDF and DOCX -------
python3 - "$WORK" "$SEED_LETTER" "$SEED_NEWS" <<'PY'
import html, sys
work, letter, news = sys.argv[1:4]

def lines(path):
    return [l.strip() for l in open(path, encoding="utf-8") if l.strip()]

def fodt(paras, table=None, font="Laksaman", size="16pt"):
    def p(t, style="P"):
        return f'<text:p text:style-name="{style}">{html.escape(t)}</text:p>'
    body = []
    for i, t in enumerate(paras):
        body.append(p(t, "H" if i == 0 and table else "P"))
        if table and i == table[0]:
            rows = table[1]
            cells = "".join("<table:table-column/>" for _ in rows[0])
            for r in rows:
                cells += "<table:table-row>" + "".join(
                    f'<table:table-cell office:value-type="string">{p(c)}</table:table-cell>' for c in r
                ) + "</table:table-row>"
            body.append(f'<table:table table:name="T1">{cells}</table:table>')
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>{html.escape(paras[0])}</dc:title></office:meta>
<office:font-face-decls><style:font-face style:name="{font}" svg:font-family="{font}"/></office:font-face-decls>
<office:styles><style:default-style style:family="paragraph"><style:text-properties style:font-name="{font}" fo:font-size="{size}" style:font-name-complex="{font}" style:font-size-complex="{size}" fo:language="th" fo:country="TH" style:language-complex="th" style:country-complex="TH"/></style:default-style>
<style:style style:name="P" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.1cm"/></style:style>
<style:style style:name="H" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.3cm" fo:text-align="center"/><style:text-properties fo:font-weight="bold" style:font-weight-complex="bold"/></style:style></office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2cm"/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:text>{"".join(body)}</office:text></office:body></office:document>'''

# The letter, whole (two pages).
open(f"{work}/letter_lo.fodt", "w", encoding="utf-8").write(fodt(lines(letter)))
# The letter's head and first paragraph: the page the scans are made from.
head = lines(letter)[:7]
open(f"{work}/letter_scan.fodt", "w", encoding="utf-8").write(fodt(head))
open(f"{work}/letter_scan.txt", "w", encoding="utf-8").write("\n".join(head) + "\n")
# The Phuket news with a table of the officials it names.
title = "“คุ้มครองสิทธิฯ” ร่วม จ.ภูเก็ต ขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด"
body = [l for l in lines(news) if len(l) > 60 and l != title][:4]
table = [["ชื่อ", "ตำแหน่ง"],
         ["นายณรงค์ วุ่นซิ่ว", "ผู้ว่าราชการจังหวัดภูเก็ต"],
         ["นางสุจิตรา แก้วไกร", "รองอธิบดีกรมคุ้มครองสิทธิและเสรีภาพ"],
         ["นายพยุงศักดิ์ กาฬมิค", "ผู้อำนวยการสำนักงานยุติธรรมจังหวัดภูเก็ต"]]
open(f"{work}/committee_table.fodt", "w", encoding="utf-8").write(fodt([title] + body, table=(1, table), size="14pt"))
PY

(cd "$WORK" && soffice --headless --convert-to pdf letter_lo.fodt letter_scan.fodt committee_table.fodt >/dev/null 2>&1)
(cd "$WORK" && soffice --headless --convert-to docx:"MS Word 2007 XML" committee_table.fodt >/dev/null 2>&1)
cp "$WORK/letter_lo.pdf" "$OUT/letter_libreoffice.pdf"
cp "$WORK/committee_table.docx" "$OUT/committee_table.docx"

# --- cairo PDF (pango-view), Chiang Mai news ---------------------------------
head -c 2400 "$SEED_CM" | python3 -c 'import sys; sys.stdout.write(sys.stdin.buffer.read().decode("utf-8","ignore"))' > "$WORK/cm.txt"
pango-view --no-display --font="Norasi 14" --width=480 --wrap=word --margin=50 --dpi=72 \
    -o "$OUT/news_cairo.pdf" "$WORK/cm.txt"

# --- Scans of the letter's first page ----------------------------------------
pdftoppm -r 300 -gray -singlefile -png "$WORK/letter_scan.pdf" "$WORK/s300"
pdftoppm -r 200 -gray -singlefile -png "$WORK/letter_scan.pdf" "$WORK/s200"
# Clean 300 dpi scan, text area only, 16 gray levels.
TRIM=(-trim +repage -bordercolor white -border 120)
"$IM" "$WORK/s300.png" "${TRIM[@]}" -colors 16 -depth 4 -units PixelsPerInch -density 300 \
    -define png:compression-level=9 "$OUT/scan_letter_300dpi.png"
# Mildly skewed, noisy JPEG.
"$IM" "$WORK/s300.png" "${TRIM[@]}" -background white -rotate 1.0 \
    -attenuate 0.3 +noise Gaussian -colorspace Gray -type Grayscale -units PixelsPerInch -density 300 \
    -quality 35 "$OUT/scan_letter_noisy.jpg"
# Harsh 200 dpi bilevel scan sprinkled with specks (fax-like).
"$IM" "$WORK/s200.png" -trim +repage -bordercolor white -border 80 -seed 7 -attenuate 0.5 +noise Impulse \
    -threshold 60% -type bilevel -units PixelsPerInch -density 200 "$OUT/scan_letter_speckled_200dpi.png"
# Two-page TIFF (group 4), both pages of the whole letter at 200 dpi.
pdftoppm -r 200 -gray -png "$WORK/letter_lo.pdf" "$WORK/t"
"$IM" "$WORK"/t-*.png -threshold 60% -type bilevel -compress Group4 -units PixelsPerInch -density 200 \
    "$OUT/letter_2pages.tif"
# Image-only PDF: the noisy scan wrapped as a PDF page.
python3 - "$OUT/scan_letter_noisy.jpg" "$OUT/letter_image_only.pdf" <<'PY'
import struct, sys
jpg = open(sys.argv[1], "rb").read()
# JPEG size from the SOF marker.
i, w, h = 2, 0, 0
while i < len(jpg):
    marker, length = jpg[i + 1], struct.unpack(">H", jpg[i + 2:i + 4])[0]
    if marker in (0xC0, 0xC1, 0xC2):
        h, w = struct.unpack(">HH", jpg[i + 5:i + 9]); cs = "/DeviceGray" if jpg[i + 9] == 1 else "/DeviceRGB"; break
    i += 2 + length
pw, ph = w * 72 / 300, h * 72 / 300
content = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode()
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".encode(),
        f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace {cs} /BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpg)} >>\nstream\n".encode() + jpg + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"]
out, offs = bytearray(b"%PDF-1.4\n"), []
for n, o in enumerate(objs, 1):
    offs.append(len(out)); out += f"{n} 0 obj\n".encode() + o + b"\nendobj\n"
xref = len(out)
out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offs)
out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
open(sys.argv[2], "wb").write(out)
PY
cp "$WORK/letter_scan.txt" "$OUT/scan_letter.truth"   # not an ingested extension

# --- Text files in legacy and UTF-16 encodings; HTML pages -------------------
python3 - "$OUT" "$SEED_CM" "$SEED_LETTER" "$SEED_NHRC" "$SEED_NEWS" <<'PY'
import html, sys
out, cm, letter, nhrc, news = sys.argv[1:6]
read = lambda p: open(p, encoding="utf-8").read()
# TIS-620 has Thai and ASCII only: typographic quotes become ASCII ones.
def tis(s):
    for a, b in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("©", "(c)"), ("\u00a0", " ")):
        s = s.replace(a, b)
    return s.encode("tis-620")
open(f"{out}/cm_windows874.txt", "wb").write(read(cm).encode("cp874"))  # has “ ”
open(f"{out}/letter_tis620.txt", "wb").write(tis(read(letter)))
open(f"{out}/letter_utf16le_nobom.txt", "wb").write(read(letter).encode("utf-16-le"))
open(f"{out}/letter_utf16be_bom.txt", "wb").write(b"\xfe\xff" + read(letter).encode("utf-16-be"))
open(f"{out}/news_utf8_bom.txt", "wb").write(b"\xef\xbb\xbf" + read(news).encode("utf-8"))
# UTF-8 with two damaged bytes: decodes lossy with a warning.
raw = bytearray(read(cm).encode("utf-8")); raw[100] = 0xFF; raw[2000] = 0xC3
open(f"{out}/cm_damaged_utf8.txt", "wb").write(bytes(raw))
# UTF-8 read as Windows-1252 and saved as UTF-8 again ("mojibake"); the five
# bytes Windows-1252 leaves undefined pass through as C1 controls.
def mojibake(s):
    return "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
                   for b in s.encode("utf-8"))
open(f"{out}/letter_mojibake_utf8.txt", "w", encoding="utf-8").write(mojibake(read(letter)))

def page(title, paras, charset):
    nav = "".join(f'<li><a href="/c/{i}">{t}</a></li>' for i, t in enumerate(
        ["หน้าแรก", "ข่าวภูมิภาค", "การเมือง", "เศรษฐกิจ", "กีฬา", "บันเทิง", "ติดต่อเรา"]))
    side = "".join(f'<li><a href="/n/{i}">ข่าวที่เกี่ยวข้อง {i}: ผู้ว่าฯ ลงพื้นที่ตรวจเยี่ยมประชาชน</a></li>' for i in range(1, 7))
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return f'''<!DOCTYPE html>
<html lang="th"><head><meta charset="{charset}"><title>{html.escape(title)} - สำนักข่าวตัวอย่าง</title>
<style>body {{ font-family: sans-serif }}</style><script>var tracker = "ไม่ใช่เนื้อหา";</script></head>
<body><header><div class="logo">สำนักข่าวตัวอย่าง</div><nav class="menu"><ul>{nav}</ul></nav>
<div class="font-size">A A A</div></header>
<div class="breadcrumb"><a href="/">หน้าแรก</a> &gt; <a href="/news">ข่าว</a></div>
<main><article class="post"><h1 class="entry-title">{html.escape(title)}</h1>
<div class="meta">เผยแพร่: 24 มี.ค. 2566 &nbsp; โดย: ทีมข่าว</div>
<div class="entry-content">{body}</div>
<div class="share">แชร์ Facebook LINE Twitter</div></article>
<aside class="sidebar"><h3>ข่าวล่าสุด</h3><ul>{side}</ul></aside></main>
<footer><p>© 2566 สำนักข่าวตัวอย่าง สงวนลิขสิทธิ์</p><p>จำนวนผู้เข้าชม 5396611 คน</p></footer></body></html>
'''

news_lines = [l.strip() for l in read(news).splitlines() if len(l.strip()) > 60]
open(f"{out}/news_boilerplate.html", "w", encoding="utf-8").write(
    page(news_lines[0], news_lines[1:], "utf-8"))
nhrc_lines = [l.strip() for l in read(nhrc).splitlines() if len(l.strip()) > 80]
title = "กสม. สุชาติ เข้าพบเพื่อประสานความร่วมมือ และหารือแนวทางการขับเคลื่อนงานด้านการส่งเสริมและคุ้มครองสิทธิมนุษยชน"
open(f"{out}/nhrc_tis620.html", "wb").write(tis(page(title, nhrc_lines, "tis-620")))
PY

# --- Bad files -----------------------------------------------------------------
qpdf --encrypt userpw ownerpw 256 -- "$OUT/news_cairo.pdf" "$BAD/encrypted.pdf"
python3 - "$BAD" "$OUT/letter_libreoffice.pdf" "$OUT/committee_table.docx" <<'PY'
import random, sys, zipfile, io
bad, pdf, docx = sys.argv[1:4]
rng = random.Random(20240601)
data = bytearray(open(pdf, "rb").read())
# Corrupt PDF: header kept, the rest cut short and scrambled.
cut = data[: len(data) // 3]
for _ in range(400):
    cut[rng.randrange(200, len(cut))] = rng.randrange(256)
open(f"{bad}/corrupt.pdf", "wb").write(bytes(cut))
d = open(docx, "rb").read()
open(f"{bad}/truncated.docx", "wb").write(d[: len(d) // 2])
# Zip bomb: a 60 MB document.xml that packs to ~60 KB.
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
               + "ก" * 20_000_000 + "</w:t></w:r></w:p></w:body></w:document>")
open(f"{bad}/zipbomb.docx", "wb").write(buf.getvalue())
junk = bytes(rng.randrange(256) for _ in range(4096))
open(f"{bad}/junk.pdf", "wb").write(junk)
open(f"{bad}/junk.png", "wb").write(junk)
open(f"{bad}/junk.docx", "wb").write(junk)
open(f"{bad}/junk.txt", "wb").write(junk)
open(f"{bad}/empty.txt", "wb").write(b"")
open(f"{bad}/empty.pdf", "wb").write(b"")
PY

du -sh "$OUT" "$BAD"
ls -l "$OUT" "$BAD"
