"""A web page -> its text blocks, each marked as page chrome, navigation, letter or apparatus.

The page is read as a stream of parser events (lxml's HTML parser with a target), never built into
a tree: memory stays proportional to the text kept, however large or deeply nested the page is, and
script, style and embedded data are skipped as they stream past. Block elements (``p``, ``div``,
``h1`` ...) become text blocks; ``<br>`` becomes ``"\\n"`` inside a block and two or more in a row
split it. Every structural element becomes a node with its parent, so what a tree-based extractor
(readability, trafilatura) knows of containers is still known: how much prose and how many links
each holds, and whether its tag, ARIA role or class and id words say "navigation", "header",
"cookie banner" or "notes".

The classification is generic: no site's class names are special. Containers that say they are
chrome are dropped unless they hold the letter (its salutation or closing, or most of the prose: an
ASP.NET ``<form>`` or a ``#wrapper`` around everything); link lists and "Click here to return to ..."
lines are navigation, harvested for their ``series``/``notes``/``archive`` links; the letter region
is the deepest container of several blocks that still holds nearly all the remaining prose and every
salutation, closing and dated line; a "Notes" heading or a ``notes``/``source`` container starts the
editorial apparatus. TEI carried into HTML is understood on the way: CETEIcean's custom elements
(``<tei-p>``, ``<tei-closer>``), class names of the letter's parts (``signed``, ``salute``,
``dateline``) and ``correspAction`` statements of who sent the letter to whom, when and where.
"""

from __future__ import annotations

import json
import re
from array import array
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree

__all__ = ["Anchor", "Block", "Correspondence", "Layout", "Page", "PageLink", "parse_page",
           "segment"]

#: Elements whose content is never text of the page (their data is skipped as it streams by).
SKIPPED = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "embed", "video", "audio", "select", "button", "textarea", "datalist", "map", "tei-facsimile",
    "noframes",
})
#: Elements that start and end a text block.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "caption", "search", "frameset", "frame", "blockcode", "listing", "xmp", "plaintext",
})
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6, "tei-head": 2}
PRESERVE_TAGS = frozenset({"pre", "listing", "xmp", "plaintext"})

# Node flags: what a container says it is.
NAV, CHROME, ASIDE, FORM, HIDDEN, MAIN, NOTES, CRUMBS, FOOTNOTE, RECORD, TITLE = (1 << i for i in range(11))

_NAV_ROLES = {"navigation": NAV, "menu": NAV, "menubar": NAV, "tablist": NAV, "banner": CHROME,
              "contentinfo": CHROME, "search": ASIDE, "complementary": ASIDE, "dialog": ASIDE,
              "alertdialog": ASIDE, "main": MAIN, "article": MAIN, "doc-endnotes": NOTES,
              "doc-footnote": NOTES}
_TAG_FLAGS = {"nav": NAV, "menu": NAV, "header": CHROME, "footer": CHROME, "aside": ASIDE,
              "dialog": ASIDE, "search": ASIDE, "form": FORM, "main": MAIN, "article": MAIN,
              "tei-teiheader": RECORD}  # the TEI header, as CETEIcean renders it: metadata, never text
# Whole words of class and id values. Matched as words so that "centerhead" or "heading" say nothing.
_WORD_FLAGS = {
    **dict.fromkeys(("nav", "navbar", "navigation", "navlinks", "menu", "menubar", "submenu", "topnav",
                     "pagination", "pager", "toc", "tabs", "skiplink", "skip", "jump"), NAV),
    **dict.fromkeys(("breadcrumb", "breadcrumbs", "crumbs", "trail"), NAV | CRUMBS),
    **dict.fromkeys(("header", "masthead", "topbar", "footer", "colophon", "copyright", "legal",
                     "bottom"), CHROME),
    **dict.fromkeys(("sidebar", "aside", "widget", "widgets", "related", "share", "sharing", "social",
                     "ads", "advert", "advertisement", "adsbygoogle", "sponsor", "sponsored", "promo",
                     "newsletter", "subscribe", "cookie", "cookies", "consent", "gdpr", "banner",
                     "popup", "modal", "overlay", "login", "signin", "signup", "search", "searchbox",
                     "searchform", "comments", "disqus", "feedback", "toolbar", "print", "tools",
                     "byline", "meta", "postmeta", "tags", "categories", "author", "authorbox"),
                    ASIDE),
    **dict.fromkeys(("note", "notes", "footnotes", "footnote", "endnotes", "endnote", "apparatus",
                     "commentary", "annotations", "annotation", "fn", "footnotesection", "source",
                     "sources", "provenance", "citation", "cite", "bibl", "bibliography", "references",
                     "information", "info", "metadata", "docinfo"),
                    NOTES),
    # A paragraph that says it is a title is a heading, whatever its tag ("p.title", "div.head").
    **dict.fromkeys(("title", "subtitle", "heading", "head", "headline", "doctitle"), TITLE),
}
# Distinctive enough to match inside a joined word ("siteFooter", "cookiebar", "mainNavigation").
_SUBSTRING_FLAGS = (("cookie", ASIDE), ("consent", ASIDE), ("gdpr", ASIDE), ("breadcrumb", NAV | CRUMBS),
                    ("navbar", NAV), ("navigation", NAV), ("sidebar", ASIDE), ("footer", CHROME),
                    ("newsletter", ASIDE), ("socialmedia", ASIDE), ("footnote", NOTES))
