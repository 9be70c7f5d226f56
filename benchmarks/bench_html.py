#!/usr/bin/env python3
"""Time letterbook's HTML reading against trafilatura's main-text extraction, page by page.

Both read the same pages, held in memory as bytes, in the same process and run, interleaved
repeat by repeat so that a noisy machine slows both alike:

- letterbook: ``read_html`` on an in-memory ``Document`` (decoding, encoding repair, chrome and
  navigation dropped, the letter read into its parts: sender, recipients, date, place ...);
- trafilatura 2.3 (a dev and bench dependency only): ``trafilatura.extract(page)`` with its defaults
  (fallback extractors included), and ``extract(page, fast=True)`` (its own extractor alone).

The goal is letterbook not slower per page than trafilatura's fast extraction. Prints pages per
second for each and the ratio, then a one-line summary; exits 1 when the goal is missed, 2 when a
page could not be read by letterbook or the pages or trafilatura are missing.

    python benchmarks/bench_html.py                          # ../shared/eval/aprilfools
    python benchmarks/bench_html.py some/folder --repeat 10 --json
    python benchmarks/bench_html.py --large 60               # also one 60 MB page: time, memory
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = ROOT.parent / "shared" / "eval" / "aprilfools"
SUFFIXES = {".html", ".htm", ".xhtml"}


def load_pages(folder: Path) -> list[tuple[str, bytes]]:
    """Give the HTML pages under a folder (or one file) as (name, bytes), in a stable order."""
    files = [folder] if folder.is_file() else sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    return [(str(p), p.read_bytes()) for p in files]


def letterbook_reader() -> Callable[[str, bytes], int]:
    """Give a function reading one page with letterbook, as ``letterbook extract`` does; it gives
    the number of letters found."""
    from letterbook.read.document import Document
    from letterbook.read.html import read_html

    def read(name: str, data: bytes) -> int:
        doc = Document(path=None, display=name, data=data, size=len(data),
                       sha256=hashlib.sha256(data).hexdigest(), format="html")
        return sum(1 for _ in read_html(doc))

    return read


def trafilatura_readers() -> dict[str, Callable[[str, bytes], int]]:
    """Give trafilatura's extraction, with its defaults and in its fast mode."""
    import trafilatura

    def default(name: str, data: bytes) -> int:
        return int(trafilatura.extract(data) is not None)

    def fast(name: str, data: bytes) -> int:
        return int(trafilatura.extract(data, fast=True) is not None)

    return {"trafilatura": default, "trafilatura-fast": fast}


def time_once(read: Callable[[str, bytes], int], pages: list[tuple[str, bytes]]) -> tuple[float, int]:
    """Give the seconds one pass over the pages took and how many pages gave something."""
    found = 0
    start = time.perf_counter()
    for name, data in pages:
        found += read(name, data) > 0
    return time.perf_counter() - start, found


