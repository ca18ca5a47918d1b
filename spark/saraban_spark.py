"""Ingest an archive with Apache Spark: Spark distributes, `saraban` does the work.

    spark-submit [--master URL] spark/saraban_spark.py \\
        --input DIR --output DIR --shards N --binary PATH [--index EXISTING]

1. The driver lists the files `saraban ingest` would read (`saraban tag
   --list-inputs`; with --index, only files that index does not already hold
   unchanged) and spreads them over partitions by size.
2. Each task pipes its paths through `saraban tag --json --files-from -`
   (extract, OCR, tag) and writes the records to OUTPUT/prepared/part-NNNNN.
3. N tasks index the parts (`saraban ingest --prepared`) into
   OUTPUT/shards/shard-NNNNN.
4. The driver merges the shards (after the existing index, if any) into
   OUTPUT/index with `saraban merge`, and writes every problem to
   OUTPUT/problems.jsonl.

Every task writes to a private temporary name and renames it into place
when done, so a task that dies and is retried (or runs twice) leaves one
output, never a half or a double one; the merge keeps each source once.

Input and output must be paths every node sees (a shared file system);
the binary is shipped to the executors with the job.
"""

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import uuid

from pyspark import SparkFiles
from pyspark.sql import SparkSession

# Set (to any value) to make the first attempt of partition 0 fail halfway
# through writing its part: shows that a retried task duplicates nothing.
FAIL_ONCE_ENV = "SARABAN_SPARK_FAIL_ONCE"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--input", required=True, nargs="+", help="folders or files to ingest")
    p.add_argument("--output", required=True, help="output folder (prepared/, shards/, index/)")
    p.add_argument("--shards", type=int, default=2, help="shard indexes to build")
    p.add_argument("--binary", required=True, help="the saraban binary (shipped to executors)")
    p.add_argument("--index", help="existing index to add to (only new or changed files)")
    p.add_argument(
        "--partitions", type=int, default=0,
        help="extraction tasks (default: 2 per shard, at least the default parallelism)")
    p.add_argument("--threads", type=int, default=1,
                   help="threads of each extraction task (Spark runs one task per core)")
    p.add_argument("--no-ocr", action="store_true", help="do not OCR scans")
    return p.parse_args(argv)


def run(cmd, **kw):
    """Runs a command; raises with its standard error when it fails (2 = some inputs failed)."""
    r = subprocess.run(cmd, capture_output=True, **kw)
    if r.returncode not in (0, 2):
        raise RuntimeError("%s failed (%d): %s" % (cmd[:3], r.returncode, r.stderr.decode()[-2000:]))
    return r


def list_inputs(binary, inputs, existing):
    cmd = [binary, "tag", "--list-inputs"]
    if existing:
        cmd += ["--skip-indexed", existing]
    out = run(cmd + inputs).stdout.decode()
    files, problems = [], []
    for line in out.splitlines():
        rec = json.loads(line)
        if "problem" in rec:
            problems.append(rec["problem"])
        else:
            files.append((rec["path"], rec["size"]))
    return files, problems


def spread(files, n):
    """Greedy: largest file first, to the lightest partition (empty ones dropped)."""
    bins = [[0, []] for _ in range(n)]
    for path, size in sorted(files, key=lambda f: (-f[1], f[0])):
        b = min(bins, key=lambda b: b[0])
        b[0] += max(size, 1)
        b[1].append(path)
    return [b[1] for b in bins if b[1]]


def executable(name):
    path = SparkFiles.get(name)
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def publish(tmp, final):
    """Moves a finished output into place, replacing an earlier attempt's."""
    if os.path.isdir(final):
        shutil.rmtree(final)
    elif os.path.exists(final):
        os.remove(final)
    os.replace(tmp, final)


