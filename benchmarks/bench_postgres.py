#!/usr/bin/env python3
"""Measure the PostgreSQL store beside the SQLite store, in the same run, on the same letters.

Letters: ``make_corpus.py --n N --seed 1`` from ../shared/bench, as JSON Lines (cached as
/tmp/corpus-N.jsonl, the file bench_ingest.py and bench_search.py use). PostgreSQL 15 is started
for the run in a temporary folder (tests/pg.py: fsync on, as a real server runs; ``--url`` uses a
server of your own instead, whose database must be empty).

For each store:

- **ingest**: ``letterbook ingest CORPUS.jsonl --no-enrich`` into a new archive, as a subprocess,
  timed from start to end (process start-up included): letters stored per second;
- **search**: every query of ../shared/bench/queries.txt through ``Archive.search`` (top 20 with
  snippets, no facets), p50 and p99 over 3 rounds after one round of warm-up; both stores search
  with tantivy, so the difference is the store's: fetching the 20 letters shown;
- **facets**: the same with every facet counted (sender, recipient, decade, year, place, language,
  collection), p50 and p99.

Then the **concurrency** run on PostgreSQL: 16 reader threads search the archive just measured
(the queries above, with facets, each page's letters fetched from the store) while one writer
(``letterbook ingest``, a subprocess) ingests N more letters into it (the same corpus under new ids,
``W`` + id); no reader may fail, and at the end every letter must be stored exactly once (2N rows,
2N distinct ids); reader p50/p99 are reported.

Results: benchmarks/results/postgres.json, one entry per N.

    python benchmarks/bench_postgres.py --n 10000
    python benchmarks/bench_postgres.py --n 1000000 --readers 16
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))
from bench_ingest import jsonl_corpus  # noqa: E402
from bench_read import letterbook_command  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "benchmarks" / "results" / "postgres.json"


def percentile(values: list[float], share: float) -> float:
    """Give the value below which ``share`` of the values lie (nearest rank), in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def read_queries(shared: Path) -> list[str]:
    """Give the benchmark queries: the lines of queries.txt that are not comments."""
    path = shared / "bench" / "queries.txt"
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def ingest(url: str, corpus: Path, env: dict[str, str]) -> dict[str, Any]:
    """Give the time and rate of ingesting the corpus into a new archive at url."""
    started = time.perf_counter()
    done = subprocess.run([*letterbook_command(), "ingest", str(corpus), "--db", url, "--quiet", "--json",
                           "--no-enrich"], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"ingest into {url} failed: {done.stderr.strip()}")
    report = json.loads(done.stdout)
    return {"seconds": round(seconds, 2), "letters": report["new"], "rate": round(report["new"] / seconds)}


def search_latency(url: str, queries: list[str], rounds: int, env: dict[str, str]) -> dict[str, Any]:
    """Give p50/p99 of searching each query, without and with facets (in this process)."""
    from letterbook import Archive, LetterbookError

    os.environ.update(env)
    timings: dict[str, list[float]] = {"search": [], "facets": []}
    with Archive.open(url, read_only=True) as archive:
        for round_number in range(rounds + 1):  # the first round warms caches and is not counted
            for kind, facets in (("search", False), ("facets", True)):
                for query in queries:
                    started = time.perf_counter()
                    try:
                        archive.search(query, per_page=20, facets=facets)
                    except LetterbookError:
                        pass  # a query refused with a message costs what it costs, on both stores
                    if round_number:
                        timings[kind].append(time.perf_counter() - started)
    return {kind: {"p50_ms": round(percentile(values, 0.5), 2), "p99_ms": round(percentile(values, 0.99), 2),
                   "queries": len(values)} for kind, values in timings.items()}