def large_page(megabytes: int) -> dict[str, Any]:
    """Give the time and peak memory of reading one page of about ``megabytes`` MB (a letter, then
    paragraphs, link lists and a large inline script), measured in a fresh process."""
    code = f"""
import resource, time, json
from letterbook.read.html import read_html_text
letter = ("<h1>J. Smith to A. Jones</h1><p>Boston, 3 May 1850</p><p>Dear Sir,</p>"
          "<p>It is well.</p><p>Yours truly,</p><p>J. Smith</p>")
unit = "<div class='x'><p>Paragraph with <a href='/p'>a link</a> and some words of text.</p></div>\\n"
size = {megabytes} * 1_000_000
script = "<script>" + "var a = '<p>x</p>';" * (size // 40) + "</script>"
page = "<html><body>" + letter + script + unit * (size // 2 // len(unit)) + "</body></html>"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
letters = list(read_html_text(page))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"mb": len(page) / 1e6, "seconds": seconds, "letters": len(letters),
                  "sender": letters[0].sender.name if letters and letters[0].sender else None,
                  "baseline_rss_mb": before / 1024, "peak_rss_mb": peak / 1024}}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:] or ["failed"]}
    data: dict[str, Any] = json.loads(result.stdout)
    data["extra_rss_mb"] = data["peak_rss_mb"] - data["baseline_rss_mb"]
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_PAGES,
                        help="HTML pages to read (default: ../shared/eval/aprilfools)")
    parser.add_argument("--repeat", type=int, default=5, help="passes over the pages (median kept)")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument("--large", type=int, default=0, metavar="MB",
                        help="also read one generated page of this many MB and report time and memory")
    args = parser.parse_args(argv)

    if not args.folder.exists():
        print(f"bench_html: {args.folder} not found (the gold pages live in ../shared)", file=sys.stderr)
        return 2
    pages = load_pages(args.folder)
    if not pages:
        print(f"bench_html: no HTML pages under {args.folder}", file=sys.stderr)
        return 2
    try:
        readers = {"letterbook": letterbook_reader(), **trafilatura_readers()}
    except ImportError as exc:
        print(f"bench_html: {exc.name or exc} is not installed (pip install -e '.[dev]')", file=sys.stderr)
        return 2

    for read in readers.values():  # warm up: imports, compiled patterns, caches
        time_once(read, pages[:3])
    seconds: dict[str, list[float]] = {name: [] for name in readers}
    found: dict[str, int] = {}
    for _ in range(max(1, args.repeat)):
        for name, read in readers.items():
            took, found[name] = time_once(read, pages)
            seconds[name].append(took)

    rates = {name: len(pages) / statistics.median(times) for name, times in seconds.items()}
    ratios = {name: rates["letterbook"] / rate for name, rate in rates.items() if name != "letterbook"}
    goal_met = ratios["trafilatura-fast"] >= 1.0
    result: dict[str, Any] = {
        "pages": len(pages),
        "bytes": sum(len(d) for _, d in pages),
        "repeat": args.repeat,
        "pages_per_second": {k: round(v, 1) for k, v in rates.items()},
        "ms_per_page": {k: round(1000 / v, 3) for k, v in rates.items()},
        "ratio": {k: round(v, 2) for k, v in ratios.items()},
        "pages_with_output": found,
        "goal": "letterbook pages/s >= trafilatura-fast pages/s",
        "goal_met": goal_met,
        "python": sys.version.split()[0],
    }
    if args.large:
        result["large_page"] = large_page(args.large)

    if args.json:
        print(json.dumps(result))
    else:
        print(f"{len(pages)} pages ({result['bytes'] / 1e3:.0f} kB) from {args.folder}, "
              f"median of {args.repeat} passes")
        for name, rate in rates.items():
            ratio = "" if name == "letterbook" else f"   letterbook is {ratios[name]:.2f}x this"
            print(f"  {name:17s} {rate:9.1f} pages/s  {1000 / rate:7.2f} ms/page  "
                  f"({found[name]}/{len(pages)} pages gave output){ratio}")
        if args.large:
            big = result["large_page"]
            if "error" in big:
                print(f"  large page: failed: {big['error']}")
            else:
                print(f"  large page: {big['mb']:.0f} MB read in {big['seconds']:.1f} s, "
                      f"{big['extra_rss_mb']:.0f} MB above the page itself "
                      f"(peak {big['peak_rss_mb']:.0f} MB), {big['letters']} letter(s)")
        print(f"html: letterbook {rates['letterbook']:.0f} pages/s vs trafilatura "
              f"{rates['trafilatura']:.0f} (fast {rates['trafilatura-fast']:.0f}) pages/s: "
              f"{ratios['trafilatura']:.1f}x / {ratios['trafilatura-fast']:.1f}x, "
              f"goal {'met' if goal_met else 'MISSED'}")
    if found["letterbook"] < len(pages):
        print(f"bench_html: letterbook found no letter in {len(pages) - found['letterbook']} page(s)",
              file=sys.stderr)
        return 2
    return 0 if goal_met else 1


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash of a peer must not leave a core file
    sys.exit(main())
