#!/usr/bin/env bash
# The Spark job against plain `saraban ingest`: OCR-heavy input (synthetic
# scanned letters, one page each) and text input (a sample of the bulk corpus),
# through the job on a local cluster of 1 and 2 executors (one core each) and
# through `saraban ingest` with 1 and 2 threads. Prints one JSON line per run
# (wall seconds, pages or documents per second, MB/s) and a summary: Spark's
# overhead per document and the 1 -> 2 executor scaling.
#
#   cargo build --release
#   benches/spark_bench.sh [WORKDIR]            # default target/spark-bench
#
# Environment: PAGES (default 100), DOCS (text documents, default 3000),
# PARTS (JSON Lines files the text is split into, default 12),
# BULK (default ../shared/corpus/bulk/thaigov-news-12k.jsonl.gz beside the repository),
# ONLY (ocr or text: run one input only), RUNS (default
# "plain1 plain2 spark1 spark2").
# Needs .venv-spark (scripts/install-deps.sh), python3 with PIL and the TLWG
# fonts for the scanned pages (see scripts/ocr_bench_gen.py).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$repo/target/spark-bench}"
bin="$repo/target/release/saraban"
venv="$repo/.venv-spark/bin"
pages="${PAGES:-100}"
docs="${DOCS:-3000}"
parts="${PARTS:-12}"
bulk="${BULK:-$repo/../shared/corpus/bulk/thaigov-news-12k.jsonl.gz}"
runs="${RUNS:-plain1 plain2 spark1 spark2}"
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -x "$venv/spark-submit" ] || { echo "no .venv-spark: run scripts/install-deps.sh" >&2; exit 1; }
export PATH="$venv:$PATH" PYSPARK_PYTHON="$venv/python" SPARK_LOCAL_IP=127.0.0.1
mkdir -p "$work"

# Inputs (made once).
if [ "${ONLY:-ocr}" = ocr ] || [ -z "${ONLY:-}" ]; then
  if [ ! -f "$work/ocr/manifest.json" ]; then
    python3 "$repo/scripts/ocr_bench_gen.py" --out "$work/ocr" --count "$pages" --seed 1 >/dev/null
  fi
fi
if [ "${ONLY:-text}" = text ] || [ -z "${ONLY:-}" ]; then
  if [ ! -d "$work/text" ]; then
    mkdir -p "$work/text"
    { zcat "$bulk" || true; } | head -n "$docs" | split -n "r/$parts" -d --additional-suffix=.jsonl - "$work/text/part-"
  fi
fi

# run NAME INPUT UNITS: one timed run, one JSON line.
run() {
  local name="$1" input="$2" units="$3" out="$work/out-$1" start end
  rm -rf "$out"
  local bytes
  bytes=$(du -sb --exclude=manifest.json "$input" | cut -f1)
  start=$(date +%s.%N)
  case "$name" in
    *-plain1) "$bin" --index "$out/index" ingest --quiet --threads 1 "$input" || [ $? -eq 2 ] ;;
    *-plain2) "$bin" --index "$out/index" ingest --quiet --threads 2 "$input" || [ $? -eq 2 ] ;;
    *-spark1) spark-submit --master 'local-cluster[1,1,1024]' --conf spark.ui.enabled=false \
                "$repo/spark/saraban_spark.py" --input "$input" --output "$out" --shards 1 \
                --binary "$bin" >/dev/null 2>"$out.log" ;;
    *-spark2) spark-submit --master 'local-cluster[2,1,1024]' --conf spark.ui.enabled=false \
                "$repo/spark/saraban_spark.py" --input "$input" --output "$out" --shards 2 \
                --binary "$bin" >/dev/null 2>"$out.log" ;;
  esac
  end=$(date +%s.%N)
  local n
  n=$("$bin" --index "$out/index" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
  python3 - "$name" "$start" "$end" "$units" "$bytes" "$n" <<'EOF'
import json, sys
name, start, end, units, size, n = sys.argv[1:]
secs = float(end) - float(start)
print(json.dumps({"run": name, "seconds": round(secs, 2), "documents": int(n),
                  "per_second": round(int(units) / secs, 2),
                  "mb_per_second": round(int(size) / secs / 1e6, 3),
                  "load": open("/proc/loadavg").read().split()[0]}), flush=True)
EOF
}

results="$work/results.jsonl"
: > "$results"
for input in ocr text; do
  [ -n "${ONLY:-}" ] && [ "$ONLY" != "$input" ] && continue
  if [ "$input" = ocr ]; then units="$pages"; else units="$docs"; fi
  for r in $runs; do
    run "$input-$r" "$work/$input" "$units" | tee -a "$results"
  done
done

# Summary: overhead per document (Spark on one executor minus ingest on one
# thread) and the scaling from one executor to two.
python3 - "$results" <<'EOF'
import json, sys
rows = {r["run"]: r for r in map(json.loads, open(sys.argv[1]))}
for input in ("ocr", "text"):
    p1, s1, s2 = (rows.get(f"{input}-{k}") for k in ("plain1", "spark1", "spark2"))
    out = {"input": input}
    if p1 and s1:
        out["spark_overhead_s_per_doc"] = round((s1["seconds"] - p1["seconds"]) / s1["documents"], 4)
    if s1 and s2:
        out["scaling_1_to_2_executors"] = round(s1["seconds"] / s2["seconds"], 2)
    if len(out) > 1:
        print(json.dumps(out))
EOF