# Words that make a "header" class name the letter's own header, not the site's.
_CONTENT_WORDS = frozenset({"letter", "entry", "article", "post", "doc", "document", "title", "item",
                            "text", "content", "page", "record", "object", "main"})
#: Class words (and TEI element names, as XSLT and CETEIcean carry them over) that name a part of
#: the letter: the page's own statement of what a block is.
PART_WORDS = {
    **dict.fromkeys(("salute", "salutation", "greeting", "anrede"), "salutation"),
    **dict.fromkeys(("closing", "closer", "valediction", "complimentaryclose", "grussformel"), "closing"),
    **dict.fromkeys(("signed", "signature", "sig", "signatur", "unterschrift"), "signature"),
    **dict.fromkeys(("dateline", "datumszeile"), "dateline"),
    **dict.fromkeys(("postscript", "ps", "nachschrift"), "postscript"),
    **dict.fromkeys(("address", "addrline", "adresse"), "address"),
}
#: TEI elements rendered as custom HTML elements (CETEIcean's <tei-p>, <tei-closer> ...) that are
#: blocks; the rest of them (<tei-persname>, <tei-hi>) are inline.
TEI_BLOCKS = frozenset(f"tei-{name}" for name in (
    "p", "div", "head", "opener", "closer", "dateline", "salute", "signed", "postscript", "address",
    "addrline", "ab", "lg", "l", "item", "list", "table", "row", "cell", "fw", "body", "text", "front",
    "back", "note", "floatingtext", "group", "byline", "docdate", "argument", "epigraph", "trailer",
    "teiheader", "correspdesc", "correspaction", "title", "titlestmt"))
#: Elements that state who sent a letter to whom, when and where: TEI's correspDesc as CETEIcean
#: renders it, or as XSLT carries it over in class names.
_TEI_ROLES = {"tei-correspaction": "action", "tei-persname": "person", "tei-orgname": "person",
              "tei-placename": "place", "tei-settlement": "place", "tei-date": "date"}
_CLASS_ROLES = {"correspaction": "action", "persname": "person", "orgname": "person",
                "placename": "place", "date": "date"}
_FOOTNOTE_ID = re.compile(r"^(?:fn|ftn|footnote|endnote|note|en|edn)[-_:]?\d+$", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_NAV_SUFFIXES = {"", "s", "bar", "link", "links", "list", "menu", "box", "block", "wrap", "wrapper",
                 "igation"}

_BR = "\u2028"  # a line break that the whitespace folding of ordinary text must keep
_NOTE_MARK = re.compile(r"^\s*[\[(]?(?:\d{1,3}|[*†‡§¶]{1,3}|[ivx]{1,5})[\])]?\s*$")


@dataclass(slots=True)
class Block:
    """A paragraph-like run of text: its words, where it stands, and what it turned out to be."""

    text: str
    node: int
    tag: str
    link_chars: int = 0
    anchors: int = 0
    heading: int = 0
    when: str | None = None  # a machine-readable date carried inside (<time datetime>, data-when)
    cue: bool = False  # opens or closes a letter ("Dear Sir,", "Yours truly"); set by segment()
    part: str | None = None  # the part of the letter the page says the block is ("signature")
    role: str = "text"  # after segment(): drop, nav, head, letter, apparatus, rule

    @property
    def prose(self) -> int:
        """Give how many characters of the block are not link text."""
        return max(0, len(self.text) - self.link_chars)


@dataclass(slots=True)
class Anchor:
    """A link on the page with the words around it, for telling series, notes and archive links."""

    href: str
    label: str
    block: int
    before: str = ""
    after: str = ""


@dataclass(slots=True)
class PageLink:
    """A ``<link rel=...>`` of the page head."""

    rel: str
    href: str
    title: str | None = None


@dataclass
class Correspondence:
    """One ``correspAction`` a page states: its type (sent, received), people, place and date."""

    type: str
    persons: list[str] = field(default_factory=list)
    place: str | None = None
    when: str | None = None  # the @when (or data-when) of its date
    date: str | None = None  # the date as written


@dataclass
class Page:
    """What the parser saw: blocks, links, the head's title, meta values, JSON-LD, and the nodes."""

    blocks: list[Block] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    head_links: list[PageLink] = field(default_factory=list)
    jsonld: list[Any] = field(default_factory=list)
    base: str | None = None
    language: str | None = None
    correspondence: list[Correspondence] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)  # what a frameset shows: the letter is there
    parent: array[int] = field(default_factory=lambda: array("l"))  # compact: pages have millions
    flags: array[int] = field(default_factory=lambda: array("l"))
    tags: list[str] = field(default_factory=list)

    def resolve(self, href: str) -> str:
        """Give ``href`` made absolute against the page's own base or canonical address, if any."""
        return urljoin(self.base, href) if self.base else href


