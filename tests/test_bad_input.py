"""Files as they really come: empty, binary, damaged, huge, hostile. The real command line must
name each bad file and its reason on one stderr line, read everything else, and stay small and quick.

The quick cases run the command in-process (click's CliRunner); the ones about memory, time and
many files run it as a subprocess, as a user would.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from letterbook.cli import main

SUMMARY = re.compile(r"^letterbook: \d+ of \d+ files could not be read$")

LETTER = """Zürich, 3 March 1851

Dear Friend,

I write to you about the matter of number {n}. The roads are bad and the post is slow.

Yours truly,
A. Writer
"""

TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Alfred Escher an Jakob Escher, Zürich, 2. Januar 1840</title></titleStmt>
      <publicationStmt><p>test</p></publicationStmt>
      <sourceDesc><p>test</p></sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc>
        <correspAction type="sent">
          <persName>Alfred Escher</persName><placeName>Zürich</placeName><date when="1840-01-02"/>
        </correspAction>
        <correspAction type="received"><persName>Jakob Escher</persName></correspAction>
      </correspDesc>
    </profileDesc>
  </teiHeader>
  <text><body><div type="letter">
    <opener><salute>Lieber Vater,</salute></opener>
    <p>Ich bin gut in Zürich angekommen und schreibe Dir sogleich, wie versprochen.</p>
    <p>Die Vorlesungen beginnen morgen; ich freue mich darauf.</p>
    <closer><salute>Dein Sohn</salute><signed>Alfred</signed></closer>
  </div></body></text>
</TEI>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE TEI [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>&lol9;</title></titleStmt>
  <publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
  <text><body><div type="letter"><p>&lol9;</p></div></body></text>
</TEI>
"""

#: A Python exception's name in a message means a reader let an error through unexplained.
PYTHON_ERROR = re.compile(r"\b[A-Z]\w*(Error|Exception)\b|Traceback")


@pytest.fixture
def big_tmp(tmp_path: Path) -> Iterator[Path]:
    """Give tmp_path, and remove its big files afterwards (pytest keeps the last runs' tmp_path)."""
    yield tmp_path
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.stat().st_size > 10_000_000:
            path.unlink()


def extract(*args: str) -> Result:
    """Run `letterbook extract` in-process and give the result."""
    return CliRunner().invoke(main, ["extract", *args], catch_exceptions=False)


def letterbook_command() -> list[str]:
    script = Path(sys.executable).with_name("letterbook")
    return [str(script)] if script.exists() else [sys.executable, "-m", "letterbook.cli"]


