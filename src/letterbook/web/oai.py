"""OAI-PMH 2.0 at ``/oai``: how aggregators and library catalogues harvest an archive's letters.

The six verbs (Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords,
GetRecord), by GET or by a POSTed form, in two metadata formats: ``oai_dc`` (simple Dublin Core:
title, sender as creator, recipients as contributors, mentioned people and places as subjects,
date, place of writing as coverage, permalink as identifier, language, source) and ``tei`` (the
letter as TEI P5, ``letterbook.export.tei``).

- **Identifiers** are ``oai:<repository id>:<letter id>``; the repository id is the configured
  one, else the host the request was made to.
- **Datestamps** are the time of a letter's latest change in the store (``changes.at``: read,
  read again with a difference, corrected by a person, withdrawn), to the second, in UTC. A letter
  withdrawn from the archive is a deleted record (``deletedRecord`` is ``transient``: one restored
  by a later ingest is live again).
- **Sets** are the collections: the set spec is the collection's title made into a slug
  ("Foreign Relations, 1945" -> ``foreign-relations-1945``).
- **Lists** are pages of ``OAIConfig.batch_size`` records in the order of the store's change
  sequence; each page but the last ends in a resumption token that holds the whole request and the
  position reached (stateless: nothing is kept on the server), signed so that an altered token is
  refused, and valid for ``OAIConfig.token_lifetime`` seconds. A letter changed during a harvest
  moves to the end of the sequence and is given again, never missed. A list that ends on a page
  with no records left (its last letters changed past ``until`` meanwhile) answers
  ``noRecordsMatch``.

``oai_routes()`` gives the routes (``/oai`` and the CMIF feed of ``feeds.py``, ``/cmif.xml``) that
``letterbook.web.app`` mounts; they are configured by ``OAIConfig``, by default from the
environment: ``LETTERBOOK_OAI_REPOSITORY_ID`` (a domain name, e.g. ``letters.example.org``: set
it on a public server, so that identifiers do not change with the host a harvester used),
``LETTERBOOK_OAI_BASE_URL``, ``LETTERBOOK_OAI_NAME``, ``LETTERBOOK_OAI_ADMIN_EMAIL`` and
``LETTERBOOK_OAI_BATCH_SIZE`` (default 100). Requests are answered on the event loop, as the
app's pages are: a page of 100 TEI records takes about 0.1 s.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from lxml import etree
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..archive import Archive
from ..errors import LetterbookError, LetterNotFound
from ..export import ExportOptions, xml_text
from ..export.tei import TEI_NS, letter_to_tei
from ..model import Agent, Letter
from ..store.base import Stamp

__all__ = ["OAIConfig", "Repository", "Site", "letter_to_dc", "oai_app", "oai_routes", "set_spec"]

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_ID_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"
_O = f"{{{OAI_NS}}}"
_DC = f"{{{DC_NS}}}"

#: The metadata formats: prefix -> (schema, namespace).
METADATA_FORMATS: dict[str, tuple[str, str]] = {
    "oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS),
    "tei": ("https://www.tei-c.org/release/xml/tei/custom/schema/xsd/tei_all.xsd", TEI_NS),
}

#: The arguments of each verb: required, optional, and the one that excludes all others.
_VERBS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str | None]] = {
    "Identify": ((), (), None),
    "ListMetadataFormats": ((), ("identifier",), None),
    "ListSets": ((), (), "resumptionToken"),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
    "GetRecord": (("identifier", "metadataPrefix"), (), None),
}

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# oai-identifier.xsd: a repository identifier is a domain name.
_REPOSITORY_ID = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
# The characters an identifier's local part may hold as they are; others are %-escaped.
_LOCAL_SAFE = "-_.!~*'();/?:@&=+$,"
_TOKEN_VERSION = 1


@dataclass(frozen=True)
class OAIConfig:
    """How the repository presents itself: its name, the namespace of its identifiers, whom to
    write to, its public URL, the size of a page, and how long a resumption token lasts."""

    repository_name: str = "letterbook"
    #: The namespace of identifiers (``oai:<it>:<letter id>``), a domain name; default the request's host.
    repository_id: str | None = None
    admin_email: str = "letterbook@localhost.localdomain"
    #: The public URL of the site (``https://letters.example.org``); default the request's.
    base_url: str | None = None
    batch_size: int = 100
    token_lifetime: int = 7 * 24 * 3600
    #: The key that signs resumption tokens; default one kept in the archive's settings.
    secret: bytes | None = None

    @classmethod
    def from_environ(cls, environ: dict[str, str] | None = None) -> OAIConfig:
        """Give the configuration that ``LETTERBOOK_OAI_*`` variables set (NAME, REPOSITORY_ID,
        ADMIN_EMAIL, BASE_URL, BATCH_SIZE), defaults for the rest."""
        env = os.environ if environ is None else environ
        config = cls()
        if env.get("LETTERBOOK_OAI_NAME"):
            config = replace(config, repository_name=env["LETTERBOOK_OAI_NAME"])
        if env.get("LETTERBOOK_OAI_REPOSITORY_ID"):
            config = replace(config, repository_id=env["LETTERBOOK_OAI_REPOSITORY_ID"])
        if env.get("LETTERBOOK_OAI_ADMIN_EMAIL"):
            config = replace(config, admin_email=env["LETTERBOOK_OAI_ADMIN_EMAIL"])
        if env.get("LETTERBOOK_OAI_BASE_URL"):
            config = replace(config, base_url=env["LETTERBOOK_OAI_BASE_URL"])
        if env.get("LETTERBOOK_OAI_BATCH_SIZE"):
            config = replace(config, batch_size=int(env["LETTERBOOK_OAI_BATCH_SIZE"]))
        return config


class OAIError(Exception):
    """A request the protocol answers with an error: its code and a message a person can act on."""

    def __init__(self, code: str, message: str, also: Sequence[OAIError] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.also = list(also)  # further errors of the same request


def set_spec(title: str) -> str:
    """Give the set spec of a collection: its title as a slug of ASCII letters, digits and hyphens
    (a title without any gives ``collection-`` and a digest of it)."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()
    return slug or "collection-" + hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _datestamp(at: str) -> str:
    """Give a store time (``2026-11-29T06:04:20+00:00``) as an OAI datestamp (``...20Z``)."""
    return at[:19] + "Z"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Site:
    """Where a request was made: the base URL of the site, and the repository id (the namespace
    of its identifiers)."""

    base_url: str
    repository_id: str

    @property
    def oai_url(self) -> str:
        return self.base_url + "/oai"

    def identifier(self, letter_id: str) -> str:
        return f"oai:{self.repository_id}:{quote(letter_id, safe=_LOCAL_SAFE)}"

    def letter_id(self, identifier: str) -> str | None:
        prefix = f"oai:{self.repository_id}:"
        if not identifier.startswith(prefix) or len(identifier) == len(prefix):
            return None
        return unquote(identifier[len(prefix):])


