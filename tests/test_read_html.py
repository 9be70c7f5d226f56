"""The HTML reader: real web-archive pages (../shared/eval/aprilfools) held to their floors, and
synthetic pages in the manner of other archives: navigation, chrome, cookie banners and scripts
dropped, the letter kept whole, navigation links kept, encoding damage repaired."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import letterbook
from letterbook.model import Letter
from letterbook.read.boilerplate import parse_page, segment
from letterbook.read.html import read_html_text

ROOT = Path(__file__).parents[1]
SEED_TEXT = ROOT / "examples" / "letters" / "000_3d2466e82666b884.txt"
FLOORS = {"sender": 0.95, "recipients": 0.95, "date": 0.97, "place": 0.93}


def read_page(tmp_path: Path, html: str | bytes, name: str = "letter.html") -> list[Letter]:
    """Give the letters of a page written to a file and read the way `letterbook extract` does."""
    path = tmp_path / name
    if isinstance(html, str):
        path.write_text(html, encoding="utf-8")
    else:
        path.write_bytes(html)
    return letterbook.read(path)


def whole_text(letter: Letter) -> str:
    """Give every part of a letter's text, to check that nothing of the letter was lost."""
    parts = [letter.salutation, *letter.body, letter.closing, letter.signature, letter.postscript,
             letter.address, letter.dateline, letter.title]
    return "\n".join(p for p in parts if p)


# -- the real pages ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def aprilfools_output(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    made: dict[Path, Path] = {}

    def extract(folder: Path) -> Path:
        if folder not in made:
            out = tmp_path_factory.mktemp("aprilfools") / "out.jsonl"
            result = subprocess.run(
                [sys.executable, "-m", "letterbook.cli", "extract", str(folder), "--recursive", "--jsonl"],
                capture_output=True, text=True, check=False, cwd=ROOT)
            assert result.returncode == 0, result.stderr
            out.write_text(result.stdout, encoding="utf-8")
            made[folder] = out
        return made[folder]

    return extract


