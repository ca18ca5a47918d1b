#!/bin/sh
# Rebuilds dictionaries/word_pairs_th.txt: counts of Thai word pairs in the
# public-domain government corpus (see dictionaries/SOURCES.md), for the OCR
# mark repair (src/extract/ocr/pairs.rs). Reproducible: the same corpus files
# and the same built-in segmenter give the same file.
#
# Usage: scripts/build_word_pairs.sh [BULK_DIR]   (default ../shared/corpus/bulk)
# Needs the bulk corpus: thai-law-667, thaigov-v1-full, thaigov-v2-full and
# thaigov-archive-full (.jsonl.gz). The documents of corpus/real are not used.
set -eu
cd "$(dirname "$0")/.."
BULK=${1:-../shared/corpus/bulk}
# A pair is kept when seen at least 10 times, a word at least 10 times.
MIN_PAIR=10
MIN_WORD=10
cargo build --release --example word_pairs
target/release/examples/word_pairs "$MIN_PAIR" "$MIN_WORD" \
    "$BULK/thai-law-667.jsonl.gz" \
    "$BULK/thaigov-v1-full.jsonl.gz" \
    "$BULK/thaigov-v2-full.jsonl.gz" \
    "$BULK/thaigov-archive-full.jsonl.gz" \
    > dictionaries/word_pairs_th.txt.tmp
mv dictionaries/word_pairs_th.txt.tmp dictionaries/word_pairs_th.txt
wc -lc dictionaries/word_pairs_th.txt
