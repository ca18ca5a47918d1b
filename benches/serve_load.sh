#!/usr/bin/env bash
# Load on `saraban serve`: the first page of /api/v1/search with facets, over a mix of the
# benchmark queries, at 1, 8 and 32 concurrent clients; p50/p95/p99 latency, errors and the
# server's peak RSS. Not a test: figures depend on the machine.
#   benches/serve_load.sh [SECONDS_PER_RUN]
# SARABAN_CACHE_MB: the server's result cache (`serve --cache-mb`; 0 = off, so every request
# searches: the cold figures). SARABAN_MAX_SEARCHES: searches run at once (`serve
# --max-searches`; 0 = no bound; default: one per core, plus one). SARABAN_BENCH_DIR: where the
# documents and index go.
# Besides latency, each level reports the server's CPU time per request (user + system, from
# /proc), a figure that other load on the machine does not inflate much.
# Corpus: the 12,667 documents of thaigov-news-12k + thai-law-667 from the bulk corpus
# (SARABAN_BULK, default ../shared/corpus/bulk; see its README for sources and licence).
# Needs: wrk (`apt-get install -y wrk`), python3, curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-20}
bulk=${SARABAN_BULK:-}
if [ -z "$bulk" ]; then
  for d in "$root/../shared/corpus/bulk" "$root/../../shared/corpus/bulk"; do
    [ -d "$d" ] && bulk=$d && break
  done
fi
[ -n "$bulk" ] && [ -d "$bulk" ] || { echo "bulk corpus not found: set SARABAN_BULK" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install -y wrk)" >&2; exit 1; }
work=${SARABAN_BENCH_DIR:-$root/target/bench/serve}
# SARABAN_BIN: a binary already built (e.g. another revision to compare with).
bin=${SARABAN_BIN:-$root/target/release/saraban}
mkdir -p "$work/docs"
[ -n "${SARABAN_BIN:-}" ] || cargo build --release --quiet --manifest-path "$root/Cargo.toml"

# The documents, as JSON Lines (saraban reads `id`, `title`, `text`).
for f in thaigov-news-12k thai-law-667; do
  [ -s "$work/docs/$f.jsonl" ] || gzip -dc "$bulk/$f.jsonl.gz" >"$work/docs/$f.jsonl"
done
if [ ! -f "$work/index/.done" ]; then
  rm -rf "$work/index"
  /usr/bin/time -f "ingest: %e s, peak RSS %M KB" "$bin" --index "$work/index" ingest --quiet "$work/docs"
  touch "$work/index/.done"
fi

# Query mix: the benchmark queries plus the filters a facet click adds.
python3 - "$root/tests/data/bench_queries.txt" "$work/paths.lua" <<'PY'
import sys, urllib.parse
qs = [l.strip() for l in open(sys.argv[1], encoding="utf-8")
      if l.strip() and not l.startswith("#")]
qs += ["type:news", "รัฐบาล", "นายกรัฐมนตรี", "date:2562", "fy:2563",
       "รัฐบาล type:news", "province:เชียงใหม่", "จังหวัด -type:news"]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("paths = {\n")
    for q in qs:
        out.write('  "/api/v1/search?limit=10&q=%s",\n' % urllib.parse.quote(q, safe=""))
    out.write("}\n")
PY
cat >"$work/load.lua" <<LUA
dofile("$work/paths.lua")
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f errors=%d non2xx=%d rps=%.0f\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, summary.requests / (summary.duration / 1e6)))
end
LUA

port=${SARABAN_BENCH_PORT:-18080}
serve_args=()
[ -n "${SARABAN_CACHE_MB:-}" ] && serve_args=(--cache-mb "$SARABAN_CACHE_MB")
[ -n "${SARABAN_MAX_SEARCHES:-}" ] && serve_args+=(--max-searches "$SARABAN_MAX_SEARCHES")
"$bin" --index "$work/index" serve --addr "127.0.0.1:$port" "${serve_args[@]}" 2>"$work/access.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/api/v1/stats" >/dev/null 2>&1 && break
  sleep 0.2
done
# Every query must answer 200 (a 400 would count as an error below); one pass warms the cache.
python3 - "$work/paths.lua" "$port" <<'PY'
import re, sys, urllib.request, json, time
paths = re.findall(r'"(/api/[^"]+)"', open(sys.argv[1]).read())
for p in paths:
    t = time.perf_counter()
    with urllib.request.urlopen("http://127.0.0.1:%s%s" % (sys.argv[2], p)) as r:
        v = json.load(r)
    ms = (time.perf_counter() - t) * 1000
    print("  %7.1f ms  took %7.1f ms  total %6d  %s" % (ms, v["took_ms"], v["total"], urllib.request.unquote(p.split("q=")[1])))
PY
echo "server RSS after warm-up: $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
# CPU seconds (user + system) the server has used so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$server/stat"; }
for c in 1 8 32; do
  t=$((c < 2 ? 1 : 2))
  before=$(cpu)
  line=$(wrk -t "$t" -c "$c" -d "${secs}s" --timeout 10s -s "$work/load.lua" "http://127.0.0.1:$port" | grep '^RESULT' | sed 's/^RESULT //')
  after=$(cpu)
  n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$line")
  printf 'clients=%-3s %s cpu_ms_per_req=%s\n' "$c" "$line" \
    "$(awk -v a="$before" -v b="$after" -v n="$n" 'BEGIN { printf "%.2f", (n > 0) ? (b - a) * 1000 / n : 0 }')"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status)"
echo "cores: $(nproc)"
