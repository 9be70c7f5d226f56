#!/usr/bin/env python3
"""Measure search: letterbook's indexes against raw FTS5 on the same letters, in the same run.

Letters: ``make_corpus.py --n N --seed 1`` from ../shared/bench (cached as /tmp/corpus-N.jsonl).
Queries: the 300 lines of ../shared/bench/queries.txt, read with letterbook's own ``parse_query``.
Every candidate answers each query with the top 20 hits and a snippet of each; ours also with every
facet counted (sender, recipient, decade, year, place, language, collection). Candidates:

- ``fts5-floor``: raw SQLite FTS5 ordered by bm25, built and queried exactly as
  ../shared/bench/peers/fts5_floor.py does (its own functions are run): the floor to beat.
- ``tantivy``: letterbook's ``tantivy`` index (a folder beside the store), snippets by
  ``make_snippet`` from the store's text.
- ``fts5``: letterbook's ``fts5`` index (tables in the store's SQLite file), snippets the same way.

The store of our candidates is the floor's own letters table without its FTS5 index, so that
"store plus index" compares with the floor's database like for like. Passes alternate between the
candidates (one warm-up pass, then ``--runs``); each query's latency is the median of its runs and
p50/p99 are taken over the 300 medians (nearest rank, as the peers' harness does). Built databases
and indexes are cached in ``--cache`` (default /tmp/letterbook-search-bench) and reused unless
``--rebuild``. Results: benchmarks/results/search.json, one entry per N.

    python benchmarks/bench_search.py --n 100000
    python benchmarks/bench_search.py --n 1000000 --runs 2
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from letterbook.search import FACETS, SearchDoc, make_snippet, open_index, parse_query
from letterbook.search.query import Query

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "benchmarks" / "results" / "search.json"
DEFAULT_CACHE = Path("/tmp/letterbook-search-bench")
CANDIDATES = ("fts5-floor", "tantivy", "fts5")
BATCH = 5_000

# The goals of issue 3 at 1,000,000 letters, against the floor measured in the same run.
P99_GOAL = 0.15  # search with all facets: p99 at most this share of the floor's p99
P50_GOAL = 1.0  # and p50 at most the floor's p50
SIZE_GOAL = 1.3  # store plus index at most this multiple of the floor's database


def log(message: str) -> None:
    print(message, flush=True)


# ------------------------------------------------------------------------------------ inputs


def corpus(n: int, shared: Path) -> Path:
    """Give the path of the generated corpus of n letters, generating it when missing or short."""
    path = Path(f"/tmp/corpus-{n}.jsonl")
    if path.exists():
        with path.open("rb") as lines:
            if sum(1 for _ in lines) == n:
                return path
    log(f"generating {n:,} letters into {path}")
    subprocess.run([sys.executable, str(shared / "bench" / "make_corpus.py"), "--n", str(n), "--seed", "1",
                    "--out", str(path)], check=True)
    return path


def records(path: Path) -> Iterator[dict[str, Any]]:
    """Give the corpus' letters, one JSON object at a time."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def search_doc(record: dict[str, Any]) -> SearchDoc:
    """Give the search document of a generated letter (as the archive's doc_for would)."""
    year = int(record["date"][:4]) if record.get("date") else None
    return SearchDoc(id=record["id"], title=record["title"], body=record["body"], senders=[record["sender"]],
                     recipients=list(record["recipients"]), sender_facet=record["sender"],
                     recipient_facets=list(record["recipients"]), year_from=year, year_to=year,
                     date_sort=record.get("date"), place=record.get("place"), language=record.get("language"))


def load_peer(shared: Path, name: str) -> ModuleType:
    """Give a module of ../shared/bench/peers (the floor's own code, run rather than copied)."""
    folder = shared / "bench" / "peers"
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))  # fts5_floor imports its sibling modules by name
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def query_lines(path: Path) -> tuple[list[str], list[str]]:
    """Give the query lines of queries.txt and the group of each."""
    lines, groups, group = [], [], "none"
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("## group:"):
            group = line.split(":", 1)[1].split()[0]
        elif line and not line.startswith("#"):
            lines.append(line)
            groups.append(group)
    return lines, groups