def test_aprilfools_floors_by_the_real_scorer(shared_path, aprilfools_output) -> None:  # type: ignore[no-untyped-def]
    gold = shared_path("eval", "aprilfools.gold.jsonl")
    out = aprilfools_output(shared_path("eval", "aprilfools"))
    mins = [arg for field, floor in FLOORS.items() for arg in ("--min", f"{field}={floor}")]
    result = subprocess.run([sys.executable, str(shared_path("eval", "score.py")), str(gold), str(out),
                             "--misses", "5", *mins], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    ratios = {line.split()[0]: float(line.split()[-1]) for line in result.stdout.splitlines()
              if line.split() and line.split()[0] in FLOORS}
    assert set(ratios) == set(FLOORS)
    for field, floor in FLOORS.items():
        assert ratios[field] >= floor, result.stdout


def test_aprilfools_letters_are_kept_whole(shared_path, aprilfools_output) -> None:  # type: ignore[no-untyped-def]
    out = aprilfools_output(shared_path("eval", "aprilfools"))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 30
    for record in records:
        assert record["format"] == "html"
        text = record["raw_text"]
        assert "Explanatory Notes" not in "\n".join(record["body"])  # apparatus is notes, not letter
        assert "â€" not in text and "Â" not in text
        assert record["notes"], record["source"]
    smith = next(r for r in records if r["source"].endswith("UCLC41833.html"))
    assert smith["salutation"] == "My dear Sir,"
    assert "P.S." in smith["postscript"]
    assert smith["source_reference"] == "MS: CU-MARK, UCLC 41833"


def dfat_page(markdown: str, volume: str) -> str:
    """A DFAT document as a site built from the Markdown would publish it: header, breadcrumbs,
    the heading, the paragraphs, the notes after a rule, previous/next links and a footer."""
    title, _, body = markdown.partition("\n")
    paragraphs = []
    for block in (b.strip() for b in body.split("\n\n")):
        if block == "_":
            paragraphs.append("<hr>")
        elif block:
            text = html.escape(re.sub(r"\\(.)", r"\1", block).strip("_ ")).replace("\n", "<br>\n")
            paragraphs.append(f"<p>{text}</p>")
    title = html.escape(title.lstrip("# ").strip())
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | DFAT Historical Documents</title><script>var ga = [];</script></head><body>
<header class="site-header"><a class="site-title" href="/">DFAT Historical Documents</a><nav class="site-nav">
<a href="/about/">About</a><a href="/volumes/">Volumes</a><a href="/search/">Search</a></nav></header>
<main class="page-content"><article class="post"><header class="post-header"><p class="breadcrumbs">
<a href="/">Home</a> &raquo; <a href="/volumes/{volume}/">{volume}</a></p><h1 class="post-title">{title}</h1></header>
<div class="post-content">{"".join(paragraphs)}</div>
<p class="doc-nav"><a href="prev.html">&larr; Previous document</a> | <a href="next.html">Next document &rarr;</a></p>
</article></main><footer class="site-footer"><p>Content made available under a CC-BY licence.</p></footer>
</body></html>"""


def test_dfat_documents_as_web_pages_read_as_well_as_their_markdown(shared_path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gold_lines = shared_path("eval", "dfat.gold.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in gold_lines][::12]  # a fixed sample of about 200
    gold = tmp_path / "gold.jsonl"
    with gold.open("w", encoding="utf-8") as out:
        for record in records:
            source = shared_path("eval", *record["file"].split("/"))
            page = tmp_path / "pages" / record["file"].replace(".md", ".html")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(dfat_page(source.read_text(encoding="utf-8"), page.parent.name), encoding="utf-8")
            out.write(json.dumps(record | {"file": record["file"].replace(".md", ".html")}) + "\n")
    result = subprocess.run([sys.executable, "-m", "letterbook.cli", "extract", str(tmp_path / "pages"),
                             "--recursive", "--jsonl"], capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    (tmp_path / "out.jsonl").write_text(result.stdout, encoding="utf-8")
    mins = [arg for field, floor in FLOORS.items() for arg in ("--min", f"{field}={floor}")]
    scored = subprocess.run([sys.executable, str(shared_path("eval", "score.py")), str(gold),
                             str(tmp_path / "out.jsonl"), *mins], capture_output=True, text=True, check=False)
    assert scored.returncode == 0, scored.stdout
    body = "\n".join(p for line in result.stdout.splitlines() for p in json.loads(line)["body"])
    for chrome in ("Previous document", "CC-BY licence", "Volumes", "DFAT Historical Documents"):
        assert chrome not in body


# -- pages in the manner of other archives ---------------------------------------------------------

def marxists_page(seed: str) -> str:
    """The seed letter laid out as marxists.org lays out its archive pages."""
    lines = seed.strip().splitlines()
    heading, salutation = lines[0], lines[1]
    end = next(i for i, line in enumerate(lines) if line.startswith("Click"))
    body, date = lines[2:end - 1], lines[end - 1]
    paragraphs = "\n".join(f'<p class="fst">{line}</p>' for line in body)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Stalin: Correspondence with Roosevelt and Truman</title>
<link rel="stylesheet" type="text/css" href="../../../css/works.css"></head>
<body>
<p class="title">J. V. Stalin</p>
<h3>{heading}</h3>
<p>{salutation}</p>
{paragraphs}
<p class="date">{date}</p>
<hr class="end">
<p class="footer">Click <a href="index.htm">here</a> to continue with Correspondence with Franklin D.
Roosevelt and Harry S. Truman, <a href="notes.htm">Notes</a><br>
Click <a href="../../index.htm">here</a> to return to Stalin Archive</p>
</body></html>"""


def test_marxists_page_reads_like_the_seed(tmp_path: Path) -> None:
    [letter] = read_page(tmp_path, marxists_page(SEED_TEXT.read_text(encoding="utf-8")))
    assert letter.title == "Message to H. Truman"
    assert letter.sender is not None and letter.sender.name == "J. Stalin"
    assert [r.name for r in letter.recipients] == ["Harry S. Truman"]
    assert letter.date is not None and letter.date.when == "1945-12-23"
    assert letter.salutation == "My dear Mr President,"
    assert letter.signature == "J. Stalin"
    assert len(letter.body) == 6
    assert letter.collection is not None and letter.collection.number == "384"
    assert letter.series == "Correspondence with Franklin D. Roosevelt and Harry S. Truman"
    links = {link.rel: link for link in letter.links}
    assert links["series"].target == "index.htm"
    assert links["notes"].target == "notes.htm"
    assert links["archive"].target == "../../index.htm"
    assert links["archive"].label == "Stalin Archive"
    assert not any("Click" in p for p in letter.body)


CHROME_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Churchill to Curtin | Historical documents | Department of Foreign Affairs</title>
<style>body { font-family: sans-serif } .letter p::before { content: "Dear reader" }</style>
<script>window.dataLayer = []; function gtag(){dataLayer.push(arguments)};
  var msg = "<p>Yours truly</p>";</script>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "WebPage",
  "name": "Historical documents", "datePublished": "2019-05-01"}</script>
</head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience on
our website. By continuing you agree to our <a href="/privacy">privacy policy</a>.</p>
<button>Accept all cookies</button></div>
<header class="site-header"><a class="logo" href="/">Department of Foreign Affairs</a>
  <h1 class="site-title">Historical documents</h1>
  <form role="search" action="/search"><input name="q" placeholder="Search"><button>Go</button></form>
  <nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li>
  <li><a href="/news">News and media</a></li><li><a href="/travel">Travel advice</a></li></ul></nav>
