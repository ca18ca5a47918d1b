#!/usr/bin/env bash
# Generates the hostile inputs too large or too special to commit, beside
# the small ones in tests/fixtures/bad/ (which it also copies), into OUT:
#   nested.html         100k nested <div>s around one paragraph (readable)
#   name_\xff.txt,
#   name_\xfe.txt       two files whose names are not UTF-8 (both readable)
#   long_line.txt       LONG_MB MiB of Thai text on one line (readable)
#   root                a symlink to / (leads out of the tree)
#   pipe.txt            a FIFO
#   bomb.jsonl.gz       one good record, then one line of BOMB_MB MiB that
#                       compresses ~1000x
#   many_pages.tif      TIFF_PAGES (default 300) blank A4 pages at 150 dpi that
#                       all share one PackBits strip: ~70 KB on disk, ~650 MB
#                       if every page were decoded at once (page cap)
#   blank_pages.pdf     PDF_PAGES (default 300) empty A4 pages, ~30 KB (page
#                       cap, number of tool processes)
#
# The small ones are committed (tests/fixtures/bad/): empty, truncated and
# junk files of each format, a zip bomb .docx, an encrypted and a corrupt
# PDF, and huge_page.pdf (one empty page of 14400x14400 pt, which
# pdftoppm would render at 1.6 GB: the pixel cap). Also dup_ids.jsonl (an id repeated inside one file), generated here
# so that tests/fixtures/bad/ holds only single-document files.
# Usage: scripts/make_bad_fixtures.sh OUT   (OUT must not exist or be empty)
# Sizes: LONG_MB (default 20), BOMB_MB (default 1536: 1.5 GiB in ~1.5 MB).
# Needs bash, coreutils, gzip, python3 (standard library only).
# Used by tests/hostile.rs with small sizes.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:?usage: $0 OUT}"
LONG_MB="${LONG_MB:-20}"
TIFF_PAGES="${TIFF_PAGES:-300}"
PDF_PAGES="${PDF_PAGES:-300}"
BOMB_MB="${BOMB_MB:-1536}"
SEED="$ROOT/corpus/seeds/000_34a1339aa7e8c079.txt"

mkdir -p "$OUT"
cp "$ROOT"/tests/fixtures/bad/* "$OUT"/

# 100k nested <div>s: readability would recurse 100k deep.
{
    printf '<html><head><meta charset="utf-8"><title>ซ้อนลึก</title></head><body>'
    head -c 100000 /dev/zero | tr '\0' 'D' | sed 's/D/<div>/g'
    printf '<p>ประกาศจังหวัดภูเก็ต เรื่อง ตารางซ้อนลึกหนึ่งแสนชั้น</p>'
    head -c 100000 /dev/zero | tr '\0' 'D' | sed 's/D/<\/div>/g'
    printf '</body></html>\n'
} > "$OUT/nested.html"

# Names that are not UTF-8, with different contents.
printf 'บันทึกข้อความ ชื่อแฟ้มไบต์เอฟเอฟ\n' > "$OUT/name_"$'\xff'".txt"
printf 'บันทึกข้อความ ชื่อแฟ้มไบต์เอฟอี\n' > "$OUT/name_"$'\xfe'".txt"

# One long line of real Thai text (newlines become spaces).
LINE="$(tr '\n' ' ' < "$SEED")"
{
    n=0
    target=$((LONG_MB * 1024 * 1024))
    while [ "$n" -lt "$target" ]; do
        printf '%s' "$LINE"
        n=$((n + ${#LINE} * 3))
    done | head -c "$target" | iconv -f UTF-8 -t UTF-8 -c
    printf '\n'
} > "$OUT/long_line.txt"

ln -s / "$OUT/root"
mkfifo "$OUT/pipe.txt"

{
    printf '{"id": "gz-good", "text": "บันทึกในแฟ้มบีบอัดที่อ่านได้"}\n'
    printf '{"id": "bomb", "text": "'
    head -c "$((BOMB_MB * 1024 * 1024))" /dev/zero | tr '\0' 'a'
    printf '"}\n'
} | gzip -9 > "$OUT/bomb.jsonl.gz"

printf '%s\n' '{"id": "d1", "text": "บันทึกรหัสดีหนึ่ง ฉบับแรก"}' \
    '{"id": "d1", "text": "บันทึกรหัสดีหนึ่ง ฉบับซ้ำ"}' \
    '{"id": "d2", "text": "บันทึกรหัสดีสอง"}' > "$OUT/dup_ids.jsonl"

# Many blank pages: a TIFF whose IFDs all point at one compressed strip, and
# a PDF of empty pages.
python3 - "$OUT" "$TIFF_PAGES" "$PDF_PAGES" <<'PY'
import struct, sys

out, tiff_pages, pdf_pages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

# TIFF, little-endian, 1 bit per pixel, WhiteIsZero, PackBits, one strip.
w, h = 1240, 1754
row = bytes([0] * ((w + 7) // 8))
def packbits(data):
    o = bytearray()
    i = 0
    while i < len(data):
        n = min(128, len(data) - i)
        o += bytes([257 - n, data[i]]) if n > 1 else bytes([0, data[i]])
        i += n
    return bytes(o)
strip = packbits(row) * h
tags = lambda nxt: [
    (256, 4, w), (257, 4, h), (258, 3, 1), (259, 3, 32773), (262, 3, 0),
    (273, 4, 8), (277, 3, 1), (278, 4, h), (279, 4, len(strip)),
]
ifd_size = 2 + 12 * 9 + 4
first = 8 + len(strip)
data = bytearray(b"II*\x00" + struct.pack("<I", first) + strip)
for p in range(tiff_pages):
    here = first + p * ifd_size
    nxt = here + ifd_size if p + 1 < tiff_pages else 0
    entries = tags(nxt)
    data += struct.pack("<H", len(entries))
    for tag, typ, val in entries:
        if typ == 3:
            data += struct.pack("<HHIHH", tag, typ, 1, val, 0)
        else:
            data += struct.pack("<HHII", tag, typ, 1, val)
    data += struct.pack("<I", nxt)
open(f"{out}/many_pages.tif", "wb").write(data)

# PDF of empty A4 pages with a correct cross-reference table.
objs = ["<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [%s] /Count %d >>"
        % (" ".join("%d 0 R" % (i + 3) for i in range(pdf_pages)), pdf_pages)]
objs += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pdf_pages
pdf = bytearray(b"%PDF-1.4\n")
offsets = []
for i, o in enumerate(objs):
    offsets.append(len(pdf))
    pdf += b"%d 0 obj\n%s\nendobj\n" % (i + 1, o.encode())
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for off in offsets:
    pdf += b"%010d 00000 n \n" % off
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(f"{out}/blank_pages.pdf", "wb").write(pdf)
PY
