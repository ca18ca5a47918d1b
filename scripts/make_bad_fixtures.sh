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
#
# The small ones are committed (tests/fixtures/bad/): empty, truncated and
# junk files of each format, a zip bomb .docx, an encrypted and a corrupt
# PDF. Also dup_ids.jsonl (an id repeated inside one file), generated here
# so that tests/fixtures/bad/ holds only single-document files.
# Usage: scripts/make_bad_fixtures.sh OUT   (OUT must not exist or be empty)
# Sizes: LONG_MB (default 20), BOMB_MB (default 1536: 1.5 GiB in ~1.5 MB).
# Needs bash, coreutils, gzip. Used by tests/hostile.rs with small sizes.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:?usage: $0 OUT}"
LONG_MB="${LONG_MB:-20}"
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