_flag_memo: dict[tuple[str | None, ...], tuple[int, str | None]] = {}


def _node_flags(tag: str, attrib: dict[str, str]) -> tuple[int, str | None]:
    """Give a container's flags and the letter part it names, remembered by its tag and the
    attributes that matter (pages repeat them a lot)."""
    if not attrib:
        return _TAG_FLAGS.get(tag, 0), PART_WORDS.get(tag[4:]) if tag.startswith("tei-") else None
    get = attrib.get
    key = (tag, get("class"), get("id"), get("role"), get("style"), get("hidden"), get("aria-hidden"),
           get("itemprop"), get("aria-label"))
    found = _flag_memo.get(key)
    if found is None:
        if len(_flag_memo) > 50_000:
            _flag_memo.clear()  # bounded: a page of unique ids must not grow it without end
        found = _flag_memo[key] = (_flags_of(tag, attrib), _part_of(tag, attrib))
    return found


def _part_of(tag: str, attrib: dict[str, str]) -> str | None:
    """Give the letter part an element names by its TEI tag or class ("tei-signed", "signed")."""
    if tag.startswith("tei-"):
        part = PART_WORDS.get(tag[4:])
        if part:
            return part
    names = attrib.get("class")
    if not names:
        return None
    for word in _WORD_SPLIT.split(names.lower()):
        part = PART_WORDS.get(word)
        if part:
            return part
    return None


def _flags_of(tag: str, attrib: dict[str, str]) -> int:
    flags = _TAG_FLAGS.get(tag, 0)
    role = (attrib.get("role") or "").strip().lower()
    flags |= _NAV_ROLES.get(role, 0)
    if attrib.get("hidden") is not None or (attrib.get("aria-hidden") or "").lower() == "true" \
            or _HIDDEN_STYLE.search(attrib.get("style") or ""):
        flags |= HIDDEN
    if (attrib.get("itemprop") or "").lower() in ("articlebody", "text", "maincontentofpage"):
        flags |= MAIN
    if "breadcrumb" in (attrib.get("aria-label") or "").lower():
        flags |= NAV | CRUMBS
    ident = attrib.get("id") or ""
    if ident and _FOOTNOTE_ID.match(ident):
        flags |= FOOTNOTE
    names = f"{attrib.get('class') or ''} {ident}".lower()
    if tag.startswith("tei-"):
        names = f"{names} {tag[4:]}"
    if names.strip():
        words = set(_WORD_SPLIT.split(names))
        for word in words:
            flags |= _WORD_FLAGS.get(word, 0)
            if word.endswith("nav") or word.startswith("nav") and word[3:] in _NAV_SUFFIXES:
                flags |= NAV  # "docnav", "subnav", "navlist"
        joined = names.replace("-", "").replace("_", "")
        for part, flag in _SUBSTRING_FLAGS:
            if part in joined:
                flags |= flag
        if flags & CHROME and tag not in ("header", "footer") and words & _CONTENT_WORDS:
            flags &= ~CHROME  # "letter-header", "entry-footer": the letter's own parts
    return flags


_NO_ATTRIBUTES: dict[str, str] = {}
# What the parser target does with each element, decided once per tag name.
_INLINE, _BLOCK, _LINE, _LINK, _MARK, _SPACE, _HEAD, _CAPTURE, _SKIP = range(9)
_KINDS: dict[str, int] = {
    **dict.fromkeys(SKIPPED, _SKIP), **dict.fromkeys(BLOCK_TAGS | TEI_BLOCKS, _BLOCK), "br": _LINE,
    "tei-lb": _LINE, "a": _LINK, "sup": _MARK, "img": _SPACE, "input": _SPACE, "wbr": _SPACE,
    "meta": _HEAD, "link": _HEAD, "base": _HEAD, "title": _CAPTURE, "script": _CAPTURE,
}
_TAG_NAMES: dict[str, str] = {}
#: Links kept for telling navigation apart: the first and the last of a page (menus sit at either end).
ANCHORS_KEPT = 2500