# Starts the command and reports its peak memory: a child's peak counts the memory its parent held
# when it was started, so the command is started from this small process, never from pytest (which
# may hold hundreds of MB by then: an archive's gazetteer, earlier tests' letters).
_TRAMPOLINE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(*args: str, timeout: float = 300,
                 stdout_to: Path | None = None) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run the real `letterbook` as a subprocess; give the process, its seconds, its peak memory in MB.

    The peak is the largest resident set size of the command or any worker it waited for, as the
    kernel reports it for this one run (wait4, in a small process that starts it). With
    ``stdout_to``, standard output goes to that file and the process's ``stdout`` is empty.
    """
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"letterbook-test-{os.getpid()}-{time.time_ns()}"
    with open(stdout_to or f"{out_path}.out", "w+", encoding="utf-8") as out, \
            open(f"{out_path}.err", "w+", encoding="utf-8") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _TRAMPOLINE, f"{out_path}.rss", *letterbook_command(), *args],
                                stdout=out, stderr=err, text=True, start_new_session=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, 9)
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                pytest.fail(f"letterbook {' '.join(args)} took longer than {timeout} s")
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        completed = subprocess.CompletedProcess(proc.args, proc.returncode,
                                                "" if stdout_to else out.read(), err.read())
    rss = Path(f"{out_path}.rss")
    peak = int(rss.read_text()) if rss.exists() else usage.ru_maxrss
    for suffix in (".err", ".rss") if stdout_to else (".out", ".err", ".rss"):
        Path(f"{out_path}{suffix}").unlink(missing_ok=True)
    return completed, seconds, peak / 1024


def problem_lines(stderr: str) -> list[str]:
    """Give the stderr lines that name a bad file (all but the closing count)."""
    return [line for line in stderr.splitlines() if not SUMMARY.match(line)]


def assert_refused(result: Result | subprocess.CompletedProcess[str], path: Path, reason: str) -> None:
    """Assert the command refused exactly this one file, with exactly this reason, and exit status 1."""
    code = result.exit_code if isinstance(result, Result) else result.returncode
    assert result.stderr.splitlines() == [
        f"letterbook: {path}: {reason}",
        "letterbook: 1 of 1 files could not be read",
    ]
    assert result.stdout == ""
    assert code == 1


def one_reason(result: Result | subprocess.CompletedProcess[str], path: Path) -> str:
    """Give the reason of the one stderr line that names path; fail unless there is exactly one."""
    lines = problem_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    prefix = f"letterbook: {path}: "
    assert lines[0].startswith(prefix), lines[0]
    reason = lines[0][len(prefix):]
    assert reason and not PYTHON_ERROR.search(reason), f"unclear reason: {reason!r}"
    return reason


# -- empty and not text ------------------------------------------------------------------------

def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(b"")
    assert_refused(extract(str(path)), path, "empty file")


@pytest.mark.parametrize("content", [b"   \n\n\t  \r\n", b"\xef\xbb\xbf \n"], ids=["spaces", "bom"])
def test_whitespace_only_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(content)
    assert_refused(extract(str(path)), path, "empty file")


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(random.Random(2).randbytes(8192))
    assert_refused(extract(str(path)), path, "binary data, not a text, HTML, XML or CSV file")


def test_png_named_directly(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(200))
    assert_refused(extract(str(path)), path, "binary data, not a text, HTML, XML or CSV file")


def test_png_with_a_text_name(tmp_path: Path) -> None:
    path = tmp_path / "letter.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(200))
    assert_refused(extract(str(path)), path, "binary data, not a text, HTML, XML or CSV file")


def test_images_in_a_folder_are_passed_over(tmp_path: Path) -> None:
    (tmp_path / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    (tmp_path / "letter.txt").write_text(LETTER.format(n=1), encoding="utf-8")
    result = extract(str(tmp_path), "--recursive", "--jsonl")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert sources == [str(tmp_path / "letter.txt")]


# -- encodings ---------------------------------------------------------------------------------

def test_invalid_utf8(tmp_path: Path) -> None:
    good = LETTER.format(n=1).encode("utf-8")
    path = tmp_path / "letter.txt"
    path.write_bytes(good + b"And then \xff\xfe\x80 the rest.\n")
    assert_refused(extract(str(path)), path,
                   f"not valid UTF-8 (broken byte at offset {len(good) + 9}); "
                   "the file may be damaged or in mixed encodings")


def test_windows_1252_is_read(tmp_path: Path) -> None:
    text = ("Zürich, 3. März 1851\n\nLieber Freund,\n\n"
            "Dein Brief – „endlich“ – kam heute; ich danke Dir für die Grüße und das Buch… "
            "Es kostete 5 Franken.\n\nDein Alfred\n")
    path = tmp_path / "brief.txt"
    path.write_bytes(text.encode("cp1252"))
    result = extract(str(path), "--jsonl")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    letters = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(letters) == 1
    read = json.dumps(letters[0], ensure_ascii=False)
    for word in ("Zürich", "März", "„endlich“", "Grüße", "Buch…", "Brief –"):
        assert word in read, word


# -- damaged and hostile XML -------------------------------------------------------------------

def test_truncated_tei(tmp_path: Path) -> None:
    path = tmp_path / "brief.xml"
    data = TEI.encode("utf-8")
    path.write_bytes(data[: len(data) // 2])
    result = extract(str(path))
    reason = one_reason(result, path)
    assert "XML" in reason, reason
    assert result.exit_code == 1


def test_xml_entity_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    result, seconds, peak_mb = run_measured("extract", "--jsonl", str(path), timeout=60)
    assert seconds < 30, f"{seconds:.1f} s"
    assert peak_mb < 300, f"{peak_mb:.0f} MB"
    assert len(result.stdout) < 1_000_000, "the entities were expanded"
    if result.returncode == 1:
        one_reason(result, path)
    else:
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""


# -- large -------------------------------------------------------------------------------------

def test_200_mb_file_is_refused_quickly_and_small(big_tmp: Path) -> None:
    path = big_tmp / "huge.txt"
    block = (LETTER.format(n=1) * 2000).encode("utf-8")
    with path.open("wb") as handle:
        while handle.tell() < 200_000_000:
            handle.write(block)
    size_mb = path.stat().st_size / 1e6
    result, seconds, peak_mb = run_measured("extract", str(path), timeout=120)
    assert result.stderr.splitlines() == [
        f"letterbook: {path}: too large ({size_mb:.0f} MB; the limit for a text file is 64 MB; "
        "split it, or give letters as JSON Lines or CSV)",
        "letterbook: 1 of 1 files could not be read",
    ]
    assert result.returncode == 1
    assert seconds < 30, f"{seconds:.1f} s"
    assert peak_mb < 300, f"{peak_mb:.0f} MB"


def jsonl_letter(number: int) -> str:
    return json.dumps({"source": f"register/{number}", "title": f"Escher to Heer ({number})",
                       "sender": {"name": "Alfred Escher"}, "recipients": [{"name": "Oswald Heer"}],
                       "date": {"when": "1851-03-03"}, "body": ["Lieber Freund, " * 40]}) + "\n"


def test_200_mb_json_lines_is_read_in_bounded_memory(big_tmp: Path) -> None:
    path = big_tmp / "register.jsonl"
    block = "".join(jsonl_letter(n) for n in range(1000)).encode("utf-8")
    with path.open("wb") as handle:
        while handle.tell() < 200_000_000:
            handle.write(block)
    letters = path.stat().st_size // len(block) * 1000
    out = big_tmp / "out.jsonl"
    result, seconds, peak_mb = run_measured("extract", str(path), "--jsonl", "--no-raw", timeout=300,
                                            stdout_to=out)
    assert result.returncode == 0, result.stderr
    # Too many to enrich together: printed as read, and said once.
    assert result.stderr == "letterbook: more than 20,000 letters: printed as read, without mentions and threads " \
                            "(`letterbook ingest` enriches an archive of any size)\n"
    assert sum(1 for _ in out.open("rb")) == letters
    assert peak_mb < 300, f"{peak_mb:.0f} MB"
    assert seconds < 120, f"{seconds:.0f} s"


def test_a_broken_line_after_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "register.jsonl"
    path.write_text(jsonl_letter(1) + jsonl_letter(2) + '{"title": "cut off\n' + jsonl_letter(4),
                    encoding="utf-8")
    result = extract(str(path), "--jsonl")
    reason = one_reason(result, path)
    assert reason.startswith("line 3: ") and reason.endswith("; the 2 letters before it were read"), reason
    assert len(result.stdout.splitlines()) == 2
    assert result.exit_code == 1


# -- paths -------------------------------------------------------------------------------------

def test_file_that_does_not_exist(tmp_path: Path) -> None:
    path = tmp_path / "no-such-letter.txt"
    assert_refused(extract(str(path)), path, "no such file")


def test_folder_without_recursive(tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "a.txt").write_text(LETTER.format(n=1), encoding="utf-8")
    alone = tmp_path / "b.txt"
    alone.write_text(LETTER.format(n=2), encoding="utf-8")
    result = extract(str(folder), str(alone), "--jsonl")
    assert result.stderr.splitlines() == [
        f"letterbook: {folder}: is a folder (use --recursive to read its files)",
        "letterbook: 1 of 2 files could not be read",
    ]
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [str(alone)]
    assert result.exit_code == 1


def test_jsonl_and_table_together_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(LETTER.format(n=1), encoding="utf-8")
    result = extract(str(path), "--jsonl", "--table")
    assert result.exit_code == 2
    assert "Error: --jsonl and --table cannot be used together" in result.stderr


# -- many files, some bad ----------------------------------------------------------------------

def test_ten_thousand_files_some_bad(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    bad: dict[Path, str] = {}
    good: set[str] = set()
    damaged = b"Dear Sir,\n\nAll is \xc3\xa9crit here, but \xff not here.\n"
    kinds = [
        (b"", "empty file"),
        (b"  \n \n", "empty file"),
        (random.Random(7).randbytes(3000), "binary data, not a text, HTML, XML or CSV file"),
        (damaged, f"not valid UTF-8 (broken byte at offset {damaged.index(0xFF)}); "
                  "the file may be damaged or in mixed encodings"),
    ]
    bad_at = {17: 0, 2_500: 1, 4_999: 2, 5_000: 3, 7_321: 0, 9_998: 2, 9_999: 3}
    for number in range(10_000):
        sub = folder / f"{number // 1000:02d}"
        if number % 1000 == 0:
            sub.mkdir(parents=True)
        path = sub / f"letter-{number:05d}.txt"
        if number in bad_at:
            content, reason = kinds[bad_at[number]]
            path.write_bytes(content)
            bad[path] = reason
        else:
            path.write_bytes(LETTER.format(n=number).encode("utf-8"))
            good.add(str(path))

    result, seconds, peak_mb = run_measured("extract", str(folder), "--recursive", "--jsonl", "--no-raw",
                                            timeout=600)
    assert result.returncode == 1
    assert sorted(problem_lines(result.stderr)) == sorted(f"letterbook: {p}: {r}" for p, r in bad.items())
    assert result.stderr.splitlines()[-1] == f"letterbook: {len(bad)} of 10000 files could not be read"
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert len(sources) == len(good), "each good file should give exactly one letter"
    assert set(sources) == good
    assert sources == sorted(sources), "letters come in the order of the files"
    assert seconds < 180, f"{seconds:.0f} s for 10,000 small files"
    assert peak_mb < 300, f"{peak_mb:.0f} MB"