def file_size(path: Path) -> int:
    """Give the bytes of a file or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


# ------------------------------------------------------------------------------------ candidates


class Candidate:
    """One way of answering the queries: built once (or reused), then run query by query."""

    name = ""
    facets = True

    def __init__(self, cache: Path, n: int) -> None:
        self.cache = cache
        self.n = n
        self.info_path = cache / f"{self.name}-{n}.json"

    def built(self) -> dict[str, Any] | None:
        """Give what the cached build recorded, or None when there is no complete build."""
        if self.info_path.exists():
            info: dict[str, Any] = json.loads(self.info_path.read_text())
            return info
        return None

    def build(self, corpus_path: Path, floor_db: Path) -> dict[str, Any]:
        """Build from scratch and give the build's phases in seconds."""
        raise NotImplementedError

    def sizes(self) -> dict[str, int]:
        """Give the bytes of the store and of the index."""
        raise NotImplementedError

    def open(self) -> None:
        """Open for querying."""

    def run(self, line: str, query: Query, facets: bool) -> int:
        """Run one query (top 20 with snippets, and facets if asked); give the number of hits."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what ``open`` took."""


class Floor(Candidate):
    """Raw FTS5 ordered by bm25, by the peers' fts5_floor.py (its load and its SQL)."""

    name = "fts5-floor"
    facets = False

    def __init__(self, cache: Path, n: int, shared: Path) -> None:
        super().__init__(cache, n)
        self.floor = load_peer(shared, "fts5_floor")
        self.syntax = load_peer(shared, "querysyntax")
        self.db = cache / f"fts5-floor-{n}.db"
        self.con: sqlite3.Connection | None = None

    def build(self, corpus_path: Path, floor_db: Path) -> dict[str, Any]:
        _n, phases = self.floor.load(str(self.db), str(corpus_path), log)
        return dict(phases)

    def sizes(self) -> dict[str, int]:
        return {"store": 0, "index": 0, "total": file_size(self.db)}

    def open(self) -> None:
        self.con = self.floor.connect(str(self.db))

    def run(self, line: str, query: Query, facets: bool) -> int:
        assert self.con is not None
        sql, params = self.floor.build_sql(self.syntax.parse(line))
        return len(self.con.execute(sql, params).fetchall())

    def close(self) -> None:
        if self.con is not None:
            self.con.close()