@dataclass
class _ListRequest:
    """A ListIdentifiers or ListRecords request: what the first request asked for, where the
    harvest has reached, and how many records it holds in all."""

    verb: str
    prefix: str
    since: str | None
    until: str | None
    set_spec: str | None
    after: int = 0
    cursor: int = 0
    size: int | None = None


class Repository:
    """The OAI-PMH repository of an archive: ``respond`` answers one request."""

    def __init__(self, archive: Archive, config: OAIConfig | None = None) -> None:
        self.archive = archive
        self.config = config or OAIConfig()
        if self.config.batch_size < 1:
            raise LetterbookError(f"an OAI-PMH page holds at least one record, not {self.config.batch_size}")
        self._key: bytes | None = self.config.secret
        self._sets: tuple[int, dict[str, list[str]]] | None = None

    # -- the request ----------------------------------------------------------------------------

    def site(self, request_base: str) -> Site:
        """Give the site a request was made to (the configuration wins over the request)."""
        base = (self.config.base_url or request_base).rstrip("/")
        repository_id = self.config.repository_id or (urlsplit(base).hostname or "localhost").lower()
        return Site(base, repository_id)

    def respond(self, pairs: Sequence[tuple[str, str]], site: Site) -> bytes:
        """Give the response to the arguments of one request, as an XML document."""
        root = etree.Element(_O + "OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
        root.set(SCHEMA_LOCATION, f"{OAI_NS} {OAI_SCHEMA}")
        etree.SubElement(root, _O + "responseDate").text = _now()
        request = etree.SubElement(root, _O + "request")
        request.text = site.oai_url
        try:
            verb, args = self._arguments(pairs)
            request.set("verb", verb)
            for key, value in args.items():
                request.set(key, xml_text(value))
            root.append(getattr(self, "_" + verb)(args, site))
        except OAIError as error:
            if error.code in ("badVerb", "badArgument"):  # the protocol echoes no arguments with these
                request.attrib.clear()
            for each in (error, *error.also):
                el = etree.SubElement(root, _O + "error", code=each.code)
                el.text = xml_text(each.message)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    @staticmethod
    def _arguments(pairs: Sequence[tuple[str, str]]) -> tuple[str, dict[str, str]]:
        """Give the verb and its arguments, or raise badVerb or badArgument."""
        verbs = [value for key, value in pairs if key == "verb"]
        if not verbs:
            raise OAIError("badVerb", "the request names no verb: add verb=Identify, ListRecords, ...")
        if len(verbs) > 1:
            raise OAIError("badVerb", "the request names the verb more than once")
        verb = verbs[0]
        if verb not in _VERBS:
            raise OAIError("badVerb", f"{verb!r} is not an OAI-PMH verb: the verbs are {', '.join(_VERBS)}")
        required, optional, exclusive = _VERBS[verb]
        args: dict[str, str] = {}
        for key, value in pairs:
            if key == "verb":
                continue
            if key not in required and key not in optional and key != exclusive:
                raise OAIError("badArgument", f"{verb} takes no argument {key!r}")
            if key in args:
                raise OAIError("badArgument", f"the argument {key!r} is given more than once")
            if not value:
                raise OAIError("badArgument", f"the argument {key!r} is empty")
            args[key] = value
        if exclusive and exclusive in args:
            if len(args) > 1:
                raise OAIError("badArgument", f"{exclusive} is the only argument allowed with it")
        else:
            missing = [key for key in required if key not in args]
            if missing:
                raise OAIError("badArgument", f"{verb} needs the argument {missing[0]!r}")
        return verb, args

    # -- the verbs ------------------------------------------------------------------------------

    def _Identify(self, args: dict[str, str], site: Site) -> etree._Element:  # noqa: N802 (the verb's name)
        identify = etree.Element(_O + "Identify")
        first = self.archive.first_change()
        for name, value in (
            ("repositoryName", self.config.repository_name),
            ("baseURL", site.oai_url),
            ("protocolVersion", "2.0"),
            ("adminEmail", self.config.admin_email),
            ("earliestDatestamp", _datestamp(first) if first else _now()),
            ("deletedRecord", "transient"),
            ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
        ):
            etree.SubElement(identify, _O + name).text = xml_text(value)
        if _REPOSITORY_ID.fullmatch(site.repository_id):
            description = etree.SubElement(identify, _O + "description")
            ident = etree.SubElement(description, f"{{{OAI_ID_NS}}}oai-identifier", nsmap={None: OAI_ID_NS})
            ident.set(SCHEMA_LOCATION, f"{OAI_ID_NS} {OAI_ID_SCHEMA}")
            for name, value in (("scheme", "oai"), ("repositoryIdentifier", site.repository_id),
                                ("delimiter", ":"), ("sampleIdentifier", site.identifier("L1"))):
                etree.SubElement(ident, f"{{{OAI_ID_NS}}}{name}").text = value
        return identify

    def _ListMetadataFormats(self, args: dict[str, str], site: Site) -> etree._Element:  # noqa: N802
        if "identifier" in args:
            stamp = self._stamp(args["identifier"], site)
            if stamp.withdrawn:
                raise OAIError("noMetadataFormats", f"{args['identifier']} was withdrawn from the archive: "
                                                    "no metadata of it can be given")
        formats = etree.Element(_O + "ListMetadataFormats")
        for prefix, (schema, namespace) in METADATA_FORMATS.items():
            fmt = etree.SubElement(formats, _O + "metadataFormat")
            etree.SubElement(fmt, _O + "metadataPrefix").text = prefix
            etree.SubElement(fmt, _O + "schema").text = schema
            etree.SubElement(fmt, _O + "metadataNamespace").text = namespace
        return formats

    def _ListSets(self, args: dict[str, str], site: Site) -> etree._Element:  # noqa: N802
        if "resumptionToken" in args:
            raise OAIError("badResumptionToken", "this repository gives every set at once and issues no "
                                                 "resumption tokens for ListSets")
        sets = self._set_index()
        if not sets:
            raise OAIError("noSetHierarchy", "the archive's letters belong to no collection, so it has no sets")
        listing = etree.Element(_O + "ListSets")
        for spec, titles in sets.items():
            el = etree.SubElement(listing, _O + "set")
            etree.SubElement(el, _O + "setSpec").text = spec
            etree.SubElement(el, _O + "setName").text = xml_text(" / ".join(titles))
        return listing

    def _GetRecord(self, args: dict[str, str], site: Site) -> etree._Element:  # noqa: N802
        errors = []
        stamp = None
        try:
            stamp = self._stamp(args["identifier"], site)
        except OAIError as error:
            errors.append(error)
        if args["metadataPrefix"] not in METADATA_FORMATS:
            errors.append(self._format_error(args["metadataPrefix"]))
        if errors:
            raise OAIError(errors[0].code, errors[0].message, errors[1:])
        assert stamp is not None
        letters = {} if stamp.withdrawn else self.archive.get_many([stamp.id])
        record = etree.Element(_O + "GetRecord")
        record.append(self._record(stamp, letters.get(stamp.id), args["metadataPrefix"], site))
        return record

    def _ListIdentifiers(self, args: dict[str, str], site: Site) -> etree._Element:  # noqa: N802
        return self._list("ListIdentifiers", args, site)

    def _ListRecords(self, args: dict[str, str], site: Site) -> etree._Element:  # noqa: N802
        return self._list("ListRecords", args, site)

    # -- lists ----------------------------------------------------------------------------------

    def _list(self, verb: str, args: dict[str, str], site: Site) -> etree._Element:
        if "resumptionToken" in args:
            wanted = self._read_token(args["resumptionToken"], verb)
        else:
            if args["metadataPrefix"] not in METADATA_FORMATS:
                raise self._format_error(args["metadataPrefix"])
            since, until = _bounds(args.get("from"), args.get("until"))
            wanted = _ListRequest(verb, args["metadataPrefix"], since, until, args.get("set"))
        collections = None
        if wanted.set_spec is not None:
            sets = self._set_index()
            if not sets:
                raise OAIError("noSetHierarchy", "the archive's letters belong to no collection, so it has no sets")
            collections = sets.get(wanted.set_spec, [])
        if wanted.size is None:
            wanted.size = self.archive.count_stamps(since=wanted.since, until=wanted.until, collections=collections)
        limit = self.config.batch_size
        stamps = self.archive.stamps(after=wanted.after, since=wanted.since, until=wanted.until,
                                     collections=collections, limit=limit + 1)
        if not stamps:
            # Also on a later page, when the letters left were changed past ``until`` since: a
            # list holds at least one record, and the list has ended.
            raise OAIError("noRecordsMatch", "no letter matches the request: try other dates or another set")
        more = len(stamps) > limit
        stamps = stamps[:limit]
        listing = etree.Element(_O + verb)
        if verb == "ListIdentifiers":
            for stamp in stamps:
                listing.append(self._header(stamp, site))
        else:
            letters = self.archive.get_many([s.id for s in stamps if not s.withdrawn])
            for stamp in stamps:
                listing.append(self._record(stamp, letters.get(stamp.id), wanted.prefix, site))
        if more or wanted.cursor:
            token = etree.SubElement(listing, _O + "resumptionToken")
            # The count was made when the harvest began: letters added since make it an estimate.
            token.set("completeListSize", str(max(wanted.size, wanted.cursor + len(stamps))))
            token.set("cursor", str(wanted.cursor))
            if more:
                expires = int(time.time()) + self.config.token_lifetime
                token.set("expirationDate", datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
                following = replace(wanted, after=stamps[-1].sequence, cursor=wanted.cursor + len(stamps))
                token.text = self._make_token(following, expires)
        return listing

    def _header(self, stamp: Stamp, site: Site, *, withdrawn: bool | None = None) -> etree._Element:
        header = etree.Element(_O + "header")
        if stamp.withdrawn if withdrawn is None else withdrawn:
            header.set("status", "deleted")
        etree.SubElement(header, _O + "identifier").text = xml_text(site.identifier(stamp.id))
        etree.SubElement(header, _O + "datestamp").text = _datestamp(stamp.at)
        if stamp.collection:
            etree.SubElement(header, _O + "setSpec").text = set_spec(stamp.collection)
        return header

    def _record(self, stamp: Stamp, letter: Letter | None, prefix: str, site: Site) -> etree._Element:
        record = etree.Element(_O + "record")
        # A letter withdrawn after its stamp was read is as good as deleted.
        record.append(self._header(stamp, site, withdrawn=letter is None))
        if letter is not None:
            metadata = etree.SubElement(record, _O + "metadata")
            options = ExportOptions(base_url=site.base_url)
            if prefix == "tei":
                metadata.append(letter_to_tei(letter, options))
            else:
                metadata.append(letter_to_dc(letter, options.permalink(letter)))
        return record

    # -- helpers --------------------------------------------------------------------------------

    def _stamp(self, identifier: str, site: Site) -> Stamp:
        letter_id = site.letter_id(identifier)
        if letter_id is None:
            raise OAIError("idDoesNotExist", f"{identifier!r} is not an identifier of this repository: "
                                             f"they look like {site.identifier('L1')}")
        try:
            return self.archive.stamp(letter_id)
        except LetterNotFound:
            raise OAIError("idDoesNotExist", f"no letter has the identifier {identifier!r}") from None

    @staticmethod
    def _format_error(prefix: str) -> OAIError:
        return OAIError("cannotDisseminateFormat", f"the metadata format {prefix!r} is not given here: "
                                                   f"the formats are {', '.join(METADATA_FORMATS)}")

    def _set_index(self) -> dict[str, list[str]]:
        """Give the collection titles of each set spec (kept until the archive changes)."""
        sequence = self.archive.store.sequence()
        if self._sets is None or self._sets[0] != sequence:
            sets: dict[str, list[str]] = {}
            for title in self.archive.collection_titles():
                sets.setdefault(set_spec(title), []).append(title)
            self._sets = (sequence, dict(sorted(sets.items())))
        return self._sets[1]

    # -- resumption tokens ----------------------------------------------------------------------

    def _token_key(self) -> bytes:
        """Give the key that signs tokens: the configured one, else one kept in the archive's
        settings (made on first use), else, in an archive open read-only that has none yet, one
        derived from the archive itself (it still catches altered tokens)."""
        if self._key is None:
            store = self.archive.store
            kept = store.setting("oai_token_key")
            if kept is None and not store.read_only:
                try:
                    store.set_setting("oai_token_key", os.urandom(32).hex())
                    kept = store.setting("oai_token_key")
                except LetterbookError:
                    kept = None  # busy: derive one this time
            if kept is None:
                origin = f"letterbook-oai\0{store.url}\0{self.archive.first_change()}"
                kept = hashlib.sha256(origin.encode("utf-8", "surrogatepass")).hexdigest()
            self._key = kept.encode("utf-8", "surrogatepass")
        return self._key

    def _make_token(self, wanted: _ListRequest, expires: int) -> str:
        payload = [_TOKEN_VERSION, wanted.verb, wanted.prefix, wanted.since, wanted.until, wanted.set_spec,
                   wanted.after, wanted.cursor, wanted.size, expires, self.archive.first_change()]
        body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).rstrip(b"=")
        mac = hmac.new(self._token_key(), body, hashlib.sha256).digest()[:16]
        return (body + b"." + base64.urlsafe_b64encode(mac).rstrip(b"=")).decode("ascii")

    def _read_token(self, token: str, verb: str) -> _ListRequest:
        bad = OAIError("badResumptionToken", "the resumption token is not one this repository issued, or it "
                                             "was altered: begin the harvest again without it")
        body, _, mac = token.encode("utf-8", "replace").partition(b".")
        # The signature is compared as written, not decoded: base64 leaves spare bits in its last
        # character, so two spellings decode alike and an altered token could pass.
        signature = hmac.new(self._token_key(), body, hashlib.sha256).digest()[:16]
        if not hmac.compare_digest(base64.urlsafe_b64encode(signature).rstrip(b"="), mac):
            raise bad
        try:
            payload: Any = json.loads(base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4)))
        except (ValueError, binascii.Error):
            raise bad from None
        if not isinstance(payload, list) or len(payload) != 11 or payload[0] != _TOKEN_VERSION:
            raise bad
        _version, token_verb, prefix, since, until, spec, after, cursor, size, expires, first = payload
        texts_or_none = (since, until, spec, first)
        if (not all(isinstance(v, int) and not isinstance(v, bool) for v in (after, cursor, size, expires))
                or not all(v is None or isinstance(v, str) for v in texts_or_none) or prefix not in METADATA_FORMATS):
            raise bad  # signed by a key that was derived, not kept: still never read blindly
        if token_verb != verb:
            raise OAIError("badResumptionToken", f"the resumption token continues a {token_verb}, not a {verb}")
        if expires < time.time():
            raise OAIError("badResumptionToken", "the resumption token has expired: begin the harvest again")
        if first != self.archive.first_change() or after > self.archive.store.sequence():
            raise OAIError("badResumptionToken", "the archive was rebuilt since the harvest began: "
                                                 "begin it again")
        return _ListRequest(verb, prefix, since, until, spec, after, cursor, size)


