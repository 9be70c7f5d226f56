"""The data of a letter's page: its parts, its place in the correspondence and the collection,
its reply thread, its citations and downloads, and its schema.org description (JSON-LD)."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from ..archive import Archive
from ..export import ExportOptions
from ..export.cite import bibtex, csl_json, format_citation
from ..model import Letter

__all__ = ["LETTER_RELS", "NAVIGATION_RELS", "citation_page", "citations", "json_for_script", "jsonld", "letter_page",
           "thread_of"]

#: Link relations between letters (ARCHITECTURE.md); every other rel is the source page's navigation.
LETTER_RELS = ("reply-to", "replied-by", "refers-to", "prev-in-correspondence", "next-in-correspondence",
               "prev-in-collection", "next-in-collection")
NAVIGATION_RELS = ("prev-in-correspondence", "next-in-correspondence", "prev-in-collection", "next-in-collection")


def _web_url(value: str | None) -> str | None:
    """Give a link target that is safe to put in an href (http or https), else None."""
    if value and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def json_for_script(data: Any) -> str:
    """Give JSON that can sit inside an HTML ``<script>`` element: ``<``, ``>`` and ``&`` are written
    as JSON escapes, so ``</script>`` or ``<!--`` in a letter's text cannot end the element."""
    text = json.dumps(data, ensure_ascii=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def thread_of(archive: Archive, letter: Letter) -> dict[str, Any]:
    """Give the letters linked to this one (replies, references, neighbours) and its conversation."""
    thread = getattr(archive, "thread", None)
    if thread is not None:
        found = thread(letter.id)
        return {"links": list(found.get("links") or []), "conversation": list(found.get("conversation") or [])}
    links = [{"rel": link.rel, "target": link.target, "title": link.label, "date": None, "evidence": link.evidence,
              "confidence": link.confidence}
             for link in letter.links if link.rel in LETTER_RELS and link.target]
    return {"links": links, "conversation": []}


def jsonld(letter: Letter, url: str | None) -> dict[str, Any]:
    """Give the letter's schema.org description: a ``Message`` with its sender, recipients and date."""

    def agent(a: Any) -> dict[str, Any]:
        data = {"@type": "Organization" if a.kind == "organisation" else "Person", "name": a.name}
        if _web_url(a.ref):
            data["sameAs"] = a.ref
        return data

    def place(p: Any) -> dict[str, Any]:
        data = {"@type": "Place", "name": p.name}
        if _web_url(p.ref):
            data["sameAs"] = p.ref
        return data

    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Message", "identifier": letter.id}
    if url:
        data["url"] = url
    if letter.title:
        data["name"] = letter.title
    if letter.sender:
        data["sender"] = agent(letter.sender)
    if letter.recipients:
        data["recipient"] = [agent(a) for a in letter.recipients]
    if letter.date and letter.date.when:
        data["dateCreated"] = letter.date.when
    elif letter.date and (letter.date.not_before or letter.date.not_after):
        data["temporalCoverage"] = f"{letter.date.not_before or '..'}/{letter.date.not_after or '..'}"
    if letter.place:
        data["locationCreated"] = place(letter.place)
    if letter.language:
        data["inLanguage"] = letter.language
    if letter.collection and letter.collection.title:
        part: dict[str, Any] = {"@type": "Collection", "name": letter.collection.title}
        if letter.collection.volume:
            part["volumeNumber"] = letter.collection.volume
        data["isPartOf"] = part
        if letter.collection.number:
            data["position"] = letter.collection.number
    if letter.mentions_persons:
        data["mentions"] = [agent(a) for a in letter.mentions_persons]
    if letter.mentions_places:
        data["contentLocation"] = [place(p) for p in letter.mentions_places]
    text = "\n\n".join(part for part in ([letter.salutation] + list(letter.body) + [letter.signature]) if part)
    if text:
        data["text"] = text
    return data


#: Formatted citations kept for the letters cited last: citeproc-py takes tens of milliseconds a
#: style. The key holds the letter's CSL record, so a letter changed since is formatted anew.
_CITED: OrderedDict[tuple[str, str], dict[str, str]] = OrderedDict()
CITATION_CACHE = 4096


def citations(letter: Letter, options: ExportOptions, *, formatted: bool = True) -> dict[str, Any]:
    """Give a letter's citations: BibTeX and CSL-JSON, and (``formatted``) Chicago and MLA.

    The letter's page leaves the formatted ones out (``formatted=False``): citeproc-py takes tens of
    milliseconds a style, so the page links to ``/letters/ID/cite``, which its script fetches.
    """
    record = csl_json(letter, options)
    record_text = json.dumps(record, ensure_ascii=False, indent=2)
    result: dict[str, Any] = {}
    if formatted:
        key = (options.base_url or "", record_text)
        styles = _CITED.get(key)
        if styles is None:
            styles = {"chicago": format_citation(letter, "chicago", options),
                      "mla": format_citation(letter, "mla", options)}
            _CITED[key] = styles
            if len(_CITED) > CITATION_CACHE:
                _CITED.popitem(last=False)
        else:
            _CITED.move_to_end(key)
        result.update(styles)
    result.update({"bibtex": bibtex(letter, options).strip(), "csl_json": record, "csl_json_text": record_text})
    return result


def citation_page(letter: Letter, *, base_url: str, summary: dict[str, Any]) -> dict[str, Any]:
    """Give the data of a letter's citation page: Chicago, MLA, BibTeX and CSL-JSON."""
    assert letter.id is not None
    path = f"/letters/{quote(letter.id, safe='')}"
    options = ExportOptions(base_url=base_url.rstrip("/"))
    title = letter.title or f"{summary['sender'] or 'Unknown'} to {', '.join(summary['recipients']) or 'unknown'}"
    return {"title": f"Cite: {title}", "letter_title": title, "id": letter.id, "letter_url": path,
            "permalink": options.permalink(letter), "citations": citations(letter, options)}


def letter_page(archive: Archive, letter: Letter, *, base_url: str, person_link: Callable[[Any], dict[str, Any]],
                place_link: Callable[..., dict[str, Any]], summary: Callable[[Letter], dict[str, Any]]
                ) -> dict[str, Any]:
    """Give the data of a letter's page."""
    assert letter.id is not None
    path = f"/letters/{quote(letter.id, safe='')}"
    options = ExportOptions(base_url=base_url.rstrip("/"))
    permalink = options.permalink(letter)
    thread = thread_of(archive, letter)
    for link in thread["links"]:
        link["url"] = path_of(link.get("target"))
    navigation = {rel.replace("-", "_"): next((link for link in thread["links"] if link["rel"] == rel), None)
                  for rel in NAVIGATION_RELS}
    replies = {rel.replace("-", "_"): [link for link in thread["links"] if link["rel"] == rel]
               for rel in ("reply-to", "replied-by", "refers-to")}
    conversation = [dict(item, url=path_of(item.get("id")), current=item.get("id") == letter.id)
                    for item in thread["conversation"]]
    source_links = [{"rel": link.rel, "label": link.label or link.rel, "url": _web_url(link.target)}
                    for link in letter.links if link.rel not in LETTER_RELS]
    return {
        "title": letter.title or f"{summary(letter)['sender'] or 'Unknown'} to "
                                 f"{', '.join(summary(letter)['recipients']) or 'unknown'}",
        "id": letter.id,
        "url": path,
        "permalink": permalink,
        "summary": summary(letter),
        "letter": letter.to_json(raw=False),
        "sender": person_link(letter.sender) if letter.sender else None,
        "co_senders": [person_link(a) for a in letter.co_senders],
        "recipients": [person_link(a) for a in letter.recipients],
        "place": place_link(letter.place.name, letter.place.ref) if letter.place else None,
        "destination": place_link(letter.destination.name, letter.destination.ref) if letter.destination else None,
        "mentions_persons": [person_link(a) for a in letter.mentions_persons],
        "mentions_places": [place_link(p.name, p.ref) for p in letter.mentions_places],
        "collection_url": (f"/collections/{quote(letter.collection.title, safe='')}"
                           if letter.collection and letter.collection.title else None),
        "source": {"path": letter.source.path, "format": letter.source.format,
                   "reference": letter.source.reference, "series": letter.series, "links": source_links},
        "navigation": navigation,
        "thread": replies,
        "conversation": conversation,
        "citations": citations(letter, options, formatted=False) | {"url": f"{path}/cite"},
        "downloads": {"tei": f"{path}.xml", "json": f"{path}.json"},
        "jsonld": jsonld(letter, permalink),
    }


def path_of(id: str | None) -> str | None:
    """Give the path of a letter's page, None without an id."""
    return f"/letters/{quote(str(id), safe='')}" if id else None