def build_store(store: Path, floor_db: Path) -> float:
    """Copy the floor's database without its FTS5 index: the store our candidates read text from."""
    started = time.perf_counter()
    store.unlink(missing_ok=True)
    con = sqlite3.connect(store, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("ATTACH ? AS floor", (str(floor_db),))
    schema = con.execute("SELECT sql FROM floor.sqlite_master WHERE type = 'table' AND name IN "
                         "('letters', 'letter_recipients')").fetchall()
    con.execute("BEGIN")
    for (sql,) in schema:
        con.execute(sql)
    con.execute("INSERT INTO letters SELECT * FROM floor.letters")
    con.execute("INSERT INTO letter_recipients SELECT * FROM floor.letter_recipients")
    con.execute("COMMIT")
    con.execute("DETACH floor")
    con.execute("CREATE INDEX letter_recipients_name ON letter_recipients(name, letter)")
    con.execute("VACUUM")
    con.close()
    return time.perf_counter() - started


class Ours(Candidate):
    """A letterbook index beside (or inside) a store; snippets cut from the store's text."""

    kind = ""

    def __init__(self, cache: Path, n: int) -> None:
        super().__init__(cache, n)
        self.store = cache / f"{self.name}-{n}.db"
        self.con: sqlite3.Connection | None = None
        self.index: Any = None

    def index_path(self) -> Path | None:
        return None

    def open_index(self, con: sqlite3.Connection) -> Any:
        return open_index(self.kind, sqlite_connection=con, path=self.index_path())

    def build(self, corpus_path: Path, floor_db: Path) -> dict[str, Any]:
        phases: dict[str, Any] = {"store_s": round(build_store(self.store, floor_db), 2)}
        index_path = self.index_path()
        if index_path is not None and index_path.exists():
            shutil.rmtree(index_path)
        con = sqlite3.connect(self.store)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA cache_size=-500000")
        index = self.open_index(con)
        started = time.perf_counter()
        batch: list[SearchDoc] = []
        done = 0
        for record in records(corpus_path):
            batch.append(search_doc(record))
            if len(batch) == BATCH:
                index.add(batch)
                done += len(batch)
                batch = []
                if done % 100_000 == 0:
                    log(f"  {self.name}: {done:,} letters indexed, {time.perf_counter() - started:.0f} s")
        index.add(batch)
        index.commit(sequence=self.n)
        phases["add_commit_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        index.optimize()
        phases["optimize_s"] = round(time.perf_counter() - started, 2)
        index.close()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        phases["index_s"] = round(phases["add_commit_s"] + phases["optimize_s"], 2)
        return phases

    def open(self) -> None:
        self.con = sqlite3.connect(self.store, check_same_thread=False)
        self.con.execute("PRAGMA query_only=1")
        self.index = self.open_index(self.con)

    def run(self, line: str, query: Query, facets: bool) -> int:
        assert self.con is not None
        result = self.index.search(query, limit=20, facets=FACETS if facets else ())
        ids = [hit.id for hit in result.hits]
        if ids:
            marks = ",".join("?" * len(ids))
            texts = dict(self.con.execute(f"SELECT id, body FROM letters WHERE id IN ({marks})", ids).fetchall())
            snippets = [make_snippet(texts.get(i, ""), query) for i in ids]
            assert len(snippets) == len(ids)
        return len(ids)

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
        if self.con is not None:
            self.con.close()


class Tantivy(Ours):
    name = "tantivy"
    kind = "tantivy"

    def index_path(self) -> Path:
        return Path(f"{self.store}.index")

    def sizes(self) -> dict[str, int]:
        store, index = file_size(self.store), file_size(self.index_path())
        return {"store": store, "index": index, "total": store + index}


class FTS5(Ours):
    name = "fts5"
    kind = "fts5"

    def sizes(self) -> dict[str, int]:
        total = file_size(self.store)
        con = sqlite3.connect(self.store)
        try:
            index = con.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%' OR name LIKE "
                                "'sqlite_autoindex_search%'").fetchone()[0] or 0
        finally:
            con.close()
        return {"store": total - int(index), "index": int(index), "total": total}


# ------------------------------------------------------------------------------------ measuring


def percentile(values: list[float], p: float) -> float:
    """Give the nearest-rank percentile (as the peers' harness computes it)."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def summary(seconds: list[float]) -> dict[str, float]:
    """Give p50, p95, p99, mean and max in milliseconds."""
    return {"p50_ms": round(percentile(seconds, 50) * 1e3, 2), "p95_ms": round(percentile(seconds, 95) * 1e3, 2),
            "p99_ms": round(percentile(seconds, 99) * 1e3, 2), "mean_ms": round(statistics.fmean(seconds) * 1e3, 2),
            "max_ms": round(max(seconds) * 1e3, 2)}


def measure(candidates: list[Candidate], lines: list[str], groups: list[str], runs: int) -> dict[str, Any]:
    """Run every query on every candidate, passes alternating; give latencies by candidate and mode."""
    queries = [parse_query(line) for line in lines]
    modes: list[tuple[Candidate, str]] = []
    for candidate in candidates:
        modes.append((candidate, "plain"))
        if candidate.facets:
            modes.append((candidate, "facets"))
    times: dict[tuple[str, str], list[list[float]]] = {(c.name, m): [[] for _ in lines] for c, m in modes}
    hits: dict[tuple[str, str], list[int]] = {(c.name, m): [0] * len(lines) for c, m in modes}
    for number in range(runs + 1):
        for candidate, mode in modes:
            started = time.perf_counter()
            for i, (line, query) in enumerate(zip(lines, queries, strict=True)):
                t = time.perf_counter()
                found = candidate.run(line, query, mode == "facets")
                elapsed = time.perf_counter() - t
                if number:  # the first pass warms caches
                    times[(candidate.name, mode)][i].append(elapsed)
                hits[(candidate.name, mode)][i] = found
            log(f"  pass {number + 1}/{runs + 1}{' (warm-up)' if not number else ''} {candidate.name} {mode}: "
                f"{time.perf_counter() - started:.1f} s")
    out: dict[str, Any] = {}
    for (name, mode), per_query in times.items():
        medians = [statistics.median(t) for t in per_query]
        by_group: dict[str, list[float]] = {}
        for group, median in zip(groups, medians, strict=True):
            by_group.setdefault(group, []).append(median)
        out.setdefault(name, {})[mode] = {
            "latency": summary(medians),
            "by_group_p50_ms": {g: round(percentile(v, 50) * 1e3, 2) for g, v in by_group.items()},
            "by_group_p99_ms": {g: round(percentile(v, 99) * 1e3, 2) for g, v in by_group.items()},
            "queries_with_hits": sum(1 for h in hits[(name, mode)] if h),
            "slowest": sorted(({"q": line, "ms": round(m * 1e3, 1)} for line, m in zip(lines, medians, strict=True)),
                              key=lambda row: -row["ms"])[:5],
        }
    return out


def machine() -> dict[str, Any]:
    """Give what the numbers were measured on."""
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "tantivy": _tantivy_version(), "system": platform.platform(), "loadavg_before": os.getloadavg()}


def _tantivy_version() -> str:
    import tantivy

    return str(getattr(tantivy, "__version__", ""))


def goals(entry: dict[str, Any]) -> dict[str, Any]:
    """Give each of our candidates against the goals of issue 3 (floor measured in the same run)."""
    floor = entry["candidates"]["fts5-floor"]
    floor_lat = floor["plain"]["latency"]
    out = {}
    for name, data in entry["candidates"].items():
        if name == "fts5-floor":
            continue
        lat = data["facets"]["latency"]
        ratio = data["size"]["total"] / floor["size"]["total"]
        out[name] = {
            "p99_with_facets_over_floor_p99": round(lat["p99_ms"] / floor_lat["p99_ms"], 3),
            "p99_met": lat["p99_ms"] <= P99_GOAL * floor_lat["p99_ms"],
            "p50_with_facets_over_floor_p50": round(lat["p50_ms"] / floor_lat["p50_ms"], 3),
            "p50_met": lat["p50_ms"] <= P50_GOAL * floor_lat["p50_ms"],
            "size_over_floor": round(ratio, 3),
            "size_met": ratio <= SIZE_GOAL,
        }
    return out


def table(entry: dict[str, Any]) -> str:
    """Give the results of one N as a Markdown table."""
    rows = ["| candidate | p50 / p99 ms | with all facets p50 / p99 ms | build s | store + index MB |",
            "|---|---|---|---|---|"]
    for name, data in entry["candidates"].items():
        plain = data["plain"]["latency"]
        facets = data.get("facets", {}).get("latency")
        with_facets = f"{facets['p50_ms']} / {facets['p99_ms']}" if facets else "–"
        size = data["size"]
        mb = f"{size['store'] / 1e6:,.0f} + {size['index'] / 1e6:,.0f}" if size["store"] else \
            f"{size['total'] / 1e6:,.0f}"
        build = data["build"].get("index_s", data["build"].get("total_s", "?"))
        rows.append(f"| {name} | {plain['p50_ms']} / {plain['p99_ms']} | {with_facets} | {build} | {mb} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="letters in the generated corpus")
    parser.add_argument("--runs", type=int, default=3, help="timed passes over the queries (after a warm-up)")
    parser.add_argument("--candidates", default=",".join(CANDIDATES), help="comma-separated: " + ", ".join(CANDIDATES))
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--rebuild", action="store_true", help="build again even where a build is cached")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    names = [c.strip() for c in args.candidates.split(",") if c.strip()]
    unknown = set(names) - set(CANDIDATES)
    if unknown:
        parser.error(f"unknown candidates: {', '.join(sorted(unknown))}")
    if "fts5-floor" not in names:
        names.insert(0, "fts5-floor")  # every result is read against the floor of the same run
    args.cache.mkdir(parents=True, exist_ok=True)
    corpus_path = corpus(args.n, args.shared)
    lines, groups = query_lines(args.shared / "bench" / "queries.txt")
    makers: dict[str, Callable[[], Candidate]] = {
        "fts5-floor": lambda: Floor(args.cache, args.n, args.shared),
        "tantivy": lambda: Tantivy(args.cache, args.n),
        "fts5": lambda: FTS5(args.cache, args.n),
    }
    candidates = [makers[name]() for name in names]
    entry: dict[str, Any] = {"n": args.n, "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                             "machine": machine(), "queries": len(lines), "runs": args.runs, "candidates": {}}
    floor_db = candidates[0].db if isinstance(candidates[0], Floor) else Path()
    for candidate in candidates:
        info = None if args.rebuild else candidate.built()
        if info is None:
            log(f"building {candidate.name} at {args.n:,} letters")
            phases = candidate.build(corpus_path, floor_db)
            info = {"build": phases, "size": candidate.sizes(), "built_at": datetime.now(UTC).isoformat()}
            candidate.info_path.write_text(json.dumps(info, indent=1))
        log(f"{candidate.name}: build {info['build']}, size {info['size']}")
        entry["candidates"][candidate.name] = dict(info)
    for candidate in candidates:
        candidate.open()
    try:
        latencies = measure(candidates, lines, groups, args.runs)
    finally:
        for candidate in candidates:
            candidate.close()
    for name, modes in latencies.items():
        entry["candidates"][name].update(modes)
    entry["machine"]["loadavg_after"] = os.getloadavg()
    entry["goals"] = goals(entry)
    results: dict[str, Any] = json.loads(args.out.read_text()) if args.out.exists() else {}
    results.setdefault("runs", {})[str(args.n)] = entry
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    log(table(entry))
    log(json.dumps(entry["goals"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