class _PageBuilder:
    """The parser target: turns start/end/data events into blocks, nodes and anchors."""

    def __init__(self) -> None:
        self.page = Page(parent=array("l", [-1]), flags=array("l", [0]), tags=["#root"])
        self.pieces: list[str] = []  # text of the block being read
        self.stack: list[int] = [0]  # open structural nodes
        self.parts: list[str | None] = [None]  # the letter part each open node says it is
        self.skip = 0  # depth inside skipped content
        self.capture: list[str] | None = None  # text of <title> or of a JSON-LD script
        self.capture_kind = ""
        self.preserve = 0
        self.link: Anchor | None = None
        self.spans: list[tuple[Anchor, int, int]] = []  # closed links of this block, piece offsets
        self.link_start = 0
        self.when: str | None = None
        self.marks: list[tuple[bool, int]] = []  # open <sup>/<a>: may turn out to be a note mark
        self.depth = 0  # open elements, all of them
        self.action: Correspondence | None = None
        self.action_depth = 0
        self.names: list[tuple[str, int, int, str | None]] = []  # role, piece, depth, @when
        self.last_anchors: deque[Anchor] = deque(maxlen=ANCHORS_KEPT)

    # -- events -------------------------------------------------------------------------------
    def start(self, tag: str, attrib: Any) -> None:
        self.depth += 1
        kind = _KINDS.get(tag, _INLINE)
        if self.skip:
            self.skip += 1
            if kind == _HEAD:
                self._head_element(tag, dict(attrib))  # a page without <body> can still have these
            return
        if kind == _INLINE and not attrib and self.action is None:
            return  # <i>, <span>, <b>: text flows on (the commonest case, kept cheapest)
        attrib = dict(attrib) if attrib else _NO_ATTRIBUTES  # lxml's mapping is slow to query
        if kind == _HEAD:
            self._head_element(tag, attrib)
            return
        if kind == _CAPTURE:
            if self.capture is None and (tag == "title" or "ld+json" in (attrib.get("type") or "")):
                self.capture, self.capture_kind = [], tag
            self.skip = 1
            return
        if kind == _SKIP:
            self.skip = 1
            if tag == "iframe" and attrib.get("src") and len(self.page.frames) < 20:
                self.page.frames.append(attrib["src"])
            return
        if attrib:
            if tag == "html":
                self.page.language = attrib.get("lang") or attrib.get("xml:lang")
            when = attrib.get("datetime") or attrib.get("data-when") or attrib.get("when")
            if when and self.when is None:
                self.when = when.strip()
            names = attrib.get("class")
            if names and (self.action is not None or "corresp" in names.lower()):
                self._correspondence(tag, attrib, when)
        if tag.startswith("tei-"):
            self._correspondence(tag, attrib, None)
        if kind == _BLOCK:
            if tag == "frame" and attrib.get("src") and len(self.page.frames) < 20:
                self.page.frames.append(attrib["src"])
            self._flush()
            self._open_node(tag, attrib)
            if tag in PRESERVE_TAGS:
                self.preserve += 1
            elif tag == "hr":
                self.page.blocks.append(Block("", self.stack[-1], "hr", role="rule"))
        elif kind == _LINE:
            self.pieces.append(_BR)
        elif kind == _LINK:
            href = (attrib.get("href") or "").strip()
            internal = href.startswith("#") or bool(attrib.get("onclick")) or not href
            self.marks.append((internal, len(self.pieces)))
            if self.link is None and (href or attrib.get("onclick")):
                self.link = Anchor(href=href, label="", block=-1)
                self.link_start = len(self.pieces)
        elif kind == _MARK:
            self.marks.append((True, len(self.pieces)))
        elif kind == _SPACE and self.pieces and not self.pieces[-1][-1:].isspace():
            self.pieces.append(" ")  # an image between words (an em-space glyph) separates them

    def end(self, tag: str) -> None:
        depth = self.depth
        self.depth -= 1
        if self.names and self.names[-1][2] == depth:
            self._end_name()
        if self.action is not None and self.action_depth == depth:
            if len(self.page.correspondence) < 20:
                self.page.correspondence.append(self.action)
            self.action = None
        if self.skip:
            self.skip -= 1
            if self.skip == 0 and self.capture is not None:
                self._end_capture()
            return
        kind = _KINDS.get(tag, _INLINE)
        if kind == _BLOCK:
            self._flush()
            if tag in PRESERVE_TAGS and self.preserve:
                self.preserve -= 1
            if len(self.stack) > 1:
                self.stack.pop()
                self.parts.pop()
        elif kind == _LINK or kind == _MARK:
            if self.marks:
                internal, at = self.marks.pop()
                if internal:
                    self._note_mark(at)
            if tag == "a":
                self._end_link()

    def data(self, text: str) -> None:
        if self.skip:
            if self.capture is not None and len(self.capture) < 65536:
                self.capture.append(text)
            return
        self.pieces.append(text)

    def comment(self, text: str) -> None:
        """Ignore a comment (the parser is told to drop them; this is for parsers that do not)."""
        return None

    def close(self) -> Page:
        self._flush()
        self.page.anchors.extend(self.last_anchors)
        return self.page

    # -- helpers ------------------------------------------------------------------------------
    def _open_node(self, tag: str, attrib: Any) -> None:
        page = self.page
        page.parent.append(self.stack[-1])
        flags, part = _node_flags(tag, attrib)
        page.flags.append(flags)
        name = _TAG_NAMES.get(tag)
        if name is None:
            name = tag
            if len(_TAG_NAMES) < 4096:  # custom elements must not grow it without end
                _TAG_NAMES[tag] = tag
        page.tags.append(name)  # one string per tag name, not one per element
        self.stack.append(len(page.parent) - 1)
        self.parts.append(part or self.parts[-1])

    def _head_element(self, tag: str, attrib: Any) -> None:
        page = self.page
        if tag == "meta":
            key = (attrib.get("name") or attrib.get("property") or attrib.get("itemprop") or "").lower()
            content = attrib.get("content")
            if key and content and key not in page.meta:
                page.meta[key] = content.strip()
        elif tag == "link":
            rel = (attrib.get("rel") or "").lower()
            href = (attrib.get("href") or "").strip()
            if rel and href:
                page.head_links.append(PageLink(rel, href, attrib.get("title")))
                if rel == "canonical" and not page.base:
                    page.base = href
        elif tag == "base" and (attrib.get("href") or "").strip():
            page.base = attrib.get("href").strip()

    def _correspondence(self, tag: str, attrib: dict[str, str], when: str | None) -> None:
        """Follow a correspAction and the names, place and date inside it."""
        role = _TEI_ROLES.get(tag)
        if role is None:
            for word in _WORD_SPLIT.split((attrib.get("class") or "").lower()):
                role = _CLASS_ROLES.get(word)
                if role:
                    break
        if role is None and when and self.action is not None:
            role = "date"
        if role == "action" and self.action is None:
            kind = attrib.get("type") or attrib.get("data-type") or ""
            self.action = Correspondence(type=kind.strip().lower())
            self.action_depth = self.depth
        elif role and role != "action" and self.action is not None:
            self.names.append((role, len(self.pieces), self.depth, when))

    def _end_name(self) -> None:
        role, at, _, when = self.names.pop()
        action = self.action
        text = " ".join("".join(self.pieces[at:]).replace(_BR, " ").split()) if at <= len(self.pieces) else ""
        if action is None or not (text or when):
            return
        if role == "person" and text and len(action.persons) < 10:
            action.persons.append(text)
        elif role == "place" and text and action.place is None:
            action.place = text
        elif role == "date" and action.when is None and action.date is None:
            action.when, action.date = (when.strip() if when else None), text or None

    def _end_capture(self) -> None:
        text = "".join(self.capture or [])
        if self.capture_kind == "title":
            if self.page.title is None:
                self.page.title = " ".join(text.split()) or None
        elif text.strip():
            try:
                self.page.jsonld.append(json.loads(text))
            except (ValueError, RecursionError):
                pass  # broken JSON-LD is the page's problem, not a reason to lose the letter
        self.capture = None

    def _end_link(self) -> None:
        if self.link is not None:
            self.spans.append((self.link, self.link_start, len(self.pieces)))
            self.link = None

    def _note_mark(self, at: int) -> None:
        """Write a footnote mark (a superscript or in-page link of one to three signs) as "[n]"."""
        mark = "".join(self.pieces[at:])
        if _NOTE_MARK.match(mark) and _BR not in mark:
            self.pieces[at:] = ["[" + mark.strip().strip("[]()") + "]"]

    def _flush(self) -> None:
        """End the current block: fold its whitespace, split it at blank lines, record it."""
        self._end_link()
        pieces = self.pieces
        if not pieces:
            self._reset()
            return
        raw = "".join(pieces)
        node = self.stack[-1]
        tag = self.page.tags[node]
        if self.preserve:
            lines = [line.rstrip() for line in raw.replace(_BR, "\n").split("\n")]
        else:
            lines = [" ".join(line.split()) for line in raw.split(_BR)]
        paragraphs: list[list[str]] = [[]]
        for line in lines:
            if line.strip():
                paragraphs[-1].append(line)
            elif paragraphs[-1]:
                paragraphs.append([])  # one <br> ends a line; an empty line (two) a paragraph
        blocks = self.page.blocks
        first = len(blocks)
        level = HEADING_TAGS.get(tag, 0) or (2 if self.page.flags[node] & TITLE else 0)
        part = self.parts[-1]
        for lines_of in paragraphs:
            if lines_of:
                blocks.append(Block("\n".join(lines_of), node, tag, heading=level, when=self.when,
                                    part=part))
        if len(blocks) > first:
            self._place_anchors(first)
        self._reset()

    def _place_anchors(self, first: int) -> None:
        """Count each link of the block where it stands; give the links to other pages the words
        before and after them, which tell what a link labelled "here" points to."""
        pieces, blocks, spans = self.pieces, self.page.blocks, self.spans
        at = first
        for i, (anchor, start, stop) in enumerate(spans):
            anchor.label = " ".join("".join(pieces[start:stop]).replace(_BR, " ").split())
            for j in range(at, len(blocks)):
                if anchor.label and anchor.label in blocks[j].text:
                    at = j
                    break
            anchor.block = at
            block = blocks[at]
            block.link_chars = min(len(block.text), block.link_chars + len(anchor.label))
            block.anchors += 1
            if not anchor.href or anchor.href.startswith("#"):
                continue  # a footnote mark or an in-page jump: weighed, not kept
            if len(block.text) <= 2000:
                prev_stop = spans[i - 1][2] if i else 0
                anchor.before = " ".join("".join(pieces[prev_stop:start]).rsplit(_BR, 1)[-1].split())
                next_start = spans[i + 1][1] if i + 1 < len(spans) else len(pieces)
                anchor.after = " ".join("".join(pieces[stop:next_start]).split(_BR, 1)[0].split())
            if len(self.page.anchors) < ANCHORS_KEPT:
                self.page.anchors.append(anchor)
            else:
                self.last_anchors.append(anchor)

    def _reset(self) -> None:
        self.pieces = []
        self.spans = []
        self.when = None
        self.marks = []