</header>
<main id="main-content">
  <nav aria-label="breadcrumb"><ol class="breadcrumb"><li><a href="/">Home</a></li>
  <li><a href="/historical-documents">Historical documents</a></li>
  <li><a href="/historical-documents/volume-8">Volume 8: 1945</a></li></ol></nav>
  <article class="document">
    <h1>Churchill to Curtin</h1>
    <div class="field-body">
      <p>Cablegram 123 LONDON, 17 February 1945</p>
      <p>MOST SECRET</p>
      <p>I have now had an opportunity of studying the results of the conference and I send you
      this summary of the position as it stands at present.</p>
      <p>We have reached agreement on the main points, and the terms will be published shortly.
      The question of the frontiers is left over for the peace conference.</p>
      <script>document.write("<p>injected</p>")</script>
      <p>I hope you will find this satisfactory.</p>
      <p>CHURCHILL</p>
      <p>[AA:A1066, H45/1016/5]</p>
    </div>
  </article>
  <aside class="related"><h2>Related documents</h2><ul>
    <li><a href="/doc/11">Curtin to Churchill</a></li><li><a href="/doc/12">Evatt to Bruce</a></li>
    <li><a href="/doc/13">Bruce to Curtin</a></li></ul></aside>
</main>
<footer class="site-footer"><p>© Commonwealth of Australia 2024. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms of use</a></li>
<li><a href="/contact">Contact us</a></li></ul></footer>
<script src="/js/app.js"></script>
</body></html>"""


def test_chrome_around_a_letter_is_dropped(tmp_path: Path) -> None:
    [letter] = read_page(tmp_path, CHROME_PAGE)
    assert letter.title == "Churchill to Curtin"
    assert letter.sender is not None and letter.sender.name == "Churchill"
    assert [r.name for r in letter.recipients] == ["Curtin"]
    assert letter.date is not None and letter.date.when == "1945-02-17"
    assert letter.place is not None and letter.place.name == "London"
    assert letter.classification == "MOST SECRET"
    assert letter.signature == "CHURCHILL"
    assert letter.source.reference == "AA:A1066, H45/1016/5"
    text = whole_text(letter) + "\n".join(n.text for n in letter.notes)
    for chrome in ("cookies", "Accept", "Home", "Travel advice", "©", "Privacy", "Related documents",
                   "Evatt to Bruce", "Search", "dataLayer", "injected", "Dear reader", "Yours truly"):
        assert chrome not in text, chrome
    assert len(letter.body) == 3
    links = {link.rel: link for link in letter.links}
    assert links["series"].target == "/historical-documents/volume-8"
    assert links["archive"].target == "/"


POSTSCRIPT_PAGE = """<html><head><title>A letter from Mary Shelley</title></head><body>
<div id="nav"><a href="/">Home</a> | <a href="/letters">Letters</a> | <a href="/about">About</a></div>
<div class="letter">
<h2>Mary Shelley to Leigh Hunt</h2>
<address>Casa Magni<br>San Terenzo<br>near Lerici</address>
<p class="dateline">Lerici, 28 August 1822</p>
<p>My dear Hunt,</p>
<p>I write to you with a heavy heart, but I must tell you how matters stand here,
and what I intend to do now that the summer is over.</p>
<p>The house is empty and the sea is loud at night; I cannot stay here long.</p>
<p>Ever your affectionate friend,<br>Mary W. Shelley</p>
<p>P.S. Give my love to Marianne and the children, and tell them I shall write soon.</p>
<p>P.P.S. The books arrived safely.</p>
</div>
<div class="footer">Hosted by the Example Letters Project. <a href="/letters">Back to the letters</a></div>
</body></html>"""


def test_postscript_and_address_stay_with_the_letter(tmp_path: Path) -> None:
    [letter] = read_page(tmp_path, POSTSCRIPT_PAGE)
    assert letter.sender is not None and letter.sender.name == "Mary Shelley"
    assert [r.name for r in letter.recipients] == ["Leigh Hunt"]
    assert letter.date is not None and letter.date.when == "1822-08-28"
    assert letter.place is not None and letter.place.name == "Lerici"
    assert letter.salutation == "My dear Hunt,"
    assert letter.postscript is not None
    assert "P.S. Give my love" in letter.postscript and "P.P.S. The books" in letter.postscript
    text = whole_text(letter)
    for part in ("Casa Magni", "San Terenzo", "near Lerici", "heavy heart", "sea is loud",
                 "Mary W. Shelley"):
        assert part in text, part
    assert "Hosted by" not in text and "About" not in text


SCRIPT_TEXT_PAGE = """<html><head><title>Letter 7: Ada Lovelace to Charles Babbage</title>
<script>var secret = "<p>not the letter</p>";</script></head><body>
<h1>Letter 7: Ada Lovelace to Charles Babbage</h1>
<p>Ockham Park, 12 July 1843</p>
<p>Dear Babbage,</p>
<p>The printer set my note as &lt;script&gt;alert("x")&lt;/script&gt; and I could not make him
understand that a tag is not a word; I mean that if a &lt; b then the table is wrong.</p>
<script>alert("this is the page's own code")</script>
<noscript><p>Please enable JavaScript to view the facsimile.</p></noscript>
<p>Yours ever,<br>A. A. Lovelace</p>
</body></html>"""


def test_script_text_in_a_letter_stays_text(tmp_path: Path) -> None:
    [letter] = read_page(tmp_path, SCRIPT_TEXT_PAGE)
    body = "\n".join(letter.body)
    assert '<script>alert("x")</script>' in body
    assert "if a < b then" in body
    assert "this is the page's own code" not in whole_text(letter)
    assert "enable JavaScript" not in whole_text(letter)
    assert "not the letter" not in whole_text(letter)
    assert letter.sender is not None and letter.sender.name == "Ada Lovelace"
    assert [r.name for r in letter.recipients] == ["Charles Babbage"]
    assert letter.signature == "A. A. Lovelace"
    assert letter.date is not None and letter.date.when == "1843-07-12"


def mojibake(text: str) -> str:
    """Give text damaged the usual way: UTF-8 bytes read as Windows-1252."""
    return text.encode("utf-8").decode("cp1252", errors="replace")


MOJIBAKE_PAGE = """<html><head><meta charset="utf-8"><title>Letters</title></head><body>
<div class="centerhead">Jane E. Kellogg to Samuel L. Clemens<br>
31 March 1884 {bullet} New York, New York<br><span class="source">(MS: CU-MARK, UCLC 41959)</span></div>
<p>Dear Mr. Clemens,</p>
<p>It{apostrophe}s a pleasure to write{dash}as you know{dash}and I hope you will forgive me.</p>
<p>Yours truly,<br>Jane E. Kellogg</p>
</body></html>"""


@pytest.mark.parametrize("damage", ["characters", "entities"])
def test_encoding_damage_is_repaired(tmp_path: Path, damage: str) -> None:
    pieces = {"bullet": "•", "apostrophe": "’", "dash": "—"}
    if damage == "characters":
        pieces = {k: mojibake(v) for k, v in pieces.items()}
    else:  # the damage written as character references, which only the HTML parser reveals
        pieces = {k: "".join(f"&#{ord(c)};" for c in mojibake(v)) for k, v in pieces.items()}
    [letter] = read_page(tmp_path, MOJIBAKE_PAGE.format(**pieces))
    assert letter.date is not None and letter.date.when == "1884-03-31"
    assert letter.place is not None and letter.place.name.startswith("New York")
    assert letter.sender is not None and letter.sender.name == "Jane E. Kellogg"
    assert "It’s a pleasure to write—as you know—and" in letter.body[0]
    assert letter.source.reference == "MS: CU-MARK, UCLC 41959"


FIELDS_PAGE = """<html><head><title>Letter no. 2575 - Correspondence Project</title></head><body>
<div class="sidebar"><h3>Browse</h3><ul><li><a href="/a">By date</a></li><li><a href="/b">By name</a></li>
<li><a href="/c">By place</a></li></ul></div>
<div id="content">
<h1>Letter no. 2575</h1>
<dl class="metadata"><dt>From</dt><dd>Charles Darwin</dd><dt>To</dt><dd>J. D. Hooker</dd>
<dt>Date</dt><dd>24 November [1859]</dd><dt>Place</dt><dd>Down</dd></dl>
<div class="transcription">
<p>My dear Hooker</p>
<p>I have just read your review and I thank you for it with all my heart; it will do the book
more good than anything.</p>
<p>Ever yours<br>C. Darwin</p>
</div>
<div class="footnotes"><h2>Footnotes</h2>
<p id="fn1">1. The review appeared in the Gardeners' Chronicle.</p></div>
</div></body></html>"""


def test_record_fields_beside_the_letter(tmp_path: Path) -> None:
    [letter] = read_page(tmp_path, FIELDS_PAGE)
    assert letter.sender is not None and letter.sender.name == "Charles Darwin"
    assert [r.name for r in letter.recipients] == ["J. D. Hooker"]
    assert letter.date is not None and letter.date.when == "1859-11-24"
    assert letter.date.certainty != "high"  # the year is the editors' conjecture
    assert letter.place is not None and letter.place.name == "Down"
    assert letter.salutation == "My dear Hooker"
    assert any("Gardeners' Chronicle" in note.text for note in letter.notes)
    assert "By date" not in whole_text(letter)


def test_fields_beside_the_page_only_fill_gaps(tmp_path: Path) -> None:
    page = """<html><body><div class="sidebar"><p>Date: March 3, 2015</p><p>Place: Chicago</p>
    <p>From: The Editors</p></div><div class="post"><h1>Vincent van Gogh to Theo van Gogh</h1>
    <p>Arles, 9 September 1888</p><p>My dear Theo,</p><p>The night café is nearly done.</p>
    <p>Ever yours, Vincent</p></div></body></html>"""
    [letter] = read_page(tmp_path, page)
    assert letter.date is not None and letter.date.when == "1888-09-09"
    assert letter.place is not None and letter.place.name == "Arles"
    assert letter.sender is not None and letter.sender.name == "Vincent van Gogh"


def test_one_sided_and_reversed_headings(tmp_path: Path) -> None:
    page = """<html><body><h1>{}</h1><p>Dear Sir,</p><p>I have the honour to be your servant.</p>
    <p>Sir, yours &amp;c.</p></body></html>"""
    [letter] = read_page(tmp_path, page.format("To George Washington from Alexander Hamilton, 3 March 1789"))
    assert letter.sender is not None and letter.sender.name == "Alexander Hamilton"
    assert [r.name for r in letter.recipients] == ["George Washington"]
    assert letter.date is not None and letter.date.when == "1789-03-03"
    assert letter.title == "To George Washington from Alexander Hamilton, 3 March 1789"
    [letter] = read_page(tmp_path, page.format("To Theo van Gogh. The Hague, Sunday, 8 January 1882."))
    assert letter.sender is None
    assert [r.name for r in letter.recipients] == ["Theo van Gogh"]
    assert letter.place is not None and letter.place.name == "The Hague"
    assert letter.date is not None and letter.date.when == "1882-01-08"


def test_a_form_around_the_whole_page_is_not_chrome(tmp_path: Path) -> None:
    page = """<html><body><form id="aspnetForm" method="post" action="letter.aspx">
    <div id="menu"><a href="/">Home</a> <a href="/search">Search</a> <a href="/browse">Browse</a></div>
    <div id="main"><h2>Abigail Adams to John Adams</h2><p>Braintree, 31 March 1776</p>
    <p>I long to hear that you have declared an independancy, and by the way in the new Code of
    Laws which I suppose it will be necessary for you to make I desire you would Remember the Ladies.</p>
    <p>Adieu. I am yours,</p><p>Abigail Adams</p></div></form></body></html>"""
    [letter] = read_page(tmp_path, page)
    assert letter.sender is not None and letter.sender.name == "Abigail Adams"
    assert letter.date is not None and letter.date.when == "1776-03-31"
    assert letter.place is not None and letter.place.name == "Braintree"
    assert any("Remember the Ladies" in p for p in letter.body)
    assert "Browse" not in whole_text(letter)


def test_a_long_sidebar_does_not_take_the_place_of_a_short_letter(tmp_path: Path) -> None:
    about = " ".join(["The collection was assembled over many decades by generous donors."] * 30)
    page = f"""<html><body><div class="col-left"><div class="sidebar"><h2>About the collection</h2>
    <p>{about}</p></div></div><div class="col-right"><h2>John Keats to Fanny Brawne</h2>
    <p>Dear Fanny,</p><p>I cannot exist without you.</p><p>Yours for ever,<br>J. Keats</p></div>
    </body></html>"""
    [letter] = read_page(tmp_path, page)
    assert letter.sender is not None and letter.sender.name == "John Keats"
    assert "generous donors" not in whole_text(letter)
    assert any("cannot exist" in p for p in letter.body)


def test_a_page_of_several_letters_gives_each(tmp_path: Path) -> None:
    page = """<html><body><h1>Letters of 1945</h1>
    <h2>Churchill to Stalin</h2><p>London, 1 May 1945</p><p>Dear Marshal,</p><p>The war is ending.</p>
    <p>Winston Churchill</p>
    <h2>Stalin to Churchill</h2><p>Moscow, 3 May 1945</p><p>Dear Prime Minister,</p>
    <p>Your message is received.</p><p>J. Stalin</p></body></html>"""
    letters = read_page(tmp_path, page)
    assert [(lt.sender.name if lt.sender else None) for lt in letters] == ["Churchill", "Stalin"]
    assert [lt.date.when if lt.date else None for lt in letters] == ["1945-05-01", "1945-05-03"]
    assert [lt.source.part for lt in letters] == [0, 1]


def test_jsonld_message_fills_what_the_text_leaves_open() -> None:
    page = """<html><head><script type="application/ld+json">{"@context": "https://schema.org",
    "@type": "Message", "sender": {"@type": "Person", "name": "Emily Dickinson"},
    "recipient": {"@type": "Person", "name": "Thomas Wentworth Higginson"},
    "dateSent": "1862-04-15", "locationCreated": {"@type": "Place", "name": "Amherst"}}</script>
    </head><body><p>Mr Higginson,</p><p>Are you too deeply occupied to say if my Verse is alive?</p>
    </body></html>"""
    [letter] = list(read_html_text(page))
    assert letter.sender is not None and letter.sender.name == "Emily Dickinson"
    assert [r.name for r in letter.recipients] == ["Thomas Wentworth Higginson"]
    assert letter.date is not None and letter.date.when == "1862-04-15"
    assert letter.place is not None and letter.place.name == "Amherst"


# -- safety ---------------------------------------------------------------------------------------

LETTER = ("<h1>J. Smith to A. Jones</h1><p>Boston, 3 May 1850</p><p>Dear Sir,</p><p>It is well.</p>"
          "<p>Yours truly,</p><p>J. Smith</p>")


@pytest.mark.parametrize("wrap", [
    pytest.param(lambda s: "<script>" + "var a='<p>x</p>';" * 400_000 + "</script>" + s, id="huge-script"),
    pytest.param(lambda s: s.replace("It is well.", "It is <img src='data:image/png;base64,"
                                     + "A" * 12_000_000 + "'> well."), id="huge-data-uri"),
    pytest.param(lambda s: "<div>" * 50_000 + s + "</div>" * 50_000, id="deeply-nested"),
    pytest.param(lambda s: "<b><i>" * 5_000 + s, id="unclosed-inline"),
])
def test_hostile_pages_are_read_safely(wrap: Callable[[str], str]) -> None:
    [letter] = list(read_html_text("<html><body>" + wrap(LETTER) + "</body></html>"))
    assert letter.sender is not None and letter.sender.name == "J. Smith"
    assert letter.date is not None and letter.date.when == "1850-05-03"
    assert letter.place is not None and letter.place.name == "Boston"
    assert any("well." in p for p in letter.body)


def test_no_network_and_no_entities_from_outside(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    page = f"""<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>
    <html><body><h1>A to B</h1><p>Dear B,</p><p>&xxe; nothing here.</p><p>Yours, A</p>
    <iframe src="http://127.0.0.1:9/"></iframe></body></html>"""
    letters = list(read_html_text(page))
    assert "TOP-SECRET-CONTENT" not in json.dumps([lt.to_json() for lt in letters])


def test_a_page_without_text_gives_no_letter(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title><script>1</script></head><body> </body></html>",
                    encoding="utf-8")
    with pytest.raises(letterbook.errors.UnreadableFile):
        letterbook.read(path)


def test_a_frameset_names_the_pages_that_hold_the_letter(tmp_path: Path) -> None:
    path = tmp_path / "frames.html"
    path.write_text('<html><frameset cols="20%,80%"><frame src="nav.html"><frame src="letter.html">'
                    "</frameset><noframes><p>Your browser does not support frames.</p></noframes></html>",
                    encoding="utf-8")
    with pytest.raises(letterbook.errors.UnreadableFile) as caught:
        letterbook.read(path)
    assert caught.value.reason == "a frameset: the letter is in the pages it frames (nav.html, letter.html); read those"


def test_segment_marks_every_block() -> None:
    page = parse_page(CHROME_PAGE)
    layout = segment(page)
    roles = {block.role for block in page.blocks}
    assert roles <= {"drop", "nav", "head", "letter", "apparatus", "rule"}
    assert [b.text for b in layout.headings] == ["Churchill to Curtin"]
    assert layout.letter[0].text == "Cablegram 123 LONDON, 17 February 1945"
    assert {b.text for b in layout.steering} == set()


# -- more archives' ways of laying out a letter -----------------------------------------------------

FOUNDERS_PAGE = """<html><head>
<title>Founders Online: From George Washington to Alexander Hamilton, 29 July 1792</title>
</head><body>
<div id="header"><a href="/">Founders Online</a><form id="search"><input name="q"></form></div>
<div id="breadcrumbs">
<a href="/">Home</a> &gt; <a href="/?q=Project%3A%22Washington%20Papers%22">Washington Papers</a> &gt;
<a href="/volumes/Washington/05-10">Presidential Series, Volume 10</a></div>
<div id="content"><div class="document">
<div class="head">From George Washington to Alexander Hamilton, 29 July 1792</div>
<div class="docbody"><p class="dateline">Mount Vernon July 29th 1792</p>
<p class="salute">(Private)<br>My dear Sir,</p>
<p>I have not yet received the new regulation of allowances to the Surveyors or Collectors of the duties
on Spirituous liquors; but this by the bye. My present purpose is to write you a letter on a more
interesting and important subject.</p>
<p class="closing">With affectionate regard I am always Yours</p><p class="signed">Go: Washington</p>
</div>
<div class="source">ALS, DLC: Hamilton Papers; LB, DLC:GW.</div>
<div class="notes"><p class="note">
<a href="#n1">1</a>. For the background to this letter, see GW to Hamilton, 26 July.</p></div>
<div class="citation">
<p>Cite as: "From George Washington to Alexander Hamilton, 29 July 1792," Founders Online, National
Archives, https://founders.archives.gov/documents/Washington/05-10-02-0040.</p></div>
<div class="docnav"><a href="prev.html">&lt; Previous</a> | <a href="next.html">Next &gt;</a></div>
</div></div>
<div id="footer">
<p>Founders Online is an official website of the U.S. government, administered by the National
Archives.</p></div></body></html>"""


def test_classes_that_name_the_parts_of_a_letter(tmp_path: Path) -> None:
    [letter] = read_page(tmp_path, FOUNDERS_PAGE)
    assert letter.sender is not None and letter.sender.name == "George Washington"
    assert [r.name for r in letter.recipients] == ["Alexander Hamilton"]
    assert letter.date is not None and letter.date.when == "1792-07-29"
    assert letter.place is not None and letter.place.name == "Mount Vernon"
    assert letter.dateline == "Mount Vernon July 29th 1792"
    assert letter.salutation == "My dear Sir,"
    assert letter.closing == "With affectionate regard I am always Yours"
    assert letter.signature == "Go: Washington"
    assert len(letter.body) == 1  # "< Previous | Next >" is navigation, the source line a note
    assert any(note.text.startswith("ALS, DLC") for note in letter.notes)
    assert {link.rel: link.target for link in letter.links} == {
        "series": "/volumes/Washington/05-10", "archive": "/"}


CETEICEAN_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Letter</title>
<script src="CETEI.js"></script>
<style>tei-teiheader { display: none }</style></head><body>
<div id="menu">
<a href="../index.html">Letters of Hannah Whitman Heyde</a> | <a href="../about.html">About</a> | <a
href="../people.html">People</a></div>
<tei-tei data-xmlns="http://www.tei-c.org/ns/1.0"><tei-teiheader><tei-filedesc><tei-titlestmt>
<tei-title>Hannah Whitman Heyde to Louisa Van Velsor Whitman [July 1856]</tei-title>
<tei-author>Hannah Whitman Heyde</tei-author><tei-editor>Maire Mullins</tei-editor></tei-titlestmt>
<tei-publicationstmt><tei-p>Scholarly Editing, 2016</tei-p></tei-publicationstmt></tei-filedesc>
<tei-profiledesc><tei-correspdesc><tei-correspaction type="sent">
<tei-persname ref="#hwh">Hannah Whitman Heyde</tei-persname>
<tei-placename>Burlington, Vermont</tei-placename><tei-date when="1856-07">July 1856</tei-date>
</tei-correspaction>
<tei-correspaction type="received"><tei-persname ref="#lvvw">Louisa Van Velsor Whitman</tei-persname>
<tei-placename>Brooklyn</tei-placename></tei-correspaction></tei-correspdesc></tei-profiledesc>
</tei-teiheader>
<tei-text><tei-body><tei-div type="letter"><tei-opener><tei-dateline>
<tei-placename>Burlington</tei-placename> July</tei-dateline><tei-salute>Dear Mother</tei-salute>
</tei-opener>
<tei-p>I received your letter last week and was very glad to hear from you all.<tei-lb>
</tei-lb>Charles is well and sends his love.</tei-p>
<tei-p>Write soon and tell me about Walt<tei-note type="editorial">Walt Whitman, Hannah's
brother.</tei-note> and the rest.</tei-p>
<tei-closer><tei-salute>your affectionate daughter</tei-salute><tei-signed>Hannah</tei-signed>
</tei-closer></tei-div></tei-body></tei-text></tei-tei>
<script>var c = new CETEI(); c.getHTML5('letter.xml', function(data){ document.body.appendChild(data)
});</script></body></html>"""


