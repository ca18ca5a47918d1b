#!/usr/bin/env bash
# saraban beside SQLite FTS5 trigram and Lucene ThaiAnalyzer (and any other peer that can run)
# on the 12,667 real documents of ../shared/corpus/bulk/, in one run.
#   benches/peers.sh [OUT_PREFIX] [PEERS]
# Needs: python3; for Lucene `apt-get install -y liblucene8-java libicu4j-java default-jdk-headless`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bulk=${SARABAN_BULK:-$root/../shared/corpus/bulk}
out=${1:-$root/target/bench/peers}
peers=${2:-saraban,fts5-trigram,lucene-thai}
work=$root/target/bench
docs=$work/bulk-docs
mkdir -p "$work"
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
if [ ! -f "$docs/.done" ]; then
  rm -rf "$docs"; mkdir -p "$docs"
  python3 - "$bulk" "$docs" <<'PY'
import gzip, hashlib, json, os, sys
bulk, out = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(bulk)):
    if not name.endswith(".jsonl.gz"):
        continue
    with gzip.open(os.path.join(bulk, name), "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            stem = hashlib.sha1(d["id"].encode()).hexdigest()[:16]
            with open(os.path.join(out, stem + ".txt"), "w", encoding="utf-8") as f:
                f.write(d["text"])
PY
  touch "$docs/.done"
fi
python3 "$root/benches/peers.py" "$docs" "$root/tests/data/bench_queries.txt" \
  --peers "$peers" --variants raw --reps 5 --out "$out" --workdir "$work/peers-work"
cat "$out.md"