def prepare_task(binary_name, prepared_dir, threads, no_ocr, fail_once):
    from pyspark import TaskContext

    def task(index, parts):
        ctx = TaskContext.get()
        attempt = ctx.attemptNumber() if ctx else 0
        for paths in parts:
            binary = executable(binary_name)
            final = os.path.join(prepared_dir, "part-%05d" % index)
            tmp = os.path.join(prepared_dir, ".tmp-part-%05d-%s" % (index, uuid.uuid4().hex))
            cmd = [binary, "tag", "--json", "--files-from", "-", "--threads", str(threads)]
            if no_ocr:
                cmd.append("--no-ocr")
            with open(tmp, "wb") as out:
                r = subprocess.run(cmd, input="\n".join(paths).encode() + b"\n",
                                   stdout=out, stderr=subprocess.PIPE)
            if r.returncode not in (0, 2):
                raise RuntimeError("saraban tag failed (%d): %s" % (r.returncode, r.stderr.decode()[-2000:]))
            if fail_once and index == 0 and attempt == 0:
                # Die like a lost executor would: a half-written part left behind.
                with open(tmp, "r+b") as f:
                    f.truncate(os.path.getsize(tmp) // 2)
                raise RuntimeError("failing the first attempt of partition 0 on purpose")
            publish(tmp, final)
            with open(final, "rb") as f:
                records = sum(1 for _ in f)
            yield (index, len(paths), records)
    return task


def shard_task(binary_name, prepared_dir, shards_dir, nparts, nshards):
    def task(index, shard_ids):
        for k in shard_ids:
            binary = executable(binary_name)
            parts = [os.path.join(prepared_dir, "part-%05d" % i) for i in range(nparts) if i % nshards == k]
            parts = [p for p in parts if os.path.exists(p)]
            final = os.path.join(shards_dir, "shard-%05d" % k)
            tmp = os.path.join(shards_dir, ".tmp-shard-%05d-%s" % (k, uuid.uuid4().hex))
            report = tmp + ".problems.jsonl"
            run([binary, "--index", tmp, "ingest", "--prepared", "--quiet", "--json",
                 "--report", report] + parts)
            with open(report, "rb") as f:
                problems = f.read()
            os.remove(report)
            publish(tmp, final)
            yield (k, problems)
    return task


def remove_leftovers(folder):
    """Removes what failed task attempts left behind (every task is done)."""
    for name in os.listdir(folder):
        if name.startswith(".tmp-"):
            path = os.path.join(folder, name)
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.remove(path)


def main(argv):
    args = parse_args(argv)
    out = os.path.abspath(args.output)
    inputs = [os.path.abspath(p) for p in args.input]
    binary = os.path.abspath(args.binary)
    existing = os.path.abspath(args.index) if args.index else None
    prepared_dir = os.path.join(out, "prepared")
    shards_dir = os.path.join(out, "shards")
    index_dir = os.path.join(out, "index")
    for d in (prepared_dir, shards_dir):
        if os.path.exists(d):
            shutil.rmtree(d)
        os.makedirs(d)

    spark = SparkSession.builder.appName("saraban ingest").getOrCreate()
    sc = spark.sparkContext
    sc.addFile(binary)
    name = os.path.basename(binary)

    files, problems = list_inputs(binary, inputs, existing)
    nparts = args.partitions or max(2 * args.shards, sc.defaultParallelism)
    bins = spread(files, nparts)
    fail_once = bool(os.environ.get(FAIL_ONCE_ENV))
    done = []
    if bins:
        done = (sc.parallelize(bins, len(bins))
                .mapPartitionsWithIndex(prepare_task(name, prepared_dir, args.threads,
                                                     args.no_ocr, fail_once))
                .collect())
    remove_leftovers(prepared_dir)
    nshards = max(1, min(args.shards, len(bins))) if bins else 0
    shard_out = []
    if nshards:
        shard_out = (sc.parallelize(range(nshards), nshards)
                     .mapPartitionsWithIndex(shard_task(name, prepared_dir, shards_dir,
                                                        len(bins), nshards))
                     .collect())
    remove_leftovers(shards_dir)

    shards = [os.path.join(shards_dir, "shard-%05d" % k) for k, _ in sorted(shard_out)]
    merge_report = os.path.join(out, ".merge.problems.jsonl")
    target = index_dir
    sources = ([existing] if existing else []) + shards
    if existing and os.path.abspath(existing) == index_dir:
        pass  # merged in place
    elif os.path.exists(index_dir):
        shutil.rmtree(index_dir)
    if sources:
        run([binary, "--index", target, "merge", "--quiet", "--report", merge_report] + sources)
    else:
        # Nothing at all: an empty index.
        run([binary, "--index", target, "ingest", "--prepared", "--quiet", os.devnull])

    with open(os.path.join(out, "problems.jsonl"), "wb") as f:
        for p in problems:
            f.write(json.dumps(p, ensure_ascii=False).encode() + b"\n")
        for _, shard_problems in sorted(shard_out):
            f.write(shard_problems)
        if os.path.exists(merge_report):
            with open(merge_report, "rb") as m:
                f.write(m.read())
            os.remove(merge_report)

    summary = {
        "files": len(files),
        "parts": len(done),
        "records": sum(r for _, _, r in done),
        "shards": len(shards),
        "index": index_dir,
    }
    print(json.dumps(summary), flush=True)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