FEED_CHARS = 1 << 20


def parse_page(text: str) -> Page:
    """Give the page that an HTML text holds, read as a stream (no network, no tree in memory)."""
    builder = _PageBuilder()
    parser = etree.HTMLParser(target=builder, remove_comments=True, remove_pis=True,
                              no_network=True, recover=True, huge_tree=False)
    for at in range(0, len(text), FEED_CHARS):
        parser.feed(text[at:at + FEED_CHARS])
    page: Page = parser.close()
    return page


# -- the layout of the page ------------------------------------------------------------------------

#: The opening words of a letter: what tells the letter apart from a sidebar of the same length.
SALUTATION = re.compile(
    r"^(?:my\s+)?(?:(?:very\s+)?dear(?:est)?|sir|madam|madame|gentlemen|dear\s+sirs?|hon(?:ou)?red|"
    r"respected|lieber?|liebste[rn]?|verehrte[rn]?|hochverehrte[rn]?|sehr\s+geehrte[rn]?|"
    r"cher|ch[eè]re|monsieur|mon\s+cher|ma\s+ch[eè]re|caro|cara|querido|querida)\b",
    re.IGNORECASE)
VALEDICTION = re.compile(
    r"\b(?:yours|your\s+(?:friend|obedient|humble|affectionate|loving|sincere|devoted)|sincerely|"
    r"faithfully|truly|respectfully|affectionately|cordially|ever\s+yours|best\s+wishes|"
    r"kind\s+regards|with\s+(?:love|regards)|i\s+remain|believe\s+me|"
    r"ihr\s+ergebener|ihre?\s+ergebene|herzlich|hochachtungsvoll|mit\s+(?:freundlichen|herzlichen)|"
    r"votre|je\s+vous\s+prie|agr[ée]ez)\b",
    re.IGNORECASE)
