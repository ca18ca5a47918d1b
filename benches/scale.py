#!/usr/bin/env python3
"""saraban at archive size: the same measures at growing slices of the scale corpus.

The scale corpus is the `*-full` files plus the laws of ../shared/corpus/bulk/ (92.5k
documents, 914 MB of text; see its README). Its documents are put in a fixed pseudo-random
order (by a hash of their id) and cut into eighths, so every size point holds the smaller
ones (nested subsets): 1/8, 1/4, 1/2, full. The 4x point is the full corpus four times over,
the copies with new ids (`r1-…`): replicated text, said so in the report.

Per point: ingest wall time, CPU seconds (user+system of saraban's own process, from
wait4), CPU seconds per 100 MB of text, peak RSS of saraban's process (wait4, not this
harness), index size; in-process first-page latency (`bench-queries --limit 10`) median and
p95 over the benchmark queries and per worst-case query; and the CLI's wall time per query
(`saraban search`, a fresh process each time, warm page cache).

Usage:
  benches/scale.py [--points 1/8,1/4,1/2,1,4] [--out target/bench/scale] [--peers]
  (--peers runs FTS5 trigram and Lucene ThaiAnalyzer through benches/peers.py at the
  largest point of real documents, never a replicated one; Lucene needs liblucene8-java libicu4j-java default-jdk-headless.)
"""
import argparse
import gzip
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# ../shared beside the checkout (or beside the main checkout of a worktree)
BULK = os.environ.get("SARABAN_BULK") or next(
    (p for p in (os.path.join(ROOT, up, "shared", "corpus", "bulk") for up in ("..", "../.."))
     if os.path.isdir(p)), os.path.join(ROOT, "..", "shared", "corpus", "bulk"))
BIN = os.environ.get("SARABAN_BIN", os.path.join(ROOT, "target", "release", "saraban"))
SCALE_FILES = ["thai-law-667.jsonl.gz", "thaigov-v1-full.jsonl.gz",
               "thaigov-v2-full.jsonl.gz", "thaigov-archive-full.jsonl.gz"]
PARTS = 8

# The short, common strings users type, a long phrase, filters alone and with a word.
WORST = ["ปี", "นา", "ครม", "การ", "ที่", "2566",
         '"การประชุมคณะรัฐมนตรีครั้งนี้ได้มีมติเห็นชอบ"',
         "type:news", "date:2562", "type:news date:2562",
         "type:news ประชุม", "date:2562 นายกรัฐมนตรี"]
CLI_QUERIES = ["ปี", "ครม", "สิทธิมนุษยชน", "type:news ประชุม"]


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def dir_bytes(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, f))
            except OSError:
                pass
    return total