def test_tei_rendered_as_custom_elements(tmp_path: Path) -> None:
    [letter] = read_page(tmp_path, CETEICEAN_PAGE)
    assert letter.title == "Hannah Whitman Heyde to Louisa Van Velsor Whitman [July 1856]"
    assert letter.sender is not None and letter.sender.name == "Hannah Whitman Heyde"
    assert [r.name for r in letter.recipients] == ["Louisa Van Velsor Whitman"]
    assert letter.date is not None and letter.date.when == "1856-07"
    assert letter.place is not None and letter.place.name.startswith("Burlington")
    assert letter.destination is not None and letter.destination.name == "Brooklyn"
    assert letter.salutation == "Dear Mother"
    assert letter.signature == "Hannah"
    assert letter.body == ["I received your letter last week and was very glad to hear from you all. "
                           "Charles is well and sends his love.",
                           "Write soon and tell me about Walt and the rest."]
    assert [note.text for note in letter.notes] == ["Walt Whitman, Hannah's brother."]
    assert "Maire Mullins" not in whole_text(letter)  # the TEI header is metadata, not text


WORDPRESS_PAGE = """<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8">
<title>A letter from Vincent van Gogh to Theo, 1888 &#8211; Art Letters Blog</title>
<meta property="og:title" content="A letter from Vincent van Gogh to Theo, 1888">
<script
type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"Article","headline":"A
letter from Vincent van Gogh to Theo,
1888","datePublished":"2015-05-03T10:00:00+00:00","author":{"@type":"Person","name":"admin"}}]}</script>
</head>
<body class="post-template-default single single-post"><div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title">
<a href="/">Art Letters Blog</a></p><p class="site-description">Letters of artists, transcribed</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li>
<a href="/">Home</a></li><li><a href="/about/">About</a></li><li><a href="/archive/">Archive</a></li>
</ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
<article id="post-42" class="post-42 post type-post status-publish"><header class="entry-header">
<h1 class="entry-title">A letter from Vincent van Gogh to Theo, 1888</h1>
<div class="entry-meta">
<span class="posted-on">Posted on <time class="entry-date published"
datetime="2015-05-03T10:00:00+00:00">May 3, 2015</time></span>
<span class="byline"> by <a href="/author/admin/">admin</a></span></div></header>
<div class="entry-content"><p>Arles, 9 September 1888</p><p>My dear Theo,</p>
<p>I have just posted the letter to you this morning, and I am writing again because the night café is
nearly done; I think it is one of the ugliest pictures I have made.</p>
<p>A handshake in thought,<br>ever yours, Vincent</p></div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/letters/">Letters</a>
</span>
<span class="tags-links">Tagged <a href="/tag/van-gogh/">van Gogh</a>, <a href="/tag/arles/">Arles</a>
</span></footer></article>
<nav class="navigation post-navigation" role="navigation"><div class="nav-links">
<div class="nav-previous"><a href="/monet/">Previous post: Monet to Bazille</a></div>
<div class="nav-next"><a href="/cezanne/">Next post: Cézanne to Zola</a></div></div></nav>
<div id="comments" class="comments-area">
<h2 class="comments-title">2 thoughts on &ldquo;A letter from Vincent&rdquo;</h2>
<ol class="comment-list"><li><p>Wonderful letter, thanks for sharing it with all of us here!</p></li>
</ol></div>
</main></div><aside id="secondary" class="widget-area"><section class="widget">
<h2 class="widget-title">Recent Posts</h2><ul><li><a href="/a">Monet to Bazille</a></li><li>
<a href="/b">Cézanne to Zola</a></li></ul></section></aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">
<a href="https://wordpress.org/">Proudly powered by WordPress</a></div></footer></div></body></html>"""


