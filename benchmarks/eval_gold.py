#!/usr/bin/env python3
"""Measure how well `letterbook extract` reads the gold sets in ../shared/eval, and hold it to floors.

For each gold set (seed, dfat, aprilfools) this runs the real command line,
``letterbook extract --jsonl``, on the set's files, scores the output with ../shared/eval/score.py,
and checks every field of the seed letter's gold record on its own. It prints the measured values
beside the floors pinned in benchmarks/floors.toml, writes them to benchmarks/results/eval.json,
and exits 1 when a value is below its floor (or a set could not be read at all).

    python benchmarks/eval_gold.py                  # all sets
    python benchmarks/eval_gold.py --sets dfat --misses 10
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
FLOORS = ROOT / "benchmarks" / "floors.toml"
RESULTS = ROOT / "benchmarks" / "results" / "eval.json"
SEED_FILE = "000_3d2466e82666b884.txt"

#: Each gold set: its gold file and the inputs to read, relative to ../shared.
SETS: dict[str, tuple[str, list[str]]] = {
    "seed": ("eval/seed.gold.jsonl", [f"seed/{SEED_FILE}"]),
    "dfat": ("eval/dfat.gold.jsonl", ["eval/dfat"]),
    "aprilfools": ("eval/aprilfools.gold.jsonl", ["eval/aprilfools"]),
}
SCORE_LINE = re.compile(r"^(\w+)\s+(\d+) / (\d+)\s+([\d.]+)\s*$")
FOUND_LINE = re.compile(r"^documents found (\d+)/(\d+); unreadable output lines (\d+)")


@dataclass
class Measure:
    """One measured field of one gold set: how many gold records it was right on."""

    right: int
    total: int
    floor: float | None = None
    gated: bool = True

    @property
    def ratio(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def ok(self) -> bool:
        return self.floor is None or not self.gated or self.ratio >= self.floor


@dataclass
class SetResult:
    """What one gold set gave: measured fields, files the command could not read, problems."""

    name: str
    fields: dict[str, Measure] = field(default_factory=dict)
    found: int = 0
    gold: int = 0
    unreadable: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    seconds: float = 0.0
    score_output: str = ""


def letterbook_command() -> list[str]:
    """Give the command that runs the installed `letterbook` of this interpreter."""
    script = Path(sys.executable).with_name("letterbook")
    return [str(script)] if script.exists() else [sys.executable, "-m", "letterbook.cli"]


def run_extract(inputs: list[Path], out: Path) -> tuple[int, list[str], float]:
    """Run `letterbook extract --jsonl` on inputs into out; give its status, stderr lines, seconds."""
    cmd = [*letterbook_command(), "extract", "--jsonl", "--no-raw", "--recursive", *map(str, inputs)]
    start = time.perf_counter()
    with out.open("w", encoding="utf-8") as handle:
        proc = subprocess.run(cmd, stdout=handle, stderr=subprocess.PIPE, text=True, timeout=1800)
    return proc.returncode, proc.stderr.splitlines(), time.perf_counter() - start


def unreadable_files(stderr: list[str]) -> list[str]:
    """Give the stderr lines that name a file the command could not read (not the summary)."""
    return [line for line in stderr
            if line.startswith("letterbook: ") and not re.search(r"\d+ of \d+ files could not be read", line)]


def score(shared: Path, gold: Path, out: Path, misses: int, result: SetResult) -> None:
    """Score out against gold with ../shared/eval/score.py, filling result's fields and counts."""
    proc = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(gold), str(out),
                           "--misses", str(misses)], capture_output=True, text=True, timeout=600)
    result.score_output = proc.stdout
    if proc.returncode not in (0, 1) or not proc.stdout:
        result.problems.append(f"score.py failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
        return
    for line in proc.stdout.splitlines():
        if match := SCORE_LINE.match(line):
            result.fields[match.group(1)] = Measure(int(match.group(2)), int(match.group(3)))
        elif match := FOUND_LINE.match(line):
            result.found, result.gold = int(match.group(1)), int(match.group(2))


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _names(entity: Any) -> set[str]:
    if isinstance(entity, str):
        return {_text(entity)}
    if isinstance(entity, dict):
        return {_text(entity.get(key)) for key in ("name", "as_written") if entity.get(key)}
    return set()


def _holds(found: str, gold: str) -> bool:
    """Tell whether a name read holds a gold name as score.py matches persons: its last word and
    most of its words ("Harry S. Truman" holds "Truman"; "Soviet Union" holds "Soviet Union")."""
    have = set(found.casefold().replace(".", " ").split())
    want = gold.casefold().replace(".", " ").split()
    return bool(want) and want[-1] in have and 2 * sum(w in have for w in want) > len(want)


def check_seed(gold: dict[str, Any], found: dict[str, Any] | None) -> dict[str, tuple[bool, str]]:
    """Give, for every field of the seed's gold record, whether the reading has it right and what it read.

    Strings are compared exactly (spaces normalised); a person matches by name or as written; the
    paragraphs by their count; mentions by holding every gold name (``_holds``).
    """
    out = found or {}
    checks: dict[str, tuple[bool, str]] = {}
    for key in ("title", "series", "salutation", "signature"):
        if key in gold:
            checks[key] = (_text(out.get(key)) == _text(gold[key]), repr(out.get(key)))
    if "sender" in gold:
        checks["sender"] = (_text(gold["sender"]) in _names(out.get("sender")), repr(out.get("sender")))
    if "recipients" in gold:
        got = [_names(r) for r in out.get("recipients") or []]
        ok = len(got) == len(gold["recipients"]) and all(
            any(_text(name) in names for names in got) for name in gold["recipients"])
        checks["recipients"] = (ok, repr(out.get("recipients")))
    if "date" in gold:
        date = out.get("date") or {}
        when = date.get("when") if isinstance(date, dict) else date
        checks["date"] = (when == gold["date"], repr(when))
    if "collection" in gold:
        coll = out.get("collection") or {}
        ok = all(_text(coll.get(k)) == _text(v) for k, v in gold["collection"].items())
        checks["collection"] = (ok, repr(out.get("collection")))
    if "paragraphs" in gold:
        body = out.get("body") or []
        checks["paragraphs"] = (len(body) == gold["paragraphs"], f"{len(body)} paragraphs")
    for key in ("mentions_persons", "mentions_places"):
        if key in gold:
            have = set().union(*(_names(m) for m in out.get(key) or [])) if out.get(key) else set()
            missing = [name for name in gold[key] if not any(_holds(found, name) for found in have)]
            checks[key] = (not missing, f"missing {missing}" if missing else "all there")
    return checks


def evaluate(name: str, shared: Path, floors: dict[str, Any], workdir: Path, misses: int) -> SetResult:
    """Read one gold set with the command line, score it and set its floors."""
    gold_rel, inputs_rel = SETS[name]
    gold, inputs = shared / gold_rel, [shared / p for p in inputs_rel]
    result = SetResult(name)
    missing = [str(p) for p in [gold, *inputs] if not p.exists()]
    if missing:
        result.problems.append(f"missing from ../shared: {', '.join(missing)}")
        return result
    out = workdir / f"{name}.jsonl"
    status, stderr, result.seconds = run_extract(inputs, out)
    result.unreadable = unreadable_files(stderr)
    if status not in (0, 1) or any(line.startswith("Traceback") for line in stderr):
        result.problems.append(f"letterbook extract crashed (status {status}): {' | '.join(stderr[-5:])}")
    score(shared, gold, out, misses, result)
    if name == "seed":
        gold_record = json.loads(gold.read_text(encoding="utf-8").splitlines()[0])
        found = None
        for line in out.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if str(record.get("source", "")).replace("\\", "/").endswith(gold_record["file"]):
                found = record
                break
        result.fields = {}  # the seed is judged field by field below, more strictly than score.py
        for key, (ok, got) in check_seed(gold_record, found).items():
            result.fields[key] = Measure(int(ok), 1)
            if not ok:
                result.misses.append(f"{key}: expected {gold_record[key]!r}, read {got}")
    for key, measure in result.fields.items():
        entry = floors.get(name, {}).get(key)
        if entry is not None:
            measure.floor = float(entry["value"])
        else:
            measure.gated = False
    if result.gold and result.found < 0.99 * result.gold:
        result.problems.append(f"only {result.found} of {result.gold} gold documents in the output")
    return result


def report(results: list[SetResult]) -> bool:
    """Print the measured values beside the floors; give whether all floors are met."""
    print()
    print(f"{'set':<11} {'field':<17} {'measured':>8} {'right / gold':>15} {'floor':>6}  verdict")
    print("-" * 72)
    passed = True
    for res in results:
        for key, m in res.fields.items():
            floor = f"{m.floor:.2f}" if m.floor is not None else "-"
            verdict = "ok" if m.ok and m.floor is not None else ("info" if not m.gated else "BELOW")
            passed &= m.ok
            print(f"{res.name:<11} {key:<17} {m.ratio:8.3f} {m.right:>7} / {m.total:<6} {floor:>6}  "
                  f"{verdict}")
        if res.gold:
            print(f"{res.name:<11} {'documents found':<17} {res.found / res.gold:8.3f} "
                  f"{res.found:>7} / {res.gold:<6} {'0.99':>6}  "
                  f"{'ok' if res.found >= 0.99 * res.gold else 'BELOW'}")
        if res.unreadable:
            print(f"{'':<11} {len(res.unreadable)} file(s) not read, e.g. {res.unreadable[0]}")
        if res.seconds:
            print(f"{'':<11} read in {res.seconds:.1f} s")
        for miss in res.misses:
            print(f"{'':<11} miss: {miss}")
        for problem in res.problems:
            print(f"{'':<11} ! {problem}")
        passed &= not res.problems
    print("-" * 72)
    return passed


def save(results: list[SetResult]) -> None:
    data = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "system": platform.platform()},
        "sets": {
            res.name: {
                "fields": {k: {"right": m.right, "total": m.total, "ratio": round(m.ratio, 4),
                               "floor": m.floor} for k, m in res.fields.items()},
                "documents_found": res.found, "documents_gold": res.gold,
                "unreadable_files": len(res.unreadable), "seconds": round(res.seconds, 2),
                "problems": res.problems,
            } for res in results
        },
    }
    previous: dict[str, Any] = {}
    if RESULTS.exists():  # a run of some sets keeps the others' last results
        try:
            previous = json.loads(RESULTS.read_text(encoding="utf-8")).get("sets", {})
        except (json.JSONDecodeError, AttributeError):
            previous = {}
    data["sets"] = previous | data["sets"]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path,
                        default=Path(os.environ.get("LETTERBOOK_SHARED", DEFAULT_SHARED)),
                        help="the shared/ folder holding eval/ and seed/ (default: ../shared)")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated gold sets (default: all)")
    parser.add_argument("--misses", type=int, default=3, help="misses to show per field")
    parser.add_argument("--keep", type=Path, default=None, help="keep the extract output in this folder")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    unknown = [n for n in names if n not in SETS]
    if unknown:
        parser.error(f"unknown gold set(s): {', '.join(unknown)} (known: {', '.join(SETS)})")
    if not (args.shared / "eval" / "score.py").exists():
        print(f"eval: {args.shared}/eval/score.py not found: the gold sets in ../shared are needed "
              "(or give --shared DIR)", file=sys.stderr)
        return 1
    with FLOORS.open("rb") as handle:
        floors = tomllib.load(handle)
    results = []
    with tempfile.TemporaryDirectory(prefix="letterbook-eval-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for name in names:
            print(f"== {name}: reading with letterbook extract --jsonl ...", flush=True)
            res = evaluate(name, args.shared.resolve(), floors, workdir, args.misses)
            if res.score_output and name != "seed":
                print(res.score_output.rstrip())
            results.append(res)
    passed = report(results)
    save(results)
    print(f"results written to {RESULTS.relative_to(ROOT)}")
    if not passed:
        print("eval: FAILED: a measured value is below its floor in benchmarks/floors.toml, "
              "or a gold set could not be read", file=sys.stderr)
        return 1
    print("eval: all floors met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