def renamed_corpus(corpus: Path, work: Path) -> Path:
    """Give the corpus again with new ids (``W`` + id): N letters more for the same archive."""
    out = work / "more.jsonl"
    with corpus.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as target:
        for line in source:
            record = json.loads(line)
            record["id"] = "W" + str(record["id"])
            target.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def concurrency(url: str, more: Path, before: int, queries: list[str], readers: int,
                env: dict[str, str]) -> dict[str, Any]:
    """Give what readers saw while a writer ingested ``more`` letters into the archive at url,
    which holds ``before`` letters."""
    from letterbook import Archive

    os.environ.update(env)
    added = sum(1 for _ in more.open("rb"))
    archive = Archive.open(url, read_only=True)
    writer = subprocess.Popen([*letterbook_command(), "ingest", str(more), "--db", url, "--quiet", "--json",
                               "--no-enrich"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    started = time.perf_counter()
    latencies: list[float] = []
    failures: list[str] = []
    hits = 0
    lock = threading.Lock()

    def read(number: int) -> None:
        nonlocal hits
        done = 0
        while writer.poll() is None:
            query = queries[(number * 7 + done) % len(queries)]
            began = time.perf_counter()
            try:
                found = archive.search(query, per_page=20)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                if type(exc).__name__ != "QuerySyntaxError":
                    with lock:
                        failures.append(f"{type(exc).__name__}: {exc}")
                continue
            finally:
                done += 1
            with lock:
                latencies.append(time.perf_counter() - began)
                hits += len(found.hits)

    threads = [threading.Thread(target=read, args=(number,)) for number in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out, err = writer.communicate()
    seconds = time.perf_counter() - started
    archive.close()
    if writer.returncode != 0:
        failures.append(f"the writer failed: {err.strip()}")
    import psycopg

    with psycopg.connect(url) as con:
        stored, distinct = con.execute("SELECT count(*), count(DISTINCT id) FROM letters").fetchone()
    expected = before + added
    return {"readers": readers, "letters_before": before, "letters_added": added, "seconds": round(seconds, 1),
            "ingest_rate": round(added / seconds), "searches": len(latencies), "letters_shown": hits,
            "p50_ms": round(percentile(latencies, 0.5), 1) if latencies else None,
            "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
            "stored": stored, "distinct_ids": distinct, "errors": failures[:5], "error_count": len(failures),
            "ok": not failures and stored == distinct == expected}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="letters (default 10,000)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the ../shared folder")
    parser.add_argument("--url", default=None, help="an empty PostgreSQL database of your own (default: a server "
                                                     "started for the run)")
    parser.add_argument("--readers", type=int, default=16, help="reader threads of the concurrency run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the queries counted")
    parser.add_argument("--skip-concurrency", action="store_true", help="leave out the concurrency run")
    args = parser.parse_args()

    corpus = jsonl_corpus(args.shared, args.n)
    queries = read_queries(args.shared)
    work = Path(tempfile.mkdtemp(prefix="letterbook-bench-pg-"))
    env = {**os.environ, "LETTERBOOK_INDEX_DIR": str(work / "indexes")}
    server = None
    try:
        if args.url is None:
            from pg import PostgresServer

            server = PostgresServer.start(durable=True)
            postgres_url = server.create_database("bench")
        else:
            postgres_url = args.url
        urls = {"sqlite": str(work / "letters.db"), "postgresql": postgres_url}
        stores: dict[str, Any] = {}
        for store, url in urls.items():
            print(f"-- {store}: ingest {args.n:,} letters", flush=True)
            stores[store] = {"ingest": ingest(url, corpus, env)}
            print(f"   {stores[store]['ingest']}", flush=True)
            print(f"-- {store}: {len(queries)} queries x {args.rounds}", flush=True)
            stores[store].update(search_latency(url, queries, args.rounds, env))
            print(f"   search {stores[store]['search']}\n   facets {stores[store]['facets']}", flush=True)
        entry: dict[str, Any] = {
            "n": args.n, "when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.machine(),
            "cpus": os.cpu_count(), "python": platform.python_version(), "stores": stores}
        if not args.skip_concurrency:
            print(f"-- postgresql: {args.readers} readers while a writer ingests {args.n:,} more letters", flush=True)
            more = renamed_corpus(corpus, work)
            entry["concurrency"] = concurrency(postgres_url, more, args.n, queries, args.readers, env)
            print(f"   {entry['concurrency']}", flush=True)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results[str(args.n)] = entry
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(entry)
    if "concurrency" in entry and not entry["concurrency"]["ok"]:
        raise SystemExit("the concurrency run failed: " + "; ".join(entry["concurrency"]["errors"]))


def print_table(entry: dict[str, Any]) -> None:
    """Print the numbers side by side."""
    print(f"\n{entry['n']:,} letters        ingest/s   search p50   p99   facets p50   p99")
    for store, numbers in entry["stores"].items():
        print(f"{store:<18} {numbers['ingest']['rate']:>9,} {numbers['search']['p50_ms']:>9.1f} ms "
              f"{numbers['search']['p99_ms']:>6.1f} {numbers['facets']['p50_ms']:>9.1f} ms "
              f"{numbers['facets']['p99_ms']:>6.1f}")
    if "concurrency" in entry:
        c = entry["concurrency"]
        print(f"{c['readers']} readers while {c['letters_added']:,} letters were added "
              f"({c['ingest_rate']:,}/s): {c['searches']:,} searches, p50 {c['p50_ms']} ms, p99 {c['p99_ms']} ms, "
              f"{c['stored']:,} letters stored ({c['distinct_ids']:,} ids), {c['error_count']} errors")


if __name__ == "__main__":
    main()
