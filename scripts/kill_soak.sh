#!/usr/bin/env bash
# Crash-safety soak (not run by CI): N trials of fresh ingest, prune and
# re-ingest of a changed corpus, each killed with SIGKILL at a random moment.
# After every kill the index must open, a re-run must complete, and the
# counts must be exact: the documents expected, a further run all unchanged,
# and the same answers as a clean ingest of the same files.
#
# Usage: scripts/kill_soak.sh [TRIALS]   (default 35)
# Env:   BIN (default target/release/saraban, else target/debug/saraban),
#        RECORDS (JSON Lines records in the corpus, default 100).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TRIALS="${1:-35}"
RECORDS="${RECORDS:-100}"
BIN="${BIN:-}"
if [ -z "$BIN" ]; then
    if [ -x "$ROOT/target/release/saraban" ]; then BIN="$ROOT/target/release/saraban"
    else BIN="$ROOT/target/debug/saraban"; fi
fi
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build first)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Pristine corpus: real texts plus a JSON Lines file of many records.
mkdir -p "$WORK/pristine"
cp "$ROOT"/corpus/seeds/*.txt "$ROOT"/corpus/real/*.txt "$WORK/pristine/"
python3 - "$WORK/pristine" "$RECORDS" <<'PY'
import json, pathlib, sys
d = pathlib.Path(sys.argv[1]); n = int(sys.argv[2])
texts = [p.read_text(encoding="utf-8") for p in sorted(d.glob("*.txt"))]
with open(d / "records.jsonl", "w", encoding="utf-8") as f:
    for i in range(n):
        f.write(json.dumps({"id": f"rec-{i}", "text": texts[i % len(texts)] + f"\nบันทึกลำดับที่ {i}"}, ensure_ascii=False) + "\n")
PY

docs() { "$BIN" --index "$1" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])'; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
hits() { "$BIN" --index "$1" search --json --limit 0 "$2" | wc -l; }

# Reference: a clean run, timed, gives the expected count and the kill window.
start=$(date +%s%N)
"$BIN" --index "$WORK/ref" ingest --quiet --json "$WORK/pristine" > /dev/null
window_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expected=$(docs "$WORK/ref")
echo "corpus: $expected documents; a clean ingest takes ${window_ms} ms"

# Runs saraban ingest ARGS..., SIGKILLs it after a random 0..window ms.
killed_run() {
    local idx="$1"; shift
    "$BIN" --index "$idx" ingest --quiet --commit-every 25 "$@" > /dev/null 2>&1 &
    local pid=$!
    local ms=$(( RANDOM * 32768 + RANDOM ))
    ms=$(( ms % (window_ms + 1) ))
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
    wait "$pid" 2>/dev/null || true
}

fail() { echo "trial $t: FAIL: $*" >&2; failures=$((failures + 1)); }

killed=0; failures=0; phases=0
for t in $(seq 1 "$TRIALS"); do
    c="$WORK/c$t"; idx="$WORK/i$t"
    cp -r "$WORK/pristine" "$c"
    # 1. fresh ingest, killed; the index opens; a re-run completes it.
    killed_run "$idx" "$c"
    [ -e "$idx/meta.json" ] && { docs "$idx" > /dev/null || fail "index does not open after kill (fresh)"; }
    out=$("$BIN" --index "$idx" ingest --quiet --json "$c") || fail "re-run of fresh ingest failed"
    [ "$(docs "$idx")" = "$expected" ] || fail "fresh: $(docs "$idx") documents, expected $expected"
    phases=$((phases + 1))
    # 2. prune after removing some files, killed; re-run completes.
    removed=$(ls "$c"/00[012]_*.txt | wc -l)
    rm "$c"/00[012]_*.txt
    after=$((expected - removed))
    killed_run "$idx" --prune "$c"
    docs "$idx" > /dev/null || fail "index does not open after kill (prune)"
    "$BIN" --index "$idx" ingest --quiet --json --prune "$c" > /dev/null || fail "re-run of prune failed"
    [ "$(docs "$idx")" = "$after" ] || fail "prune: $(docs "$idx") documents, expected $after"
    phases=$((phases + 1))
    # 3. re-ingest after changing four files, killed; re-run completes.
    for f in $(ls "$c"/*.txt | head -4); do printf '\nแก้ไขครั้งที่ %s\n' "$t" >> "$f"; done
    killed_run "$idx" "$c"
    docs "$idx" > /dev/null || fail "index does not open after kill (re-ingest)"
    "$BIN" --index "$idx" ingest --quiet --json "$c" > /dev/null || fail "re-run of re-ingest failed"
    [ "$(docs "$idx")" = "$after" ] || fail "re-ingest: $(docs "$idx") documents, expected $after"
    # The same files ingested once, cleanly, answer the same.
    "$BIN" --index "$WORK/r$t" ingest --quiet "$c" > /dev/null || true
    want=$(hits "$WORK/r$t" "แก้ไขครั้งที่ $t"); got=$(hits "$idx" "แก้ไขครั้งที่ $t")
    [ "$got" = "$want" ] && [ "$want" -ge 3 ] || fail "changed files: $got hits, a clean ingest $want"
    [ "$(docs "$idx")" = "$(docs "$WORK/r$t")" ] || fail "re-ingest: not the clean ingest's count"
    out=$("$BIN" --index "$idx" ingest --quiet --json --prune "$c")
    for k in added replaced pruned failed; do
        [ "$(field "$out" $k)" = 0 ] || fail "a further run: $k = $(field "$out" $k): $out"
    done
    [ "$(field "$out" unchanged)" = "$after" ] || fail "a further run: $out"
    phases=$((phases + 1))
    echo "trial $t: ok so far (killed $killed of $((t * 3)) runs mid-way, failures $failures)"
    rm -rf "$c" "$idx" "$WORK/r$t"
done
echo "kill soak: $TRIALS trials, $phases phases, $killed runs killed mid-way, $failures failures"
[ "$failures" = 0 ]
