#!/bin/bash
# CPU and wall time of short commands (see benches/startup_memory.md).
# Usage: benches/startup.sh BINARY BUNDLED_INDEX BULK_INDEX
# Prints one line per command: CPU ms (perf stat task-clock, 10 runs) and
# wall ms (hyperfine, median / minimum of 20 runs after 2 warm-ups).
# Needs perf and hyperfine; keep SARABAN_CACHE warm (run a search first).
set -eu
S=$1; SMALL=$2; BULK=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TAGF=$ROOT/corpus/real/000_rlpd-nhrp5-cabinet-approval.txt
first_id() { "$S" --index "$1" search --json ครม | head -1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])'; }
SID=$(first_id "$SMALL"); BID=$(first_id "$BULK")
JSON=$(mktemp)
trap 'rm -f "$JSON"' EXIT
run() {
  local name=$1; shift
  local cpu wall
  cpu=$(perf stat -r 10 "$S" "$@" 2>&1 >/dev/null | awk '/task-clock/{print $1}')
  hyperfine -N -w 2 -r 20 --export-json "$JSON" "$(printf '%q ' "$S" "$@")" >/dev/null 2>&1
  wall=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print('%.1f / %.1f' % (r['median']*1000, r['min']*1000))" "$JSON")
  echo "$name | CPU $cpu ms | wall $wall ms"
}
run "search ครม (bundled)" --index "$SMALL" search ครม
run "search ครม (bulk)" --index "$BULK" search ครม
run "show (bundled)" --index "$SMALL" show "$SID"
run "show (bulk)" --index "$BULK" show "$BID"
run "tag --json (one real doc)" tag --json "$TAGF"
run "export --help" export --help
