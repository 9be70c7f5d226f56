"""TEI that letterbook wrote (``export/tei.py``) -> letters, read exactly as written.

A file whose ``encodingDesc/appInfo`` names ``application ident="letterbook"`` was written by
letterbook's exporter, which puts every part of a letter in one known place. It is read from those
places and nothing else: no whitespace is collapsed, nothing is inferred from the title or the
dateline, and a part that is absent is absent on purpose. The source of each letter is the file
read (its path, part, format and checksum); everything else comes back as it was exported.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..export.tei import AS_WRITTEN, CONTEXT_TYPES, EMPTY, LETTERBOOK_NS
from ..model import Agent, Collection, Letter, Link, Note, Place, Source, When
from .document import Document

__all__ = ["read_own_tei", "written_by_letterbook"]

Element = etree._Element
TEI_NS = "http://www.tei-c.org/ns/1.0"
_T = f"{{{TEI_NS}}}"
_L = f"{{{LETTERBOOK_NS}}}"
_CONTEXT_RELS = {typ: rel for rel, typ in CONTEXT_TYPES.items()}


def written_by_letterbook(root: Element) -> bool:
    """Tell whether a TEI (or teiCorpus) element's header says letterbook's exporter wrote it."""
    return root.find(f"{_T}teiHeader/{_T}encodingDesc/{_T}appInfo/{_T}application[@ident='letterbook']") \
        is not None


def _find(el: Element | None, path: str) -> Element | None:
    if el is None:
        return None
    return el.find("/".join(_T + step for step in path.split("/")))


def _findall(el: Element | None, path: str) -> list[Element]:
    if el is None:
        return []
    return el.findall("/".join(_T + step for step in path.split("/")))


def _value(el: Element | None) -> str | None:
    """Give an element's text exactly as written; None for a missing element or one without text
    that is not marked as the empty string."""
    if el is None:
        return None
    text = "".join(el.itertext())
    if text:
        return text
    return "" if el.get(EMPTY) == "true" else None


def _typed(el: Element | None, tag: str, typ: str) -> Element | None:
    return next((child for child in _findall(el, tag) if child.get("type") == typ), None)


def _agent(el: Element) -> Agent:
    return Agent(name=_value(el) or "", as_written=el.get(AS_WRITTEN), role=el.get("role"),
                 ref=el.get("ref"), kind="organisation" if el.tag == _T + "orgName" else "person")


def _place(el: Element | None) -> Place | None:
    if el is None:
        return None
    return Place(name=_value(el) or "", as_written=el.get(AS_WRITTEN), ref=el.get("ref"))


def _date(el: Element | None) -> When | None:
    if el is None:
        return None
    calendar = el.get("calendar")

    def attr(name: str) -> str | None:
        value = el.get(name)
        return value if value is not None else el.get(_L + name)

    return When(when=attr("when"), not_before=attr("notBefore"), not_after=attr("notAfter"),
                as_written=_value(el), certainty=el.get("cert", "high"),  # type: ignore[arg-type]
                calendar=calendar[1:] if calendar is not None else "gregorian")


def _link(ref: Element, rel: str) -> tuple[int, Link]:
    cert = ref.get("cert")
    return int(ref.get("n", "0")), Link(rel=rel, target=ref.get("target"), label=_value(ref),
                                        evidence=ref.get(_L + "evidence"),
                                        confidence=float(cert) if cert is not None else None)


def _letter(root: Element, doc: Document, part: int) -> Letter:
    header = _find(root, "teiHeader")
    desc = _find(header, "fileDesc")
    source_desc = _find(desc, "sourceDesc")
    ident = _find(source_desc, "msDesc/msIdentifier")
    collection_bibl = _typed(source_desc, "bibl", "collection")
    collection = None
    if collection_bibl is not None:
        collection = Collection(title=_value(_find(collection_bibl, "title")),
                                volume=_value(_find(collection_bibl, "biblScope")),
                                number=_value(_find(collection_bibl, "idno")))
    links = [_link(ref, ref.get("type", "")) for ref in _findall(source_desc, "listBibl/bibl/ref")]
    profile = _find(header, "profileDesc")
    corresp = _find(profile, "correspDesc")
    links += [_link(ref, _CONTEXT_RELS.get(ref.get("type", ""), ref.get("type", "")))
              for ref in _findall(corresp, "correspContext/ref")]
    sent = _typed(corresp, "correspAction", "sent")
    received = _typed(corresp, "correspAction", "received")
    senders = [el for el in (sent if sent is not None else []) if el.tag in (_T + "persName", _T + "orgName")]
    sender = next((_agent(el) for el in senders if el.get("type") != "co-sender"), None)
    mentions_persons: list[Agent] = []
    mentions_places: list[Place] = []
    for ref in _findall(corresp, "note/ref"):
        typ = ref.get("type", "")
        if typ == "cmif:mentionsPlace":
            mentions_places.append(Place(name=_value(ref) or "", as_written=ref.get(AS_WRITTEN),
                                         ref=ref.get("target")))
        else:
            mentions_persons.append(Agent(name=_value(ref) or "", as_written=ref.get(AS_WRITTEN),
                                          role=ref.get(_L + "role"), ref=ref.get("target"),
                                          kind="organisation" if typ == "cmif:mentionsOrganization"
                                          else "person"))
    keywords = _find(profile, "textClass/keywords")
    language = _find(profile, "langUsage/language")
    text = _find(root, "text")
    div = _find(text, "body/div")
    address = _find(text, "front/div")
    postscript = _find(div, "postscript")
    raw = _typed(source_desc, "bibl", "raw-text")
    return Letter(
        source=Source(path=doc.display, part=part, format=doc.format or "tei", sha256=doc.sha256,
                      reference=_value(_find(ident, "idno"))),
        title=_value(_typed(_find(desc, "titleStmt"), "title", "main")),
        sender=sender,
        co_senders=[_agent(el) for el in senders if el.get("type") == "co-sender"],
        recipients=[_agent(el) for el in (received if received is not None else [])
                    if el.tag in (_T + "persName", _T + "orgName")],
        date=_date(_find(sent, "date")),
        place=_place(_find(sent, "placeName")),
        destination=_place(_find(received, "placeName")),
        collection=collection,
        series=_value(_find(_typed(source_desc, "bibl", "series"), "title")),
        classification=_value(_typed(keywords, "term", "classification")),
        salutation=_value(_find(div, "opener/salute")),
        body=[_value(p) or "" for p in _findall(div, "p")],
        closing=_value(_find(div, "closer/salute")),
        signature=_value(_find(div, "closer/signed")),
        dateline=_value(_find(div, "opener/dateline")),
        postscript="\n\n".join(_value(p) or "" for p in _findall(postscript, "p"))
        if postscript is not None else None,
        address="\n".join(_value(p) or "" for p in _findall(address, "p")) if address is not None else None,
        notes=[Note(text=_value(note) or "", label=note.get("n"), kind=note.get("type", "footnote"))
               for note in _findall(text, "back/div/note")],
        links=[link for _, link in sorted(links, key=lambda pair: pair[0])],
        mentions_persons=mentions_persons,
        mentions_places=mentions_places,
        language=language.get("ident") if language is not None else None,
        kind=_value(_typed(keywords, "term", "kind")),
        id=_value(_find(ident, "altIdentifier/idno")),
        raw_text=_value(_find(raw, "quote")),
    )


def read_own_tei(doc: Document, root: Element, first_part: int) -> Iterator[Letter]:
    """Give the letter of one TEI document letterbook wrote, numbered ``first_part``."""
    yield _letter(root, doc, first_part)