def _bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Give ``from`` and ``until`` as store times (``YYYY-MM-DDThh:mm:ss``, both inclusive: a day
    until its last second), or raise badArgument."""
    granularities = []
    out: list[str | None] = []
    for name, value, day_time in (("from", since, "T00:00:00"), ("until", until, "T23:59:59")):
        if value is None:
            out.append(None)
            continue
        if _DAY.fullmatch(value):
            granularities.append("day")
            pattern, text = "%Y-%m-%d", value + day_time
        elif _SECOND.fullmatch(value):
            granularities.append("second")
            pattern, text = "%Y-%m-%dT%H:%M:%SZ", value[:19]
        else:
            raise OAIError("badArgument", f"{name}={value!r} is not a date as YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")
        try:
            datetime.strptime(value, pattern)
        except ValueError:
            raise OAIError("badArgument", f"{name}={value!r} is not a day of the calendar") from None
        out.append(text)
    if len(set(granularities)) > 1:
        raise OAIError("badArgument", "from and until must be given to the same granularity "
                                      "(both days or both seconds)")
    if out[0] is not None and out[1] is not None and out[0] > out[1]:
        raise OAIError("badArgument", "from is later than until")
    return out[0], out[1]


# -- Dublin Core ----------------------------------------------------------------------------------


def _names(agents: Sequence[Agent | None]) -> list[str]:
    return [agent.name for agent in agents if agent is not None and agent.name]


def letter_to_dc(letter: Letter, permalink: str | None) -> etree._Element:
    """Give a letter as simple Dublin Core (``oai_dc:dc``)."""
    dc = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    dc.set(SCHEMA_LOCATION, f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def add(name: str, value: str | None) -> None:
        text = xml_text(value).strip() if value else ""
        if text:
            etree.SubElement(dc, _DC + name).text = text

    senders = _names([letter.sender, *letter.co_senders])
    recipients = _names(letter.recipients)
    title = letter.title
    if not title:
        title = "Letter" + (f" from {', '.join(senders)}" if senders else "") + (
            f" to {', '.join(recipients)}" if recipients else "")
    add("title", title)
    for name in senders:
        add("creator", name)
    for name in recipients:
        add("contributor", name)
    for name in _names(letter.mentions_persons):
        add("subject", name)
    for place in letter.mentions_places:
        add("subject", place.name)
    date = letter.date
    if date is not None:
        if date.when:
            add("date", date.when)
        elif date.not_before or date.not_after:
            add("date", f"{date.not_before or '..'}/{date.not_after or '..'}")
    if letter.body:
        first = letter.body[0]
        add("description", first if len(first) <= 500 else first[:499].rstrip() + "…")
    add("type", "Text")
    add("type", letter.kind)
    add("identifier", permalink)
    add("identifier", letter.source.reference)
    collection = letter.collection
    if collection is not None and collection.title:
        parts = [collection.title]
        if collection.volume:
            parts.append(f"vol. {collection.volume}")
        if collection.number:
            parts.append(f"no. {collection.number}")
        add("source", ", ".join(parts))
    add("source", letter.series)
    add("language", letter.language)
    if letter.place is not None:
        add("coverage", letter.place.name)
    return dc


# -- the routes -----------------------------------------------------------------------------------


def oai_routes(config: OAIConfig | None = None) -> list[BaseRoute]:
    """Give the routes harvesters use, ``/oai`` (OAI-PMH) and ``/cmif.xml`` (the CMIF feed), over
    the archive at ``request.app.state.archive``; without ``config``, the ``LETTERBOOK_OAI_*``
    environment variables configure them (``OAIConfig.from_environ``)."""
    from .feeds import cmif_route

    config = config or OAIConfig.from_environ()
    made: list[Repository] = []

    def repository_of(request: Request) -> Repository:
        archive: Archive = request.app.state.archive
        if not made or made[0].archive is not archive:
            made[:] = [Repository(archive, config)]
        return made[0]

    async def oai(request: Request) -> Response:
        if request.method == "POST":  # a form (application/x-www-form-urlencoded), as the protocol has it
            body = (await request.body()).decode("utf-8", "replace")
            pairs = parse_qsl(body, keep_blank_values=True)
        else:
            pairs = parse_qsl(request.url.query, keep_blank_values=True, errors="replace")
        repository = repository_of(request)
        site = repository.site(str(request.base_url))
        # On the event loop, as every view of the app: the archive's connection is never shared
        # between threads. A page is at most batch_size records.
        return Response(repository.respond(pairs, site), media_type="text/xml; charset=utf-8")

    return [Route("/oai", oai, methods=["GET", "POST"], name="oai"), cmif_route(config)]


def oai_app(archive: Archive, config: OAIConfig | None = None) -> Starlette:
    """Give an ASGI app serving only the harvesting routes (``oai_routes``) over an open archive."""
    app = Starlette(routes=oai_routes(config or OAIConfig()))
    app.state.archive = archive
    return app