def test_a_blog_post_date_is_not_the_letter_date(tmp_path: Path) -> None:
    [letter] = read_page(tmp_path, WORDPRESS_PAGE)
    assert letter.sender is not None and letter.sender.name == "Vincent van Gogh"
    assert [r.name for r in letter.recipients] == ["Theo"]
    assert letter.date is not None and letter.date.when == "1888-09-09"
    assert letter.place is not None and letter.place.name == "Arles"
    text = whole_text(letter)
    for chrome in ("Posted on", "admin", "Previous post", "Recent Posts", "Wonderful letter",
                   "Proudly powered", "Skip to content", "Tagged"):
        assert chrome not in text, chrome


TABLE_LAYOUT_PAGE = """<html><head><title>The Letters of Charles Dickens</title></head>
<body bgcolor="#FFFFFF"><table width="100%" border="0"><tr>
<td width="18%" valign="top" bgcolor="#EEEEDD">
<font size="2"><a href="../index.html">Home</a><br><a href="index.html">Letters 1850</a><br>
<a href="1849.html">Letters 1849</a><br><a href="1851.html">Letters 1851</a><br>
<a href="search.html">Search</a></font></td>
<td valign="top"><center><font size="+1"><b>Letter from Charles Dickens to John Forster</b></font>
</center>
<p align="right"><i>Devonshire Terrace, Friday, 3rd May, 1850.</i></p>
<p>My dear Forster,</p>
<p>I have been working all day at the number, and am tired out. I think it will do, but I am not sure;
you shall see it to-morrow.</p>
<p>Ever affectionately,<br>C. D.</p>
<hr><font size="1">Transcribed by volunteers. <a href="index.html">Return to the Letters of 1850</a>
</font>
</td></tr></table></body></html>"""