#: Headings that open the editorial apparatus after a letter.
APPARATUS_HEADING = re.compile(
    r"^(?:explanatory\s+|textual\s+|editorial\s+|end|foot)?(?:notes?|commentary|annotations?|apparatus)"
    r"(?:\s+and\s+\w+)?\s*:?$|^(?:persons?|people|places?|works?)\s+mentioned$|^sources?$|"
    r"^references$|^bibliography$|^further\s+reading$|^provenance$|^physical\s+description$|"
    r"^(?:how\s+to\s+)?cite(?:\s+this(?:\s+\w+)?)?$|^citation$|^about\s+this\s+(?:letter|document|edition|text)$|"
    r"^(?:related|see\s+also|metadata|document\s+details|textual\s+commentary)$|"
    r"^(?:anmerkungen|kommentar|fu(?:ß|ss)noten|stellenkommentar|apparat|erl[äa]uterungen|"
    r"quellen?|literatur|notes?\s+de\s+l['’][ée]diteur|remarques)$",
    re.IGNORECASE)
#: Lines that steer the reader around the site: "Click here to return to ...", "Next letter".
NAV_PHRASE = re.compile(
    r"^(?:click|tap|return|back|go\s+(?:back|to)|continue|next|previous|prev|up\b|top\b|home\b|"
    r"index\b|contents\b|table\s+of\s+contents|print|download|share|permalink|skip\s+to|"
    r"jump\s+to|zur[üu]ck|weiter|retour|suivant|pr[ée]c[ée]dent|«|»|<<|>>|←|→|↑|\[\s*(?:back|home|next))"
    r"|\bclick\s+here\b|\breturn\s+to\b|\bback\s+to\b|\bcontinue\s+with\b|\bto\s+the\s+top\b",
    re.IGNORECASE)
