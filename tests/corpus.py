"""Small generated letters for the archive tests: JSON Lines registers and Markdown files.

Deterministic (a seed), fast, and needing nothing from ../shared.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SENDERS = ["Alfred Escher", "John Curtin", "Winston Churchill", "Harry S. Truman", "J. Stalin", "R. G. Casey"]
RECIPIENTS = ["Jakob Escher", "S. M. Bruce", "Franklin D. Roosevelt", "Anthony Eden", "H. V. Evatt"]
PLACES = ["Zürich", "London", "Canberra", "Washington", "Moscow", "Bern"]
WORDS = ("railway tunnel gotthard treaty defence cable minister parliament harbour convoy wheat wool "
         "loan bank letter reply honour government council election frontier").split()


def record(number: int, rng: random.Random) -> dict[str, object]:
    """Give one flat letter record, as ../shared/bench/make_corpus.py writes them."""
    sender = rng.choice(SENDERS)
    recipient = rng.choice(RECIPIENTS)
    year = rng.randint(1840, 1950)
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."
                  for _ in range(rng.randint(1, 4))]
    return {"id": f"T{number:06d}", "title": f"{sender} to {recipient}", "sender": sender,
            "recipients": [recipient], "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "place": rng.choice(PLACES), "language": "en", "body": "\n\n".join(paragraphs)}


def write_jsonl(path: Path, count: int, *, seed: int = 1, start: int = 1) -> list[dict[str, object]]:
    """Write ``count`` letters to a JSON Lines file; give their records."""
    rng = random.Random(seed)
    records = [record(number, rng) for number in range(start, start + count)]
    with path.open("w", encoding="utf-8") as out:
        for item in records:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return records


def write_markdown(folder: Path, count: int, *, seed: int = 1) -> list[Path]:
    """Write ``count`` letters as Markdown files (a heading, a date line, the body); give their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, count + 1):
        item = record(number, rng)
        day, month = rng.randint(1, 28), rng.choice(["January", "March", "July", "October"])
        year = rng.randint(1850, 1950)
        path = folder / f"{number:05d}.md"
        path.write_text(f"# {item['sender']} to {item['recipients'][0]}\n\n{item['place']}, {day} {month} {year}\n\n"
                        f"{item['body']}\n", encoding="utf-8")
        paths.append(path)
    return paths