def prepare_parts(work):
    """Writes the scale corpus as PARTS JSONL files in a fixed pseudo-random order."""
    parts = [os.path.join(work, f"part{i}.jsonl") for i in range(PARTS)]
    done = os.path.join(work, "parts.done")
    if os.path.exists(done):
        return parts, json.load(open(done))
    docs = []
    for name in SCALE_FILES:
        with gzip.open(os.path.join(BULK, name), "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                key = hashlib.sha1(d["id"].encode()).hexdigest()
                docs.append((key, d["id"], d.get("title"), d["text"]))
    docs.sort()
    sizes = []
    for i, path in enumerate(parts):
        chunk = docs[i::PARTS]
        with open(path, "w", encoding="utf-8") as out:
            for _, id_, title, text in chunk:
                rec = {"id": id_, "text": text}
                if title:
                    rec["title"] = title
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        sizes.append([len(chunk), sum(len(t[3].encode()) for t in chunk)])
    json.dump(sizes, open(done, "w"))
    return parts, sizes


def replica(work, part, n):
    """`part` with every id prefixed `r{n}-` (replicated text, new ids)."""
    path = os.path.join(work, f"r{n}-" + os.path.basename(part))
    if not os.path.exists(path):
        with open(part, encoding="utf-8") as src, open(path + ".tmp", "w", encoding="utf-8") as out:
            for line in src:
                d = json.loads(line)
                d["id"] = f"r{n}-{d['id']}"
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
        os.replace(path + ".tmp", path)
    return path


def run_measured(argv):
    """Runs argv; returns (wall s, CPU s, peak RSS MB) of that process itself.

    Through GNU time: Linux keeps a process's peak RSS across exec, so a child
    forked straight from this harness would report the harness's own size if
    that were larger; GNU time is small and forks saraban itself."""
    out = os.path.join(os.path.dirname(os.path.abspath(BIN)), ".scale-time")
    t0 = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", out] + argv,
                   stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t0
    user, system, rss_kb = open(out).read().split()[-3:]
    os.remove(out)
    return wall, float(user) + float(system), int(rss_kb) / 1024


def bench_queries(idx, queries, work, reps):
    qf = os.path.join(work, "queries.txt")
    with open(qf, "w", encoding="utf-8") as fh:
        fh.write("\n".join(queries) + "\n")
    r = subprocess.run([BIN, "--index", idx, "bench-queries", qf, "--reps", str(reps),
                        "--limit", "10"], capture_output=True, check=True)
    rows = [json.loads(x) for x in r.stdout.decode("utf-8").splitlines() if x.strip()]
    return {row["q"]: row for row in rows}


def cli_wall(idx, q, runs=7):
    walls = []
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        subprocess.run([BIN, "--index", idx, "search", q], stdout=subprocess.DEVNULL, check=True)
        walls.append((time.perf_counter() - t0) * 1000)
    return statistics.median(walls[1:])


def bench_query_list():
    path = os.path.join(ROOT, "tests", "data", "bench_queries.txt")
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append('"%s"' % line)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", default="1/8,1/4,1/2,1,4")
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "bench", "scale"))
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "bench", "scale-work"))
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--memory", type=int, default=None, help="ingest --memory MB")
    ap.add_argument("--keep", action="store_true", help="keep each point's index")
    ap.add_argument("--peers", action="store_true",
                    help="run FTS5 trigram and Lucene ThaiAnalyzer at the largest point")
    args = ap.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit(f"{BIN} not built (cargo build --release)")
    os.makedirs(args.work, exist_ok=True)
    parts, sizes = prepare_parts(args.work)
    queries = bench_query_list()
    report = []
    for point in args.points.split(","):
        frac = float(Fraction(point))  # "1/8" and friends
        replicas = max(1, int(frac)) if frac >= 1 else 1
        n = PARTS if frac >= 1 else max(1, round(PARTS * frac))
        files = parts[:n]
        if replicas > 1:
            files = files + [replica(args.work, p, r) for r in range(1, replicas) for p in parts]
        docs = sum(s[0] for s in sizes[:n]) * replicas
        mb = sum(s[1] for s in sizes[:n]) * replicas / 1e6
        idx = os.path.join(args.work, f"index-{point.replace('/', '_')}")
        subprocess.run(["rm", "-rf", idx], check=True)
        argv = [BIN, "--index", idx, "ingest", "--quiet", "--no-ocr"]
        if args.memory:
            argv += ["--memory", str(args.memory)]
        load = os.getloadavg()
        wall, cpu, rss = run_measured(argv + files)
        row = {"point": point, "replicated": replicas > 1, "docs": docs, "text_mb": round(mb, 1),
               "ingest_wall_s": round(wall, 1), "ingest_cpu_s": round(cpu, 1),
               "cpu_s_per_100mb": round(cpu / mb * 100, 2), "peak_rss_mb": round(rss),
               "index_mb": round(dir_bytes(idx) / 1e6, 1),
               "segments": sum(1 for f in os.listdir(idx) if f.endswith(".store")),
               "load_before": round(load[0], 2)}
        res = bench_queries(idx, queries + WORST, args.work, args.reps)
        lat = [statistics.median(res[q]["lat_ms"]) for q in queries if q in res]
        row["query_median_ms"] = round(statistics.median(lat), 2)
        row["query_p95_ms"] = round(pct(lat, 95), 2)
        # CPU time of the query thread: the same on a loaded machine
        cpu = [statistics.median(res[q]["cpu_ms"]) for q in queries if "cpu_ms" in res.get(q, {})]
        if cpu:
            row["query_cpu_median_ms"] = round(statistics.median(cpu), 2)
            row["query_cpu_p95_ms"] = round(pct(cpu, 95), 2)
        row["worst"] = {q: {"ms": round(statistics.median(res[q]["lat_ms"]), 2),
                            "cpu_ms": round(statistics.median(res[q].get("cpu_ms") or [float("nan")]), 2),
                            "total": res[q]["total"], "exact": res[q]["total_exact"]}
                        for q in WORST if q in res}
        row["cli_wall_ms"] = {q: round(cli_wall(idx, q), 1) for q in CLI_QUERIES}
        row["load_after"] = round(os.getloadavg()[0], 2)
        report.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        if not args.keep:
            subprocess.run(["rm", "-rf", idx], check=True)
    real = [r for r in report if not r["replicated"]]
    if args.peers and real:
        # the largest point of real (not replicated) documents
        largest = real[-1]["point"]
        print(f"peers at {largest}: see {args.out}-peers.md", flush=True)
        run_peers(args, parts, sizes, largest)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out + ".json", "w", encoding="utf-8") as fh:
        json.dump(report, fh, ensure_ascii=False, indent=1)
    with open(args.out + ".md", "w", encoding="utf-8") as fh:
        fh.write(render(report))
    print(render(report))