#: Words of a short line of links that steers ("< Previous | Next >", "Back to top").
NAV_WORD = re.compile(r"\b(?:previous|prev|next|back|home|index|contents|top|up|zur[üu]ck|weiter|"
                      r"suivant|pr[ée]c[ée]dent|retour)\b|[<>«»‹›←→↑]", re.IGNORECASE)
#: Lines of page chrome that sit inside the content area: licences, cookies, "enable JavaScript".
CHROME_PHRASE = re.compile(
    r"^(?:©|\(c\)\s*\d{4}|copyright\s+(?:©|\(c\)|\d{4}))|all\s+rights\s+reserved|"
    r"\bprivacy\s+policy\b|\bterms\s+of\s+(?:use|service)\b|\bwe\s+use\s+cookies\b|"
    r"\bthis\s+(?:site|website)\s+uses\s+cookies\b|\baccept\s+(?:all\s+)?cookies\b|"
    r"\benable\s+javascript\b|\bjavascript\s+is\s+(?:disabled|required)\b",
    re.IGNORECASE)

_YEAR = re.compile(r"(?<!\d)(?:1[0-9]\d\d|20\d\d)(?!\d)")
#: A container holding at least this share of the remaining prose may be the letter region.
REGION_SHARE = 0.85


@dataclass
class Layout:
    """The page sorted: letter blocks in order, the apparatus after it, headings above it, and the
    navigation links with how much to trust each (3: a "return to" line, 2: breadcrumbs, 1: menus)."""

    letter: list[Block]
    apparatus: list[Block]
    headings: list[Block]
    navigation: list[tuple[int, Anchor]]
    steering: list[Block] = field(default_factory=list)  # "Click here to return to ..." lines


def is_cue(text: str) -> bool:
    """Tell whether a block opens or closes a letter ("My dear Sir,", "Yours truly")."""
    first = text.split("\n", 1)[0]
    if len(first) > 80:
        return False
    return bool(SALUTATION.match(first) or VALEDICTION.search(first) and len(first) <= 60)


