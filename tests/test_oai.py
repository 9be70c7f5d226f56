"""OAI-PMH 2.0 (``/oai``) and the CMIF feed (``/cmif.xml``), in-process, against real archives.

The large archive holds the sample letters, the DFAT gold set and a few letters written here
(collections for sets, a hostile letter, an id that needs escaping); it is read by many tests and
changed by none. Tests that change an archive (edits, withdrawn letters, changes during a harvest)
make their own small one.

No copy of the OAI-PMH XML Schema ships in any package this project can install, so each response
is checked against the schema's structure by ``check_oai`` (order and names of elements, the
attributes allowed, datestamp forms) after being parsed by lxml.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from letterbook import Archive
from letterbook.model import Agent, Collection, Letter, Place, Source, When
from letterbook.web.oai import OAIConfig, oai_app, set_spec

ROOT = Path(__file__).parents[1]
O = "{http://www.openarchives.org/OAI/2.0/}"  # noqa: E741
DC = "{http://purl.org/dc/elements/1.1/}"
TEI = "{http://www.tei-c.org/ns/1.0}"
HOST = "letters.example.org"
BASE = f"http://{HOST}"
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
ERROR_CODES = {"badArgument", "badResumptionToken", "badVerb", "cannotDisseminateFormat", "idDoesNotExist",
               "noRecordsMatch", "noMetadataFormats", "noSetHierarchy"}
REQUEST_ARGS = {"verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken"}
HOSTILE_TITLE = '<script>alert("title")</script> & "><img src=x onerror=alert(1)>'
HOSTILE_BODY = 'Dear \x01Sir,\x0b <script>alert(1)</script> "><img src=x onerror=alert(2)> \ufffe end\x1f.'


class Client:
    """Calls an ASGI app in-process through httpx (no server, no port), one request at a time."""

    __test__ = False  # not a test class

    def __init__(self, app: Any, base_url: str = BASE) -> None:
        self.app = app
        self.base_url = base_url

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=self.base_url) as c:
                return await c.request(method, url, **kwargs)

        return asyncio.run(call())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def head(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("HEAD", url, **kwargs)


# -- checking a response against the structure of OAI-PMH.xsd ---------------------------------------


def _check_header(header: etree._Element) -> None:
    assert header.tag == O + "header"
    assert set(header.attrib) <= {"status"} and header.get("status", "deleted") == "deleted"
    kids = list(header)
    assert [k.tag for k in kids[:2]] == [O + "identifier", O + "datestamp"]
    assert re.fullmatch(r"oai:[^:]+:.+", kids[0].text or "")
    assert SECOND.fullmatch(kids[1].text or "")
    assert all(k.tag == O + "setSpec" and re.fullmatch(r"[A-Za-z0-9\-_.!~*'()]+", k.text or "") for k in kids[2:])


def _check_record(record: etree._Element) -> None:
    assert record.tag == O + "record"
    kids = list(record)
    _check_header(kids[0])
    if kids[0].get("status") == "deleted":
        assert len(kids) == 1
    else:
        assert [k.tag for k in kids] == [O + "header", O + "metadata"]
        (payload,) = list(kids[1])
        assert not payload.tag.startswith(O)


def _check_token(token: etree._Element) -> None:
    assert set(token.attrib) <= {"expirationDate", "completeListSize", "cursor"}
    if "expirationDate" in token.attrib:
        assert SECOND.fullmatch(token.get("expirationDate"))
    for name in ("completeListSize", "cursor"):
        if name in token.attrib:
            assert token.get(name).isdigit()


def check_oai(body: bytes, base: str = BASE) -> etree._Element:
    """Give the parsed response after checking it has the structure OAI-PMH.xsd requires."""
    root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == O + "OAI-PMH"
    kids = list(root)
    assert kids[0].tag == O + "responseDate" and SECOND.fullmatch(kids[0].text)
    request = kids[1]
    assert request.tag == O + "request" and request.text == f"{base}/oai"
    assert set(request.attrib) <= REQUEST_ARGS
    rest = kids[2:]
    assert rest, "a response holds errors or the verb's element"
    if rest[0].tag == O + "error":
        assert all(k.tag == O + "error" and k.get("code") in ERROR_CODES for k in rest)
        if {k.get("code") for k in rest} & {"badVerb", "badArgument"}:
            assert not request.attrib, "badVerb and badArgument echo the base URL only"
        return root
    (answer,) = rest
    assert answer.tag == O + request.get("verb")
    parts = list(answer)
    if parts and parts[-1].tag == O + "resumptionToken":
        _check_token(parts.pop())
    verb = request.get("verb")
    if verb == "Identify":
        names = [p.tag.removeprefix(O) for p in parts]
        assert names[:7] == ["repositoryName", "baseURL", "protocolVersion", "adminEmail", "earliestDatestamp",
                             "deletedRecord", "granularity"]
        assert all(n in ("adminEmail", "compression", "description") for n in names[7:])
        assert re.fullmatch(r"\S+@(\S+\.)+\S+", answer.findtext(O + "adminEmail"))
    elif verb == "ListIdentifiers":
        assert parts
        for header in parts:
            _check_header(header)
    elif verb in ("ListRecords", "GetRecord"):
        assert parts and (verb == "ListRecords" or len(parts) == 1)
        for record in parts:
            _check_record(record)
    elif verb == "ListSets":
        assert parts
        for entry in parts:
            assert [k.tag for k in entry][:2] == [O + "setSpec", O + "setName"]
    elif verb == "ListMetadataFormats":
        assert parts
        for fmt in parts:
            assert [k.tag for k in fmt] == [O + "metadataPrefix", O + "schema", O + "metadataNamespace"]
    return root


def errors_of(root: etree._Element) -> list[str]:
    return [e.get("code") for e in root.findall(O + "error")]


# -- archives ---------------------------------------------------------------------------------------


def _letter(id: str, title: str, *, collection: str | None = None, body: list[str] | None = None,
            **fields: Any) -> Letter:
    return Letter(source=Source(path=f"made/{id}", format="jsonl"), id=id, title=title,
                  collection=Collection(collection, "1", "7") if collection else None,
                  body=body or ["A short letter."], **fields)


def _write_jsonl(path: Path, letters: list[Letter]) -> Path:
    path.write_text("".join(json.dumps(letter.to_json(), ensure_ascii=False) + "\n" for letter in letters),
                    encoding="utf-8")
    return path


MADE = [
    _letter("fr-1", "Byrnes to Bevin", collection="Foreign Relations, 1945",
            sender=Agent("James F. Byrnes"), recipients=[Agent("Ernest Bevin")],
            date=When(when="1945-12-23"), place=Place("Moscow"), language="en", kind="letter",
            body=["Mr. Stalin spoke of Tehran and of Mr. Molotov."]),
    _letter("fr-2", "Bevin to Byrnes", collection="Foreign Relations, 1945",
            date=When(not_before="1945-12-01", not_after="1945-12-31", certainty="medium")),
    _letter("schuetz-1", "An Schütz", collection="Briefwechsel Schütz"),
    _letter("hostile", HOSTILE_TITLE, collection="Hostile <b>collection</b>", body=[HOSTILE_BODY],
            sender=Agent('"><img src=x onerror=alert(3)>'), place=Place("<script>x</script>")),
    _letter('odd id/ü "1"', "A letter whose id needs escaping"),
]


@pytest.fixture(scope="module")
def _built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Archive]]:
    built: dict[str, Archive] = {}
    yield built
    for archive in built.values():
        archive.close()


@pytest.fixture
def archive(shared_path: Callable[..., Path], _built: dict[str, Archive],
            tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """Give the large archive: samples, the DFAT gold set and the letters made here (read-only use)."""
    if "large" not in _built:
        dfat = shared_path("eval", "dfat")
        folder = tmp_path_factory.mktemp("oai")
        made = _write_jsonl(folder / "made.jsonl", MADE)
        archive = Archive.open(folder / "letters.db")
        archive.ingest([ROOT / "examples" / "letters", dfat, made], workers=2)
        _built["large"] = archive
    return _built["large"]


@pytest.fixture
def client(archive: Archive) -> Client:
    return Client(oai_app(archive, OAIConfig(batch_size=100)), base_url=BASE)


def oai(client: Client, query: str = "", **params: str) -> etree._Element:
    response = client.get("/oai" + (f"?{query}" if query else ""), params=params or None)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    return check_oai(response.content)


def harvest(client: Client, verb: str, **params: str) -> tuple[list[etree._Element], list[etree._Element]]:
    """Give every header (or record) of a list, following the resumption tokens, and the tokens."""
    items: list[etree._Element] = []
    tokens: list[etree._Element] = []
    root = oai(client, verb=verb, **params)
    for _ in range(10_000):
        answer = root.find(O + verb)
        assert answer is not None, errors_of(root)
        items.extend(answer.findall(O + ("header" if verb == "ListIdentifiers" else "record")))
        token = answer.find(O + "resumptionToken")
        if token is None:
            break
        tokens.append(token)
        if not token.text:
            break
        root = oai(client, verb=verb, resumptionToken=token.text)
    return items, tokens


def live_ids(archive: Archive) -> set[str]:
    return {letter.id for letter in archive.letters(None, sort="id") if letter.id}


def identifier(letter_id: str) -> str:
    from urllib.parse import quote

    local = quote(letter_id, safe="-_.!~*'();/?:@&=+$,")
    return f"oai:{HOST}:{local}"


# -- the verbs --------------------------------------------------------------------------------------


def test_identify(client: Client, archive: Archive) -> None:
    root = oai(client, verb="Identify")
    identify = root.find(O + "Identify")
    assert identify.findtext(O + "baseURL") == f"{BASE}/oai"
    assert identify.findtext(O + "protocolVersion") == "2.0"
    assert identify.findtext(O + "granularity") == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext(O + "deletedRecord") == "transient"
    assert identify.findtext(O + "earliestDatestamp") == archive.first_change()[:19] + "Z"
    described = identify.find(f"{O}description/{{http://www.openarchives.org/OAI/2.0/oai-identifier}}oai-identifier")
    assert described is not None and described[1].text == HOST
    assert root.find(O + "request").attrib == {"verb": "Identify"}


def test_identify_by_post_form(client: Client) -> None:
    response = client.post("/oai", data={"verb": "Identify"})
    assert response.status_code == 200
    root = check_oai(response.content)
    assert root.find(O + "Identify") is not None
    response = client.post("/oai", data={"verb": "Identify", "bogus": "1"})
    assert errors_of(check_oai(response.content)) == ["badArgument"]


def test_list_metadata_formats(client: Client) -> None:
    formats = oai(client, verb="ListMetadataFormats").iter(O + "metadataFormat")
    prefixes = [f.findtext(O + "metadataPrefix") for f in formats]
    assert prefixes == ["oai_dc", "tei"]
    root = oai(client, verb="ListMetadataFormats", identifier=identifier("fr-1"))
    assert len(root.findall(f"{O}ListMetadataFormats/{O}metadataFormat")) == 2
    assert root.find(O + "request").get("identifier") == identifier("fr-1")
    assert errors_of(oai(client, verb="ListMetadataFormats", identifier=identifier("no-such-letter"))) == [
        "idDoesNotExist"]


def test_list_sets(client: Client, archive: Archive) -> None:
    sets = {s.findtext(O + "setSpec"): s.findtext(O + "setName") for s in oai(client, verb="ListSets").iter(O + "set")}
    assert sets["foreign-relations-1945"] == "Foreign Relations, 1945"
    assert sets["briefwechsel-schutz"] == "Briefwechsel Schütz"
    assert sets["hostile-b-collection-b"] == "Hostile <b>collection</b>"
    assert set(sets) == {set_spec(title) for title in archive.collection_titles()}


def test_get_record_oai_dc(client: Client, archive: Archive) -> None:
    root = oai(client, verb="GetRecord", identifier=identifier("fr-1"), metadataPrefix="oai_dc")
    record = root.find(f"{O}GetRecord/{O}record")
    assert record.findtext(f"{O}header/{O}identifier") == identifier("fr-1")
    assert record.findtext(f"{O}header/{O}setSpec") == "foreign-relations-1945"
    dc = record.find(f"{O}metadata/{{http://www.openarchives.org/OAI/2.0/oai_dc/}}dc")

    def values(name: str) -> list[str]:
        return [e.text for e in dc.findall(DC + name)]

    assert values("title") == ["Byrnes to Bevin"]
    assert values("creator") == ["James F. Byrnes"]
    assert values("contributor") == ["Ernest Bevin"]
    stored = archive.get("fr-1")  # what enrichment found the letter mentions
    assert values("subject") == [a.name for a in stored.mentions_persons] + [p.name for p in stored.mentions_places]
    assert values("date") == ["1945-12-23"]
    assert values("coverage") == ["Moscow"]
    assert values("language") == ["en"]
    assert values("identifier") == [f"{BASE}/letters/fr-1"]
    assert values("source") == ["Foreign Relations, 1945, vol. 1, no. 7"]
    assert values("type") == ["Text", "letter"]
    # An uncertain date is given as the interval it is, never a made-up day.
    dc2 = oai(client, verb="GetRecord", identifier=identifier("fr-2"), metadataPrefix="oai_dc")
    assert [e.text for e in dc2.iter(DC + "date")] == ["1945-12-01/1945-12-31"]


def test_get_record_tei(client: Client) -> None:
    root = oai(client, verb="GetRecord", identifier=identifier("fr-1"), metadataPrefix="tei")
    tei = root.find(f"{O}GetRecord/{O}record/{O}metadata/{TEI}TEI")
    assert tei is not None
    assert tei.findtext(f".//{TEI}titleStmt/{TEI}title") == "Byrnes to Bevin"
    assert tei.findtext(f".//{TEI}publicationStmt/{TEI}idno") == f"{BASE}/letters/fr-1"
    assert tei.find(f".//{TEI}correspAction[@type='sent']/{TEI}date").get("when") == "1945-12-23"


def test_identifier_escaping_round_trips(client: Client) -> None:
    odd = identifier('odd id/ü "1"')
    assert " " not in odd and '"' not in odd
    root = oai(client, verb="GetRecord", identifier=odd, metadataPrefix="oai_dc")
    assert root.findtext(f".//{DC}title") == "A letter whose id needs escaping"


def test_full_harvest_of_identifiers_misses_and_doubles_nothing(client: Client, archive: Archive) -> None:
    headers, tokens = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc")
    ids = [h.findtext(O + "identifier") for h in headers]
    expected = {identifier(i) for i in live_ids(archive)}
    assert len(expected) > 2000
    assert len(ids) == len(set(ids)), "a letter was given twice"
    assert set(ids) == expected
    # Each token counts the records given before it and the size of the whole list.
    assert [int(t.get("cursor")) for t in tokens] == [100 * i for i in range(len(tokens))]
    assert {int(t.get("completeListSize")) for t in tokens} == {len(expected)}
    assert tokens[-1].text is None and "expirationDate" not in tokens[-1].attrib
    assert all(t.text and t.get("expirationDate") for t in tokens[:-1])


def test_full_harvest_of_records(client: Client, archive: Archive) -> None:
    records, tokens = harvest(client, "ListRecords", metadataPrefix="oai_dc")
    ids = [r.findtext(f"{O}header/{O}identifier") for r in records]
    assert len(ids) == len(set(ids)) == len(live_ids(archive))
    assert all(r.find(f"{O}metadata/{{http://www.openarchives.org/OAI/2.0/oai_dc/}}dc") is not None
               for r in records)


def test_harvest_of_a_set_in_tei(archive: Archive) -> None:
    client = Client(oai_app(archive, OAIConfig(batch_size=1)), base_url=BASE)
    records, tokens = harvest(client, "ListRecords", metadataPrefix="tei", set="foreign-relations-1945")
    assert [r.findtext(f"{O}header/{O}identifier") for r in records] == [identifier("fr-1"), identifier("fr-2")]
    assert all(r.find(f"{O}metadata/{TEI}TEI") is not None for r in records)
    assert [(t.get("cursor"), t.get("completeListSize")) for t in tokens] == [("0", "2"), ("1", "2")]
    # The set is in every header, and a set that does not exist matches nothing.
    assert all(r.findtext(f"{O}header/{O}setSpec") == "foreign-relations-1945" for r in records)
    assert errors_of(oai(client, verb="ListIdentifiers", metadataPrefix="tei", set="no-such-set")) == [
        "noRecordsMatch"]


def test_from_and_until_by_day(client: Client, archive: Archive) -> None:
    day = archive.first_change()[:10]
    headers, _ = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", **{"from": day, "until": day})
    assert len(headers) == len(live_ids(archive))
    assert errors_of(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2000-01-01")) == [
        "noRecordsMatch"]
    assert errors_of(oai(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2999-01-01"})) == [
        "noRecordsMatch"]


def test_configured_repository(archive: Archive) -> None:
    config = OAIConfig.from_environ({"LETTERBOOK_OAI_REPOSITORY_ID": "edition.example.org",
                                     "LETTERBOOK_OAI_BASE_URL": "https://edition.example.org/",
                                     "LETTERBOOK_OAI_NAME": "A test edition",
                                     "LETTERBOOK_OAI_ADMIN_EMAIL": "editors@example.org",
                                     "LETTERBOOK_OAI_BATCH_SIZE": "7"})
    client = Client(oai_app(archive, config))  # asked at another host: the configuration wins
    identify = check_oai(client.get("/oai?verb=Identify").content, "https://edition.example.org")
    assert identify.findtext(f"{O}Identify/{O}repositoryName") == "A test edition"
    assert identify.findtext(f"{O}Identify/{O}adminEmail") == "editors@example.org"
    listing = check_oai(client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc").content,
                        "https://edition.example.org")
    records = listing.findall(f"{O}ListRecords/{O}record")
    assert len(records) == 7
    assert records[0].findtext(f"{O}header/{O}identifier").startswith("oai:edition.example.org:")
    assert records[0].findtext(f".//{DC}identifier").startswith("https://edition.example.org/letters/")


# -- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "code"), [
    ("", "badVerb"),
    ("verb=Dance", "badVerb"),
    ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=Identify&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2020-13-01", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2020-02-30", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2020", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2020-01-01T00:00:00", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2020-01-01T00:00Z", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2020-01-01&until=2020-01-02T00:00:00Z", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2021-01-01&until=2020-01-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc", "badArgument"),
    ("verb=GetRecord&identifier=oai:letters.example.org:fr-1", "badArgument"),
    ("verb=GetRecord&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListSets&set=x", "badArgument"),
    ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
    ("verb=ListIdentifiers&metadataPrefix=marc21", "cannotDisseminateFormat"),
    ("verb=GetRecord&identifier=oai:letters.example.org:fr-1&metadataPrefix=marc21", "cannotDisseminateFormat"),
    ("verb=GetRecord&identifier=oai:letters.example.org:nope&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=GetRecord&identifier=oai:elsewhere.org:fr-1&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=GetRecord&identifier=fr-1&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=ListRecords&resumptionToken=abc", "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=%00%01%3C%3E", "badResumptionToken"),
    ("verb=ListSets&resumptionToken=abc", "badResumptionToken"),
])
def test_errors(client: Client, query: str, code: str) -> None:
    root = oai(client, query)
    assert errors_of(root) == [code]
    request = root.find(O + "request")
    if code in ("badVerb", "badArgument"):
        assert request.attrib == {}
    else:
        assert request.get("verb")


def test_both_errors_of_one_request_are_given(client: Client) -> None:
    root = oai(client, verb="GetRecord", identifier=identifier("nope"), metadataPrefix="marc21")
    assert errors_of(root) == ["idDoesNotExist", "cannotDisseminateFormat"]


def _first_token(client: Client, verb: str = "ListIdentifiers") -> str:
    token = oai(client, verb=verb, metadataPrefix="oai_dc").findtext(f"{O}{verb}/{O}resumptionToken")
    assert token
    return token


def test_tampered_tokens_are_refused(client: Client) -> None:
    token = _first_token(client)
    body, _, mac = token.partition(".")
    tampered = [
        body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + mac,  # payload altered
        body + "." + mac[:-1] + ("A" if mac[-1] != "A" else "B"),  # signature altered
        body,  # signature gone
        token + "x",
        "." + mac,
    ]
    for bad in tampered:
        assert errors_of(oai(client, verb="ListIdentifiers", resumptionToken=bad)) == ["badResumptionToken"], bad
    # A token of one verb does not continue another.
    root = oai(client, verb="ListRecords", resumptionToken=token)
    assert errors_of(root) == ["badResumptionToken"]
    assert root.find(O + "request").get("resumptionToken") == token
    # The untouched token still works.
    assert oai(client, verb="ListIdentifiers", resumptionToken=token).find(O + "ListIdentifiers") is not None


def test_a_token_whose_signature_is_spelled_otherwise_is_refused(client: Client) -> None:
    # base64's last character of 16 bytes carries 2 bits and 4 spare ones: flipping a spare bit
    # spells the same signature otherwise, which must not pass as the token issued.
    token = _first_token(client)
    body, _, mac = token.partition(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    respelled = mac[:-1] + alphabet[alphabet.index(mac[-1]) ^ 1]
    assert base64.urlsafe_b64decode(respelled + "==") == base64.urlsafe_b64decode(mac + "==")
    assert errors_of(oai(client, verb="ListIdentifiers", resumptionToken=f"{body}.{respelled}")) == [
        "badResumptionToken"]


def test_expired_tokens_are_refused(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    token = _first_token(client)
    later = time.time() + 8 * 24 * 3600
    monkeypatch.setattr("letterbook.web.oai.time.time", lambda: later)
    assert errors_of(oai(client, verb="ListIdentifiers", resumptionToken=token)) == ["badResumptionToken"]


def test_tokens_of_another_archive_are_refused(client: Client, tmp_path: Path) -> None:
    token = _first_token(client)
    with Archive.open(tmp_path / "other.db") as other:
        other.ingest([_write_jsonl(tmp_path / "l.jsonl", MADE[:2])], workers=1)
        elsewhere = Client(oai_app(other, OAIConfig(secret=b"k")), base_url=BASE)
        assert errors_of(oai(elsewhere, verb="ListIdentifiers", resumptionToken=token)) == ["badResumptionToken"]


# -- archives that change ---------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Iterator[tuple[Archive, Path]]:
    """Give a small archive of made letters (three without a collection, two in one), and their file."""
    letters = [_letter(f"s-{n}", f"Letter {n}", collection="Small" if n > 3 else None) for n in range(1, 6)]
    path = _write_jsonl(tmp_path / "small.jsonl", letters)
    with Archive.open(tmp_path / "small.db") as archive:
        archive.ingest([path], workers=1)
        yield archive, path


def test_withdrawn_letters_are_deleted_records(small: tuple[Archive, Path]) -> None:
    archive, path = small
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[1:]), encoding="utf-8")  # s-1 is no longer in its file
    archive.ingest([path], workers=1)
    client = Client(oai_app(archive), base_url=BASE)
    headers, _ = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc")
    status = {h.findtext(O + "identifier"): h.get("status") for h in headers}
    assert status[identifier("s-1")] == "deleted" and status[identifier("s-2")] is None
    records, _ = harvest(client, "ListRecords", metadataPrefix="tei")
    deleted = [r for r in records if r.find(O + "header").get("status") == "deleted"]
    assert len(deleted) == 1 and deleted[0].find(O + "metadata") is None
    root = oai(client, verb="GetRecord", identifier=identifier("s-1"), metadataPrefix="oai_dc")
    assert root.find(f"{O}GetRecord/{O}record/{O}header").get("status") == "deleted"
    assert errors_of(oai(client, verb="ListMetadataFormats", identifier=identifier("s-1"))) == ["noMetadataFormats"]


def test_datestamps_follow_corrections_to_the_second(small: tuple[Archive, Path]) -> None:
    archive, _ = small
    client = Client(oai_app(archive), base_url=BASE)
    time.sleep(1.1)  # a later second than the ingest
    archive.edit("s-2", "title", "Letter two, corrected", editor="tester")
    edited = archive.stamp("s-2").at[:19] + "Z"
    before = (datetime.strptime(edited, "%Y-%m-%dT%H:%M:%SZ") - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    headers, _ = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", **{"from": edited})
    assert [h.findtext(O + "identifier") for h in headers] == [identifier("s-2")]
    assert headers[0].findtext(O + "datestamp") == edited
    headers, _ = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", until=before)
    assert {h.findtext(O + "identifier") for h in headers} == {identifier(f"s-{n}") for n in (1, 3, 4, 5)}
    headers, _ = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", **{"from": edited, "until": edited})
    assert len(headers) == 1
    root = oai(client, verb="GetRecord", identifier=identifier("s-2"), metadataPrefix="oai_dc")
    assert root.findtext(f".//{DC}title") == "Letter two, corrected"
    assert root.findtext(f".//{O}datestamp") == edited


def test_a_letter_changed_during_a_harvest_is_not_missed(small: tuple[Archive, Path]) -> None:
    archive, _ = small
    client = Client(oai_app(archive, OAIConfig(batch_size=2)), base_url=BASE)
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc").find(O + "ListIdentifiers")
    seen = [h.findtext(O + "identifier") for h in first.findall(O + "header")]
    archive.edit("s-4", "title", "Changed while harvested", editor="tester")  # not given yet: moves to the end
    archive.edit("s-1", "title", "Changed after it was given", editor="tester")  # given: comes again
    token = first.findtext(O + "resumptionToken")
    while token:
        page = oai(client, verb="ListIdentifiers", resumptionToken=token).find(O + "ListIdentifiers")
        seen += [h.findtext(O + "identifier") for h in page.findall(O + "header")]
        token = page.findtext(O + "resumptionToken")
    assert set(seen) == {identifier(f"s-{n}") for n in range(1, 6)}
    assert seen.count(identifier("s-4")) == 1 and seen.count(identifier("s-1")) == 2


def test_a_list_whose_last_letters_changed_past_until_ends(small: tuple[Archive, Path]) -> None:
    archive, _ = small
    client = Client(oai_app(archive, OAIConfig(batch_size=2)))
    until = archive.stamp("s-5").at[:19] + "Z"
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=until).find(O + "ListIdentifiers")
    assert len(first.findall(O + "header")) == 2
    time.sleep(1.1)
    for n in (3, 4, 5):
        archive.edit(f"s-{n}", "title", "Changed past until", editor="tester")
    token = first.findtext(O + "resumptionToken")
    assert errors_of(oai(client, verb="ListIdentifiers", resumptionToken=token)) == ["noRecordsMatch"]


def test_no_set_hierarchy_without_collections(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "plain.db") as archive:
        archive.ingest([_write_jsonl(tmp_path / "p.jsonl", [_letter("p-1", "Plain")])], workers=1)
        client = Client(oai_app(archive), base_url=BASE)
        assert errors_of(oai(client, verb="ListSets")) == ["noSetHierarchy"]
        assert errors_of(oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="x")) == ["noSetHierarchy"]


def test_an_empty_archive(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "empty.db") as archive:
        client = Client(oai_app(archive), base_url=BASE)
        assert SECOND.fullmatch(oai(client, verb="Identify").findtext(f"{O}Identify/{O}earliestDatestamp"))
        assert errors_of(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")) == ["noRecordsMatch"]


# -- hostile text -----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["oai_dc", "tei"])
def test_a_hostile_letter_gives_well_formed_xml(client: Client, prefix: str) -> None:
    raw = client.get("/oai", params={"verb": "GetRecord", "identifier": identifier("hostile"),
                                     "metadataPrefix": prefix}).content
    root = check_oai(raw)
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", raw)
    assert b"<script" not in raw and b"<img" not in raw
    metadata = root.find(f"{O}GetRecord/{O}record/{O}metadata")
    assert not [el for el in metadata.iter() if etree.QName(el).localname in ("script", "img", "b")]
    text = " ".join(metadata.itertext())
    assert "<script>alert(\"title\")</script>" in text
    assert '"><img src=x onerror=alert(3)>' in text
    assert "\x01" not in text and "\ufffe" not in text and "end." in text
    assert root.find(f".//{O}setSpec").text == "hostile-b-collection-b"


def test_hostile_arguments_are_echoed_as_well_formed_xml(client: Client) -> None:
    raw = client.get("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:x:%01%3Cscript%3E%22%26").content
    root = check_oai(raw)
    assert errors_of(root) == ["idDoesNotExist"]
    assert root.find(O + "request").get("identifier") == 'oai:x:<script>"&'
    raw = client.get("/oai?verb=%3Cscript%3E%0b").content
    assert errors_of(check_oai(raw)) == ["badVerb"]


# -- the CMIF feed ----------------------------------------------------------------------------------


def test_cmif_feed(client: Client, archive: Archive) -> None:
    response = client.get("/cmif.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    entries = root.findall(f".//{TEI}correspDesc")
    assert len(entries) == len(live_ids(archive))
    refs = {e.get("ref") for e in entries}
    assert f"{BASE}/letters/fr-1" in refs
    assert root.findtext(f".//{TEI}publicationStmt/{TEI}idno") == f"{BASE}/cmif.xml"
    hostile = [e for e in entries if e.get("ref") == f"{BASE}/letters/hostile"]
    assert hostile and not [el for el in hostile[0].iter() if etree.QName(el).localname in ("script", "img")]
    # Asked again with its ETag, the unchanged feed is not sent again.
    again = client.get("/cmif.xml", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_cmif_feed_of_a_query(client: Client) -> None:
    response = client.get("/cmif.xml", params={"q": '"Byrnes to Bevin"'})
    assert response.status_code == 200
    entries = etree.fromstring(response.content).findall(f".//{TEI}correspDesc")
    assert [e.get("ref") for e in entries] == [f"{BASE}/letters/fr-1"]
    assert client.get("/cmif.xml", params={"q": 'from:"unclosed'}).status_code == 400


def test_cmif_feed_is_written_once_per_change(small: tuple[Archive, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import letterbook.web.feeds as feeds

    written: list[int] = []
    real = feeds.write_cmif
    monkeypatch.setattr(feeds, "write_cmif", lambda *args: written.append(1) or real(*args))
    archive, _ = small
    client = Client(oai_app(archive))
    first = client.get("/cmif.xml")
    assert client.get("/cmif.xml").content == first.content
    assert len(written) == 1
    archive.edit("s-2", "title", "Changed", editor="tester")
    changed = client.get("/cmif.xml")
    assert len(written) == 2 and changed.headers["etag"] != first.headers["etag"]
    assert len(etree.fromstring(changed.content).findall(f".//{TEI}correspDesc")) == 5


def test_mounted_in_the_reading_room(archive: Archive) -> None:
    from letterbook.web import create_app

    client = Client(create_app(archive), base_url=BASE)
    assert check_oai(client.get("/oai?verb=Identify").content).find(O + "Identify") is not None
    assert client.head("/cmif.xml").status_code == 200