def test_a_table_layout_with_a_menu_column(tmp_path: Path) -> None:
    [letter] = read_page(tmp_path, TABLE_LAYOUT_PAGE)
    assert letter.sender is not None and letter.sender.name == "Charles Dickens"
    assert [r.name for r in letter.recipients] == ["John Forster"]
    assert letter.date is not None and letter.date.when == "1850-05-03"
    assert letter.salutation == "My dear Forster,"
    assert "Letters 1849" not in whole_text(letter)
    links = {link.rel: link for link in letter.links}
    assert links["series"].target == "index.html" and links["archive"].target == "../index.html"


MARXISTS_INFO_PAGE = """<html><head><title>J. V. Stalin: Message to W. Churchill</title>
<link rel="stylesheet" type="text/css" href="../../../css/works.css"></head>
<body>
<p class="title">J. V. Stalin</p>
<h2>Personal and Secret Message from Premier J. V. Stalin to the Prime Minister, Mr. W. Churchill</h2>
<p class="information"><span class="info">Written:</span> 23 July 1941<br>
<span class="info">Source:</span> Stalin's Correspondence with Churchill and Attlee 1941-45, No. 3<br>
<span class="info">Transcription/Markup:</span> Salil Sen for MIA, 2008<br>
<span class="info">Public Domain:</span> Marxists Internet Archive (2008). You may freely copy this
work.</p>
<hr class="section">
<p>Thank you for your message. I have received it and shall answer it soon; meanwhile please accept my
thanks for the help you are sending.</p>
<p class="fst">The Soviet troops are fighting with great courage and I have no doubt of the outcome.</p>
<p class="sig">J. STALIN</p>
<p class="date">July 23, 1941</p>
<hr class="end">
<p class="footer">Click <a href="index.htm">here</a> to continue with Correspondence with Churchill and
Attlee<br>
Click <a href="../../index.htm">here</a> to return to Stalin Archive</p>
</body></html>"""


def test_an_editions_record_block_is_not_the_letter(tmp_path: Path) -> None:
    [letter] = read_page(tmp_path, MARXISTS_INFO_PAGE)
    assert letter.sender is not None and letter.sender.name == "J. V. Stalin"
    assert [r.name for r in letter.recipients] == ["W. Churchill"]
    assert letter.date is not None and letter.date.when == "1941-07-23"
    assert letter.signature == "J. STALIN"
    assert len(letter.body) == 2 and letter.body[0].startswith("Thank you for your message")
    assert any("Transcription/Markup" in note.text for note in letter.notes)
    assert letter.series == "Correspondence with Churchill and Attlee"