def segment(page: Page) -> Layout:
    """Give the page's layout: chrome and navigation dropped, the letter region and its apparatus."""
    parent, flags, blocks = page.parent, page.flags, page.blocks
    n = len(parent)
    text = [0] * n
    link_chars = [0] * n
    anchors = [0] * n
    cues = [0] * n
    for block in blocks:
        text[block.node] += len(block.text)
        link_chars[block.node] += block.link_chars
        anchors[block.node] += block.anchors
        block.cue = block.heading == 0 and len(block.text) <= 400 and is_cue(block.text)
        if block.cue:
            cues[block.node] += 1
    for i in range(n - 1, 0, -1):  # children come after their parent: one pass sums every subtree
        p = parent[i]
        text[p] += text[i]
        link_chars[p] += link_chars[i]
        anchors[p] += anchors[i]
        cues[p] += cues[i]
    grand = max(1, text[0] - link_chars[0])
    page_cues = cues[0]

    def holds_letter(i: int) -> bool:
        # A wrapper around the letter (an ASP.NET form, a "nav-wrapper") is not chrome.
        if page_cues:
            return cues[i] > 0 and (text[i] - link_chars[i]) >= 0.3 * grand
        return (text[i] - link_chars[i]) >= 0.5 * grand

    dropped = [False] * n
    why = [0] * n  # the flag that dropped a node, for the links' trust
    in_main = [False] * n
    for i in range(1, n):
        p = parent[i]
        f = flags[i]
        in_main[i] = in_main[p] or bool(f & MAIN)
        if dropped[p]:
            dropped[i], why[i] = True, why[p]
            continue
        reason = 0
        if f & (NAV | ASIDE | HIDDEN | FORM):
            reason = f & (NAV | ASIDE | HIDDEN | FORM | CRUMBS)
        elif f & CHROME and not in_main[p]:
            reason = CHROME
        elif anchors[i] >= 3 and link_chars[i] * 2 >= text[i] and not f & (NOTES | FOOTNOTE):
            reason = NAV  # a list of links: a menu, a table of contents, "related letters"
        if reason and not holds_letter(i) or f & RECORD:
            dropped[i], why[i] = True, reason or RECORD

    navigation: list[tuple[int, Anchor]] = []
    steering: list[Block] = []
    by_block: dict[int, list[Anchor]] = {}
    for anchor in page.anchors:
        by_block.setdefault(anchor.block, []).append(anchor)
    kept = [0] * n
    kept_cues = [0] * n
    landmarks = [0] * n  # salutations, closings and short dated lines: what a region must not lose
    kept_blocks = [0] * n
    for index, block in enumerate(blocks):
        if block.role == "rule":
            continue
        first = block.text.split("\n", 1)[0]
        steers = block.anchors > 0 and (
            len(block.text) <= 300 and NAV_PHRASE.search(first) is not None
            or len(block.text) <= 80 and block.link_chars * 2 >= len(block.text)
            and NAV_WORD.search(block.text) is not None)
        if steers and len(block.text.split()) >= 3:
            steering.append(block)
        if dropped[block.node]:
            block.role = "drop"
            reason = why[block.node]
            trust = 3 if steers else 2 if reason & CRUMBS else 1 if reason & (NAV | CHROME) else 0
            navigation.extend((trust, a) for a in by_block.get(index, ()) if trust)
            continue
        if steers:
            block.role = "nav"
            navigation.extend((3, a) for a in by_block.get(index, ()))
            continue
        if len(block.text) <= 300 and CHROME_PHRASE.search(block.text):
            block.role = "drop"
            continue
        kept[block.node] += block.prose
        kept_blocks[block.node] += 1
        if block.cue:
            kept_cues[block.node] += 1
            landmarks[block.node] += 1
        elif len(block.text) <= 160 and _YEAR.search(block.text):
            landmarks[block.node] += 1  # "Cablegram 206 CANBERRA, 28 July 1945"
    for i in range(n - 1, 0, -1):
        p = parent[i]
        kept[p] += kept[i]
        kept_cues[p] += kept_cues[i]
        landmarks[p] += landmarks[i]
        kept_blocks[p] += kept_blocks[i]

    main = _letter_region(page, kept, landmarks, kept_blocks)
    end = _subtree_end(parent, main)
    notes_below = [False] * n
    region = max(1, kept[main])
    for i in range(main + 1, end):
        # A "notes" or "source" container is apparatus unless it holds the letter itself (a
        # "source-text" wrapper): no salutation or closing in it, and not most of the text.
        apparatus_like = bool(flags[i] & (NOTES | FOOTNOTE)) and kept_cues[i] == 0 and kept[i] < 0.5 * region
        notes_below[i] = (notes_below[parent[i]] if parent[i] != main else False) or apparatus_like

    letter: list[Block] = []
    apparatus: list[Block] = []
    headings: list[Block] = []
    in_apparatus = False
    for block in blocks:
        inside = main <= block.node < end
        if block.role in ("drop", "nav"):
            continue
        if block.role == "rule":
            if inside and letter and not in_apparatus:
                letter.append(block)
            continue
        if not inside:
            block.role = "drop"
            if block.heading and block.heading <= 3 and block.node < main:
                block.role = "head"
                headings.append(block)
            continue
        first = block.text.split("\n", 1)[0].strip(" *:")
        if (block.heading or len(first) <= 40 and "\n" not in block.text) \
                and APPARATUS_HEADING.match(first):
            in_apparatus = True
        if in_apparatus or notes_below[block.node]:
            block.role = "apparatus"
            apparatus.append(block)
        else:
            block.role = "letter"
            letter.append(block)
    while letter and letter[-1].role == "rule":
        letter.pop()
    return Layout(letter, apparatus, headings, navigation, steering)


def _subtree_end(parent: array[int], node: int) -> int:
    """Give the index after the last node under ``node`` (nodes are numbered in document order)."""
    inside = bytearray(len(parent))
    inside[node] = 1
    end = node + 1
    while end < len(parent) and parent[end] >= node and inside[parent[end]]:
        inside[end] = 1
        end += 1
    return end


def _letter_region(page: Page, kept: list[int], landmarks: list[int], count: list[int]) -> int:
    """Give the container of the letter: from the page (or its <main>/<article>, when that holds
    most of the prose) down to the deepest container of several blocks still holding nearly all of
    it and every salutation, closing and dated line (a long paragraph is not the whole letter)."""
    parent, flags = page.parent, page.flags
    n = len(parent)
    children: dict[int, list[int]] = {}
    for i in range(1, n):
        if kept[i]:
            children.setdefault(parent[i], []).append(i)
    start = 0
    for i in range(1, n):
        if flags[i] & MAIN and kept[i] >= 0.5 * max(1, kept[0]) and kept[i] > 0:
            start = i
            break
    node, total = start, max(1, kept[start])
    while True:
        best = max(children.get(node, ()), key=lambda c: kept[c], default=None)
        if best is None or kept[best] < REGION_SHARE * total or landmarks[best] < landmarks[node] \
                or count[best] < 2:
            return node
        node = best
