#!/usr/bin/env python3
"""saraban beside the peer search engines, on the same documents and queries.

Runs the harness of ../shared/bench/peers/bench_peers.py with saraban added as a peer:
saraban builds its index with `saraban ingest` (timed, with the process's peak RSS) and answers
every query in-process through `saraban bench-queries` (per-query latency, all hits).

Usage: benches/peers.py DOCS_DIR QUERIES [bench_peers options...]
(benches/peers.sh prepares DOCS_DIR from the bulk corpus and runs this.)
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# ../shared beside the checkout (or beside the main checkout of a worktree)
PEERS_DIR = os.environ.get("SARABAN_PEERS_DIR") or next(
    (p for p in (os.path.join(ROOT, up, "shared", "bench", "peers") for up in ("..", "../.."))
     if os.path.isdir(p)), os.path.join(ROOT, "..", "shared", "bench", "peers"))
sys.path.insert(0, PEERS_DIR)
import bench_peers  # noqa: E402

BIN = os.environ.get("SARABAN_BIN", os.path.join(ROOT, "target", "release", "saraban"))


class SarabanPeer(bench_peers.Peer):
    name = "saraban"
    desc = "saraban: bigram match view for recall + Thai word view for BM25 (tantivy)"

    def available(self):
        if not os.access(BIN, os.X_OK):
            return False, f"{BIN} not built (cargo build --release)"
        return True, ""

    def run(self, corpus, variant, queries, reps, workdir):
        folder, _ = corpus.files(variant, workdir)
        idx = os.path.join(workdir, f"saraban-{variant}")
        subprocess.run(["rm", "-rf", idx], check=True)
        t0 = time.perf_counter()
        # Peak RSS and CPU of saraban's own process, through GNU time: Linux keeps
        # a process's peak RSS across exec, so a child forked straight from this
        # harness (which holds every document's text) would report the harness's.
        tf = os.path.join(workdir, "saraban-time.txt")
        subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", tf,
                        BIN, "--index", idx, "ingest", "--quiet", "--no-ocr", folder], check=True)
        build_s = time.perf_counter() - t0
        user, system, rss = open(tf).read().split()[-3:]
        rss_kb, cpu_s = int(rss), float(user) + float(system)
        qf = os.path.join(workdir, f"saraban-queries-{variant}.txt")
        with open(qf, "w", encoding="utf-8") as fh:
            # each query is one literal: quote it (the harness's queries contain no quotes)
            fh.write("\n".join('"%s"' % (bench_peers.norm(q) if variant == "norm" else q)
                               for q in queries) + "\n")
        r = subprocess.run([BIN, "--index", idx, "bench-queries", qf, "--reps", str(reps)],
                           capture_output=True, check=True)
        rows = [json.loads(x) for x in r.stdout.decode("utf-8").splitlines() if x.strip()]
        pos = {i: n for n, i in enumerate(corpus.ids)}
        hits = []
        for row in rows:
            stems = {os.path.splitext(os.path.basename(s))[0] for s in row["hits"]}
            hits.append(sorted(pos[s] for s in stems if s in pos))
        return {"build_s": build_s, "index_bytes": bench_peers.dir_bytes(idx),
                "hits": hits, "lat_ms": [row["lat_ms"] for row in rows],
                "note": f"ingest peak RSS {rss_kb / 1024:.0f} MB, {cpu_s:.1f} CPU-s; "
                        "in-process query timings"}


_orig = bench_peers.all_peers
bench_peers.all_peers = lambda: _orig() + [SarabanPeer()]

if __name__ == "__main__":
    bench_peers.main()