def run_peers(args, parts, sizes, point):
    """The peers harness over the documents of `point`, as .txt files."""
    frac = float(Fraction(point))
    n = PARTS if frac >= 1 else max(1, round(PARTS * frac))
    folder = os.path.join(args.work, f"docs-{point.replace('/', '_')}")
    if not os.path.exists(os.path.join(folder, ".done")):
        os.makedirs(folder, exist_ok=True)
        for r in range(max(1, int(frac)) if frac >= 1 else 1):
            for p in parts[:n]:
                for line in open(p, encoding="utf-8"):
                    d = json.loads(line)
                    stem = hashlib.sha1(f"r{r}-{d['id']}".encode()).hexdigest()[:16]
                    with open(os.path.join(folder, stem + ".txt"), "w", encoding="utf-8") as f:
                        f.write(d["text"])
        open(os.path.join(folder, ".done"), "w").close()
    subprocess.run([sys.executable, os.path.join(HERE, "peers.py"), folder,
                    os.path.join(ROOT, "tests", "data", "bench_queries.txt"),
                    "--peers", os.environ.get("SARABAN_PEERS", "saraban,fts5-trigram,lucene-thai"),
                    "--variants", "raw",
                    "--reps", str(args.reps), "--out", args.out + "-peers",
                    "--workdir", os.path.join(args.work, "peers-work")], check=True)


def render(report):
    lines = ["| point | docs | text MB | ingest wall s | CPU s | CPU s/100 MB | peak RSS MB | "
             "index MB | segments | query median ms | p95 ms | " + " | ".join(WORST) +
             " | CLI wall ms | load 1-min before/after |",
             "|" + "---|" * (13 + len(WORST))]
    for r in report:
        worst = " | ".join("%.1f (%.1f)%s" % (r["worst"][q]["ms"], r["worst"][q].get("cpu_ms", float("nan")),
                                               "" if r["worst"][q]["exact"] else "*")
                           if q in r["worst"] else "-" for q in WORST)
        cli = "/".join("%.0f" % v for v in r["cli_wall_ms"].values())
        point = r["point"] + (" (replicated)" if r["replicated"] else "")
        lines.append(f"| {point} | {r['docs']} | {r['text_mb']} | {r['ingest_wall_s']} | "
                     f"{r['ingest_cpu_s']} | {r['cpu_s_per_100mb']} | {r['peak_rss_mb']} | "
                     f"{r['index_mb']} | {r.get('segments', '-')} | "
                     f"{r['query_median_ms']} ({r.get('query_cpu_median_ms', '-')}) | "
                     f"{r['query_p95_ms']} ({r.get('query_cpu_p95_ms', '-')}) | {worst} | {cli} | "
                     f"{r.get('load_before', '-')}/{r.get('load_after', '-')} |")
    lines.append("")
    lines.append("Query columns: in-process first page (10 hits), wall ms (CPU ms of the query "
                 "thread, load-independent); * = total is a lower bound. CLI wall: " + ", ".join(CLI_QUERIES) + " (median of 7 fresh processes).")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
