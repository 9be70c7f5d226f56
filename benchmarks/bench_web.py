#!/usr/bin/env python3
"""Measure the reading room under load: ``letterbook serve`` and datasette over the same letters,
side by side in the same run, on loopback, 8 concurrent clients.

Letters: ``make_corpus.py --n N --seed 1`` from ../shared/bench (cached as /tmp/corpus-N.jsonl, the
file bench_ingest.py and bench_search.py use). Built once and cached in ``--cache`` (default
/tmp/letterbook-web-bench), reused unless ``--rebuild``:

- the archive: ``letterbook ingest CORPUS.jsonl --db letters-N.db`` (an archive of N letters
  already in /tmp/letterbook-ingest-bench is used instead when there is one);
- datasette's database: loaded as ../shared/bench/peers/datasette_peer.py loads it (sqlite-utils
  insert, FTS5 on title and body, indexes on sender and date), as bench_ingest.py's sqlite-utils peer.

Both servers run as a user would start them (``letterbook serve --db ... --port ...``, with as
many worker processes as cores unless ``--workers``; ``datasette serve DB -h 127.0.0.1 -p ...``,
default settings). The load comes from ``--clients`` keep-alive connections, each sending its next
request when the last is answered, and every request's latency is taken (after a warm-up of each
scenario that is not counted); p50/p99 by nearest rank. The load generator is wrk (Debian's
``wrk``, in C: it takes little of the CPU the servers need, where Python client threads took a
large share of it and queued behind each other under the interpreter lock), run for ``--seconds``
a pass with a Lua script that cycles through the scenario's paths and hands back every latency;
without wrk (or with ``--load threads``), Python threads send each path once. After each pass
the servers are left to finish what was still in flight (until they are idle), so that a slow
server's leftovers do not fall on the next pass:

- ``letter_page``: ``/letters/ID`` (HTML), for ``--letters`` letters drawn at random (seed 1);
- ``search_page``: ``/search?q=QUERY`` (HTML, with every facet), the 300 queries of
  ../shared/bench/queries.txt, ``--passes`` times;
- ``search_api``: ``/search.json?q=QUERY&per_page=20`` (top 20, snippets and facets);
- ``datasette_search_api``: the same queries as datasette_peer.py asks them
  (``/DB/letters.json?_search=...&_searchmode=raw&_size=20`` with its filters for from:/to:/year:).

The two search APIs run in alternating passes so that the machine's noise falls on both alike.
Latency under load includes the wait behind the other clients' requests; each scenario is also
sent by one client alone (``--one-client``), which shows what a request itself costs.
Goals (issue 6, at 1,000,000 letters): letter page p99 < 50 ms, search page p99 < 150 ms, and
letterbook's search API ahead of datasette's (p50 and p99). Every request loop is bounded by
count and by ``--max-seconds``. Results: benchmarks/results/web.json, one entry per N.

    python benchmarks/bench_web.py --n 10000
    python benchmarks/bench_web.py --n 1000000 --passes 1
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ingest import jsonl_corpus, size_of  # noqa: E402
from bench_read import letterbook_command  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "benchmarks" / "results" / "web.json"
DEFAULT_CACHE = Path("/tmp/letterbook-web-bench")
INGEST_CACHE = Path("/tmp/letterbook-ingest-bench")
SCENARIOS = ("letter_page", "search_page", "search_api", "datasette_search_api")

#: wrk's script: each thread starts at its own place in the file of paths and cycles through it;
#: at the end, every latency (wrk's histogram, to the microsecond) as JSON on one line.
WRK_SCRIPT = """
local counter = 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  sent = math.floor((id - 1) * #paths / tonumber(args[2]))
end
function request()
  sent = sent + 1
  return wrk.format("GET", paths[(sent - 1) % #paths + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "duration_us": %d, "errors": %d, "status_errors": %d, ',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status))
  io.write('"latency_us": [')
  for i = 1, #latency do
    local value, count = latency(i)
    if count == nil or count == 0 then break end
    io.write(string.format('%s[%d, %d]', i == 1 and '' or ', ', value, count))
  end
  io.write(']}\\n')
end
"""

# The goals of issue 6 at 1,000,000 letters.
LETTER_PAGE_P99_MS = 50
SEARCH_PAGE_P99_MS = 150


def log(message: str) -> None:
    print(message, flush=True)


def peers(shared: Path) -> tuple[Any, Any]:
    """Give ../shared/bench/peers' datasette_peer and querysyntax modules."""
    sys.path.insert(0, str(shared / "bench" / "peers"))
    import datasette_peer  # type: ignore[import-not-found]
    import querysyntax  # type: ignore[import-not-found]

    return datasette_peer, querysyntax


# -- building ---------------------------------------------------------------------------------------


def _live_letters(db: Path) -> int | None:
    """Give the number of live letters of an archive, None when it is not one."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return int(con.execute("SELECT count(*) FROM letters WHERE withdrawn_at IS NULL").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return None


def letterbook_archive(corpus: Path, n: int, cache: Path, rebuild: bool) -> tuple[Path, dict[str, Any]]:
    """Give an archive of the corpus's n letters (cached or built) and how it was had."""
    own = cache / f"letters-{n}.db"
    found = [own] if own.exists() else []
    found += sorted(INGEST_CACHE.glob("**/*.db")) if INGEST_CACHE.exists() else []
    for path in ([] if rebuild else found):
        if _live_letters(path) == n:
            # Opened once for writing, so that an archive made by an older letterbook is upgraded
            # (the server opens it read-only and would refuse it; so does `letterbook stats`).
            subprocess.run([sys.executable, "-c", "import sys; from letterbook.archive import Archive; "
                            "Archive.open(sys.argv[1]).close()", str(path)], check=True, capture_output=True)
            return path, {"cached": str(path)}
    for stale in (own, Path(f"{own}-wal"), Path(f"{own}-shm")):
        stale.unlink(missing_ok=True)
    if own.with_name(own.name + ".index").exists():
        subprocess.run(["rm", "-rf", str(own.with_name(own.name + ".index"))], check=True)
    log(f"building the archive of {n:,} letters: letterbook ingest {corpus} --db {own}")
    start = time.perf_counter()
    subprocess.run([*letterbook_command(), "ingest", str(corpus), "--db", str(own)], check=True)
    return own, {"built_s": round(time.perf_counter() - start, 1)}


def datasette_database(corpus: Path, n: int, cache: Path, rebuild: bool, peer: Any) -> tuple[Path, dict[str, Any]]:
    """Give datasette's database of the corpus (cached or loaded as datasette_peer.py loads it)."""
    db = cache / f"datasette-{n}.db"
    if not rebuild and db.exists():
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            count = con.execute("SELECT count(*) FROM letters").fetchone()[0]
            fts = con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'letters_fts'").fetchone()[0]
            con.close()
            if count == n and fts:
                return db, {"cached": str(db)}
        except sqlite3.Error:
            pass
    log(f"loading datasette's database of {n:,} letters into {db}")
    return db, {"load": peer.load(str(db), str(corpus), log)}


# -- serving ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def server(name: str, cmd: list[str], port: int, ready_path: str, log_path: Path) -> Iterator[float]:
    """Run a server until the block ends; give the seconds it took to answer ``ready_path``."""
    with log_path.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        SERVERS.append(proc.pid)
        try:
            start = time.perf_counter()
            while True:
                try:
                    con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    con.request("GET", ready_path)
                    if con.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if proc.poll() is not None or time.perf_counter() - start > 600:
                    raise SystemExit(f"{name} did not start: see {log_path}")
                time.sleep(0.3)
            yield round(time.perf_counter() - start, 2)
        finally:
            SERVERS.remove(proc.pid)
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# -- load -------------------------------------------------------------------------------------------


#: The process ids of the servers running.
SERVERS: list[int] = []


def cpu_seconds(pids: list[int]) -> float:
    """Give the CPU time used so far by these processes and all their descendants (from /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    wanted, total = set(pids), 0.0
    for pid in sorted(times):
        ancestor, seen = pid, 0
        while ancestor and ancestor not in wanted and seen < 64:
            ancestor, seen = parents.get(ancestor, 0), seen + 1
        if ancestor in wanted:
            total += times[pid]
    return total


def machine_busy_seconds() -> float:
    """Give the CPU time the machine's cores were busy since it started (from /proc/stat)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """Give the CPU time of this process and of the children it waited for (wrk)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def settle(most: float = 60) -> None:
    """Wait until the servers are idle (they used less than 5% of a core for half a second): a
    server still answering the requests a pass left in flight (datasette takes seconds over some)
    would take the CPU from the next pass's server."""
    if not Path("/proc/self/stat").exists():
        time.sleep(3)
        return
    deadline = time.perf_counter() + most
    before = cpu_seconds(SERVERS)
    while time.perf_counter() < deadline:
        time.sleep(0.5)
        after = cpu_seconds(SERVERS)
        if after - before < 0.025:
            return
        before = after


def percentile(values: list[float], p: float) -> float:
    """Give the p-th percentile by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-p * len(ordered) // 100)) - 1))]


def summary_ms(latencies: list[float]) -> dict[str, float]:
    if not latencies:
        return {}
    return {"p50_ms": round(percentile(latencies, 50) * 1e3, 2), "p95_ms": round(percentile(latencies, 95) * 1e3, 2),
            "p99_ms": round(percentile(latencies, 99) * 1e3, 2),
            "mean_ms": round(sum(latencies) / len(latencies) * 1e3, 2), "max_ms": round(max(latencies) * 1e3, 2)}


class Load:
    """Requests sent by ``clients`` threads, each on its own keep-alive connection, and their latencies."""

    def __init__(self, port: int, clients: int, max_seconds: float) -> None:
        self.port = port
        self.clients = clients
        self.max_seconds = max_seconds
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.seconds = 0.0
        self.capped = False

    def run(self, paths: list[str], *, record: bool = True) -> None:
        """Send every path once (shared among the clients), until done or out of time."""
        lock = threading.Lock()
        position = [0]
        deadline = time.perf_counter() + self.max_seconds
        latencies: list[float] = []
        errors: dict[str, int] = {}

        def client() -> None:
            con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                while time.perf_counter() < deadline:
                    with lock:
                        i = position[0]
                        position[0] += 1
                    if i >= len(paths):
                        return
                    start = time.perf_counter()
                    problem = None
                    try:
                        con.request("GET", paths[i])
                        response = con.getresponse()
                        response.read()
                        if response.status != 200:
                            problem = f"HTTP {response.status}"
                    except (OSError, http.client.HTTPException) as exc:
                        problem = type(exc).__name__
                        con.close()
                        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                    took = time.perf_counter() - start
                    with lock:
                        latencies.append(took)
                        if problem:
                            errors[problem] = errors.get(problem, 0) + 1
            finally:
                con.close()

        start = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if record:
            self.seconds += time.perf_counter() - start
            self.latencies += latencies
            for key, count in errors.items():
                self.errors[key] = self.errors.get(key, 0) + count
            self.capped = self.capped or position[0] < len(paths)

    def result(self) -> dict[str, Any]:
        return {"requests": len(self.latencies), "errors": sum(self.errors.values()), "error_kinds": self.errors,
                "seconds": round(self.seconds, 2),
                "requests_per_s": round(len(self.latencies) / self.seconds, 1) if self.seconds else 0,
                "stopped_by_time_cap": self.capped, "latency": summary_ms(self.latencies)}


class WrkLoad(Load):
    """Requests sent by wrk from ``clients`` keep-alive connections for ``seconds`` a pass, cycling
    through the paths, and their latencies (wrk's histogram, to the microsecond)."""

    def __init__(self, port: int, clients: int, seconds: float, workdir: Path) -> None:
        super().__init__(port, clients, seconds)
        self.pass_seconds = seconds
        self.workdir = workdir
        self.threads = max(1, min(clients, os.cpu_count() or 1))
        self.others_cpu = 0.0
        self.wall = 0.0

    def run(self, paths: list[str], *, record: bool = True) -> None:
        """Send the paths, over and over, for a pass (a warm-up, not recorded, for 3 seconds)."""
        script = self.workdir / "wrk-paths.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        listing = self.workdir / f"wrk-paths-{self.port}.txt"
        listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
        seconds = self.pass_seconds if record else min(3.0, self.pass_seconds)
        command = ["wrk", f"-t{self.threads}", f"-c{self.clients}", f"-d{max(1, round(seconds))}s", "--timeout", "120s",
                   "-s", str(script), f"http://127.0.0.1:{self.port}", "--", str(listing), str(self.threads)]
        busy, servers, own = machine_busy_seconds(), cpu_seconds(SERVERS), own_cpu_seconds()
        started = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=True)
        finally:
            listing.unlink(missing_ok=True)
        wall = time.perf_counter() - started
        # What other programs on the machine took meanwhile: all its busy time, less the servers'
        # and this benchmark's own (wrk included).
        others = (machine_busy_seconds() - busy) - (cpu_seconds(SERVERS) - servers) - (own_cpu_seconds() - own)
        settle()
        line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
        if line is None:
            raise SystemExit(f"wrk gave no result: {done.stdout}\n{done.stderr}")
        found = json.loads(line[len("RESULT "):])
        if not record:
            return
        self.seconds += found["duration_us"] / 1e6
        self.others_cpu += max(0.0, others)
        self.wall += wall
        for value, count in found["latency_us"]:
            self.latencies += [value / 1e6] * count
        for kind in ("errors", "status_errors"):
            if found[kind]:
                key = "HTTP status not 2xx/3xx" if kind == "status_errors" else "connection errors or timeouts"
                self.errors[key] = self.errors.get(key, 0) + found[kind]

    def result(self) -> dict[str, Any]:
        result = super().result()
        del result["stopped_by_time_cap"]
        if self.wall:
            result["other_programs_cpu_pct"] = round(100 * self.others_cpu / (self.wall * (os.cpu_count() or 1)), 1)
        return result


def letter_ids(corpus: Path, count: int) -> list[str]:
    """Give ``count`` ids of the corpus's letters, drawn at random (seed 1), by reservoir."""
    rng = random.Random(1)
    chosen: list[str] = []
    with corpus.open("rb") as lines:
        for number, line in enumerate(lines):
            start = line.find(b'"id":"')
            letter_id = line[start + 6:line.index(b'"', start + 6)].decode() if start >= 0 else json.loads(line)["id"]
            if number < count:
                chosen.append(letter_id)
            else:
                slot = rng.randrange(number + 1)
                if slot < count:
                    chosen[slot] = letter_id
    rng.shuffle(chosen)
    return chosen


def query_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def quoted(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def goals(scenarios: dict[str, dict[str, Any]]) -> dict[str, Any]:
    def p(name: str, key: str) -> float | None:
        value = scenarios.get(name, {}).get("latency", {}).get(key)
        return float(value) if value is not None else None

    out: dict[str, Any] = {}
    letter = p("letter_page", "p99_ms")
    if letter is not None:
        out["letter_page_p99"] = {"goal_ms": LETTER_PAGE_P99_MS, "measured_ms": letter,
                                  "met": letter < LETTER_PAGE_P99_MS}
    search = p("search_page", "p99_ms")
    if search is not None:
        out["search_page_p99"] = {"goal_ms": SEARCH_PAGE_P99_MS, "measured_ms": search,
                                  "met": search < SEARCH_PAGE_P99_MS}
    ours = (p("search_api", "p50_ms"), p("search_api", "p99_ms"))
    theirs = (p("datasette_search_api", "p50_ms"), p("datasette_search_api", "p99_ms"))
    if None not in ours and None not in theirs:
        out["search_api_ahead_of_datasette"] = {
            "letterbook_p50_ms": ours[0], "datasette_p50_ms": theirs[0],
            "letterbook_p99_ms": ours[1], "datasette_p99_ms": theirs[1],
            "met": ours[0] < theirs[0] and ours[1] < theirs[1],  # type: ignore[operator]
        }
    return out


def table(entry: dict[str, Any]) -> str:
    rows = [f"{entry['n']:,} letters, {entry['clients']} clients ({entry.get('load_generator', 'threads')}), "
            f"load average before {entry['machine']['loadavg_before'][0]:.1f}",
            "| scenario | requests | errors | req/s | p50 ms | p99 ms | one client alone: p50 / p99 ms | "
            "other programs' CPU |",
            "|---|---|---|---|---|---|---|---|"]
    for name, data in entry["scenarios"].items():
        lat = data["latency"]
        one = data.get("one_client", {}).get("latency", {})
        rows.append(f"| {name} | {data['requests']} | {data['errors']} | {data['requests_per_s']} | "
                    f"{lat.get('p50_ms', '–')} | {lat.get('p99_ms', '–')} | "
                    f"{one.get('p50_ms', '–')} / {one.get('p99_ms', '–')} | "
                    f"{data.get('other_programs_cpu_pct', '–')}% |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="letters in the generated corpus")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--letters", type=int, default=5000, help="letters whose pages are asked for")
    parser.add_argument("--passes", type=int, default=2, help="passes of each search scenario")
    parser.add_argument("--load", choices=("wrk", "threads"), default="wrk" if shutil.which("wrk") else "threads",
                        help="the load generator: wrk (default when installed) or Python threads")
    parser.add_argument("--seconds", type=float, default=10, help="seconds a pass of a scenario lasts (wrk)")
    parser.add_argument("--workers", type=int, default=None,
                        help="letterbook serve's worker processes (default: serve's own, one per core)")
    parser.add_argument("--one-client", type=int, default=100,
                        help="requests of each scenario also sent by one client alone (the time a request takes "
                             "without waiting behind others; with wrk, for half a pass); 0: none")
    parser.add_argument("--max-seconds", type=float, default=300,
                        help="the most one scenario's pass may take (threads)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated: " + ", ".join(SCENARIOS))
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--rebuild", action="store_true", help="build again even where a build is cached")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    names = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(names) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    datasette_peer, querysyntax = peers(args.shared)
    args.cache.mkdir(parents=True, exist_ok=True)
    corpus = jsonl_corpus(args.shared, args.n)
    queries = query_lines(args.shared / "bench" / "queries.txt")
    archive, archive_info = letterbook_archive(corpus, args.n, args.cache, args.rebuild)
    archive_info["bytes"] = size_of(archive) + size_of(archive.with_name(archive.name + ".index"))
    entry: dict[str, Any] = {
        "n": args.n, "measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "clients": args.clients,
        "load_generator": args.load, "seconds_a_pass": args.seconds if args.load == "wrk" else None,
        "letterbook_workers": args.workers or "default (one per core)",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
                    "loadavg_before": os.getloadavg()},
        "archive": archive_info, "scenarios": {},
    }
    venv = Path(sys.executable).parent
    ds_db = None
    if "datasette_search_api" in names:
        ds_db, ds_info = datasette_database(corpus, args.n, args.cache, args.rebuild, datasette_peer)
        version = subprocess.run([str(venv / "datasette"), "--version"], capture_output=True, text=True).stdout
        entry["datasette"] = {**ds_info, "version": version.strip(), "bytes": size_of(ds_db)}

    lb_port, ds_port = free_port(), free_port()
    lb_cmd = [*letterbook_command(), "serve", "--db", str(archive), "--port", str(lb_port)]
    if args.workers:
        lb_cmd += ["--workers", str(args.workers)]
    ds_cmd = [str(venv / "datasette"), "serve", str(ds_db), "-h", "127.0.0.1", "-p", str(ds_port)] if ds_db else []
    ids = letter_ids(corpus, args.letters)
    paths = {
        "letter_page": [f"/letters/{quoted(i)}" for i in ids],
        "search_page": [f"/search?q={quoted(q)}" for q in queries],
        "search_api": [f"/search.json?q={quoted(q)}&per_page=20" for q in queries],
        "datasette_search_api": [datasette_peer.url_for(ds_db.stem, querysyntax.parse(q)) for q in queries]
        if ds_db else [],
    }
    def load(port: int, clients: int, seconds: float) -> Load:
        if args.load == "wrk":
            return WrkLoad(port, clients, seconds, args.cache)
        return Load(port, clients, args.max_seconds)

    loads = {name: load(ds_port if name.startswith("datasette") else lb_port, args.clients, args.seconds)
             for name in names}
    alone = {name: load(item.port, 1, max(3.0, args.seconds / 2)) for name, item in loads.items()}
    with server("letterbook", lb_cmd, lb_port, "/api/openapi.json", args.cache / "letterbook-serve.log") as lb_up:
        entry["letterbook_startup_s"] = lb_up
        with (server("datasette", ds_cmd, ds_port, "/-/versions.json", args.cache / "datasette-serve.log")
              if ds_cmd else _nothing()) as ds_up:
            entry["datasette_startup_s"] = ds_up
            for name in ("letter_page", "search_page"):
                if name in loads:
                    times = 1 if name == "letter_page" else args.passes
                    amount = (f"{times} × {args.seconds:g} s" if args.load == "wrk"
                              else f"{len(paths[name]) * times} requests")
                    log(f"{name}: warm-up, then {amount} from {args.clients} clients")
                    loads[name].run(paths[name][:50], record=False)
                    for _ in range(1 if name == "letter_page" else args.passes):
                        loads[name].run(paths[name])
            if args.one_client:
                for name in names:
                    log(f"{name}: {args.one_client} paths from one client")
                    alone[name].run(paths[name][:10], record=False)
                    alone[name].run(paths[name][-args.one_client:])
            apis = [name for name in ("search_api", "datasette_search_api") if name in loads]
            for name in apis:
                loads[name].run(paths[name][:50], record=False)
            for number in range(args.passes):  # alternating, so that the noise falls on both alike
                for name in apis:
                    log(f"{name}: pass {number + 1}/{args.passes}")
                    loads[name].run(paths[name])
    for name in names:
        entry["scenarios"][name] = loads[name].result()
        if args.one_client:
            entry["scenarios"][name]["one_client"] = alone[name].result()
    entry["machine"]["loadavg_after"] = os.getloadavg()
    entry["goals"] = goals(entry["scenarios"])
    results: dict[str, Any] = json.loads(args.out.read_text()) if args.out.exists() else {}
    results.setdefault("runs", {})[str(args.n)] = entry
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    log(table(entry))
    log(json.dumps(entry["goals"], indent=1))
    return 0


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    sys.exit(main())
