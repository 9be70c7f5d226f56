#!/usr/bin/env python3
"""Measure export: time and peak memory of writing N letters as CMIF and as CSV (goal for
1,000,000 letters: under 2 minutes and under 300 MB each).

Letters: ``make_corpus.py --n N --seed 1`` from ../shared/bench as JSON Lines (cached as
/tmp/corpus-N.jsonl, the file bench_search.py and bench_ingest.py use too). Two sources:

- ``jsonl``: the letters streamed from that file by letterbook's JSON Lines reader
  (``letterbook.read.iter_path``) into the exporter, in one process: what the export itself costs
  on top of reading;
- ``archive``: ``letterbook export --format F --db URL`` from an archive that holds them
  (``--db``; made beforehand with ``letterbook ingest``), through ``Archive.letters()``.

Each run is a subprocess, timed from start to end (start-up included), with the peak resident
memory of its process tree sampled every 20 ms. Results: benchmarks/results/export.json.

    python benchmarks/bench_export.py --n 1000000
    python benchmarks/bench_export.py --n 1000000 --db /tmp/archive-1m.db --source archive
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_read import letterbook_command, measure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "export.json"
SECONDS_GOAL, MEMORY_GOAL = 120.0, 300 * 1024 * 1024  # for 1,000,000 letters

_FROM_JSONL = """
import sys
from letterbook.export import export_path
from letterbook.read import iter_path
count = export_path(iter_path(sys.argv[1], fmt="jsonl"), sys.argv[2], sys.argv[3])
print(count)
"""


def corpus(shared: Path, n: int) -> Path:
    """Give /tmp/corpus-N.jsonl, making it once with make_corpus.py."""
    path = Path(tempfile.gettempdir()) / f"corpus-{n}.jsonl"
    if not path.exists():
        print(f"   generating {n:,} letters into {path} (once; cached) ...", flush=True)
        partial = path.with_name(path.name + ".partial")
        subprocess.run([sys.executable, str(shared / "bench" / "make_corpus.py"), "--n", str(n), "--seed", "1",
                        "--out", str(partial)], check=True)
        partial.rename(path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--formats", default="cmif,csv")
    parser.add_argument("--source", choices=("jsonl", "archive"), default="jsonl")
    parser.add_argument("--db", default=None, help="the archive to export from (--source archive)")
    args = parser.parse_args()
    if args.source == "archive" and not args.db:
        parser.error("--source archive needs --db")
    letters = corpus(args.shared, args.n) if args.source == "jsonl" else None
    entries = []
    with tempfile.TemporaryDirectory(prefix="letterbook-export-bench-") as scratch:
        for fmt in args.formats.split(","):
            out = Path(scratch) / f"export.{fmt}"
            if args.source == "jsonl":
                cmd = [sys.executable, "-c", _FROM_JSONL, str(letters), fmt, str(out)]
            else:
                cmd = letterbook_command() + ["export", "--format", fmt, "--db", args.db, "--out", str(out)]
            status, seconds, peak, _, errors, noise = measure(cmd, Path(scratch) / "stdout")
            if status != 0:
                print(errors, file=sys.stderr)
                return 1
            size = out.stat().st_size
            entry = {"format": fmt, "source": args.source, "letters": args.n, "seconds": round(seconds, 1),
                     "letters_per_second": round(args.n / seconds), "peak_rss_mb": round(peak / 2**20),
                     "output_mb": round(size / 2**20), "cpu_taken_by_others": noise}
            if args.n >= 1_000_000:
                entry["goal_met"] = seconds < SECONDS_GOAL * args.n / 1_000_000 and peak < MEMORY_GOAL
            entries.append(entry)
            print(json.dumps(entry), flush=True)
            out.unlink()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[f"{args.source}-{args.n}"] = {"date": datetime.now(UTC).date().isoformat(), "cores": os.cpu_count(),
                                          "python": platform.python_version(), "runs": entries}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
